"""End to end, as staff and the city's servers run it: `python -m bot notice ...` commands and
real `python -m scheduler` processes against the test database and the emulator over HTTP.
Includes `kill -9` at random moments of a 20,000-friend delivery and two schedulers at once."""

from __future__ import annotations

import json
import random
import signal
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import lease
from bot.db import utcnow
from bot.models import Delivery, DeliveryBatch
from tests.support.notices import assert_exactly_once, copies
from tests.support.processes import run_cli, wait_for

JST = ZoneInfo("Asia/Tokyo")


def send(database_url: str, *args: str, **env: str) -> int:
    """`notice send ...`; the notice id is the last word printed."""
    done = run_cli(database_url, "notice", "send", *args, **env)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def status(database_url: str, notice_id: int) -> dict:
    done = run_cli(database_url, "notice", "status", str(notice_id), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def status_is(database, notice_id: int, wanted: str) -> bool:
    from bot import notices

    with database.sessions() as session:
        return notices.progress(session, notice_id).public_status == wanted


def in_jst(seconds: float) -> str:
    return (datetime.now(JST) + timedelta(seconds=seconds)).replace(tzinfo=None).isoformat(timespec="seconds")


def test_notice_send_goes_out_through_the_scheduler(clean_database, database, friends, schedulers, emulator):
    mito = friends(30, area="mito")
    mine = friends(10, area="mine")
    urgent = send(clean_database, "--title", "美東地区に避難指示", "--body", "すぐに避難してください。",
                  "--kind", "避難情報", "--area", "美東")
    everyone = send(clean_database, "--title", "市役所からのお知らせ", "--body", "年末年始の窓口案内です。")
    schedulers.start()

    assert wait_for(lambda: status_is(database, urgent, "sent") and status_is(database, everyone, "sent"), 60)
    assert status(clean_database, urgent) == {"status": "sent", "targets": 30, "sent": 30, "failed": 0}
    assert status(clean_database, everyone) == {"status": "sent", "targets": 40, "sent": 40, "failed": 0}
    assert_exactly_once(emulator, mito, "美東地区に避難指示")
    assert not copies(emulator, mine, "美東地区に避難指示")
    assert_exactly_once(emulator, mito + mine, "市役所からのお知らせ")
    inbox = emulator.state.users[mito[0]].inbox()
    flex = next(i["message"] for i in inbox if i["message"]["type"] == "flex")
    assert flex["contents"]["header"]["backgroundColor"] == "#B71C1C"  # 避難情報 in red


def test_a_scheduled_notice_waits_can_be_edited_and_another_cancelled(
        clean_database, database, friends, schedulers, emulator):
    people = friends(5, area="shuho")
    later = send(clean_database, "--title", "秋芳の催し", "--body", "日曜日に開催します。", "--kind", "event",
                 "--area", "shuho", "--at", in_jst(3600))
    never = send(clean_database, "--title", "中止される告知", "--body", "本文", "--at", in_jst(3600))
    schedulers.start()
    edited = run_cli(clean_database, "notice", "edit", str(later), "--title", "秋芳の催し（会場変更）")
    assert edited.returncode == 0, edited.stderr
    assert run_cli(clean_database, "notice", "cancel", str(never)).returncode == 0

    time.sleep(2)
    assert status(clean_database, later)["status"] == "scheduled"
    assert not copies(emulator, people, "秋芳の催し")  # not due yet
    moved = run_cli(clean_database, "notice", "edit", str(later), "--at", in_jst(1))  # sooner: in a second
    assert moved.returncode == 0, moved.stderr

    assert wait_for(lambda: status_is(database, later, "sent"), 60)
    assert_exactly_once(emulator, people, "秋芳の催し（会場変更）")
    assert status(clean_database, never) == {"status": "cancelled", "targets": 0, "sent": 0, "failed": 0}
    assert not copies(emulator, people, "中止される告知")
    late_edit = run_cli(clean_database, "notice", "edit", str(later), "--title", "遅すぎる変更")
    assert late_edit.returncode == 1 and "編集できません" in late_edit.stderr


def test_urgent_notices_wait_for_a_second_persons_approval_when_required(
        clean_database, database, friends, schedulers, emulator):
    people = friends(8, area="mine")
    approval = {"NOTICE_APPROVAL_REQUIRED": "1"}
    urgent = send(clean_database, "--title", "土砂災害警戒", "--body", "崖に近づかないでください。",
                  "--kind", "weather", "--area", "mine", "--by", "tanaka", **approval)
    plain = send(clean_database, "--title", "図書館の休館", "--body", "月曜は休館です。", "--area", "mine",
                 "--by", "tanaka", **approval)
    schedulers.start(**approval)

    assert wait_for(lambda: status_is(database, plain, "sent"), 60)
    assert status(clean_database, urgent)["status"] == "held"  # awaiting approval
    assert not copies(emulator, people, "土砂災害警戒")
    same_person = run_cli(clean_database, "notice", "approve", str(urgent), "--by", "tanaka")
    assert same_person.returncode == 1 and "別の職員" in same_person.stderr
    assert run_cli(clean_database, "notice", "approve", str(urgent), "--by", "suzuki").returncode == 0

    assert wait_for(lambda: status_is(database, urgent, "sent"), 60)
    assert_exactly_once(emulator, people, "土砂災害警戒")


def test_bad_command_line_input_is_explained(clean_database):
    done = run_cli(clean_database, "notice", "send", "--title", "x", "--body", "y", "--kind", "謎", "--area", "東京")
    assert done.returncode == 1
    assert "種類は" in done.stderr and "地域「東京」はありません" in done.stderr


def _batches(database, notice_id: int) -> list[DeliveryBatch]:
    with database.sessions() as session:
        delivery_id = session.scalar(select(Delivery.id).where(Delivery.notice_id == notice_id))
        return list(session.scalars(select(DeliveryBatch).where(DeliveryBatch.delivery_id == delivery_id)))


def _sent_batches(database, notice_id: int) -> int:
    return sum(b.sent_at is not None for b in _batches(database, notice_id))


@pytest.mark.slow
def test_kill_9_at_random_moments_of_a_20000_friend_delivery_never_doubles_or_skips(
        clean_database, database, friends, schedulers, emulator, sim):
    people = friends(20_000, area="mito")
    friends(2_000, area="mine")  # not in the segment
    # Slow answers (some after LINE already delivered) widen the windows a kill can hit.
    sim.faults(delay_s=0.15, rate=1.0, when="either", paths=["/v2/bot/message/multicast"])
    sim.faults(status=500, rate=0.1, when="either", paths=["/v2/bot/message/multicast"])
    rng = random.Random()
    mid_delivery_kills = 0
    for trial in range(3):
        title = f"計画停電のお知らせ 第{trial + 1}報"
        notice_id = send(clean_database, "--title", title, "--body", "本日14時から停電します。", "--area", "mito")
        kills = 0
        while not status_is(database, notice_id, "sent"):
            proc = schedulers.start()
            if kills == 0:  # anywhere: while starting, planning or sending
                time.sleep(rng.uniform(1.0, 5.0))
            elif kills == 1:  # while sending: as soon as some, not all, batches have gone out
                assert wait_for(lambda: 0 < _sent_batches(database, notice_id) < 40
                                or status_is(database, notice_id, "sent"), 120, every_s=0.01)
            else:
                assert wait_for(lambda: status_is(database, notice_id, "sent"), 120), schedulers.log(proc)
                proc.send_signal(signal.SIGTERM)
                proc.wait(20)
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            kills += 1
            mid_delivery_kills += 0 < _sent_batches(database, notice_id) < 40
        assert_exactly_once(emulator, people, title)
        assert status(clean_database, notice_id) == {"status": "sent", "targets": 20_000, "sent": 20_000, "failed": 0}
    assert mid_delivery_kills >= 1  # the kills did land while batches were going out


@pytest.mark.slow
def test_two_schedulers_one_delivers_and_the_other_takes_over_when_it_is_killed(
        clean_database, database, friends, schedulers, emulator, sim):
    people = friends(10_000, area="shuho")
    sim.faults(delay_s=0.3, rate=1.0, when="before", paths=["/v2/bot/message/multicast"])
    first, second = schedulers.start(), schedulers.start()
    assert wait_for(lambda: lease.current_holder(database, "scheduler", utcnow()) is not None, 30)
    notice_id = send(clean_database, "--title", "二台のスケジューラ", "--body", "本文", "--area", "秋芳")

    assert wait_for(lambda: _sent_batches(database, notice_id) >= 4, 60)
    active_pid = int(lease.current_holder(database, "scheduler", utcnow()).split(":")[1])
    active, standby = (first, second) if active_pid == first.pid else (second, first)
    assert {int(b.sent_by.split(":")[1]) for b in _batches(database, notice_id) if b.sent_by} == {active.pid}
    assert "waiting to take over" in schedulers.log(standby)
    active.send_signal(signal.SIGKILL)
    active.wait(10)

    assert wait_for(lambda: status_is(database, notice_id, "sent"), 120), schedulers.log(standby)
    senders = {int(b.sent_by.split(":")[1]) for b in _batches(database, notice_id)}
    assert senders == {active.pid, standby.pid}
    assert_exactly_once(emulator, people, "二台のスケジューラ")
