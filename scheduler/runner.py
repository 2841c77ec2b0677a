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
STOP_POLL_S = 0.1  # how soon a SIGTERM or Ctrl-C is acted on


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
    stopping, finished = threading.Event(), threading.Event()
    signals: list[int] = []
    scheduler: BlockingScheduler | None = None

    def stop(signum: int, _frame: object) -> None:
        # Nothing here that takes a lock: the signal may arrive while this (main) thread holds
        # one, e.g. inside the job executor's submit(), whose lock shutdown() takes as well (a
        # deadlock seen on a loaded machine). The thread below does the stopping.
        signals.append(signum)

    def stop_after_signal() -> None:
        while not signals and not finished.wait(STOP_POLL_S):
            pass
        stopping.set()
        while not finished.is_set():  # the scheduler may not have started yet
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=False)
                return
            finished.wait(STOP_POLL_S)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=stop_after_signal, name="stop-after-signal", daemon=True).start()
    try:
        if not _wait_for_lease(env.database, holder, ttl_s, stopping):
            return 0
        scheduler = BlockingScheduler(
            timezone=ZoneInfo(settings.timezone),
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        )
        return _run_jobs(scheduler, env, holder, ttl_s)
    finally:
        finished.set()


def _run_jobs(scheduler: BlockingScheduler, env: JobEnvironment, holder: str, ttl_s: float) -> int:
    """The jobs, while this process holds the lease; returns when stopped or the lease is lost."""
    log.info("scheduler %s holds the lease and runs the jobs", holder)
    lost = threading.Event()
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
