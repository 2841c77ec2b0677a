"""The bot's own info, profiles of friends, and the loading animation."""

from flask import Blueprint

from emulator.line_errors import detail, invalid_body, not_found, read_json_object
from emulator.state import current_state

bp = Blueprint("chat_api", __name__, url_prefix="/v2/bot")


@bp.get("/info")
def bot_info():
    """The account's identity; `userId` is the `destination` of every webhook."""
    return {"userId": current_state().bot_user_id, "basicId": "@emulator",
            "displayName": "LINE emulator", "chatMode": "bot", "markAsReadMode": "auto"}


@bp.get("/profile/<user_id>")
def profile(user_id):
    """A friend's display name; 404 for anyone who does not follow the account."""
    state = current_state()
    with state.lock:
        user = state.follower(user_id)
        if user is None:
            raise not_found()
        return {"displayName": user.display_name, "userId": user.user_id, "language": "ja"}


@bp.post("/chat/loading/start")
def start_loading():
    """Show the loading animation in a user's chat (5 to 60 seconds, in steps of 5)."""
    body = read_json_object()
    problems = []
    if not isinstance(body.get("chatId"), str) or not body["chatId"]:
        problems.append(detail("Must be specified", "chatId"))
    seconds = body.get("loadingSeconds", 20)
    if (not isinstance(seconds, int) or isinstance(seconds, bool)
            or not 5 <= seconds <= 60 or seconds % 5):
        problems.append(detail("Must be a multiple of 5 between 5 and 60", "loadingSeconds"))
    if problems:
        raise invalid_body(problems)
    return {}, 202
