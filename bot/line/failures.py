"""Events whose handling failed and answers that could not be sent, as staff see them (type, time,
error, attempts; never residents' words): the console page 受信の失敗 and `python -m bot events failed`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from bot.db import Database
from bot.models import AnswerStatus, EventStatus, WebhookEvent


@dataclass(frozen=True)
class FailedEvent:
    """One failed event or answer as staff see it (the console can list these too)."""

    webhook_event_id: str
    event_type: str
    received_at: datetime
    status: str
    attempts: int
    error: str | None
    answer_status: str
    answer_attempts: int
    answer_error: str | None


def failed_events(database: Database, limit: int = 200) -> list[FailedEvent]:
    """Failed events and failed answers, newest first."""
    with database.read_sessions() as session:
        rows = session.scalars(
            select(WebhookEvent)
            .where(or_(WebhookEvent.status == EventStatus.FAILED, WebhookEvent.answer_status == AnswerStatus.FAILED))
            .order_by(WebhookEvent.received_at.desc()).limit(limit)
        ).all()
    return [
        FailedEvent(r.webhook_event_id, r.event_type, r.received_at, str(r.status), r.attempts, r.last_error,
                    str(r.answer_status), r.answer_attempts, r.answer_error)
        for r in rows
    ]
