"""The website's feed of notices (`/feeds/notices.atom`), and how a published notice is shown
there and in the JSON of `/api/notices` (`bot.notices.api`).

Both list published notices newest first. A withdrawn notice stays, marked 【取消】, with the
correction at the top of its text and its `updated` time moved to the withdrawal, so feed
readers show the change instead of silently losing the entry.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from xml.etree import ElementTree

from flask import Blueprint, Response, request

from bot import web
from bot.db import utcnow
from bot.friends import AREAS
from bot.models import Notice, NoticeStatus
from bot.notices.reading import content_of, published_notices
from bot.notices.targeting import area_code
from messages import catalogue as say

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
CACHE = "public, max-age=60"


def area_filter() -> tuple[str | None, bool]:
    """The `?area=` filter as a code (None: all), and whether it was understood."""
    raw = request.args.get("area", "").strip()
    if not raw:
        return None, True
    code = area_code(raw)
    return code, code is not None


def iso_time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def display_title(notice: Notice) -> str:
    prefix = f"【{say.NOTICE_WITHDRAWN}】" if notice.status is NoticeStatus.WITHDRAWN else ""
    return f"{prefix}【{content_of(notice).kind_label}】{notice.title}"


def display_text(notice: Notice) -> str:
    """The body, with the withdrawal and its correction first when withdrawn."""
    if notice.status is not NoticeStatus.WITHDRAWN:
        return notice.body
    note = say.NOTICE_WITHDRAWN_NOTE
    if notice.withdrawal_reason:
        note += "\n" + say.NOTICE_CORRECTION.format(reason=notice.withdrawal_reason)
    return f"{note}\n\n{notice.body}"


@bp.get("/feeds/notices.atom")
def notices_atom():
    """The city's published notices as an Atom feed, for the website and feed readers."""
    area, known = area_filter()
    if not known:
        return Response("unknown area", status=400, mimetype="text/plain")
    notices = published_notices(web.db_session(), area=area, limit=FEED_SIZE)
    base_url = web.settings().public_base_url
    # Never from the request's Host header: this answer is cached publicly (Cache-Control).
    self_url = f"{base_url}/feeds/notices.atom" + (f"?{urlencode({'area': area})}" if area else "")
    body = atom_document(notices, base_url, self_url)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": CACHE})


def atom_document(notices: list[Notice], base_url: str, self_url: str) -> bytes:
    """RFC 4287 XML; ElementTree escapes every text and attribute."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ja"})
    _text(feed, "id", f"{base_url}/feeds/notices.atom")
    _text(feed, "title", say.FEED_TITLE)
    updated = max((content_of(n).updated_at for n in notices if content_of(n).updated_at), default=None)
    _text(feed, "updated", iso_time(updated or utcnow()))
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", say.NOTICE_ISSUER)
    for notice in notices:
        feed.append(_entry(notice, base_url))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(notice: Notice, base_url: str) -> ElementTree.Element:
    content = content_of(notice)
    entry = ElementTree.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", f"{base_url}/api/notices/{notice.id}")
    _text(entry, "title", display_title(notice))
    _text(entry, "published", iso_time(notice.published_at))
    _text(entry, "updated", iso_time(content.updated_at))
    ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=content.kind, label=content.kind_label)
    for code in notice.areas:
        ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=f"area:{code}", label=AREAS.get(code, code))
    ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                           href=f"{base_url}/notices/{notice.id}")  # its public page (bot.notices.public)
    if notice.link_url:
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=notice.link_url)
    if notice.image_url:
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", href=notice.image_url)
    body = ElementTree.SubElement(entry, f"{{{ATOM}}}content", type="text")
    body.text = display_text(notice)
    return entry


def _text(parent: ElementTree.Element, name: str, value: str | None) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{name}").text = value or ""
