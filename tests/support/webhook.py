"""Build and sign LINE webhook bodies the way LINE does (every webhook test uses this)."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from ulid import ULID

from bot.line.signature import sign

BOT_DESTINATION = "U" + "b" * 32


def new_user_id() -> str:
    return "U" + secrets.token_hex(16)


def event(kind: str, user_id: str, **fields: Any) -> dict[str, Any]:
    """One webhook event of type `kind` from `user_id`, with LINE's mandatory fields."""
    base: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": str(ULID()),
        "deliveryContext": {"isRedelivery": False},
    }
    if kind in ("message", "follow", "postback"):
        base["replyToken"] = secrets.token_hex(16)
    base.update(fields)
    return base


def text_event(user_id: str, text: str, **fields: Any) -> dict[str, Any]:
    message = {"id": str(secrets.randbelow(10**17)), "type": "text", "text": text, "quoteToken": secrets.token_hex(8)}
    return event("message", user_id, message=message, **fields)


def follow_event(user_id: str, unblocked: bool = False) -> dict[str, Any]:
    return event("follow", user_id, follow={"isUnblocked": unblocked})


def postback_event(user_id: str, data: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    postback: dict[str, Any] = {"data": data}
    if params:
        postback["params"] = params
    return event("postback", user_id, postback=postback)


def body_of(*events: dict[str, Any]) -> bytes:
    return json.dumps({"destination": BOT_DESTINATION, "events": list(events)}, ensure_ascii=False).encode("utf-8")


def signed_headers(channel_secret: str, body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Line-Signature": sign(channel_secret, body)}


def post_signed(client: Any, channel_secret: str, body: bytes, **kwargs: Any) -> Any:
    """POST `body` to /callback with a valid signature through a Flask test client."""
    return client.post("/callback", data=body, headers=signed_headers(channel_secret, body), **kwargs)
