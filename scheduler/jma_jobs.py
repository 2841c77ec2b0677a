"""Scheduler job for automatic JMA alerts (registered in `scheduler.jobs`): one pass over the
feeds about 20 s past each minute (JMA_POLL_SECONDS; JMA updates its feeds every minute)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler

from bot.jma.poll import poll

log = logging.getLogger(__name__)


def poll_jma(env) -> None:
    """Read JMA's feeds; the notices made are sent by the delivery job."""
    result = poll(env.database, env.settings, env.gateway)
    if result.notices:
        log.info("JMA: %d telegrams fetched, notices %s", result.telegrams_fetched, result.notices)


def add_jma_job(scheduler: BaseScheduler, env) -> None:
    """Every minute at :20 (or every JMA_POLL_SECONDS when that is not whole minutes), when enabled."""
    settings = env.settings
    if not settings.jma_enabled or not settings.jma_feeds:
        return
    seconds = settings.jma_poll_s
    if seconds % 60 == 0:
        trigger = {"trigger": "cron", "minute": f"*/{int(seconds // 60)}", "second": 20}
    else:
        trigger = {"trigger": "interval", "seconds": seconds, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(poll_jma, id="jma-poll", args=[env], replace_existing=True, **trigger)
