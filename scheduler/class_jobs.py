"""Scheduler job for スマホ教室: queue the day-before reminders whose time has come, then send
every queued class message (reminders, moved up from the waitlist, changes, cancellations).

Registered in `scheduler.jobs`; it runs every few seconds and at once after a restart, so a
reminder whose time passed while the scheduler was down still goes out (once)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.classes import notify
from bot.classes.schedule import local_zone

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0


def send_class_messages(env, keep_going: Callable[[], bool] = lambda: True) -> None:
    """Queue due reminders, then push every pending class message with its retry key."""
    notify.queue_reminders(env.database, local_zone(env.settings.timezone))
    summary = notify.send_pending(env.database, env.gateway, keep_going=keep_going)
    if summary.sent or summary.failed:
        log.info("class messages: %d sent, %d refused by LINE, %d skipped", summary.sent, summary.failed,
                 summary.skipped)
