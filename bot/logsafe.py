"""Log lines about failures without the exception's message, which may quote a resident's words
or a token: the type and where it happened is enough to find the bug."""

from __future__ import annotations

import traceback


def describe_failure(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{f.filename.rsplit('/', 2)[-2:][-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where or '?'}"
