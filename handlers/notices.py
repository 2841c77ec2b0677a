"""「お知らせ」: residents read the latest notices for their area."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot import notices
from bot.friends import AREAS
from bot.models import Notice
from bot.line.router import Context
from messages import notices as notice_messages

LATEST_COUNT = 10


def latest(ctx: Context) -> list[Message]:
    """Shows the latest notices for the resident's area and the whole city, newest first."""
    area = ctx.friend.area if ctx.friend else None
    found = notices.latest_for_area(ctx.session, area, limit=LATEST_COUNT)
    area_label = AREAS.get(area or "")
    if not found:
        return notice_messages.no_notices(area_label)
    tz = notices.local_zone(ctx.settings)
    return notice_messages.latest_notices([notices.content_of(n) for n in found], area_label, tz)


def show(ctx: Context) -> list[Message]:
    """Opens one notice from the list in full (withdrawn ones with their correction)."""
    raw_id = ctx.postback.args.get("id", "") if ctx.postback else ""
    notice = ctx.session.get(Notice, int(raw_id)) if raw_id.isdigit() and len(raw_id) < 10 else None
    if notice is None or notice.published_at is None:
        return notice_messages.notice_not_found()
    return notice_messages.notice_detail(notices.content_of(notice), notices.local_zone(ctx.settings))
