"""Control API for simulated users: create them, act as them, read what they received.

Each action builds the webhook event LINE would send, records it in the user's transcript,
POSTs it to the bot and answers `{"status": <the bot's HTTP status>}` once the bot has answered
(status 0 with an `error` when the bot could not be reached). With a redelivery rate set, the
event may be sent a second time, marked as a redelivery; `redelivery_status` then says how the
bot answered that one.
"""

import random
import secrets

from flask import Blueprint, jsonify, request

from emulator import openapi, webhooks
from emulator.state import Content, UserAction, current_state, iso_now

bp = Blueprint("control_users", __name__, url_prefix="/_sim/users")


class ControlError(Exception):
    """A refused control request, answered as `{"error": ...}`."""

    def __init__(self, status, error):
        super().__init__(error)
        self.status = status
        self.error = error


def json_object():
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    return body


def required_text(body, name):
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ControlError(400, f"{name} must be a non-empty string")
    return value


def existing_user(state, user_id):
    user = state.users.get(user_id)
    if user is None:
        raise ControlError(404, "unknown user")
    return user


@bp.post("")
def create_user():
    """Create a simulated user who does not follow the account yet."""
    body = json_object()
    user = current_state().add_user(required_text(body, "display_name"))
    return {"user_id": user.user_id}


@bp.post("/bulk")
def create_users():
    """Create many users at once, following without webhooks (for benchmarks)."""
    body = json_object()
    count = body.get("count")
    if not isinstance(count, int) or not 1 <= count <= 1_000_000:
        raise ControlError(400, "count must be an integer from 1 to 1,000,000")
    prefix = body.get("display_name_prefix", "user")
    following = bool(body.get("following", True))
    state = current_state()
    with state.lock:
        users = [state.add_user(f"{prefix}{i + 1}", following) for i in range(count)]
    return {"user_ids": [user.user_id for user in users]}


@bp.get("")
def list_users():
    """Every simulated user and the rich menu they see."""
    state = current_state()
    with state.lock:
        return jsonify([{"user_id": u.user_id, "display_name": u.display_name,
                         "following": u.following,
                         "rich_menu_id": state.richmenus.menu_seen_by(u.user_id)}
                        for u in state.users.values()])


@bp.get("/<user_id>/inbox")
def inbox(user_id):
    """Messages the user received from the bot, oldest first."""
    state = current_state()
    with state.lock:
        return jsonify(existing_user(state, user_id).inbox())


@bp.get("/<user_id>/transcript")
def transcript(user_id):
    """The chat in both directions, in order."""
    state = current_state()
    with state.lock:
        return jsonify(existing_user(state, user_id).transcript())


@bp.post("/<user_id>/follow")
def follow(user_id):
    """Add the account as a friend (or unblock it)."""
    def change(user):
        unblocked = user.unfollowed_before
        user.following = True
        return {"follow": {"isUnblocked": unblocked}}
    return send_event(user_id, "follow", change)


@bp.post("/<user_id>/unfollow")
def unfollow(user_id):
    """Block the account."""
    def change(user):
        user.following = False
        user.unfollowed_before = True
        return {}
    return send_event(user_id, "unfollow", change, with_reply_token=False)


@bp.post("/<user_id>/text")
def text(user_id):
    """Send a text message to the bot."""
    said = required_text(json_object(), "text")
    return send_event(user_id, "message", lambda user: {"message": webhooks.text_message(said)},
                      display_text=said)


@bp.post("/<user_id>/postback")
def postback(user_id):
    """Tap a postback button."""
    body = json_object()
    content = {"data": required_text(body, "data")}
    if body.get("params"):
        content["params"] = body["params"]
    problems = openapi.problems("webhook", "PostbackContent", content)
    if problems:
        raise ControlError(400, "params must map names to strings, as LINE sends them "
                                "(date, time, datetime, newRichMenuAliasId, status): "
                           + "; ".join(f"{p['property']}: {p['message']}" for p in problems))
    return send_event(user_id, "postback", lambda user: {"postback": content},
                      display_text=body.get("display_text"))


