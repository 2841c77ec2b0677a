"""Delivery benchmark: a notice to a 100,000-friend segment, sent by a real `python -m scheduler`
to the LINE emulator, against a bare loop of 200 SDK multicast calls of 500 to the same emulator.

    .venv/bin/python bench/delivery_bench.py [--friends 100000] [--database-url URL] [--json]

Without --database-url (or BENCH_DATABASE_URL) the database is a new SQLite file; with a
PostgreSQL server URL, a new schema on it, dropped at the end.

Everything talks over HTTP to one `python -m emulator` process (LINE's default rate limits on).
Reports:
- the bare loop: 200 `MessagingApi.multicast` calls of 500 recipients, one after another,
  waiting out 429s (run before and after the delivery; the mean is the reference);
- the delivery: from planning (recipients resolved, batches and retry keys written) to the last
  batch recorded, as the scheduler stored it, in recipients per second, and its ratio to the
  bare loop's mean and to its faster run (target >= 0.8);
- the scheduler process's peak resident memory (VmHWM) when idle and after the delivery;
- a check that every friend of the segment received exactly one copy and nobody else any.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linebot.v3.messaging import (  # noqa: E402
    ApiClient, ApiException, Configuration, Message, MessagingApi, MulticastRequest,
)
from sqlalchemy import func, insert, select, text  # noqa: E402

from bot import migrate  # noqa: E402
from bot import notices  # noqa: E402
from bot.config import Settings, normalise_database_url  # noqa: E402
from bot.db import Database, make_engine, utcnow  # noqa: E402
from bot.models import Delivery, DeliveryBatch, Friend, FriendStatus, Notice, NoticeStatus  # noqa: E402

SECRET = "bench-channel-secret-0123456789"
TOKEN = "bench-access-token-0123456789"
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def control(base: str, method: str, path: str, payload: object = None) -> object:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def start_emulator(port: int) -> subprocess.Popen:
    env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, EMULATOR_PORT=str(port))
    proc = subprocess.Popen([sys.executable, "-m", "emulator"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            control(base, "GET", "/_sim/config")
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the emulator did not start")


def add_friends(database: Database, user_ids: list[str], area: str) -> None:
    now = utcnow()
    rows = [{"line_user_id": u, "display_name": "", "area": area, "interests": [], "status": FriendStatus.FOLLOWING,
             "follow_count": 1, "followed_at": now, "created_at": now, "updated_at": now} for u in user_ids]
    with database.transaction() as session:
        for start in range(0, len(rows), 10_000):
            session.execute(insert(Friend), rows[start:start + 10_000])


def bare_loop(base: str, user_ids: list[str], messages: list[Message]) -> tuple[float, int]:
    """200 plain SDK multicast calls of 500; returns seconds and how many 429s were waited out."""
    api = MessagingApi(ApiClient(Configuration(host=base, access_token=TOKEN)))
    waited = 0
    started = time.perf_counter()
    for start in range(0, len(user_ids), 500):
        while True:
            try:
                api.multicast(MulticastRequest(to=user_ids[start:start + 500], messages=messages))
                break
            except ApiException as exc:
                if exc.status != 429:
                    raise
                waited += 1
                time.sleep(0.01)
    return time.perf_counter() - started, waited


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def scheduler_env(database_url: str, base: str) -> dict[str, str]:
    return dict(os.environ, APP_ENV="test", DATABASE_URL=database_url, LINE_API_BASE=base,
                LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, SECRET_KEY="bench",
                NOTICE_POLL_SECONDS="0.2", SCHEDULER_LEASE_TTL_S="5")


def wait_until(predicate, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        time.sleep(0.1)


@contextmanager
def fresh_database(server_url: str | None, workdir: Path) -> Iterator[str]:
    """A new SQLite file, or a new schema on the PostgreSQL server at `server_url` (dropped after)."""
    if not server_url:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    server_url = normalise_database_url(server_url)
    schema = f"bench_{os.getpid()}"
    admin = make_engine(server_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{server_url}{'&' if '?' in server_url else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(friends: int, server_url: str | None) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    with fresh_database(server_url, workdir) as database_url:
        return run_on(friends, database_url, workdir)


def run_on(friends: int, database_url: str, workdir: Path) -> dict:
    migrate.upgrade(database_url)
    database = Database(database_url)
    settings = Settings.from_env({"APP_ENV": "test", "DATABASE_URL": database_url})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    emulator = start_emulator(port)
    scheduler = None
    try:
        segment = control(base, "POST", "/_sim/users/bulk", {"count": friends})["user_ids"]
        others = control(base, "POST", "/_sim/users/bulk", {"count": friends // 10})["user_ids"]
        add_friends(database, segment, "mito")
        add_friends(database, others, "mine")
        sample = notices.NoticeContent(0, "evacuation", "避難情報", "ベンチマーク", "本文です。" * 20)
        from messages.notices import notice_messages
        messages = notice_messages(sample, notices.local_zone(settings))

        bare_loop(base, segment[: len(segment) // 4], messages)  # warm-up: the emulator's heap settles
        before_s, before_429 = bare_loop(base, segment, messages)

        scheduler = subprocess.Popen([sys.executable, "-m", "scheduler"], cwd=ROOT,
                                     env=scheduler_env(database_url, base),
                                     stdout=(workdir / "scheduler.log").open("w"), stderr=subprocess.STDOUT)
        wait_until(lambda: "holds the lease" in (workdir / "scheduler.log").read_text()
                   or "is active" in (workdir / "scheduler.log").read_text(), 60)
        time.sleep(1.0)
        idle_rss = peak_rss_mib(scheduler.pid)
        with database.transaction() as session:
            draft = notices.NoticeDraft(title="ベンチマーク配信", body="本文です。" * 20, kind="evacuation",
                                        areas=["mito"])
            notice_id = notices.create_notice(session, draft, "bench", settings, utcnow()).id
        created = time.perf_counter()

        def done() -> bool:  # a light query: the benchmark must not slow the scheduler down
            with database.sessions() as session:
                return session.scalar(select(Notice.status).where(Notice.id == notice_id)) in (
                    NoticeStatus.SENT, NoticeStatus.HELD)
        wait_until(done, 600)
        wall_s = time.perf_counter() - created
        peak_rss = peak_rss_mib(scheduler.pid)
        with database.sessions() as session:
            delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id))
            last_batch = session.scalar(select(DeliveryBatch.sent_at).where(DeliveryBatch.delivery_id == delivery.id)
                                        .order_by(DeliveryBatch.sent_at.desc()).limit(1))
            batches = session.scalars(select(DeliveryBatch.attempts).where(
                DeliveryBatch.delivery_id == delivery.id)).all()
            first_call = session.scalar(select(func.min(DeliveryBatch.first_attempt_at)).where(
                DeliveryBatch.delivery_id == delivery.id))
            state = notices.progress(session, notice_id)
        delivery_s = (last_batch - delivery.planned_at).total_seconds()

        after_s, after_429 = bare_loop(base, segment, messages)
        bare_s = (before_s + after_s) / 2
        inboxes = exactly_once(base, segment, others)
        return {
            "friends_in_segment": friends,
            "recipients_sent": state.sent,
            "status": state.public_status,
            "batches": len(batches),
            "attempts": sum(batches),
            "bare_loop_s": [round(before_s, 3), round(after_s, 3)],
            "bare_loop_429s": before_429 + after_429,
            "bare_loop_recipients_per_s": round(friends / bare_s),
            "delivery_s": round(delivery_s, 3),
            "of_which_planning_s": round((first_call - delivery.planned_at).total_seconds(), 3),
            "delivery_recipients_per_s": round(state.sent / delivery_s),
            "ratio_to_bare_loop": round(bare_s / delivery_s, 2),
            "ratio_to_fastest_bare_loop": round(min(before_s, after_s) / delivery_s, 2),
            "wall_s_from_creation": round(wall_s, 3),
            "scheduler_peak_rss_mib_idle": round(idle_rss, 1),
            "scheduler_peak_rss_mib_after": round(peak_rss, 1),
            "exactly_once_check": inboxes,
            "database": database.engine.dialect.name,
            "delivery_concurrency": settings.delivery_concurrency,
        }
    finally:
        if scheduler is not None and scheduler.poll() is None:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(30)
        emulator.send_signal(signal.SIGTERM)
        emulator.wait(30)
        database.dispose()


def exactly_once(base: str, segment: list[str], others: list[str], sample: int = 2000) -> str:
    """Inboxes of a sample of the segment (each: one copy from the scheduler, two or three from
    the bare loops) and of the others (none from anyone)."""
    step = max(len(segment) // sample, 1)
    for user_id in segment[::step]:
        inbox = control(base, "GET", f"/_sim/users/{user_id}/inbox")
        copies = sum("ベンチマーク配信" in (m["message"].get("altText") or "") for m in inbox)
        if copies != 1 or len(inbox) not in (3, 4):  # 2 bare loops, maybe the warm-up, 1 delivery
            return f"FAILED for {user_id}: {copies} copies, {len(inbox)} messages"
    for user_id in others[:: max(len(others) // 200, 1)]:
        if control(base, "GET", f"/_sim/users/{user_id}/inbox"):
            return f"FAILED: {user_id} outside the segment received something"
    return f"ok ({len(segment[::step])} of the segment sampled)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.friends, args.database_url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "delivery.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")
    return 0 if result["exactly_once_check"].startswith("ok") and result["status"] == "sent" else 1


if __name__ == "__main__":
    sys.exit(main())
