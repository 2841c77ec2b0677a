"""Fixtures for notices: friends in bulk (emulator and database), the domain's database and
gateway, a `python -m scheduler` subprocess, and helpers that read the emulator's inboxes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import insert

from bot.db import Database, utcnow
from bot.models import Friend, FriendStatus
from tests.conftest import TEST_ACCESS_TOKEN, TEST_CHANNEL_SECRET

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(app) -> Database:
    return app.extensions["db"]


@pytest.fixture
def gateway(app):
    return app.extensions["gateway"]


def add_friends(database: Database, user_ids: Sequence[str], area: str | None = None,
                interests: Sequence[str] = (), status: FriendStatus = FriendStatus.FOLLOWING) -> None:
    """Friends straight into the database, thousands at a time."""
    now = utcnow()
    rows = [{"line_user_id": uid, "display_name": "", "area": area, "interests": list(interests), "status": status,
             "follow_count": 1, "followed_at": now, "created_at": now, "updated_at": now} for uid in user_ids]
    with database.transaction() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Friend), rows[start:start + 5000])


def bulk_users(sim, count: int, prefix: str = "住民") -> list[str]:
    """Following users in the emulator, created without webhooks."""
    return sim.request("POST", "/_sim/users/bulk", {"count": count, "display_name_prefix": prefix})["user_ids"]


@pytest.fixture
def friends(sim, database) -> Callable[..., list[str]]:
    """`friends(n, area=..., interests=...)`: n users following in the emulator and in the database."""
    def make(count: int, area: str | None = None, interests: Sequence[str] = ()) -> list[str]:
        user_ids = bulk_users(sim, count)
        add_friends(database, user_ids, area, interests)
        return user_ids
    return make


def copies(emulator, user_ids: Sequence[str], marker: str) -> Counter:
    """How many messages containing `marker` (in alt text or text) each user received."""
    counts: Counter = Counter()
    state = emulator.state
    with state.lock:
        for user_id in user_ids:
            for item in state.users[user_id].inbox():
                message = item["message"]
                if marker in (message.get("altText") or message.get("text") or ""):
                    counts[user_id] += 1
    return counts


def assert_exactly_once(emulator, user_ids: Sequence[str], marker: str) -> None:
    counts = copies(emulator, user_ids, marker)
    missing = [u for u in user_ids if counts[u] == 0]
    doubled = {u: c for u, c in counts.items() if c > 1}
    assert not missing and not doubled, f"{len(missing)} friends got nothing, {len(doubled)} got more than one copy"


def wait_for(predicate: Callable[[], object], timeout_s: float = 60.0, every_s: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every_s)
    return False


def scheduler_env(database_url: str, line_api_base: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        APP_ENV="test",
        DATABASE_URL=database_url,
        LINE_API_BASE=line_api_base,
        LINE_CHANNEL_SECRET=TEST_CHANNEL_SECRET,
        LINE_CHANNEL_ACCESS_TOKEN=TEST_ACCESS_TOKEN,
        SECRET_KEY="test",
        SCHEDULER_LEASE_TTL_S="2",
        DELIVERY_CLAIM_TTL_S="3",
        NOTICE_POLL_SECONDS="0.5",
        PYTHONUNBUFFERED="1",
        **extra,
    )


class SchedulerProcesses:
    """`python -m scheduler` subprocesses for one test; all killed at the end."""

    def __init__(self, database_url: str, line_api_base: str, log_dir: Path) -> None:
        self.database_url, self.line_api_base, self.log_dir = database_url, line_api_base, log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, **extra_env: str) -> subprocess.Popen:
        log = (self.log_dir / f"scheduler-{len(self.procs)}.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "scheduler"], cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT,
                                env=scheduler_env(self.database_url, self.line_api_base, **extra_env))
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def log(self, proc: subprocess.Popen) -> str:
        return Path(proc.log_path).read_text()  # type: ignore[attr-defined]

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


@pytest.fixture
def schedulers(clean_database, emulator, tmp_path) -> Iterator[SchedulerProcesses]:
    processes = SchedulerProcesses(clean_database, emulator.url, tmp_path)
    yield processes
    processes.stop_all()


def run_cli(database_url: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """`python -m bot ...` as staff would type it, against the test database."""
    env = scheduler_env(database_url, "http://127.0.0.1:9", **extra_env)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
