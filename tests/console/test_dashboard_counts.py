"""The dashboard's friends-over-time figures, counted by local day in the database, equal a direct
count of the follows and blocks (Japan days, friends' current areas), on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.console import usage
from bot.db import Database
from bot.models import Friend, FriendEvent, FriendEventKind, FriendStatus

TOKYO = ZoneInfo("Asia/Tokyo")
AREAS = ["mine", "mito", "shuho", None]


def test_friend_changes_by_day_equal_a_direct_count(clean_database):
    rng = random.Random(7)
    window = usage.Window(date(2026, 4, 1), date(2026, 6, 30), TOKYO)
    database = Database(clean_database)
    expected: Counter[tuple[str, str, str]] = Counter()
    with database.transaction() as session:
        for n in range(300):
            friend = Friend(line_user_id=f"U{n:032x}", display_name=f"住民{n}", area=rng.choice(AREAS),
                            status=FriendStatus.FOLLOWING, followed_at=window.start)
            session.add(friend)
            session.flush()
            for _ in range(rng.randint(1, 3)):
                # around local midnight (15:00 UTC) and the window's edges as well as anywhere
                day = window.first + timedelta(days=rng.randint(-2, 92))
                at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC) + timedelta(
                    seconds=rng.choice([-1, 0, 1, rng.randint(-86_400, 86_400)]))
                kind = rng.choice(list(FriendEventKind))
                session.add(FriendEvent(friend_id=friend.id, kind=kind, at=at))
                local = at.astimezone(TOKYO).date()
                if window.first <= local <= window.last:
                    expected[(local.isoformat(), friend.area or usage.NO_AREA, kind.value)] += 1
    try:
        with database.read_sessions() as session:
            assert usage.fixed_offset(window) == timedelta(hours=9)
            fast = usage.friend_changes(session, window, window.end)
            by_hour = usage.friend_changes_by_hour(session, window)
        assert sum(expected.values()) > 300
        assert fast == dict(expected)
        assert by_hour == dict(expected)
    finally:
        database.dispose()


def test_a_zone_with_summer_time_falls_back_to_hours():
    window = usage.Window(date(2026, 3, 1), date(2026, 4, 30), ZoneInfo("Europe/Berlin"))
    assert usage.fixed_offset(window) is None
    assert usage.fixed_offset(usage.Window(date(2026, 4, 1), date(2026, 4, 30), ZoneInfo("Europe/Berlin"))) \
        == timedelta(hours=2)


def test_faq_questions_by_day_equal_a_direct_count(clean_database):
    from bot.models import FaqAsk

    rng = random.Random(11)
    window = usage.Window(date(2026, 4, 1), date(2026, 4, 30), TOKYO)
    database = Database(clean_database)
    expected: Counter[tuple[str, str]] = Counter()
    with database.transaction() as session:
        for n in range(400):
            day = window.first + timedelta(days=rng.randint(-2, 31))
            at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC) + timedelta(
                seconds=rng.choice([-1, 0, 1, rng.randint(-86_400, 86_400)]))  # around local midnight too
            decision = rng.choice(["answer", "suggest", "none"])
            session.add(FaqAsk(asked_at=at, question=f"質問{n}", normalised=f"質問{n}", decision=decision))
            local = at.astimezone(TOKYO).date()
            if window.first <= local <= window.last:
                expected[(local.isoformat(), decision)] += 1
    try:
        with database.read_sessions() as session:
            fast = usage.faq_by_day(session, window, window.end)
            by_hour = usage.faq_by_hour(session, window)
        assert sum(expected.values()) > 300
        assert fast == dict(expected) == by_hour
    finally:
        database.dispose()
