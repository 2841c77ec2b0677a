"""Notices made the way staff make them, friends in bulk (emulator and database), `python -m
scheduler` subprocesses, and what the emulator's inboxes received: for tests of notices."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import insert

from bot import notices
from bot.db import Database, utcnow
from bot.models import Friend, FriendStatus
from bot.notices import delivery
from tests.support.processes import start_scheduler


def publish(database, settings, title: str, body: str = "本文", **fields) -> int:
    """Create a notice due now and let the scheduler's planning step publish it; its id."""
    with database.transaction() as session:
        draft = notices.NoticeDraft(title=title, body=body, **fields)
        notice_id = notices.create_notice(session, draft, "tanaka", settings, utcnow()).id
    delivery.start_due_notices(database, settings)
    return notice_id


# Notices go out within a second or two, and a killed sender's claim expires in three.
NOTICE_TIMINGS = {"DELIVERY_CLAIM_TTL_S": "3", "NOTICE_POLL_SECONDS": "0.5"}


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


class SchedulerProcesses:
    """`python -m scheduler` subprocesses for one test; all killed at the end."""

    def __init__(self, database_url: str, line_api_base: str, log_dir: Path) -> None:
        self.database_url, self.line_api_base, self.log_dir = database_url, line_api_base, log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, **extra_env: str) -> subprocess.Popen:
        log_path = self.log_dir / f"scheduler-{len(self.procs)}.log"
        proc = start_scheduler(self.database_url, self.line_api_base, log_path, **{**NOTICE_TIMINGS, **extra_env})
        proc.log_path = log_path  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def log(self, proc: subprocess.Popen) -> str:
        return Path(proc.log_path).read_text()  # type: ignore[attr-defined]

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
