"""Runs the jobs while holding the scheduler lease; a second process waits to take over."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler

from bot import configure_logging, lease
from bot.config import ConfigError, Settings
from bot.db import Database, utcnow
from bot.line.gateway import LineGateway
from scheduler.jobs import JobEnvironment, register_jobs

log = logging.getLogger("scheduler")
LEASE_NAME = "scheduler"
EXIT_LEASE_LOST = 3


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    ttl_s = settings.scheduler_lease_ttl_s
    env = JobEnvironment(settings, Database(settings.database_url), LineGateway(settings))
    holder = lease.process_identity()
    stopping = threading.Event()
    scheduler: BlockingScheduler | None = None

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if not _wait_for_lease(env.database, holder, ttl_s, stopping):
        return 0
    log.info("scheduler %s holds the lease and runs the jobs", holder)
    lost = threading.Event()
    scheduler = BlockingScheduler(
        timezone=ZoneInfo(settings.timezone),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    register_jobs(scheduler, env)
    scheduler.add_job(
        _renew_lease, "interval", seconds=max(ttl_s / 3, 0.5), id="renew-lease",
        args=[env.database, holder, ttl_s, scheduler, lost], replace_existing=True,
    )
    try:
        scheduler.start()
    finally:
        if not lost.is_set():
            lease.release(env.database, LEASE_NAME, holder)
        env.gateway.close()
        env.database.dispose()
    if lost.is_set():
        log.error("scheduler lease lost; exiting so that only one scheduler runs")
        return EXIT_LEASE_LOST
    log.info("scheduler stopped")
    return 0


def _wait_for_lease(database: Database, holder: str, ttl_s: float, stopping: threading.Event) -> bool:
    announced = False
    while not stopping.is_set():
        if lease.try_acquire(database, LEASE_NAME, holder, utcnow(), ttl_s):
            return True
        if not announced:
            log.info("another scheduler holds the lease; waiting to take over")
            announced = True
        stopping.wait(min(ttl_s / 3, 5.0))
    return False


def _renew_lease(database: Database, holder: str, ttl_s: float, scheduler: BlockingScheduler, lost: threading.Event) -> None:
    if not lease.try_acquire(database, LEASE_NAME, holder, utcnow(), ttl_s):
        lost.set()
        scheduler.shutdown(wait=False)
