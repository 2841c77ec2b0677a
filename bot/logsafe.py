"""Log lines that cannot be forged or leak: failures without the exception's message, and every
record's message with its control characters escaped.

`describe_failure` names an exception without its message, which may quote a resident's words
or a token: the type and where it happened is enough to find the bug.

`install_log_escaping` (called by `bot.configure_logging`, so by the web app, the scheduler and
every command) makes each log record's message one line: CR, LF, the other C0/C1 control
characters and the Unicode line and paragraph separators in the message *and its arguments*
become visible escapes (`\\n`, `\\x1b`, `\\u2028`). It is a log-record factory rather than a
handler's filter so that it covers every logger and every handler, also ones added later (a
test's capture, gunicorn's) and log calls other modules add. Tracebacks (`exc_info`) keep their
lines: they are formatted separately and hold code locations, not input.
"""

from __future__ import annotations

import logging
import re
import traceback

UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def describe_failure(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{f.filename.rsplit('/', 2)[-2:][-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where or '?'}"


def escape_controls(text: str) -> str:
    """`text` on one line: control and line-separator characters as backslash escapes."""
    return UNSAFE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def install_log_escaping() -> None:
    """Escape control characters in every log record made from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "escapes_controls", False):
        return

    def make_record(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's own error to report
            return record
        if UNSAFE.search(message):
            record.msg, record.args = escape_controls(message), None
        return record

    make_record.escapes_controls = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)
