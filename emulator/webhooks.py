"""Webhook events as LINE builds them, signed and POSTed to the bot.

The signature is base64(HMAC-SHA256(channel secret, raw body)) in `x-line-signature`.
"""

import base64
import copy
import hashlib
import hmac
import http.client
import json
import secrets
import socket
import time
import urllib.error
import urllib.request

from ulid import ULID

WEBHOOK_TIMEOUT_S = 10

# The bot is addressed directly, never through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature(channel_secret, body):
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def user_event(event_type, user_id, reply_token=None, **content):
    """A webhook event from a user in a one-to-one chat, with LINE's common fields."""
    event = {
        "type": event_type,
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "mode": "active",
        "webhookEventId": str(ULID()),
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token is not None:
        event["replyToken"] = reply_token
    event.update(content)
    return event


def message_id():
    return str(secrets.randbelow(9 * 10**17) + 10**17)


def text_message(text):
    return {"id": message_id(), "type": "text", "text": text,
            "quoteToken": secrets.token_urlsafe(24)}


def media_message(kind, **fields):
    """An image, video, audio or file message; its bytes are kept by LINE (`contentProvider`
    "line") for `GET /v2/bot/message/{id}/content`. Audio and files carry no quote token."""
    message = {"id": message_id(), "type": kind}
    if kind != "file":
        message["contentProvider"] = {"type": "line"}
    if kind in ("image", "video"):
        message["quoteToken"] = secrets.token_urlsafe(24)
    message.update(fields)
    return message


def sticker_message(package_id, sticker_id):
    return {"id": message_id(), "type": "sticker", "packageId": package_id,
            "stickerId": sticker_id, "stickerResourceType": "STATIC",
            "quoteToken": secrets.token_urlsafe(24)}


def location_message(title, address, latitude, longitude):
    """A location message; `title` and `address` are left out when not given (never null)."""
    message = {"id": message_id(), "type": "location"}
    if title is not None:
        message["title"] = title
    if address is not None:
        message["address"] = address
    message.update(latitude=latitude, longitude=longitude)
    return message


def as_redelivery(event):
    """The same event sent again: same webhookEventId and replyToken, marked redelivered."""
    again = copy.deepcopy(event)
    again["deliveryContext"]["isRedelivery"] = True
    return again


def post_event(url, channel_secret, destination, event):
    """POST one event to the bot; returns (HTTP status, error text). Status 0: no answer."""
    if not url:
        return 0, "no webhook URL is configured"
    return post_body(url, channel_secret, {"destination": destination, "events": [event]})


def post_body(url, channel_secret, payload):
    """POST a webhook body to the bot, signed; returns (HTTP status, error text)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "LineBotWebhook/2.0",
        "x-line-signature": signature(channel_secret, body),
    })
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT_S) as response:
            response.read()
            return response.status, None
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, None
    except (urllib.error.URLError, socket.timeout, ConnectionError, OSError, http.client.HTTPException) as error:
        # HTTPException: e.g. IncompleteRead, the bot's process killed in the middle of its answer
        return 0, str(getattr(error, "reason", error))
