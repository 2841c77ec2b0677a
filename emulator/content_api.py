"""What residents sent (message content), followers, delivery statistics, mark-as-read, and
the webhook endpoint settings with the console's "Verify" button."""

import re
from datetime import datetime, timezone

from flask import Blueprint, request

from emulator import webhooks
from emulator.line_errors import LineApiError, detail, invalid_body, not_found, read_json_object
from emulator.state import current_state, found

bp = Blueprint("content_api", __name__, url_prefix="/v2/bot")

DATE = re.compile(r"^[0-9]{8}$")
MAX_FOLLOWER_IDS = 1000
DEFAULT_FOLLOWER_IDS = 300
PREVIEWABLE = {"image", "video"}


def existing_content(message_id):
    content = found(lambda state: state.contents.get(message_id), not_found())
    return content


@bp.get("/message/<message_id>/content")
def message_content(message_id):
    """The image, video, audio or file a user sent (data API host)."""
    content = existing_content(message_id)
    return content.data, 200, {"Content-Type": content.content_type}


@bp.get("/message/<message_id>/content/preview")
def message_preview(message_id):
    """A preview of a photo or video; the emulator answers a photo with the photo itself."""
    content = existing_content(message_id)
    if content.kind not in PREVIEWABLE or not content.content_type.startswith("image/"):
        raise not_found()
    return content.data, 200, {"Content-Type": content.content_type}


@bp.get("/message/<message_id>/content/transcoding")
def transcoding(message_id):
    """Whether a video or audio is ready to download; the emulator has it ready at once."""
    existing_content(message_id)
    return {"status": "succeeded"}


@bp.get("/followers/ids")
def follower_ids():
    """User ids of the account's friends, `limit` at a time, continued with `start`."""
    limit = request.args.get("limit", str(DEFAULT_FOLLOWER_IDS))
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_FOLLOWER_IDS:
        raise invalid_body([detail(f"Must be between 1 and {MAX_FOLLOWER_IDS}", "limit")])
    start = request.args.get("start", "0")
    if not start.isdigit():
        raise LineApiError(400, "Invalid start parameter")
    first, most = int(start), int(limit)
    state = current_state()
    with state.lock:
        ids = [user.user_id for user in state.followers()]
    answer = {"userIds": ids[first:first + most]}
    if first + most < len(ids):
        answer["next"] = str(first + most)
    return answer


@bp.get("/message/delivery/<any(reply, push, multicast, broadcast):via>")
def sent_messages(via):
    """How many messages of one kind were delivered on a day (`date=yyyyMMdd`, UTC+9).

    The emulator counts as it sends, so even today's number is ready.
    """
    date = request.args.get("date", "")
    if not DATE.match(date):
        raise invalid_body([detail("Must be a date in yyyyMMdd format", "date")])
    state = current_state()
    with state.lock:
        return {"status": "ready", "success": state.sent_counts[via, date]}


@bp.post("/chat/markAsRead")
def mark_as_read():
    """Mark a user's messages as read, up to the message whose webhook carried the token."""
    token = read_json_object()["markAsReadToken"]
    state = current_state()
    with state.lock:
        if state.read_tokens.pop(token, None) is None:
            raise LineApiError(400, "Invalid markAsReadToken")
    return {}


@bp.get("/channel/webhook/endpoint")
def get_webhook_endpoint():
    """The webhook URL the emulator sends events to."""
    url = current_state().webhook_url
    if not url:
        raise not_found("webhook endpoint is not set")
    return {"endpoint": url, "active": True}


@bp.put("/channel/webhook/endpoint")
def set_webhook_endpoint():
    """Set the webhook URL (https, or http for a bot on this machine)."""
    endpoint = _checked_endpoint(read_json_object()["endpoint"], "endpoint")
    state = current_state()
    with state.lock:
        state.webhook_url = endpoint
    return {}


@bp.post("/channel/webhook/test")
def test_webhook_endpoint():
    """The "Verify" button: send the bot an empty signed webhook and report its answer."""
    state = current_state()
    endpoint = read_json_object().get("endpoint") or state.webhook_url
    if not endpoint:
        raise LineApiError(400, "webhook endpoint is not set")
    _checked_endpoint(endpoint, "endpoint")
    status, error = webhooks.post_body(endpoint, state.channel_secret,
                                       {"destination": state.bot_user_id, "events": []})
    answer = {"success": status == 200,
              "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds")
              .replace("+00:00", "Z"),
              "statusCode": status,
              "reason": "OK" if status == 200 else
                        "COULD_NOT_CONNECT" if error else "ERROR_STATUS_CODE",
              "detail": str(status) if error is None else error}
    return answer


def _checked_endpoint(endpoint, prop):
    if not re.match(r"^https?://[^\s/]+", endpoint or ""):
        raise invalid_body([detail("Must be an HTTPS URL", prop)])
    return endpoint