@bp.post("/<user_id>/location")
def location(user_id):
    """Share a location with the bot."""
    body = json_object()
    latitude, longitude = body.get("latitude"), body.get("longitude")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (latitude, longitude)):
        raise ControlError(400, "latitude and longitude must be numbers")
    message = webhooks.location_message(body.get("title"), body.get("address"), latitude, longitude)
    return send_event(user_id, "message", lambda user: {"message": message},
                      display_text=body.get("title"))


MEDIA_KINDS = ("image", "video", "audio", "file")
MAX_MEDIA_BYTES = 10 * 1024 * 1024


@bp.post("/<user_id>/<any(image, video, audio, file):kind>")
def media(user_id, kind):
    """Send a photo, video, voice message or file: the bytes are the body, with their type.

    `?duration=` (milliseconds) for video and audio, `?file_name=` for a file.
    """
    data = request.get_data()
    if not data:
        raise ControlError(400, "the body must be the file's bytes")
    if len(data) > MAX_MEDIA_BYTES:
        raise ControlError(413, "the file must be at most 10 MB")
    content_type = request.mimetype or "application/octet-stream"
    fields = {}
    if kind in ("video", "audio"):
        fields["duration"] = _int_arg("duration", 1000)
    if kind == "file":
        fields["fileName"] = request.args.get("file_name") or "file"
        fields["fileSize"] = len(data)
    message = webhooks.media_message(kind, **fields)
    state = current_state()
    with state.lock:
        state.contents[message["id"]] = Content(content_type, data, kind)
    return send_event(user_id, "message", lambda user: {"message": message})


@bp.post("/<user_id>/sticker")
def sticker(user_id):
    """Send a sticker by its package and sticker ids."""
    body = json_object()
    message = webhooks.sticker_message(required_text(body, "package_id"),
                                       required_text(body, "sticker_id"))
    return send_event(user_id, "message", lambda user: {"message": message})


def _int_arg(name, default):
    value = request.args.get(name, str(default))
    if not value.isdigit():
        raise ControlError(400, f"{name} must be a whole number")
    return int(value)


@bp.post("/<user_id>/richmenuswitch")
def richmenu_switch(user_id):
    """Tap a richmenuswitch area: show the alias's menu and send its postback."""
    body = json_object()
    alias_id = required_text(body, "alias_id")
    data = body.get("data", "")
    state = current_state()

    def change(user):
        menus = state.richmenus
        rich_menu_id = menus.aliases.get(alias_id)
        if rich_menu_id is None:
            status = "RICHMENU_ALIAS_ID_NOTFOUND"
        elif rich_menu_id not in menus.menus:
            status = "RICHMENU_NOTFOUND"
        else:
            menus.user_links[user.user_id] = rich_menu_id
            status = "SUCCESS"
        params = {"newRichMenuAliasId": alias_id, "status": status}
        return {"postback": {"data": data, "params": params}}

    return send_event(user_id, "postback", change)


def send_event(user_id, event_type, change, with_reply_token=True, display_text=None):
    """Apply `change(user)` (which returns the event's content), then send the event."""
    state = current_state()
    with state.lock:
        user = existing_user(state, user_id)
        content = change(user)
        if event_type == "message":
            read_token = secrets.token_urlsafe(32)
            state.read_tokens[read_token] = user_id
            content["message"]["markAsReadToken"] = read_token
        token = state.issue_reply_token(user_id) if with_reply_token else None
        event = webhooks.user_event(event_type, user_id, token, **content)
        user.log.append(UserAction(event, display_text, iso_now()))
        url = state.webhook_url
        redeliver = random.random() < state.redelivery_rate
    status, error = webhooks.post_event(url, state.channel_secret, state.bot_user_id, event)
    answer = {"status": status} if error is None else {"status": status, "error": error}
    if redeliver:
        answer["redelivery_status"], _ = webhooks.post_event(
            url, state.channel_secret, state.bot_user_id, webhooks.as_redelivery(event))
    return answer
