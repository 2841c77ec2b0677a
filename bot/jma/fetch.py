"""Reading JMA's Atom feeds and telegrams over HTTP, safely.

Feeds are fetched with a conditional GET (If-None-Match / If-Modified-Since from the last
answer), so an unchanged feed costs a 304. Every download has a timeout and a size limit, and
the XML is parsed with defusedxml: no DTDs, no entity expansion, no external references.
"""

from __future__ import annotations

import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXml
from defusedxml import DefusedXmlException

TIMEOUT_S = 10.0
MAX_BYTES = 8_000_000  # JMA's largest telegrams are about 1 MB; a long feed a few MB
ATOM = "{http://www.w3.org/2005/Atom}"
USER_AGENT = "mine-line-bot (Mine City official LINE account; JMA XML PULL)"


class FetchError(Exception):
    """A feed or telegram could not be read (network, HTTP status, size); its text is for logs."""


class UnsafeXml(FetchError):
    """The document is not XML we parse: malformed, a DTD, entities, or too large."""


@dataclass(frozen=True)
class Entry:
    """One Atom entry: a telegram's URL (its id), its title and issuing office."""

    url: str
    title: str
    office: str
    updated: datetime | None


@dataclass(frozen=True)
class FeedAnswer:
    """A feed's answer: its entries (none when not modified) and the validators to send next time."""

    not_modified: bool
    entries: list[Entry]
    etag: str | None
    last_modified: str | None


def download(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, headers) of a GET; 304 is an answer, not an error. Refuses large bodies."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise UnsafeXml(f"{url}: {declared} bytes is more than the limit of {MAX_BYTES}")
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise UnsafeXml(f"{url}: more than {MAX_BYTES} bytes")
            return response.status, body, dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", dict(exc.headers.items())
        raise FetchError(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: {type(reason).__name__} {reason}".strip()) from None


def parse_xml(body: bytes) -> Element:
    """The document's root, parsed without DTDs or entities (UnsafeXml otherwise)."""
    if len(body) > MAX_BYTES:
        raise UnsafeXml(f"more than {MAX_BYTES} bytes")
    try:
        return SafeXml.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"refused: {type(exc).__name__}") from None
    except SafeXml.ParseError as exc:
        raise UnsafeXml(f"not well-formed XML: {exc}") from None


def fetch_feed(url: str, etag: str | None, last_modified: str | None) -> FeedAnswer:
    """The feed's entries, or not_modified when it has not changed since the validators."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    status, body, answer_headers = download(url, headers)
    if status == 304:
        return FeedAnswer(True, [], etag, last_modified)
    entries = parse_feed(parse_xml(body))
    return FeedAnswer(False, entries, answer_headers.get("ETag"), answer_headers.get("Last-Modified"))


def parse_feed(root: Element) -> list[Entry]:
    """The entries of an Atom feed, oldest first (JMA lists the newest first)."""
    if root.tag != f"{ATOM}feed":
        raise UnsafeXml("not an Atom feed")
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        url = (link.get("href") if link is not None else None) or entry.findtext(f"{ATOM}id") or ""
        if not url.strip():
            continue
        entries.append(Entry(
            url=url.strip(),
            title=unicodedata.normalize("NFKC", (entry.findtext(f"{ATOM}title") or "").strip()),
            office=(entry.findtext(f"{ATOM}author/{ATOM}name") or "").strip(),
            updated=_time(entry.findtext(f"{ATOM}updated")),
        ))
    return sorted(entries, key=lambda e: (e.updated is None, e.updated or datetime.min))


def _time(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def fetch_telegram(url: str) -> Element:
    """One telegram's root element."""
    _status, body, _headers = download(url)
    return parse_xml(body)
