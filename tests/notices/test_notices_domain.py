"""The notices domain: drafts and their Japanese validation messages, edits, approval, cancel,
withdraw, audit entries, recipient estimates and batch planning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.notices import delivery
from bot import notices
from bot.db import utcnow
from bot.models import AuditEntry, FriendStatus, Notice, NoticeKind, NoticeStatus
from bot.notices import NoticeDraft, NoticeError, NoticeInvalid
from tests.support.notices import add_friends

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def errors_of(draft: NoticeDraft) -> dict[str, str]:
    with pytest.raises(NoticeInvalid) as caught:
        draft.validate(NOW, JST)
    return caught.value.errors


def test_kind_and_areas_accept_japanese_labels_and_english_codes():
    clean = NoticeDraft(title="題", body="本文", kind="避難情報", areas=["美東", "shuho", "美東地域"]).validate(NOW, JST)
    assert clean.kind is NoticeKind.EVACUATION and clean.areas == ["mito", "shuho"]
    assert NoticeDraft(title="題", body="本文", kind="weather").validate(NOW, JST).kind is NoticeKind.WEATHER
    assert NoticeDraft(title="題", body="本文", kind="気象・災害").validate(NOW, JST).kind is NoticeKind.WEATHER
    assert NoticeDraft(title="題", body="本文").validate(NOW, JST).kind is NoticeKind.INFO


def test_send_time_without_offset_is_japan_time_and_empty_means_now():
    clean = NoticeDraft(title="題", body="本文", send_at="2026-11-27T09:00").validate(NOW, JST)
    assert clean.send_at == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert NoticeDraft(title="題", body="本文", send_at=None).validate(NOW, JST).send_at == NOW


def test_every_mistake_is_explained_in_japanese():
    errors = errors_of(NoticeDraft(title="", body="x" * 4001, kind="謎", areas=["東京"], interests=["釣り"],
                                   link_url="javascript:alert(1)", image_url="http://x.jp/a.png",
                                   send_at="昨日"))
    assert errors["title"] == "タイトルを入力してください。"
    assert "4000文字以内" in errors["body"]
    assert "種類は" in errors["kind"] and "避難情報（evacuation）" in errors["kind"]
    assert "地域「東京」はありません" in errors["areas"]
    assert "対象の情報「釣り」はありません" in errors["interests"]
    assert "http:// か https://" in errors["link"]
    assert "https://" in errors["image"]
    assert "ISO 8601" in errors["send_at"]


def test_other_mistakes():
    assert "過ぎています" in errors_of(NoticeDraft(title="題", body="本文", send_at="2026-11-25T09:00"))["send_at"]
    assert "1行" in errors_of(NoticeDraft(title="一行目\n二行目", body="本文"))["title"]
    assert "制御文字" in errors_of(NoticeDraft(title="題", body="ベル\x07"))["body"]
    urgent = errors_of(NoticeDraft(title="題", body="本文", kind="evacuation", interests=["events"]))
    assert "関係なく届きます" in urgent["interests"]


def test_json_drafts_reject_wrong_types():
    with pytest.raises(NoticeInvalid) as caught:
        NoticeDraft.from_json({"title": 5, "areas": "mito", "colour": "red"})
    assert set(caught.value.errors) == {"title", "areas", "_"}


def create(session, settings, actor="tanaka", **fields) -> Notice:
    draft = NoticeDraft(title=fields.pop("title", "題"), body=fields.pop("body", "本文"), **fields)
    return notices.create_notice(session, draft, actor, settings, utcnow())


def test_edit_cancel_and_the_audit_log(database, settings):
    with database.transaction() as session:
        notice = create(session, settings, send_at=(utcnow() + timedelta(hours=2)).isoformat())
        notices.update_notice(session, notice.id, NoticeDraft(title="直した題", body="本文", send_at=notice.send_at),
                              "suzuki", settings, utcnow(), expected_version=1)
        with pytest.raises(NoticeError, match="ほかの人が先に変更しました"):
            notices.update_notice(session, notice.id, NoticeDraft(title="x", body="y"), "sato", settings, utcnow(),
                                  expected_version=1)
        notices.cancel_notice(session, notice.id, "suzuki", utcnow())
        with pytest.raises(NoticeError, match="中止のお知らせは編集できません"):
            notices.update_notice(session, notice.id, NoticeDraft(title="x", body="y"), "sato", settings, utcnow())
        with pytest.raises(NoticeError, match="公開されたお知らせだけ"):
            notices.withdraw_notice(session, notice.id, "sato", "誤り", utcnow())
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target == str(notice.id))
                                  .order_by(AuditEntry.id)).all()
        assert notice.title == "直した題" and notice.version == 2 and notice.status is NoticeStatus.CANCELLED
    assert actions == ["notice.create", "notice.update", "notice.cancel"]


def test_approval_needs_a_second_person_and_an_edit_needs_it_again(database, settings):
    strict = settings.with_overrides(notice_approval_required=True)
    with database.transaction() as session:
        urgent = create(session, strict, kind="避難情報")
        plain = create(session, strict, kind="イベント")
        assert (urgent.status, plain.status) == (NoticeStatus.AWAITING_APPROVAL, NoticeStatus.SCHEDULED)
        assert notices.progress(session, urgent.id).public_status == "held"
        with pytest.raises(NoticeError, match="別の職員"):
            notices.approve_notice(session, urgent.id, "tanaka", utcnow())
        notices.approve_notice(session, urgent.id, "suzuki", utcnow())
        assert urgent.status is NoticeStatus.SCHEDULED and urgent.approved_by == "suzuki"
        notices.update_notice(session, urgent.id, NoticeDraft(title="訂正", body="本文", kind="避難情報"),
                              "tanaka", strict, utcnow())
        assert urgent.status is NoticeStatus.AWAITING_APPROVAL and urgent.approved_by is None


def test_recipient_estimates_follow_areas_interests_and_blocking(database, settings):
    add_friends(database, [f"U{i:032x}" for i in range(10)], area="mito", interests=["events"])
    add_friends(database, [f"U{i:032x}" for i in range(10, 15)], area="mine")
    add_friends(database, [f"U{i:032x}" for i in range(15, 18)], area="mito", status=FriendStatus.BLOCKED)
    with database.sessions() as session:
        assert notices.estimate_recipients(session) == 15
        assert notices.estimate_recipients(session, ["mito"]) == 10
        assert notices.estimate_recipients(session, [], ["events"]) == 10
        assert notices.estimate_recipients(session, ["mine"], ["events"]) == 0
        assert list(delivery.resolve_recipients(session, ["mine"], [])) == [f"U{i:032x}" for i in range(10, 15)]


def test_batches_are_at_most_500_in_order_without_repeats():
    ids = [f"U{i:032x}" for i in range(1234)] + ["U" + "0" * 32]
    planned = list(delivery.plan_batches(ids))
    assert [len(b) for b in planned] == [500, 500, 234]
    assert sum(planned, []) == ids[:1234]
    assert list(delivery.plan_batches([])) == []


def test_progress_fraction():
    progress = notices.NoticeProgress(1, NoticeStatus.SENDING, 1000, 400, 100, 500, 0, None, planned=True)
    assert progress.fraction == 0.5 and progress.as_json() == {"status": "sending", "targets": 1000, "sent": 400,
                                                                "failed": 100}
    empty = notices.NoticeProgress(1, NoticeStatus.SENT, 0, 0, 0, 0, 0, None, planned=True)
    assert empty.fraction == 1.0
