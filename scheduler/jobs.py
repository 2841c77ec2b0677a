"""Scheduler jobs: module-level functions with plain arguments, registered in `register_jobs`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import delete

from bot.config import Settings
from bot.db import Database, utcnow
from bot.line.gateway import LineGateway
from bot.models import ConversationState, ProcessedEvent
from scheduler import class_jobs, damage_jobs, notice_jobs

log = logging.getLogger(__name__)

PROCESSED_EVENT_RETENTION = timedelta(days=7)


@dataclass(frozen=True)
class JobEnvironment:
    """What every job needs; built once by the runner."""

    settings: Settings
    database: Database
    gateway: LineGateway


def forget_old_events(env: JobEnvironment) -> None:
    """Drop webhook event ids older than LINE would ever redeliver, and timed-out chats."""
    now = utcnow()
    with env.database.transaction() as session:
        events = session.execute(delete(ProcessedEvent).where(ProcessedEvent.processed_at < now - PROCESSED_EVENT_RETENTION))
        states = session.execute(delete(ConversationState).where(ConversationState.expires_at < now))
    log.info("housekeeping: %d old event ids, %d timed-out conversations removed", events.rowcount, states.rowcount)


def register_jobs(scheduler: BaseScheduler, env: JobEnvironment) -> None:
    """Every scheduled job, in one place."""
    scheduler.add_job(
        forget_old_events, "interval", hours=1, id="forget-old-events", args=[env], replace_existing=True
    )
    # Notices: due ones are sent within a few seconds, and at once after a restart.
    running = {"keep_going": lambda: scheduler.running}  # long deliveries stop between batches at shutdown
    scheduler.add_job(
        notice_jobs.deliver_notices, "interval", seconds=env.settings.notice_poll_s, id="deliver-notices",
        args=[env], kwargs=running, next_run_time=datetime.now(UTC), replace_existing=True,
    )
    scheduler.add_job(
        notice_jobs.mail_notices, "interval", seconds=env.settings.notice_poll_s, id="mail-notices",
        args=[env], kwargs=running, next_run_time=datetime.now(UTC), replace_existing=True,
    )
    # スマホ教室: due reminders and queued pushes (moved up, changed, cancelled), at once after a restart.
    scheduler.add_job(
        class_jobs.send_class_messages, "interval", seconds=class_jobs.POLL_SECONDS, id="class-messages",
        args=[env], kwargs={"keep_going": lambda: scheduler.running}, next_run_time=utcnow(), replace_existing=True,
    )
    # 被害の報告: photos residents sent are fetched from LINE soon after the report.
    scheduler.add_job(
        damage_jobs.fetch_damage_photos, "interval", seconds=damage_jobs.POLL_SECONDS, id="fetch-damage-photos",
        args=[env], next_run_time=utcnow(), replace_existing=True,
    )
