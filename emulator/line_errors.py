"""LINE-style error answers and JSON request bodies.

LINE answers errors as `{"message": ..., "details": [{"message", "property"}]}`; endpoints raise
`LineApiError` and the app turns it into that body with the right status.
"""

import json

from flask import jsonify, request

from emulator import openapi


class LineApiError(Exception):
    """An error answer from the emulated LINE API."""

    def __init__(self, status, message, details=None, headers=None, extra=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers or {}
        self.extra = extra or {}

    def to_response(self):
        body = {"message": self.message}
        if self.details:
            body["details"] = self.details
        body.update(self.extra)
        response = jsonify(body)
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def detail(message, prop):
    """One item of an error's `details` list."""
    return {"message": message, "property": prop}


def invalid_body(details):
    """The 400 LINE answers when the request body breaks its rules."""
    return LineApiError(400, f"The request body has {len(details)} error(s)", details)


def not_found(message="Not found"):
    return LineApiError(404, message)


def read_json_object():
    """The request body as a JSON object that matches the operation's schema in LINE's
    OpenAPI file, or the 400 LINE gives (malformed JSON, or every way it breaks the schema).

    The endpoints then apply the documented limits the spec does not state.
    """
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise LineApiError(400, "The request body has 1 error(s)",
                           [detail("Malformed JSON", "body")]) from None
    if not isinstance(body, dict):
        raise invalid_body([detail("Must be a JSON object", "body")])
    problems = openapi.request_problems(request.method, request.path, body)
    if problems:
        raise invalid_body(problems)
    return body
