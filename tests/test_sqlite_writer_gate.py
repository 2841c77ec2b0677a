"""The SQLite writer gate (bot/db.py): one writing transaction per process at a time, urgent
writes (the webhook's insert) alternating with the others, and never a stall when a holder
does not let go."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from bot import db
from bot.db import Database, SqliteWriterGate


def test_urgent_and_other_writers_take_turns_while_both_wait():
    gate, order = SqliteWriterGate(), []
    first: dict = {}
    gate.enter(first)  # someone is writing; three handlers and two webhook inserts queue up
    waiting = [(f"other{n}", False) for n in range(3)] + [(f"urgent{n}", True) for n in range(2)]

    def write(name: str, urgent: bool) -> None:
        info: dict = {}
        gate.enter(info, urgent=urgent)
        order.append("urgent" if urgent else "other")
        time.sleep(0.01)
        gate.leave(info)

    threads = [threading.Thread(target=write, args=w) for w in waiting]
    for thread in threads:
        thread.start()
        time.sleep(0.02)  # all queued before the first leaves
    gate.leave(first)
    for thread in threads:
        thread.join(5)
    assert sorted(order) == ["other"] * 3 + ["urgent"] * 2
    assert order[:4] in (["urgent", "other", "urgent", "other"], ["other", "urgent", "other", "urgent"])


def test_a_holder_that_never_lets_go_does_not_stall_other_writers(monkeypatch):
    monkeypatch.setattr(db, "GATE_PATIENCE_S", 0.2)
    gate, lost = SqliteWriterGate(), {}
    gate.enter(lost)  # e.g. a connection invalidated mid-transaction: no commit/rollback event
    started = time.monotonic()
    other: dict = {}
    gate.enter(other)
    assert 0.15 < time.monotonic() - started < 2
    assert not other  # went on without the gate; SQLite's own lock still orders the writes
    gate.leave(other)  # a no-op for a writer that did not take it
    gate.leave(lost)
    again: dict = {}
    gate.enter(again)
    assert again  # the gate works as before once the holder has gone


def test_concurrent_writers_on_one_sqlite_file_all_commit(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'gate.sqlite3'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    errors: list[Exception] = []

    def write(start: int, engine) -> None:
        try:
            for n in range(start, start + 50):
                with engine.begin() as connection:
                    connection.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n * 100, database.urgent_engine if n % 2 else database.engine))
               for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with database.read_sessions() as session:
        assert session.scalar(text("SELECT count(*) FROM t")) == 300
    database.dispose()
