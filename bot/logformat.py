"""`LOG_FORMAT=json`: one JSON object per line (for journald, Loki, CloudWatch...), with the
request id of the web request (`X-Request-Id`, taken from the proxy or made here, and echoed
back) or the webhook event id on the event worker's lines.

Only what the code passed to the logger is written: the message (which never holds residents'
words or tokens, by the rules of the code and `bot/logsafe.py`) and, for an exception, its type
and where it happened, never its text (which may quote an event).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import traceback
from datetime import UTC, datetime

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-Id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_context: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("log_context", default={})


def bind(**fields: str) -> None:
    """Name what this thread works on (`request_id`, `event_id`) on its next log lines."""
    _context.set({**_context.get(), **fields})


def unbind() -> None:
    _context.set({})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context.get(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _exc, tb = record.exc_info
            line["exception"] = kind.__name__
            line["where"] = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)[-5:]]
        return json.dumps(line, ensure_ascii=False)


def use_format(log_format: str) -> None:
    """Give the root logger's handlers the JSON formatter when LOG_FORMAT=json."""
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())


def install_request_ids(app: Flask) -> None:
    """Every request gets an id: the proxy's `X-Request-Id` if it is sane, else a new one."""

    @app.before_request
    def _take_request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _VALID_REQUEST_ID.match(given) else secrets.token_hex(8)
        bind(request_id=g.request_id)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response

    @app.teardown_request
    def _forget_request_id(_exc: BaseException | None) -> None:
        unbind()
