"""Pushes to class participants, each exactly once, through the emulator: moved up from the
waitlist, the day-before reminder (even when LINE's answer is lost or the scheduler is killed
mid-send), a class moved, a class cancelled."""

from __future__ import annotations

import signal
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.classes import notify
from bot.classes.booking import book_seat
from bot.classes.changes import cancel_class, update_class
from bot.classes.schedule import draft_of, moved_by
from bot.db import utcnow
from bot.models import (
    BookingSource, BookingStatus, ClassBooking, ClassNotification, NotificationStatus, SmartphoneClass,
)
from scheduler.class_jobs import send_class_messages
from tests.classes.conftest import JST, book, follow, pushes, run_cli
from tests.support.processes import start_scheduler, wait_for

PUSH = "/v2/bot/message/push"


def booked_earlier(database, class_id: int, days: int = 2) -> None:
    """The bookings were made `days` ago (before the reminder time)."""
    earlier = utcnow() - timedelta(days=days)
    with database.transaction() as session:
        session.execute(update(ClassBooking).where(ClassBooking.class_id == class_id)
                        .values(confirmed_at=earlier, created_at=earlier))


def remind_at(database, when: str = "00:00") -> None:
    with database.transaction() as session:
        notify.save_reminder_settings(session, when, True, "test")


def outbox(db_session) -> list[ClassNotification]:
    db_session.rollback()
    return list(db_session.scalars(select(ClassNotification).order_by(ClassNotification.id)))


def test_a_cancellation_moves_the_first_on_the_waitlist_up_and_tells_them_once(bot_server, sim, make_class,
                                                                               job_env, db_session):
    class_id = make_class(capacity=1)
    first, second, third = follow(sim, "一番"), follow(sim, "二番"), follow(sim, "三番")
    for user in (first, second, third):
        book(sim, user, class_id)
    assert "（2番目）" in sim.texts(third)[-1]

    sim.text(first, "予約の確認")
    cancel = sim.inbox(first)[-1]["message"]["contents"]["contents"][0]["footer"]["contents"][0]["action"]["data"]
    sim.postback(first, cancel)
    sim.tap(first, "キャンセルする")
    db_session.rollback()
    statuses = {b.line_user_id: b.status for b in db_session.scalars(select(ClassBooking))}
    assert statuses == {first: BookingStatus.CANCELLED, second: BookingStatus.CONFIRMED,
                        third: BookingStatus.WAITLISTED}

    send_class_messages(job_env)
    send_class_messages(job_env)  # a second pass sends nothing again
    [moved_up] = pushes(sim, second)
    assert "席が空きました" in moved_up and "二番さんの参加が決まりました" in moved_up
    assert pushes(sim, first) == [] and pushes(sim, third) == []
    sim.text(third, "予約の確認")
    assert "キャンセル待ち（1番目）" in sim.inbox(third)[-1]["message"]["altText"]
    assert [row.status for row in outbox(db_session)] == [NotificationStatus.SENT]


def test_the_reminder_goes_once_per_booking_and_never_to_cancelled_ones(bot_server, sim, make_class, database,
                                                                       job_env, db_session):
    tomorrow = make_class("明日の教室", days=1, capacity=5)
    later = make_class("来週の教室", days=7)
    family, quitter, blocked = follow(sim, "家族 代表"), follow(sim, "取消 さん"), follow(sim, "ブロック さん")
    book(sim, family, tomorrow)
    book(sim, family, tomorrow, name="家族 祖母")  # the same LINE user books grandmother too
    book(sim, quitter, tomorrow)
    book(sim, blocked, tomorrow)
    book(sim, family, later)
    sim.text(quitter, "予約の確認")
    sim.postback(quitter, sim.inbox(quitter)[-1]["message"]["contents"]["contents"][0]["footer"]["contents"][0]
                 ["action"]["data"])
    sim.tap(quitter, "キャンセルする")
    sim.unfollow(blocked)
    booked_earlier(database, tomorrow)
    booked_earlier(database, later)
    remind_at(database, "00:00")  # today at midnight has passed: tomorrow's reminders are due

    send_class_messages(job_env)
    send_class_messages(job_env)  # the scheduler runs every few seconds: still once each
    reminders = pushes(sim, family)
    assert len(reminders) == 2 and all("明日は「明日の教室」の日です" in text for text in reminders)
    assert sorted(text.split("お名前：")[1].split(" さん")[0] for text in reminders) == ["家族 代表", "家族 祖母"]
    assert pushes(sim, quitter) == [] and pushes(sim, blocked) == []
    kinds = {(row.kind, row.status) for row in outbox(db_session)}
    assert kinds == {("reminder", NotificationStatus.SENT), ("reminder", NotificationStatus.SKIPPED)}


def test_the_reminder_waits_for_the_chosen_time(bot_server, sim, make_class, database, job_env):
    class_id = make_class(days=3)
    user = follow(sim)
    book(sim, user, class_id)
    with database.read_sessions() as session:
        starts_at = session.get(SmartphoneClass, class_id).starts_at
    # the class's own start time: a UTC moment relabelled with the local date is a day off between 0:00 and 9:00 JST
    before = notify.reminder_moment(starts_at, notify.parse_reminder_time("18:30"), JST)
    remind_at(database, "18:30")
    assert notify.queue_reminders(database, JST, now=before - timedelta(minutes=1)) == 0
    assert notify.queue_reminders(database, JST, now=before + timedelta(minutes=1)) == 1
    assert notify.queue_reminders(database, JST, now=before + timedelta(hours=2)) == 0  # queued already
    send_class_messages(job_env)
    assert len(pushes(sim, user)) == 1


