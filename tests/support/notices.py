"""Notices made the way staff make them, for tests of what residents, feeds and e-mail get."""

from __future__ import annotations

from bot import notices
from bot.db import utcnow
from bot.notices import delivery


def publish(database, settings, title: str, body: str = "本文", **fields) -> int:
    """Create a notice due now and let the scheduler's planning step publish it; its id."""
    with database.transaction() as session:
        draft = notices.NoticeDraft(title=title, body=body, **fields)
        notice_id = notices.create_notice(session, draft, "tanaka", settings, utcnow()).id
    delivery.start_due_notices(database, settings)
    return notice_id
