"""Item 5: every console and public URL answers with the security headers (also URLs added
later: the test walks the app's URL map), no page has inline script, and HSTS is sent in
production only."""

from __future__ import annotations

import re

import pytest

from bot import create_app
from bot.headers import CONTENT_SECURITY_POLICY

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def every_url(app) -> list[tuple[str, str]]:
    """(method, url) for every rule of the app, with 1 for each number and `x` for each word."""
    urls = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<int:[^>]+>", "1", rule.rule)
        path = re.sub(r"<(?:path:|string:)?[^>]+>", "x", path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return sorted(set(urls))


def assert_secured(response, where: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, where
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe-inline' " not in \
        headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where


def test_every_url_logged_in_or_not_has_the_headers_and_no_inline_script(app, client, login_as):
    urls = every_url(app)
    assert len(urls) > 40  # the console's areas, the API, the feed, e-mail, the webhook
    anonymous = app.test_client()
    login_as("admin")
    pages = 0
    for method, url in urls:
        for who, browser in (("admin", client), ("anonymous", anonymous)):
            response = browser.open(url, method=method)
            assert_secured(response, f"{who} {method} {url} -> {response.status_code}")
            assert "Strict-Transport-Security" not in response.headers  # not in development
            if response.mimetype == "text/html":
                html = response.get_data(as_text=True)
                pages += 1
                assert not INLINE_SCRIPT.search(html), f"{method} {url}: inline <script>"
                assert not EVENT_HANDLER.search(html), f"{method} {url}: an on...= handler"
                assert not JAVASCRIPT_URL.search(html), f"{method} {url}: a javascript: URL"
    assert pages > 20
    assert_secured(client.get("/no/such/page"), "404")
    assert_secured(client.get("/console/static/console.js"), "static")


def test_production_adds_hsts(settings):
    production = create_app({"settings": settings.with_overrides(env="production")})
    try:
        response = production.test_client().get("/healthz")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert_secured(response, "production /healthz")
    finally:
        production.extensions["gateway"].close()
        production.extensions["db"].dispose()


@pytest.mark.parametrize("path", ["/console/static/console.js", "/console/static/notices.js",
                                  "/console/static/faq.js"])
def test_the_scripts_are_static_files(client, path):
    response = client.get(path)
    assert response.status_code == 200 and "javascript" in response.mimetype
