"""The emulator's Flask app: LINE API blueprints, the control API and the simulator page."""

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from emulator import (
    chat_api, content_api, control_api, control_users, gate, messaging_api, richmenu_api,
    richmenu_links_api, simulator_page,
)
from emulator.control_users import ControlError
from emulator.line_errors import LineApiError
from emulator.state import ChannelState


def create_app(channel_secret, access_token, webhook_url=None):
    """An emulator for one channel, with its own in-memory state."""
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.json.sort_keys = False  # messages come back with their keys in the order sent
    app.json.ensure_ascii = False
    app.extensions["line_emulator"] = ChannelState(channel_secret, access_token, webhook_url)

    app.before_request(gate.before_line_request)
    app.after_request(gate.after_line_request)
    for module in (messaging_api, chat_api, content_api, richmenu_api, richmenu_links_api,
                   control_users, control_api, simulator_page):
        app.register_blueprint(module.bp)

    app.register_error_handler(LineApiError, lambda error: error.to_response())
    app.register_error_handler(ControlError,
                               lambda error: (jsonify({"error": error.error}), error.status))
    app.register_error_handler(HTTPException, http_error)
    return app


def http_error(error):
    """Unknown paths and wrong methods: LINE's JSON body on the API, JSON on the control API."""
    if gate.is_line_api():
        return jsonify({"message": LINE_MESSAGES.get(error.code, error.name)}), error.code
    if request.path.startswith("/_sim/"):
        return jsonify({"error": error.name}), error.code
    return error


LINE_MESSAGES = {404: "Not found", 405: "Method not allowed"}
