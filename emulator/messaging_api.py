"""Sending messages: reply, push, multicast, broadcast, narrowcast, and the quota."""

import re
import time
from datetime import datetime, timezone

from flask import Blueprint, g, request

from emulator.line_errors import LineApiError, detail, invalid_body, not_found, read_json_object
from emulator.message_validation import check_messages
from emulator.state import current_state, found

bp = Blueprint("messaging_api", __name__, url_prefix="/v2/bot/message")

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
MAX_MULTICAST = 500


@bp.post("/reply")
def reply():
    """Deliver messages to the user whose webhook event carried the reply token (free)."""
    body = read_json_object()
    messages = _valid_messages(body)
    state = current_state()
    with state.lock:
        user_id = state.redeem_reply_token(body.get("replyToken"))
        if user_id is None:
            raise LineApiError(400, "Invalid reply token")
        user = state.follower(user_id)
        state.deliver([user] if user else [], "reply", messages)
        return {"sentMessages": state.sent_messages(len(messages))}


@bp.post("/push")
def push():
    """Deliver messages to one user; a blocked or unknown user gets nothing, still 200."""
    body = read_json_object()
    problems = check_messages(body.get("messages"))
    if not isinstance(body.get("to"), str) or not body["to"]:
        problems.insert(0, detail("Must be specified", "to"))
    if problems:
        raise invalid_body(problems)

    def send(state):
        user = state.follower(body["to"])
        recipients = [user] if user else []
        state.consume_quota(len(recipients))
        state.deliver(recipients, "push", body["messages"])
        return {"sentMessages": state.sent_messages(len(body["messages"]))}

    return _accept_once(send)


@bp.post("/multicast")
def multicast():
    """Deliver messages to up to 500 users by id; only current friends receive them."""
    body = read_json_object()
    problems = check_messages(body.get("messages"))
    to = body.get("to")
    if not isinstance(to, list) or not 1 <= len(to) <= MAX_MULTICAST:
        problems.insert(0, detail(f"Size must be between 1 and {MAX_MULTICAST}", "to"))
    else:
        problems[:0] = [detail("Must be a valid user ID", f"to[{i}]")
                        for i, user_id in enumerate(to)
                        if not isinstance(user_id, str) or not USER_ID.match(user_id)]
    if problems:
        raise invalid_body(problems)

    def send(state):
        followers = [state.follower(user_id) for user_id in dict.fromkeys(to)]
        recipients = [user for user in followers if user is not None]
        state.consume_quota(len(recipients))
        state.deliver(recipients, "multicast", body["messages"])
        return {}

    return _accept_once(send)


@bp.post("/broadcast")
def broadcast():
    """Deliver messages to every user who follows the account."""
    body = read_json_object()
    messages = _valid_messages(body)

    def send(state):
        recipients = state.followers()
        state.consume_quota(len(recipients))
        state.deliver(recipients, "broadcast", messages)
        return {}

    return _accept_once(send)


@bp.post("/narrowcast")
def narrowcast():
    """Deliver messages to followers, up to `limit.max`; demographic filters and
    audience recipients are accepted but not applied (everyone following matches)."""
    body = read_json_object()
    messages = _valid_messages(body)
    limit = body.get("limit") or {}
    most = limit.get("max")
    if most is not None and (not isinstance(most, int) or most < 1):
        raise invalid_body([detail("Must be a positive integer", "limit.max")])

    def send(state):
        accepted = datetime.now(timezone.utc)
        recipients = state.followers()[:most]
        remaining = state.remaining_quota()
        if limit.get("upToRemainingQuota") and remaining is not None:
            recipients = recipients[:remaining]
        state.consume_quota(len(recipients))
        state.deliver(recipients, "narrowcast", messages)
        state.narrowcasts[g.request_id] = {
            "phase": "succeeded", "successCount": len(recipients), "failureCount": 0,
            "targetCount": len(recipients), "acceptedTime": _line_time(accepted),
            "completedTime": _line_time(datetime.now(timezone.utc)),
        }
        return {}

    return _accept_once(send), 202


@bp.get("/progress/narrowcast")
def narrowcast_progress():
    """How a narrowcast went, by the request id its acceptance answered."""
    request_id = request.args.get("requestId")
    if not request_id:
        raise invalid_body([detail("Must be specified", "requestId")])
    progress = found(lambda state: state.narrowcasts.get(request_id), not_found())
    return progress


@bp.post("/validate/<kind>")
def validate(kind):
    """Check messages as a send of this kind would, without sending anything."""
    if kind not in ("reply", "push", "multicast", "broadcast", "narrowcast"):
        raise not_found()
    _valid_messages(read_json_object())
    return {}


@bp.get("/quota")
def quota():
    """The monthly message limit."""
    limit = current_state().config.monthly_quota
    return {"type": "none"} if limit is None else {"type": "limited", "value": limit}


@bp.get("/quota/consumption")
def quota_consumption():
    """Messages counted against the quota this month."""
    return {"totalUsage": current_state().quota_used}


def _valid_messages(body):
    problems = check_messages(body.get("messages"))
    if problems:
        raise invalid_body(problems)
    return body["messages"]


def _accept_once(send):
    """Run `send(state)` unless the retry key was already accepted; remember the key if it runs.

    The check, the send and remembering the key happen under one lock, so two concurrent
    requests with one key deliver once.
    """
    state = current_state()
    key = g.retry_key
    with state.lock:
        now = time.time()
        if key is not None:
            prior = state.retry_keys.accepted(key, now)
            if prior is not None:
                extra = {"sentMessages": prior.sent_messages} if prior.sent_messages else None
                raise LineApiError(409, "The retry key is already accepted", extra=extra,
                                   headers={"x-line-accepted-request-id": prior.request_id})
        answer = send(state)
        if key is not None:
            state.retry_keys.remember(key, g.request_id, answer.get("sentMessages"), now)
        return answer


def _line_time(moment):
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
