"""Reading notices: the staff list, what residents and the feeds see, and a notice's content as
plain values for the message builders, the feeds and e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.friends import AREAS
from bot.models import Notice, NoticeKind, NoticeStatus
from bot.notices.errors import NoticeNotFound
from bot.notices.targeting import KINDS
from messages.notices import NoticeContent


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def list_notices(session: Session, statuses: Iterable[NoticeStatus] = (), limit: int = 50,
                 offset: int = 0) -> list[Notice]:
    """Notices for the staff list, the most recently changed first."""
    query = select(Notice).order_by(Notice.updated_at.desc(), Notice.id.desc()).limit(limit).offset(offset)
    statuses = list(statuses)
    if statuses:
        query = query.where(Notice.status.in_(statuses))
    return list(session.scalars(query))


def published_notices(session: Session, area: str | None = None, limit: int = 50) -> list[Notice]:
    """Notices that have gone out (withdrawn ones included), newest first; `area` keeps those for
    that area and the city-wide ones."""
    query = select(Notice).where(Notice.published_at.is_not(None)).order_by(
        Notice.published_at.desc(), Notice.id.desc())
    if area is None:
        return list(session.scalars(query.limit(limit)))
    found: list[Notice] = []
    for notice in session.scalars(query.execution_options(yield_per=100)):
        if not notice.areas or area in notice.areas:
            found.append(notice)
            if len(found) >= limit:
                break
    return found


def latest_for_area(session: Session, area: str | None, limit: int = 10,
                    kinds: Sequence[NoticeKind] = ()) -> list[Notice]:
    """What 「お知らせ」 shows a resident: notices for their area and city-wide ones, newest first.
    Without an area, only city-wide ones; with `kinds`, only notices of those kinds."""
    query = select(Notice).where(Notice.published_at.is_not(None)).order_by(
        Notice.published_at.desc(), Notice.id.desc())
    if kinds:
        query = query.where(Notice.kind.in_(kinds))
    found: list[Notice] = []
    for notice in session.scalars(query.limit(limit * 10)):
        if not notice.areas or (area is not None and area in notice.areas):
            found.append(notice)
            if len(found) >= limit:
                break
    return found


def content_of(notice: Notice) -> NoticeContent:
    """The plain values the message builders, feeds and e-mail show."""
    return NoticeContent(
        id=notice.id,
        kind=notice.kind.value,
        kind_label=KINDS[notice.kind],
        title=notice.title,
        body=notice.body,
        link_url=notice.link_url,
        image_url=notice.image_url,
        area_labels=tuple(AREAS[a] for a in notice.areas if a in AREAS),
        published_at=notice.published_at,
        updated_at=notice.withdrawn_at or notice.published_at or notice.updated_at,
        withdrawn=notice.status is NoticeStatus.WITHDRAWN,
        withdrawal_reason=notice.withdrawal_reason,
    )
