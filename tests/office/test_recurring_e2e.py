"""A weekly recurring notice end to end: real `python -m scheduler` processes create its
occurrences and deliver each one once to the LINE emulator, across a kill -9 and a restart."""

from __future__ import annotations

import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db import utcnow
from bot.models import Notice, NoticeStatus, RecurrenceFrequency, RecurringNotice
from tests.support.notices import copies
from tests.support.processes import run_cli, wait_for

JST = ZoneInfo("Asia/Tokyo")
TITLE = "燃えるごみの日（見本）"


def _occurrences(database, record_id: int) -> list[Notice]:
    with database.read_sessions() as session:
        return list(session.scalars(select(Notice).where(Notice.recurrence_id == record_id)
                                    .order_by(Notice.occurrence_on)))


def _bring_forward(database_url: str, notice_id: int) -> None:
    """Staff edit this one occurrence to go in a second (as they may edit any one of them)."""
    soon = (datetime.now(JST) + timedelta(seconds=1)).replace(tzinfo=None).isoformat(timespec="seconds")
    done = run_cli(database_url, "notice", "edit", str(notice_id), "--at", soon)
    assert done.returncode == 0, done.stderr


def _sent(database, notice_id: int) -> bool:
    with database.read_sessions() as session:
        return session.get(Notice, notice_id).status is NoticeStatus.SENT


def test_each_occurrence_is_delivered_once_across_a_scheduler_restart(
        clean_database, database, friends, schedulers, emulator):
    people = friends(12, area="mine")
    others = friends(3, area="mito")
    tomorrow = utcnow().astimezone(JST).date() + timedelta(days=1)
    with database.transaction() as session:  # stored as the console would, occurrences left to the scheduler
        record = RecurringNotice(kind="info", title=TITLE, body="朝8時までに出してください。", areas=["mine"],
                                 interests=[], frequency=RecurrenceFrequency.WEEKLY,
                                 weekdays=[tomorrow.weekday(), (tomorrow.weekday() + 3) % 7], send_time="07:00",
                                 starts_on=tomorrow, excluded=[], created_by="tanaka")
        session.add(record)
        session.flush()
        record_id = record.id
    first_run = schedulers.start()
    assert wait_for(lambda: len(_occurrences(database, record_id)) >= 16, 60), schedulers.log(first_run)
    first, second = _occurrences(database, record_id)[:2]
    assert first.occurrence_on == tomorrow and first.status is NoticeStatus.SCHEDULED

    _bring_forward(clean_database, first.id)
    assert wait_for(lambda: _sent(database, first.id), 60), schedulers.log(first_run)
    assert all(copies(emulator, people, TITLE)[u] == 1 for u in people)
    first_run.send_signal(signal.SIGKILL)
    first_run.wait(10)

    second_run = schedulers.start()
    _bring_forward(clean_database, second.id)
    assert wait_for(lambda: _sent(database, second.id), 60), schedulers.log(second_run)
    counts = copies(emulator, people, TITLE)
    assert all(counts[u] == 2 for u in people), counts  # each of the two occurrences once
    assert not copies(emulator, others, TITLE)
    with database.read_sessions() as session:
        per_day = session.execute(select(Notice.occurrence_on, func.count()).where(Notice.recurrence_id == record_id)
                                  .group_by(Notice.occurrence_on)).all()
    assert per_day and all(count == 1 for _, count in per_day)  # the restarted job added no second copy
    later = _occurrences(database, record_id)[2:]
    assert later and all(n.status is NoticeStatus.SCHEDULED for n in later)
