"""Control API for tests and the simulator page: request log, faults, redelivery, config,
reset, and rich menus as the page draws them. JSON in and out, no authentication."""

from flask import Blueprint, jsonify, request

from emulator.control_users import ControlError, json_object
from emulator.faults import FaultRule
from emulator.state import current_state, found

bp = Blueprint("control_api", __name__, url_prefix="/_sim")


@bp.get("/requests")
def requests_received():
    """LINE API calls received, oldest first; `?path=` keeps one path."""
    path = request.args.get("path")
    state = current_state()
    with state.lock:
        log = list(state.request_log)
    return jsonify([entry for entry in log if path is None or entry["path"] == path])


@bp.post("/faults")
def add_fault():
    """Add a fault rule; several may be active at once."""
    try:
        rule = FaultRule.from_json(json_object())
    except ValueError as error:
        raise ControlError(400, str(error)) from None
    state = current_state()
    with state.lock:
        state.faults.append(rule)
        return {"faults": [r.to_json() for r in state.faults]}


@bp.get("/faults")
def list_faults():
    """The active fault rules."""
    state = current_state()
    with state.lock:
        return {"faults": [r.to_json() for r in state.faults]}


@bp.delete("/faults")
def clear_faults():
    """Remove every fault rule."""
    state = current_state()
    with state.lock:
        state.faults = []
    return {"faults": []}


@bp.post("/redeliver")
def set_redelivery():
    """Set the probability that a webhook is sent a second time as a redelivery."""
    rate = json_object().get("rate")
    if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ControlError(400, "rate must be between 0 and 1")
    state = current_state()
    with state.lock:
        state.redelivery_rate = float(rate)
    return {"rate": state.redelivery_rate}


@bp.get("/config")
def get_config():
    """Quota, rate limits, reply-token lifetime and the webhook URL."""
    return config_answer(current_state())


@bp.post("/config")
def update_config():
    """Change some settings; the others stay."""
    body = json_object()
    state = current_state()
    with state.lock:
        try:
            state.config.update(body)
        except ValueError as error:
            raise ControlError(400, str(error)) from None
        if "webhook_url" in body:
            state.webhook_url = body["webhook_url"]
        return config_answer(state)


def config_answer(state):
    return {**state.config.to_json(), "webhook_url": state.webhook_url}


@bp.post("/reset")
def reset():
    """Forget users, messages, retry keys, faults, rich menus and usage; default config."""
    current_state().reset()
    return {}


@bp.get("/contents/<message_id>")
def content(message_id):
    """The bytes of a photo, video, voice message or file a user sent (for the page)."""
    sent = found(lambda state: state.contents.get(message_id), ControlError(404, "unknown message content"))
    return sent.data, 200, {"Content-Type": sent.content_type}


@bp.get("/richmenus/<rich_menu_id>")
def rich_menu(rich_menu_id):
    """A rich menu's JSON."""
    menu = found(lambda state: state.richmenus.menus.get(rich_menu_id), ControlError(404, "unknown rich menu"))
    return menu


@bp.get("/richmenus/<rich_menu_id>/image")
def rich_menu_image(rich_menu_id):
    """A rich menu's uploaded image."""
    image = found(lambda state: state.richmenus.images.get(rich_menu_id), ControlError(404, "no image for this rich menu"))
    content_type, data = image
    return data, 200, {"Content-Type": content_type}
