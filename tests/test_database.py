"""The database layer: one SQLite file shared by several processes, aware datetimes."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import friends
from bot.db import Database
from bot.models import Friend


def _writer(url: str, worker: int, rounds: int, errors: multiprocessing.Queue) -> None:
    database = Database(url)
    try:
        for i in range(rounds):
            user = f"U{worker:02d}{i:030d}"
            with database.transaction() as session:  # read, then write: the classic upgrade deadlock
                friends.get_friend(session, user)
                friends.record_follow(session, user, f"住民{worker}-{i}", datetime.now(UTC))
            with database.transaction() as session:
                friend = friends.get_friend(session, user)
                friends.set_area(friend, "mito")
    except Exception as exc:  # noqa: BLE001
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        database.dispose()


def _reader(url: str, rounds: int, errors: multiprocessing.Queue) -> None:
    database = Database(url)
    try:
        for _ in range(rounds):
            with database.read_sessions() as session:
                session.scalar(select(func.count()).select_from(Friend))
    except Exception as exc:  # noqa: BLE001
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        database.dispose()


def test_web_scheduler_and_tools_share_the_database_without_lock_errors(clean_database):
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    workers = [context.Process(target=_writer, args=(clean_database, n, 60, errors)) for n in range(4)]
    workers += [context.Process(target=_reader, args=(clean_database, 300, errors)) for _ in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert all(p.exitcode == 0 for p in workers)
    database = Database(clean_database)
    with database.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Friend).where(Friend.area == "mito")) == 240
    database.dispose()


def test_datetimes_come_back_aware_in_utc(clean_database):
    database = Database(clean_database)
    moment = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    with database.transaction() as session:
        friends.record_follow(session, "U" + "1" * 32, "", moment)
    with database.read_sessions() as session:
        stored = session.scalar(select(Friend.followed_at))
    assert stored == moment and stored.tzinfo is not None
    with pytest.raises(Exception, match="naive"), database.transaction() as session:
        friends.record_follow(session, "U" + "2" * 32, "", datetime(2026, 1, 1))
    database.dispose()
