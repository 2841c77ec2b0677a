"""The public web pages of notices, for residents and the city's website: `/notices` (the recent
ones, by kind) and `/notices/<id>` (one notice: title, text, date, kind, areas; withdrawn ones
marked with the correction). Plain HTML readable on a phone and printable, with no script, linked
from the Atom feed and the JSON API. Absolute links use PUBLIC_BASE_URL, never the Host header.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request
from sqlalchemy import select

from bot import web
from bot.models import Notice, NoticeKind, NoticeStatus
from bot.notices.drafting import local_zone
from bot.notices.reading import content_of
from bot.notices.targeting import KINDS
from messages import catalogue as say
from messages.dates import WEEKDAYS

bp = Blueprint("public_notices", __name__, template_folder="templates")
PER_PAGE = 20
CACHE = "public, max-age=60"


def page_url(notice_id: int) -> str:
    """The notice's public page, as an absolute URL (for the feed, the JSON API and e-mail)."""
    return f"{web.settings().public_base_url}/notices/{notice_id}"


def _kind_filter() -> NoticeKind | None:
    return next((kind for kind in NoticeKind if kind.value == request.args.get("kind", "")), None)


@bp.get("/notices")
def notice_list():
    """The city's recent notices, newest first, all or of one kind, 20 to a page."""
    kind = _kind_filter()
    query = select(Notice).where(Notice.published_at.is_not(None))
    if kind is not None:
        query = query.where(Notice.kind == kind)
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    found = list(web.db_session().scalars(query.order_by(Notice.published_at.desc(), Notice.id.desc())
                                          .offset((number - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    body = render_template(
        "notices/public_list.html", notices=[_shown(n) for n in found[:PER_PAGE]], kind=kind, kinds=KINDS,
        page=number, more=len(found) > PER_PAGE, title=say.FEED_TITLE, base=web.settings().public_base_url,
    )
    return body, 200, {"Cache-Control": CACHE}


@bp.get("/notices/<int:notice_id>")
def notice_page(notice_id: int):
    """One published notice as a web page (a withdrawn one says so, with the correction)."""
    notice = web.db_session().get(Notice, notice_id)
    if notice is None or notice.published_at is None:
        return render_template("notices/public_missing.html", title=say.FEED_TITLE), 404
    body = render_template("notices/public_notice.html", notice=_shown(notice), title=say.FEED_TITLE,
                           base=web.settings().public_base_url)
    return body, 200, {"Cache-Control": CACHE}


def _shown(notice: Notice) -> dict[str, object]:
    """What the pages show of a notice, as plain values."""
    content = content_of(notice)
    return {
        "id": notice.id, "title": notice.title, "body": notice.body, "kind": content.kind,
        "kind_label": content.kind_label, "areas": list(content.area_labels) or [say.NOTICE_ALL_AREAS],
        "published": _when(notice.published_at), "published_iso": _iso(notice.published_at),
        "withdrawn": notice.status is NoticeStatus.WITHDRAWN, "reason": notice.withdrawal_reason,
        "withdrawn_on": _when(notice.withdrawn_at), "link": notice.link_url, "image": notice.image_url,
    }


def _when(moment: datetime | None) -> str:
    """「2026年12月3日（木）09:00」 in Japan time."""
    if moment is None:
        return ""
    local = moment.astimezone(local_zone(web.settings()))
    return f"{local.year}年{local.month}月{local.day}日（{WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(local_zone(web.settings())).isoformat(timespec="minutes") if moment else ""
