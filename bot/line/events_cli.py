"""`python -m bot events failed [--json]`: events whose handling failed and answers that could not
be sent, for staff (type, time, error, attempts; never residents' words)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import or_, select

from bot.config import Settings
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


def _failed(args: argparse.Namespace) -> int:
    database = Database(Settings.from_env().database_url)
    try:
        found = failed_events(database)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps([asdict(f) | {"received_at": f.received_at.isoformat()} for f in found], ensure_ascii=False))
        return 0
    if not found:
        print("no failed events or answers")
    for f in found:
        what = f"event {f.status} after {f.attempts} attempts: {f.error}" if f.status == EventStatus.FAILED else (
            f"answer {f.answer_status} after {f.answer_attempts} attempts: {f.answer_error}")
        print(f"{f.received_at:%Y-%m-%d %H:%M:%S} {f.event_type:<10} {f.webhook_event_id}  {what}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    events = commands.add_parser("events", help="webhook events").add_subparsers(dest="events_command", required=True)
    failed = events.add_parser("failed", help="failed events and answers that could not be sent")
    failed.add_argument("--json", action="store_true", help="one JSON list")
    failed.set_defaults(run=_failed)
