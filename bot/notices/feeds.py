"""The website's view of notices: an Atom feed (`/feeds/notices.atom`) and JSON (`/api/notices`).

Both list published notices newest first. A withdrawn notice stays, marked 【取消】, with the
correction at the top of its text and its `updated` time moved to the withdrawal, so feed
readers show the change instead of silently losing the entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from flask import Blueprint, Response, jsonify, request

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


def _area_filter() -> tuple[str | None, bool]:
    """The `?area=` filter as a code (None: all), and whether it was understood."""
    raw = request.args.get("area", "").strip()
    if not raw:
        return None, True
    code = area_code(raw)
    return code, code is not None


def _iso(moment: datetime | None) -> str | None:
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


def notice_url(notice_id: int) -> str:
    return f"{web.settings().public_base_url}/api/notices/{notice_id}"


def notice_json(notice: Notice) -> dict[str, Any]:
    content = content_of(notice)
    withdrawn = notice.status is NoticeStatus.WITHDRAWN
    return {
        "id": notice.id,
        "url": notice_url(notice.id),
        "kind": content.kind,
        "kind_label": content.kind_label,
        "title": notice.title,
        "display_title": display_title(notice),
        "body": notice.body,
        "link": notice.link_url,
        "image": notice.image_url,
        "areas": list(notice.areas),
        "area_labels": list(content.area_labels) or [say.NOTICE_ALL_AREAS],
        "published_at": _iso(notice.published_at),
        "updated_at": _iso(content.updated_at),
        "status": "withdrawn" if withdrawn else "published",
        "withdrawal": {"at": _iso(notice.withdrawn_at), "reason": notice.withdrawal_reason} if withdrawn else None,
    }


@bp.get("/api/notices")
def notices_json():
    """The city's published notices as JSON, newest first (`?area=mito` for one area)."""
    area, known = _area_filter()
    if not known:
        return jsonify(message="地域は " + "、".join(f"{v}（{k}）" for k, v in AREAS.items()) + " のどれかです。"), 400
    notices = published_notices(web.db_session(), area=area, limit=FEED_SIZE)
    response = jsonify(title=say.FEED_TITLE, updated=_iso(utcnow()), notices=[notice_json(n) for n in notices])
    response.headers["Cache-Control"] = CACHE
    return response


@bp.get("/api/notices/<int:notice_id>")
def notice_detail(notice_id: int):
    """One published notice as JSON."""
    notice = web.db_session().get(Notice, notice_id)
    if notice is None or notice.published_at is None:
        return jsonify(message="このお知らせはありません。"), 404
    return jsonify(notice_json(notice))


@bp.get("/feeds/notices.atom")
def notices_atom():
    """The city's published notices as an Atom feed, for the website and feed readers."""
    area, known = _area_filter()
    if not known:
        return Response("unknown area", status=400, mimetype="text/plain")
    notices = published_notices(web.db_session(), area=area, limit=FEED_SIZE)
    body = atom_document(notices, web.settings().public_base_url, request.url)
    return Response(body, mimetype="application/atom+xml", headers={"Cache-Control": CACHE})


def atom_document(notices: list[Notice], base_url: str, self_url: str) -> bytes:
    """RFC 4287 XML; ElementTree escapes every text and attribute."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ja"})
    _text(feed, "id", f"{base_url}/feeds/notices.atom")
    _text(feed, "title", say.FEED_TITLE)
    updated = max((content_of(n).updated_at for n in notices if content_of(n).updated_at), default=None)
    _text(feed, "updated", _iso(updated or utcnow()))
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
    _text(entry, "published", _iso(notice.published_at))
    _text(entry, "updated", _iso(content.updated_at))
    ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=content.kind, label=content.kind_label)
    for code in notice.areas:
        ElementTree.SubElement(entry, f"{{{ATOM}}}category", term=f"area:{code}", label=AREAS.get(code, code))
    if notice.link_url:
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=notice.link_url)
    if notice.image_url:
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", href=notice.image_url)
    body = ElementTree.SubElement(entry, f"{{{ATOM}}}content", type="text")
    body.text = display_text(notice)
    return entry


def _text(parent: ElementTree.Element, name: str, value: str | None) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{name}").text = value or ""
