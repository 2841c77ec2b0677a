"""A local JMA: a real HTTP server on 127.0.0.1 serving Atom feeds (short and long) and telegrams,
with Last-Modified and ETag, answering 304 to a conditional GET, and counting every request."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pytest

from bot.db import utcnow
from bot.jma.telegrams import nfkc

FIXTURES = Path(__file__).parent / "fixtures"
JST = ZoneInfo("Asia/Tokyo")
TIMES = re.compile(r"<(ReportDateTime|DateTime|OriginTime|TargetDateTime)>[^<]*</\1>")


class FeedServer:
    """`publish(fixture)` adds a telegram to both feeds; `requests` counts GETs by path."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        self.entries: list[tuple[str, str, str, datetime]] = []  # (path, title, office, updated)
        self.modified = utcnow().replace(microsecond=0) - timedelta(hours=1)
        self.requests: Counter = Counter()
        self.not_modified: Counter = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests[self.path] += 1
                server.answer(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def etag(self) -> str:
        return f'"v{len(self.entries)}"'

    def feed_env(self) -> dict[str, str]:
        return {"JMA_FEEDS": f"{self.url}/extra.xml,{self.url}/eqvol.xml",
                "JMA_LONG_FEEDS": f"{self.url}/extra_l.xml,{self.url}/eqvol_l.xml"}

    def publish(self, fixture: str, fresh: bool = True, body: bytes | None = None, title: str | None = None) -> str:
        """Serve a fixture (report times moved to now unless `fresh` is False) and list it."""
        text = body if body is not None else (FIXTURES / fixture).read_bytes()
        if fresh and body is None:
            now = datetime.now(JST).replace(microsecond=0).isoformat()
            text = TIMES.sub(lambda m: f"<{m.group(1)}>{now}</{m.group(1)}>", text.decode()).encode()
        path = f"/data/{len(self.entries):04d}_{fixture}"
        self.documents[path] = text
        title = title or nfkc(_between(text, b"<Title>", b"</Title>"))
        office = nfkc(_between(text, b"<PublishingOffice>", b"</PublishingOffice>"))
        self.modified = max(utcnow().replace(microsecond=0), self.modified + timedelta(seconds=1))
        self.entries.append((path, title, office, self.modified))
        return f"{self.url}{path}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        if path in self.documents:
            return self._send(handler, 200, self.documents[path], {})
        if path.lstrip("/") not in ("extra.xml", "eqvol.xml", "extra_l.xml", "eqvol_l.xml"):
            return self._send(handler, 404, b"", {})
        validators = {"ETag": self.etag, "Last-Modified": format_datetime(self.modified, usegmt=True)}
        since = handler.headers.get("If-Modified-Since")
        match = handler.headers.get("If-None-Match")
        if (match and match == self.etag) or (not match and since and parsedate_to_datetime(since) >= self.modified):
            self.not_modified[path] += 1
            return self._send(handler, 304, b"", validators)
        quake = path.startswith("/eqvol")
        entries = [e for e in self.entries if (e[1] == "震源・震度に関する情報") == quake]
        return self._send(handler, 200, atom(self.url, entries), validators)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Type", "application/xml")
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if status != 304:
            try:
                handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its size limit

    def telegram_requests(self) -> Counter:
        return Counter({p: n for p, n in self.requests.items() if p.startswith("/data/")})


def _between(text: bytes, start: bytes, end: bytes) -> str:
    at = text.find(start)
    return text[at + len(start): text.find(end, at)].decode() if at >= 0 else ""


def atom(base: str, entries: list[tuple[str, str, str, datetime]]) -> bytes:
    """A feed as JMA writes it: newest first, entry id = link = the telegram's URL."""
    items = "".join(
        f"<entry><title>{escape(title)}</title><id>{base}{path}</id><updated>{updated:%Y-%m-%dT%H:%M:%SZ}</updated>"
        f"<author><name>{escape(office)}</name></author><link type=\"application/xml\" href=\"{base}{path}\"/>"
        f"<content type=\"text/plain\">{escape(title)}</content></entry>"
        for path, title, office, updated in reversed(entries))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" lang="ja">'
            f"<title>高頻度</title><id>urn:test</id><updated>{utcnow():%Y-%m-%dT%H:%M:%SZ}</updated>{items}</feed>"
            ).encode()


@pytest.fixture
def jma_server():
    server = FeedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def jma_settings(settings, jma_server):
    """The test settings pointed at the local JMA."""
    return settings.with_overrides(
        jma_enabled=True, jma_feeds=(f"{jma_server.url}/extra.xml", f"{jma_server.url}/eqvol.xml"),
        jma_long_feeds=(f"{jma_server.url}/extra_l.xml", f"{jma_server.url}/eqvol_l.xml"),
        public_base_url="https://line.example.city.mine.lg.jp")
