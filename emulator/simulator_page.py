"""The browser page where a person chats with the bot as a citizen would."""

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("simulator_page", __name__)

PAGE = "simulator.html"


@bp.get("/")
def page():
    """The simulator page, or a note that it has not been built."""
    static = Path(current_app.static_folder)
    if not (static / PAGE).is_file():
        return ("The LINE emulator is running, but the simulator page "
                "(emulator/static/simulator.html) is not built.\n",
                200, {"Content-Type": "text/plain; charset=utf-8"})
    return send_from_directory(static, PAGE)