def test_a_lost_answer_from_line_never_sends_the_reminder_twice(bot_server, sim, make_class, database, job_env,
                                                                db_session):
    class_id = make_class(days=1)
    user = follow(sim)
    book(sim, user, class_id)
    booked_earlier(database, class_id)
    remind_at(database)
    # LINE delivers every push but the answer is lost (500 after processing), on every retry.
    sim.faults(status=500, when="after", paths=[PUSH])
    send_class_messages(job_env)
    assert len(pushes(sim, user)) == 1  # delivered once, though every answer was an error
    [row] = outbox(db_session)
    assert row.status is NotificationStatus.PENDING and row.attempts == 1
    sim.clear_faults()
    send_class_messages(job_env)  # the next pass repeats the call with the same key: LINE says 409
    assert len(pushes(sim, user)) == 1
    [row] = outbox(db_session)
    assert row.status is NotificationStatus.SENT and row.sent_at is not None
    keys = {entry["retry_key"] for entry in sim.requests() if entry["path"] == PUSH}
    assert keys == {row.retry_key}
    assert [e["status"] for e in sim.requests() if e["path"] == PUSH][-1] == 409


def test_line_down_keeps_the_reminder_for_the_next_pass(bot_server, sim, make_class, database, job_env, db_session):
    class_id = make_class(days=1)
    user = follow(sim)
    book(sim, user, class_id)
    booked_earlier(database, class_id)
    remind_at(database)
    sim.faults(status=503, when="before", paths=[PUSH])
    send_class_messages(job_env)
    assert pushes(sim, user) == []
    sim.clear_faults()
    send_class_messages(job_env)
    assert len(pushes(sim, user)) == 1
    assert [row.status for row in outbox(db_session)] == [NotificationStatus.SENT]


@pytest.mark.slow
def test_a_scheduler_killed_mid_send_and_restarted_sends_the_reminder_once(bot_server, sim, emulator, make_class,
                                                                            database, clean_database, db_session,
                                                                            tmp_path):
    class_id = make_class(days=1)
    user = follow(sim)
    book(sim, user, class_id)
    booked_earlier(database, class_id)
    remind_at(database)
    # LINE accepts the push at once but answers only after 20 s: the scheduler is killed meanwhile.
    sim.faults(delay_s=20, when="after", paths=[PUSH])
    first = start_scheduler(clean_database, emulator.url, tmp_path / "first.log")
    second = None
    try:
        assert wait_for(lambda: len(pushes(sim, user)) == 1, 60), (tmp_path / "first.log").read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        [row] = outbox(db_session)
        assert row.status is NotificationStatus.PENDING and row.attempts == 1
        sim.clear_faults()
        second = start_scheduler(clean_database, emulator.url, tmp_path / "second.log")
        assert wait_for(lambda: outbox(db_session)[0].status is NotificationStatus.SENT, 60), \
            (tmp_path / "second.log").read_text()
        assert len(pushes(sim, user)) == 1
        push_calls = [e for e in sim.requests() if e["path"] == PUSH]
        assert {e["retry_key"] for e in push_calls} == {row.retry_key} and push_calls[-1]["status"] == 409
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_cancelling_a_class_tells_every_line_participant_once(bot_server, sim, make_class, job_env, db_session,
                                                              database, clean_database):
    class_id = make_class("中止になる教室", capacity=2)
    people = [follow(sim, f"参加者{i}") for i in range(3)]
    for user in people:
        book(sim, user, class_id)  # two confirmed, one waiting
    book(sim, people[0], class_id, name="参加者0の母")  # waiting too, booked by the same user
    with database.transaction() as session:
        book_seat(session, class_id, "電話 さん", now=utcnow(), source=BookingSource.PHONE, phone="0837-52-0000",
                  actor="staff", by_staff=True)
    done = run_cli(clean_database, "cancel", str(class_id), "--reason", "講師の都合のため")
    assert done.returncode == 0, done.stderr
    with database.transaction() as session:  # cancelled twice: nothing more is queued
        assert cancel_class(session, class_id, "staff", None, utcnow(), JST)[1] == 0
    for _ in range(2):
        send_class_messages(job_env)
    assert [len(pushes(sim, user)) for user in people] == [2, 1, 1]  # one per booking
    assert all("中止になりました" in text and "講師の都合のため" in text for user in people for text in pushes(sim, user))
    assert sorted(row.status for row in outbox(db_session)) == [NotificationStatus.SENT] * 4
    sim.text(people[1], "スマホ教室")
    assert "受け付けているスマホ教室はありません" in sim.texts(people[1])[-1]


def test_moving_a_class_tells_participants_the_new_date(bot_server, sim, make_class, database, job_env):
    class_id = make_class("日にちが変わる教室")
    user = follow(sim)
    book(sim, user, class_id)
    with database.transaction() as session:
        course = session.get(SmartphoneClass, class_id)
        update_class(session, class_id, moved_by(draft_of(course), 1), "test", utcnow(), JST)
    with database.transaction() as session:  # a second change before the first was sent: only the latest goes
        course = session.get(SmartphoneClass, class_id)
        outcome = update_class(session, class_id, moved_by(draft_of(course), 1), "test", utcnow(), JST)
        new_day = outcome.course.starts_at.astimezone(JST)
    send_class_messages(job_env)
    [changed] = pushes(sim, user)
    assert "日時または会場が変わりました" in changed and f"{new_day.month}月{new_day.day}日" in changed
