"""The delivery engine against the emulator over HTTP, on SQLite and PostgreSQL: batches and
retry keys, broadcast, faults, the monthly quota, rate limits, crashes between the call and the
record, stale senders, and planning races."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

from sqlalchemy import select, update

from bot.notices import delivery
from bot import notices
from bot.db import Database, utcnow
from bot.line.gateway import LineGateway
from bot.models import BatchStatus, Delivery, DeliveryBatch, DeliveryMode, FriendStatus, Notice, NoticeStatus
from tests.support.notices import add_friends, assert_exactly_once, bulk_users, copies


def create(database, settings, *, title="お知らせ", body="本文です。", kind="info", areas=(), interests=(),
           send_at=None, actor="tanaka") -> int:
    with database.transaction() as session:
        draft = notices.NoticeDraft(title=title, body=body, kind=kind, areas=list(areas), interests=list(interests),
                                    send_at=send_at)
        return notices.create_notice(session, draft, actor, settings, utcnow()).id


def batches(database, notice_id) -> list[DeliveryBatch]:
    with database.sessions() as session:
        delivery_id = session.scalar(select(Delivery.id).where(Delivery.notice_id == notice_id))
        return list(session.scalars(select(DeliveryBatch).where(DeliveryBatch.delivery_id == delivery_id)
                                    .order_by(DeliveryBatch.seq)))


def state(database, notice_id) -> notices.NoticeProgress:
    with database.sessions() as session:
        return notices.progress(session, notice_id)


def deliver_all(database, gateway, settings, rounds: int = 20) -> None:
    """What the scheduler job does, repeated until nothing is left (or `rounds` passes)."""
    for _ in range(rounds):
        results = delivery.run_deliveries(database, gateway, settings)
        if all(r.outcome in ("done", "held") for r in results):
            return


def multicast_log(sim) -> list[dict]:
    return [r for r in sim.requests() if r["path"] == "/v2/bot/message/multicast"]


def test_a_segment_goes_as_multicasts_of_500_each_with_its_stored_retry_key(
        database, gateway, settings, sim, friends, emulator):
    mito = friends(1200, area="mito")
    shuho = friends(300, area="shuho")
    blocked = bulk_users(sim, 50)
    add_friends(database, blocked, area="mito", status=FriendStatus.BLOCKED)
    notice_id = create(database, settings, title="美東の断水", areas=["美東"])

    deliver_all(database, gateway, settings)

    rows = batches(database, notice_id)
    assert [b.recipients for b in rows] == [500, 500, 200]
    assert all(b.status is BatchStatus.SENT and b.attempts == 1 for b in rows)
    assert sorted(r["retry_key"] for r in multicast_log(sim)) == sorted(b.retry_key for b in rows)
    assert_exactly_once(emulator, mito, "美東の断水")
    assert not copies(emulator, shuho + blocked, "美東の断水")
    progress = state(database, notice_id)
    assert (progress.status, progress.targets, progress.sent, progress.failed) == (NoticeStatus.SENT, 1200, 1200, 0)
    assert progress.fraction == 1.0 and progress.as_json()["status"] == "sent"


def test_every_friend_means_one_broadcast(database, gateway, settings, sim, friends, emulator):
    everyone = friends(40, area="mine") + friends(10)
    notice_id = create(database, settings, title="市長から")

    deliver_all(database, gateway, settings)

    rows = batches(database, notice_id)
    assert len(rows) == 1 and rows[0].recipients == 50 and rows[0].user_ids == []
    with database.sessions() as session:
        assert session.scalar(select(Delivery.mode).where(Delivery.notice_id == notice_id)) is DeliveryMode.BROADCAST
    log = [r for r in sim.requests() if r["path"].startswith("/v2/bot/message/")]
    assert [r["path"] for r in log] == ["/v2/bot/message/broadcast"]
    assert log[0]["retry_key"] == rows[0].retry_key
    assert_exactly_once(emulator, everyone, "市長から")


def test_interests_narrow_the_segment(database, gateway, settings, friends, emulator):
    parents = friends(20, area="mine", interests=["childcare"])
    others = friends(20, area="mine", interests=["events"])
    notice_id = create(database, settings, title="子育て広場", kind="event", interests=["子育て"])

    deliver_all(database, gateway, settings)

    assert state(database, notice_id).targets == 20
    assert_exactly_once(emulator, parents, "子育て広場")
    assert not copies(emulator, others, "子育て広場")


def test_5000_friends_through_500s_429s_and_slow_answers_get_exactly_one_copy(
        database, gateway, settings, sim, friends, emulator):
    people = friends(5000, area="shuho")
    random.seed(5000)  # the emulator's faults draw from `random`: make it likely every kind fires
    sim.faults(status=500, rate=0.3, when="either", paths=["/v2/bot/message/multicast"])
    sim.faults(status=429, rate=0.3, when="either", paths=["/v2/bot/message/multicast"])
    sim.faults(delay_s=0.3, rate=0.1, when="either", paths=["/v2/bot/message/multicast"])
    notice_id = create(database, settings, title="秋芳の大雨", kind="weather", areas=["shuho"])

    deliver_all(database, gateway, settings, rounds=50)

    statuses = [r["status"] for r in multicast_log(sim)]
    assert 500 in statuses and 429 in statuses and 409 in statuses  # the faults did happen
    assert_exactly_once(emulator, people, "秋芳の大雨")
    progress = state(database, notice_id)
    assert (progress.status, progress.sent, progress.failed) == (NoticeStatus.SENT, 5000, 0)


def test_timeouts_after_line_delivered_are_retried_with_the_same_key(database, settings, sim, friends, emulator):
    people = friends(4000, area="mito")
    impatient = settings.with_overrides(line_timeout_s=0.3)
    gateway = LineGateway(impatient)
    sim.faults(delay_s=0.6, rate=0.6, when="after", paths=["/v2/bot/message/multicast"])  # answer lost
    notice_id = create(database, settings, title="時間切れ", areas=["mito"])

    try:
        deliver_all(database, gateway, impatient, rounds=30)
    finally:
        gateway.close()

    assert 409 in [r["status"] for r in multicast_log(sim)]  # the retry found LINE already had it
    assert_exactly_once(emulator, people, "時間切れ")
    assert state(database, notice_id).sent == 4000


def test_a_rate_limit_is_waited_out(database, gateway, settings, sim, friends, emulator):
    people = friends(3000, area="mine")
    sim.request("POST", "/_sim/config", {"rate_limits": {"/v2/bot/message/multicast": {"requests": 2, "per_s": 1}}})
    notice_id = create(database, settings, title="ゆっくり", areas=["mine"])

    results = delivery.run_deliveries(database, gateway, settings)

    assert [r.outcome for r in results] == ["done"]
    assert 429 in [r["status"] for r in multicast_log(sim)]
    assert_exactly_once(emulator, people, "ゆっくり")
    assert state(database, notice_id).status is NoticeStatus.SENT


def test_the_monthly_quota_holds_the_delivery_with_the_reason_and_resume_finishes_it(
        database, gateway, settings, sim, friends, emulator):
    people = friends(2000, area="mito")
    sim.request("POST", "/_sim/config", {"monthly_quota": 1200})
    notice_id = create(database, settings, title="上限テスト", areas=["mito"])
    with database.sessions() as session:
        check = notices.quota_check(gateway, notices.estimate_recipients(session, ["mito"]))
    assert (check.needed, check.remaining, check.fits) == (2000, 1200, False)

    deliver_all(database, gateway, settings)

    progress = state(database, notice_id)
    assert progress.status is NoticeStatus.HELD and progress.public_status == "held"
    assert "今月の送信可能数" in progress.reason
    assert progress.sent <= 1000 and progress.sent + progress.pending == 2000 and progress.failed == 0
    assert len(copies(emulator, people, "上限テスト")) == progress.sent

    sim.request("POST", "/_sim/config", {"monthly_quota": 10_000})
    with database.transaction() as session:
        notices.resume_notice(session, notice_id, "suzuki", utcnow())
    deliver_all(database, gateway, settings)

    assert state(database, notice_id).status is NoticeStatus.SENT
    assert_exactly_once(emulator, people, "上限テスト")


def test_a_4xx_is_not_retried_and_holds_the_delivery(database, gateway, settings, sim, friends):
    friends(1500, area="mine")
    sim.faults(status=400, rate=1.0, paths=["/v2/bot/message/multicast"])
    notice_id = create(database, settings, title="拒否", areas=["mine"])

    deliver_all(database, gateway, settings)

    keys = [r["retry_key"] for r in multicast_log(sim)]
    assert keys and len(keys) == len(set(keys))  # each batch tried once, never blindly again
    progress = state(database, notice_id)
    assert progress.status is NoticeStatus.HELD and "400" in progress.reason
    assert progress.sent == 0 and progress.failed > 0


def test_a_crash_after_line_accepted_a_batch_resends_the_same_key_and_nobody_gets_two(
        database, gateway, settings, sim, friends, emulator):
    people = friends(700, area="shuho")
    notice_id = create(database, settings, title="再開テスト", areas=["shuho"])
    delivery.start_due_notices(database, settings)
    first = batches(database, notice_id)[0]
    with database.sessions() as session:
        messages = [delivery.Message.from_dict(m) for m in
                    session.scalar(select(Delivery.messages).where(Delivery.notice_id == notice_id))]
    gateway.multicast(first.user_ids, messages, retry_key=first.retry_key)  # ... and the process died here

    deliver_all(database, gateway, settings)

    answers = {(r["retry_key"], r["status"]) for r in multicast_log(sim)}
    assert (first.retry_key, 409) in answers
    assert_exactly_once(emulator, people, "再開テスト")
    assert state(database, notice_id).sent == 700


def test_a_stale_sender_and_its_successor_never_double_send(database, gateway, settings, sim, friends, emulator):
    people = friends(4000, area="mito")
    notice_id = create(database, settings, title="交代テスト", areas=["mito"])
    delivery.start_due_notices(database, settings)
    sim.faults(delay_s=0.4, rate=1.0, when="after", paths=["/v2/bot/message/multicast"])
    slow = settings.with_overrides(delivery_concurrency=2)
    stale = threading.Thread(target=delivery.deliver_pending, args=(database, gateway, slow),
                             kwargs={"holder": "old-host:1:stale"})
    stale.start()
    assert_wait(lambda: any(b.attempts for b in batches(database, notice_id)))
    # The old scheduler "pauses" past its claim: expire it, and a new one takes over at once.
    with database.transaction() as session:
        session.execute(update(Delivery).where(Delivery.notice_id == notice_id)
                        .values(claim_expires_at=utcnow() - timedelta(seconds=1)))
    delivery.deliver_pending(database, gateway, settings, holder="new-host:2:fresh")
    stale.join(60)
    sim.clear_faults()
    deliver_all(database, gateway, settings)

    senders = {b.sent_by for b in batches(database, notice_id)}
    assert "new-host:2:fresh" in senders
    assert_exactly_once(emulator, people, "交代テスト")
    assert state(database, notice_id).sent == 4000


def assert_wait(predicate, timeout_s=20.0):
    from tests.support.processes import wait_for

    assert wait_for(predicate, timeout_s)


def test_a_valid_claim_keeps_other_senders_out(database, gateway, settings, friends):
    friends(10, area="mine")
    notice_id = create(database, settings, title="占有", areas=["mine"])
    delivery.start_due_notices(database, settings)
    with database.sessions() as session:
        delivery_id = session.scalar(select(Delivery.id).where(Delivery.notice_id == notice_id))
    now = utcnow()
    assert delivery.claim(database, delivery_id, "a", now, 30)
    assert not delivery.claim(database, delivery_id, "b", now, 30)
    assert delivery.send_delivery(database, gateway, settings, delivery_id, "b").outcome == "not_claimed"
    assert delivery.claim(database, delivery_id, "b", now + timedelta(seconds=31), 30)  # a's claim expired


def test_two_planners_at_once_plan_a_notice_once(database, settings, friends, clean_database):
    friends(1500, area="shuho")
    notice_id = create(database, settings, title="同時", areas=["shuho"])
    others = [Database(clean_database) for _ in range(4)]
    barrier = threading.Barrier(len(others))
    planned: list[list[int]] = []

    def plan(db):
        barrier.wait()
        planned.append(delivery.start_due_notices(db, settings))

    threads = [threading.Thread(target=plan, args=(db,)) for db in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for db in others:
        db.dispose()
    assert sorted(sum(planned, [])) == [notice_id]
    assert len(batches(database, notice_id)) == 3


def test_an_unconfirmed_batch_whose_retry_key_expired_is_not_resent(database, gateway, settings, sim, friends):
    friends(600, area="mine")
    notice_id = create(database, settings, title="古い", areas=["mine"])
    delivery.start_due_notices(database, settings)
    first = batches(database, notice_id)[0]
    with database.transaction() as session:
        session.execute(update(DeliveryBatch).where(DeliveryBatch.id == first.id).values(
            attempts=1, first_attempt_at=utcnow() - timedelta(hours=25)))

    deliver_all(database, gateway, settings)

    assert first.retry_key not in [r["retry_key"] for r in multicast_log(sim)]
    progress = state(database, notice_id)
    assert (progress.status, progress.sent, progress.failed) == (NoticeStatus.SENT, 100, 500)


def test_due_notices_within_the_grace_period_go_and_older_ones_expire(database, gateway, settings, friends, emulator):
    people = friends(5, area="mine")
    late = create(database, settings, title="少し遅れ", areas=["mine"])
    too_late = create(database, settings, title="遅すぎ", areas=["mine"])
    with database.transaction() as session:
        session.get(Notice, late).due_at = utcnow() - timedelta(minutes=30)
        session.get(Notice, too_late).due_at = utcnow() - timedelta(minutes=61)

    deliver_all(database, gateway, settings)

    assert_exactly_once(emulator, people, "少し遅れ")
    assert not copies(emulator, people, "遅すぎ")
    expired = state(database, too_late)
    assert expired.public_status == "expired" and "猶予の60分" in expired.reason


def test_withdrawing_mid_delivery_stops_the_rest(database, gateway, settings, friends, emulator):
    people = friends(1500, area="mito")
    notice_id = create(database, settings, title="途中取消", areas=["mito"])
    delivery.start_due_notices(database, settings)
    with database.transaction() as session:
        notices.withdraw_notice(session, notice_id, "tanaka", "日付が誤っていました", utcnow())

    deliver_all(database, gateway, settings)

    progress = state(database, notice_id)
    assert progress.status is NoticeStatus.WITHDRAWN and progress.public_status == "cancelled"
    assert (progress.sent, progress.cancelled) == (0, 1500)
    assert not copies(emulator, people, "途中取消")
