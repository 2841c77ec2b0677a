"""Security headers on every response of the web app (console, API, feeds, webhook, pages added
later): installed once in `create_app` as an after-request hook, so no view has to remember them.

The Content-Security-Policy allows scripts from this site only (no inline script, no event
handler attributes: the console's scripts are static files). Styles allow 'unsafe-inline'
because the LINE preview (`bot/console/flex_preview.py`) draws each Flex box with the colours and
sizes the message asks for, as style attributes; scripts, the dangerous part, stay strict.
Images may come from any https address: a notice's image is previewed from where it is hosted.
"""

from __future__ import annotations

from flask import Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HSTS = "max-age=31536000; includeSubDomains"

ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(production: bool):
    """The after-request hook: the headers above (and HSTS in production) on every response."""

    def add(response: Response) -> Response:
        for name, value in ALWAYS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    return add
