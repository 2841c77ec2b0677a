"""Dashboard benchmark: a year of usage for 20,000 friends, bulk-inserted, then the console home
(`/console?period=...`) timed through the Flask test client, and each of its queries on its own.

    .venv/bin/python bench/dashboard_bench.py [--friends 20000] [--requests 30] [--database-url URL] [--json]

Without --database-url a new SQLite file is used (migrated to head). The data: 20,000 friends
(follows spread over a year, 8% blocked later), FAQ questions (120 a day, answered / suggested /
unanswered, with feedback), 3 notices a week with their deliveries (batches of 500) and e-mails,
4 classes a month with bookings and a waitlist. LINE's quota is asked of an unreachable address,
so the page shows what the database recorded (the quota call is not what is measured).
Reports p50/p99 of the whole request for each period, and the median of each query.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bot.db import Database  # noqa: E402
from bot.models import (  # noqa: E402
    BatchStatus, BookingSource, BookingStatus, ClassBooking, ClassStatus, Delivery, DeliveryBatch, DeliveryMode,
    DeliveryStatus, FaqAsk, FaqFeedback, Friend, FriendEvent, FriendEventKind, FriendStatus, MailSend,
    MailSendStatus, MailSubscriber, Notice, NoticeKind, NoticeStatus, SmartphoneClass,
)

AREAS = ["mine", "mito", "shuho", None]
CHUNK = 5000


def _chunks(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start:start + CHUNK])


def fill_usage(database: Database, friends: int = 20_000, days: int = 365, asks_per_day: int = 120,
               now: datetime | None = None, seed: int = 15) -> None:
    """A `days`-long history of the account for `friends` friends, in bulk inserts."""
    rng, now = random.Random(seed), now or datetime.now(UTC)
    start = now - timedelta(days=days)
    with database.transaction() as session:
        _friends(session, rng, friends, start, now)
        _faq(session, rng, days * asks_per_day, start, now)
        _notices(session, rng, days, start, now)
        _classes(session, rng, days, start, now)


def _moment(rng: random.Random, start: datetime, now: datetime) -> datetime:
    return start + (now - start) * rng.random()


def _friends(session, rng, count: int, start: datetime, now: datetime) -> None:
    rows = []
    for n in range(count):
        followed = _moment(rng, start, now)
        blocked = followed + (now - followed) * rng.random() if rng.random() < 0.08 else None
        rows.append({"line_user_id": f"U{n:032x}", "display_name": f"住民{n}", "area": rng.choice(AREAS),
                     "interests": [], "status": FriendStatus.BLOCKED if blocked else FriendStatus.FOLLOWING,
                     "follow_count": 1, "followed_at": followed, "blocked_at": blocked, "created_at": followed,
                     "updated_at": blocked or followed})
    _chunks(session, Friend, rows)
    events = []
    for friend_id, followed, blocked in session.execute(select(Friend.id, Friend.followed_at, Friend.blocked_at)):
        events.append({"friend_id": friend_id, "kind": FriendEventKind.FOLLOW, "at": followed})
        if blocked:
            events.append({"friend_id": friend_id, "kind": FriendEventKind.UNFOLLOW, "at": blocked})
    _chunks(session, FriendEvent, events)


def _faq(session, rng, count: int, start: datetime, now: datetime) -> None:
    questions = [f"質問{n}について教えて" for n in range(400)]
    rows = []
    for _ in range(count):
        question, decision = rng.choice(questions), rng.choices(["answer", "suggest", "none"], [6, 3, 1])[0]
        rows.append({"asked_at": _moment(rng, start, now), "question": question, "normalised": question,
                     "decision": decision, "entry_id": None if decision == "none" else "FAQ-0001",
                     "suggested_ids": [], "no_match": False, "reported": False, "needs_review": decision == "none"})
    _chunks(session, FaqAsk, rows)
    feedback = [{"ask_id": ask_id, "entry_id": "FAQ-0001", "resolved": rng.random() < 0.8, "at": at}
                for ask_id, at in session.execute(select(FaqAsk.id, FaqAsk.asked_at).where(FaqAsk.decision == "answer"))
                if rng.random() < 0.3]
    _chunks(session, FaqFeedback, feedback)


def _notices(session, rng, days: int, start: datetime, now: datetime) -> None:
    subscribers = [{"email": f"resident{n}@example.jp", "areas": [a] if a else [], "unsubscribe_token": uuid.uuid4().hex,
                    "created_at": start} for n, a in ((n, rng.choice(AREAS)) for n in range(800))]
    _chunks(session, MailSubscriber, subscribers)
    subscriber_ids = list(session.scalars(select(MailSubscriber.id)))
    for week in range(days // 7):
        for slot in range(3):
            at = start + timedelta(days=7 * week + 2 * slot, hours=1)
            notice = Notice(kind=rng.choice(list(NoticeKind)), title=f"お知らせ 第{week}週 {slot}", body="本文", areas=[],
                            interests=[], send_at=at, due_at=at, status=NoticeStatus.SENT, created_by="bench",
                            created_at=at, updated_at=at, published_at=at, finished_at=at, mail_planned_at=at)
            session.add(notice)
            session.flush()
            delivery = Delivery(notice_id=notice.id, mode=DeliveryMode.MULTICAST, status=DeliveryStatus.DONE,
                                messages=[], targets=18_000, planned_at=at, finished_at=at)
            session.add(delivery)
            session.flush()
            _chunks(session, DeliveryBatch, [
                {"delivery_id": delivery.id, "seq": seq, "user_ids": [], "recipients": 500,
                 "retry_key": str(uuid.uuid4()), "status": BatchStatus.SENT, "attempts": 1, "sent_at": at}
                for seq in range(36)])
            _chunks(session, MailSend, [
                {"notice_id": notice.id, "subscriber_id": sid, "attempts": 1,
                 "status": MailSendStatus.SENT if rng.random() < 0.97 else MailSendStatus.FAILED} for sid in subscriber_ids])


def _classes(session, rng, days: int, start: datetime, now: datetime) -> None:
    for n in range(days // 7 + 12):
        at = start + timedelta(days=7 * n, hours=1)
        course = SmartphoneClass(title=f"スマホ教室 {n}", level="beginner", venue_name="見本会場", starts_at=at,
                                 ends_at=at + timedelta(hours=1), capacity=20, status=ClassStatus.SCHEDULED,
                                 created_by="bench", sample=True)
        session.add(course)
        session.flush()
        people = rng.randint(5, 26)
        _chunks(session, ClassBooking, [
            {"class_id": course.id, "source": BookingSource.PHONE, "contact_key": f"tel:{n}{p}",
             "participant_name": f"参加者{p}", "participant_key": f"参加者{p}", "phone": None,
             "status": BookingStatus.CONFIRMED if p < 20 else BookingStatus.WAITLISTED, "created_at": at,
             "created_by": "bench"} for p in range(people)])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def time_queries(database: Database, repeats: int = 5) -> dict[str, float]:
    """The median milliseconds of each dashboard query, for the 'this fiscal year' period."""
    from bot.console import home, usage

    now = datetime.now(UTC)
    tz = __import__("zoneinfo").ZoneInfo("Asia/Tokyo")
    window = home.period_of("fy", now, tz).window
    queries = {
        "friend_changes": lambda s: usage.friend_changes(s, window, now),
        "following_by_area": usage.following_by_area,
        "messages_this_month": lambda s: usage.sent_this_month(s, now, tz),
        "faq_by_day": lambda s: usage.faq_by_day(s, window, now),
        "faq_feedback": lambda s: usage.faq_feedback(s, window),
        "top_unanswered": lambda s: usage.top_unanswered(s, window),
        "notices_sent": lambda s: usage.notices_sent(s, window),
        "mail_subscribers": usage.mail_subscribers,
        "class_fill": lambda s: usage.class_fill(s, window, now),
    }
    timings = {}
    for name, query in queries.items():
        runs = []
        for _ in range(repeats):
            with database.read_sessions() as session:
                began = time.perf_counter()
                query(session)
                runs.append((time.perf_counter() - began) * 1000)
        timings[name] = round(statistics.median(runs), 2)
    return timings


def time_page(database_url: str, requests: int) -> dict[str, dict[str, float]]:
    """p50/p99 milliseconds of GET /console?period=... through the Flask test client, logged in."""
    from bot import create_app
    from bot.config import Settings
    from bot.models import StaffRole
    from bot.staff import accounts

    settings = Settings.from_env({"APP_ENV": "test", "DATABASE_URL": database_url, "SECRET_KEY": "bench",
                                  "LINE_CHANNEL_SECRET": "bench", "LINE_CHANNEL_ACCESS_TOKEN": "bench"})
    settings = settings.with_overrides(line_api_base="http://127.0.0.1:9", line_timeout_s=1.0, line_max_attempts=1)
    app = create_app({"settings": settings})
    database = app.extensions["db"]
    password = "Kasumi-tanpopo-7391"
    with database.transaction() as session:
        if accounts.find(session, "bench") is None:
            accounts.create(session, "bench", "ベンチ", StaffRole.VIEWER, password)
    client = app.test_client()
    login = client.get("/console/login").get_data(as_text=True)
    token = login.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/console/login", data={"login_name": "bench", "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    results = {}
    for period in ("7d", "30d", "fy"):
        runs = []
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(f"/console?period={period}")
            runs.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        results[period] = {"p50_ms": round(_percentile(runs, 0.5), 1), "p99_ms": round(_percentile(runs, 0.99), 1)}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--friends", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from bot import migrate

    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'dashboard-bench.sqlite3'}"
    migrate.upgrade(url)
    database = Database(url)
    began = time.perf_counter()
    fill_usage(database, friends=args.friends)
    filled_s = time.perf_counter() - began
    report = {"friends": args.friends, "fill_s": round(filled_s, 1), "queries_ms": time_queries(database),
              "page": time_page(url, args.requests)}
    database.dispose()
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
