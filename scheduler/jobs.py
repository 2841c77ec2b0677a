"""Scheduler jobs: module-level functions with plain arguments, registered in `register_jobs`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from bot import retention
from bot.config import Settings
from bot.db import Database, utcnow
from bot.line.gateway import LineGateway
from scheduler import class_jobs, damage_jobs, jma_jobs, notice_jobs, recurring_jobs

log = logging.getLogger(__name__)

RETENTION_EVERY = timedelta(hours=24)
RETENTION_FIRST_AFTER = timedelta(minutes=2)  # then daily; again after each restart


@dataclass(frozen=True)
class JobEnvironment:
    """What every job needs; built once by the runner."""

    settings: Settings
    database: Database
    gateway: LineGateway


def enforce_retention(env: JobEnvironment) -> None:
    """Delete or anonymise residents' data past its retention period (docs/PRIVACY.md); this
    also forgets handled webhook events and timed-out chats."""
    retention.run(env.database, env.settings)


def register_jobs(scheduler: BaseScheduler, env: JobEnvironment) -> None:
    """Every scheduled job, in one place."""
    scheduler.add_job(
        enforce_retention, "interval", seconds=RETENTION_EVERY.total_seconds(), id="retention", args=[env],
        next_run_time=utcnow() + RETENTION_FIRST_AFTER, replace_existing=True,
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
    # Recurring notices: their coming occurrences, at once after a start and then every half hour.
    scheduler.add_job(
        recurring_jobs.create_recurring_notices, "interval", minutes=recurring_jobs.POLL_MINUTES,
        id="recurring-notices", args=[env], next_run_time=utcnow(), replace_existing=True,
    )
    jma_jobs.add_jma_job(scheduler, env)  # 気象庁の自動連携: about 20 s past each minute
    # 被害の報告: photos residents sent are fetched from LINE soon after the report.
    scheduler.add_job(
        damage_jobs.fetch_damage_photos, "interval", seconds=damage_jobs.POLL_SECONDS, id="fetch-damage-photos",
        args=[env], next_run_time=utcnow(), replace_existing=True,
    )
