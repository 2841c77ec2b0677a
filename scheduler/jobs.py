"""Scheduler jobs: module-level functions with plain arguments, registered in `register_jobs`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import and_, delete, or_

from bot.config import Settings
from bot.db import Database, utcnow
from bot.line.gateway import LineGateway
from bot.models import AnswerStatus, ConversationState, EventStatus, WebhookEvent
from scheduler import class_jobs, jma_jobs, notice_jobs, recurring_jobs

log = logging.getLogger(__name__)

HANDLED_EVENT_RETENTION = timedelta(days=3)  # longer than LINE would ever redeliver
FAILED_EVENT_RETENTION = timedelta(days=30)  # failed ones stay for staff to look into


@dataclass(frozen=True)
class JobEnvironment:
    """What every job needs; built once by the runner."""

    settings: Settings
    database: Database
    gateway: LineGateway


def forget_old_events(env: JobEnvironment) -> None:
    """Drop handled webhook events older than LINE would ever redeliver (failed ones after a
    month), and timed-out chats. Events whose answer is still on its way are kept."""
    now = utcnow()
    handled = and_(WebhookEvent.status.in_([EventStatus.HANDLED, EventStatus.IGNORED]),
                   WebhookEvent.answer_status.in_([AnswerStatus.NONE, AnswerStatus.SENT]),
                   WebhookEvent.received_at < now - HANDLED_EVENT_RETENTION)
    failed = and_(or_(WebhookEvent.status == EventStatus.FAILED, WebhookEvent.answer_status == AnswerStatus.FAILED),
                  WebhookEvent.received_at < now - FAILED_EVENT_RETENTION)
    with env.database.transaction() as session:
        events = session.execute(delete(WebhookEvent).where(or_(handled, failed)))
        states = session.execute(delete(ConversationState).where(ConversationState.expires_at < now))
    log.info("housekeeping: %d old webhook events, %d timed-out conversations removed", events.rowcount, states.rowcount)


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
    # Recurring notices: their coming occurrences, at once after a start and then every half hour.
    scheduler.add_job(
        recurring_jobs.create_recurring_notices, "interval", minutes=recurring_jobs.POLL_MINUTES,
        id="recurring-notices", args=[env], next_run_time=utcnow(), replace_existing=True,
    )
    jma_jobs.add_jma_job(scheduler, env)  # 気象庁の自動連携: about 20 s past each minute
