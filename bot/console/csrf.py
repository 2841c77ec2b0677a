"""Cross-site request forgery protection for every state-changing console request.

Each browser session has one random token. Forms carry it in a hidden field
(`{{ csrf_field() }}` in a template), scripts in an `X-CSRF-Token` header (`consoleFetch()` in
console.js reads it from `<meta name="csrf-token">`). `check_request()` runs before every
POST/PUT/PATCH/DELETE under /console; the webhook and the bearer-token API are outside /console.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from markupsafe import Markup, escape

FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SESSION_KEY = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """This session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_field() -> Markup:
    """The hidden form field to put inside every `<form method="post">`."""
    return Markup(f'<input type="hidden" name="{FIELD_NAME}" value="{escape(csrf_token())}">')


def request_is_valid() -> bool:
    """Whether this request carries the session's token (form field or header)."""
    expected = session.get(SESSION_KEY)
    presented = request.headers.get(HEADER_NAME) or request.form.get(FIELD_NAME, "")
    return bool(expected) and hmac.compare_digest(str(expected).encode(), presented.encode())


def needs_check() -> bool:
    return request.method in UNSAFE_METHODS
