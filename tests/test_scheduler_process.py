"""`python -m scheduler` processes: one active at a time, clean stops, takeover after a crash."""

from __future__ import annotations

import signal
import time

import pytest

from bot import lease
from bot.db import Database, utcnow
from tests.support.processes import start_scheduler, wait_for


@pytest.mark.slow
def test_only_one_scheduler_is_active_and_another_takes_over(clean_database, emulator, tmp_path):
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [start_scheduler(clean_database, emulator.url, path) for path in logs]
    database = Database(clean_database)
    try:
        def active() -> list[int]:
            return [i for i, path in enumerate(logs) if "holds the lease and runs" in path.read_text()]

        assert wait_for(lambda: len(active()) >= 1)
        time.sleep(3)  # longer than the lease: the other must still be waiting
        assert len(active()) == 1
        first = active()[0]
        other = 1 - first
        assert "waiting to take over" in logs[other].read_text()
        holder = lease.current_holder(database, "scheduler", utcnow())
        assert holder and holder.split(":")[1] == str(procs[first].pid)

        procs[first].send_signal(signal.SIGKILL)
        procs[first].wait(10)
        assert wait_for(lambda: "holds the lease and runs" in logs[other].read_text())
        assert lease.current_holder(database, "scheduler", utcnow()).split(":")[1] == str(procs[other].pid)

        procs[other].send_signal(signal.SIGTERM)
        assert procs[other].wait(15) == 0
        assert "scheduler stopped" in logs[other].read_text()
        assert lease.current_holder(database, "scheduler", utcnow()) is None  # released on a clean stop
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
        database.dispose()


def test_lease_is_exclusive_until_it_expires(clean_database):
    from datetime import timedelta

    database = Database(clean_database)
    now = utcnow()
    assert lease.try_acquire(database, "x", "a", now, ttl_s=10)
    assert not lease.try_acquire(database, "x", "b", now + timedelta(seconds=5), ttl_s=10)
    assert lease.try_acquire(database, "x", "a", now + timedelta(seconds=5), ttl_s=10)  # renewal
    assert lease.try_acquire(database, "x", "b", now + timedelta(seconds=16), ttl_s=10)  # expired: taken over
    assert lease.current_holder(database, "x", now + timedelta(seconds=17)) == "b"
    database.dispose()
