"""The retention job: rows older than each limit go, newer ones stay (SQLite and PostgreSQL);
one resident deleted on request (CLI and console), with an audit entry that keeps nothing of them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import retention
from bot.db import utcnow
from bot.models import (
    AnswerStatus, AuditEntry, BookingSource, BookingStatus, ClassBooking, ClassNotification, ConversationState,
    Delivery, DeliveryBatch, DeliveryMode, DeliveryStatus, EventStatus, FaqAsk, FaqFeedback, Friend, FriendStatus,
    LoginFailure, MailSend, MailSendStatus, MailSubscriber, Notice, NoticeKind, NoticeStatus, NotificationKind,
    DamageCategory, DamageReport, FriendEvent, FriendEventKind, NotificationStatus, ReportStatus, SavedChecklist,
    SmartphoneClass, WebhookEvent,
)
from bot.config import ConfigError
from tests.support.console import csrf_from
from tests.support.processes import run_cli

NOW = utcnow()
OLD, NEW = "old", "new"


def ago(days: float):
    return NOW - timedelta(days=days)


def event(event_id: str, days: float, user: str = "Uresident", status=EventStatus.HANDLED,
          answer=AnswerStatus.SENT) -> WebhookEvent:
    return WebhookEvent(webhook_event_id=event_id, event_type="message", line_user_id=user, occurred_at=ago(days),
                        received_at=ago(days), payload={"message": {"text": "避難所はどこ"}}, status=status,
                        answer_status=answer)


def course(session, ends_days_ago: float) -> SmartphoneClass:
    row = SmartphoneClass(title="見本 教室", level="beginner", venue_name="本庁", starts_at=ago(ends_days_ago + 0.1),
                          ends_at=ago(ends_days_ago), capacity=10, created_by="test")
    session.add(row)
    session.flush()
    return row


def booking(session, klass: SmartphoneClass, user: str | None, name: str) -> ClassBooking:
    row = ClassBooking(class_id=klass.id, source=BookingSource.LINE if user else BookingSource.PHONE,
                       line_user_id=user, contact_key=user or "tel:0837", participant_name=name, participant_key=name,
                       phone=None if user else "0837-00-0000", status=BookingStatus.CONFIRMED, created_by="line")
    session.add(row)
    session.flush()
    return row


def notification(session, row: ClassBooking, key: str, days: float, status=NotificationStatus.SENT):
    session.add(ClassNotification(booking_id=row.id, kind=NotificationKind.REMINDER, dedupe_key=key,
                                  line_user_id=row.line_user_id or "U", messages=[], retry_key=f"rk-{key}",
                                  status=status, created_at=ago(days), sent_at=ago(days)))


def notice_with_delivery(session, days: float, users: list[str]) -> Notice:
    notice = Notice(kind=NoticeKind.INFO, title="見本", body="本文", send_at=ago(days), due_at=ago(days),
                    status=NoticeStatus.SENT, created_by="test", created_at=ago(days))
    session.add(notice)
    session.flush()
    delivery = Delivery(notice_id=notice.id, mode=DeliveryMode.MULTICAST, status=DeliveryStatus.DONE, messages=[],
                        targets=len(users), planned_at=ago(days), finished_at=ago(days))
    session.add(delivery)
    session.flush()
    session.add(DeliveryBatch(delivery_id=delivery.id, seq=0, user_ids=users, recipients=len(users),
                              retry_key=f"rk-delivery-{notice.id}", status="sent"))
    return notice


def seed(database) -> None:
    """For every rule: one row just past its default limit (OLD) and one well within it (NEW)."""
    with database.transaction() as s:
        for tag, days in ((OLD, 366), (NEW, 300)):
            ask = FaqAsk(asked_at=ago(days), question=f"{tag} 質問", normalised=tag, decision="none")
            s.add(ask)
            s.flush()
            s.add(FaqFeedback(ask_id=ask.id, entry_id="FAQ-0001", resolved=False, at=ago(days)))
        s.add_all([event("handled-old", 3.5), event("handled-new", 2.5),
                   event("pending-old", 10, answer=AnswerStatus.PUSH_PENDING),  # still on its way: kept
                   event("failed-old", 31, status=EventStatus.FAILED), event("failed-new", 20, status=EventStatus.FAILED)])
        s.add_all([ConversationState(line_user_id="Uold", flow="f", step="s", expires_at=ago(2)),
                   ConversationState(line_user_id="Unew", flow="f", step="s", expires_at=ago(-0.01))])
        old_class, new_class = course(s, 400), course(s, 30)
        old_booking, new_booking = booking(s, old_class, "Uold", "山田 花子"), booking(s, new_class, None, "美祢 太郎")
        notification(s, old_booking, "n-old", 91)
        notification(s, new_booking, "n-new", 80)
        notification(s, new_booking, "n-pending", 200, status=NotificationStatus.PENDING)
        old_notice, new_notice = notice_with_delivery(s, 91, ["Ua", "Ub"]), notice_with_delivery(s, 80, ["Uc"])
        gone = MailSubscriber(email="gone@example.jp", unsubscribe_token="t1", unsubscribed_at=ago(31))
        stays = MailSubscriber(email="stays@example.jp", unsubscribe_token="t2")
        s.add_all([gone, stays])
        s.flush()
        s.add_all([MailSend(notice_id=old_notice.id, subscriber_id=stays.id, status=MailSendStatus.SENT, sent_at=ago(91)),
                   MailSend(notice_id=new_notice.id, subscriber_id=stays.id, status=MailSendStatus.SENT, sent_at=ago(80))])
        s.add_all([Friend(line_user_id="Ublocked-old", display_name="花子", area="mito", interests=["events"],
                          status=FriendStatus.BLOCKED, blocked_at=ago(31)),
                   Friend(line_user_id="Ublocked-new", display_name="太郎", area="mine", status=FriendStatus.BLOCKED,
                          blocked_at=ago(29)),
                   Friend(line_user_id="Ufollowing", display_name="次郎", area="shuho", followed_at=ago(900))])
        s.add_all([LoginFailure(key="ip:192.0.2.1", at=ago(91)), LoginFailure(key="ip:192.0.2.2", at=ago(89))])
        s.add_all([AuditEntry(at=ago(1826), actor="old", action="x"), AuditEntry(at=ago(1000), actor="new", action="x")])


def test_the_job_removes_what_is_past_each_limit_and_keeps_the_rest(database, db_session, settings):
    seed(database)
    outcomes = {o.rule: o for o in retention.run(database, settings, now=NOW)}
    assert all(o.error is None for o in outcomes.values())
    s = db_session
    assert s.scalars(select(FaqAsk.normalised)).all() == [NEW]
    assert s.scalar(select(func.count()).select_from(FaqFeedback)) == 1
    assert sorted(s.scalars(select(WebhookEvent.webhook_event_id))) == ["failed-new", "handled-new", "pending-old"]
    assert s.scalars(select(ConversationState.line_user_id)).all() == ["Unew"]
    assert sorted(s.scalars(select(ClassNotification.dedupe_key))) == ["n-new", "n-pending"]
    assert sorted(map(len, s.scalars(select(DeliveryBatch.user_ids)))) == [0, 1]  # counts kept, ids gone
    assert s.scalar(select(func.sum(DeliveryBatch.recipients))) == 3
    assert sorted(s.scalars(select(MailSubscriber.email))) == ["stays@example.jp"]
    assert s.scalar(select(func.count()).select_from(MailSend)) == 1
    names = {b.participant_name: b for b in s.scalars(select(ClassBooking))}
    assert set(names) == {"（削除済み）", "美祢 太郎"}
    assert names["（削除済み）"].line_user_id is None and names["（削除済み）"].phone is None
    friends = {f.display_name: f for f in s.scalars(select(Friend))}
    assert set(friends) == {"", "太郎", "次郎"}
    anonymised = friends[""]
    assert anonymised.line_user_id.startswith("anon-") and anonymised.area is None and anonymised.interests == []
    assert s.scalars(select(LoginFailure.key)).all() == ["ip:192.0.2.2"]
    assert s.scalars(select(AuditEntry.actor)).all() == ["new"]
    assert outcomes["blocked_friends"].rows == 1 and outcomes["faq_asks"].rows == 1
    again = retention.run(database, settings, now=NOW)  # idempotent: nothing left to do
    assert sum(o.rows for o in again) == 0


def test_a_longer_setting_keeps_more(database, db_session, settings):
    seed(database)
    longer = settings.with_overrides(retention_days={"faq_asks": 400, "audit_entries": 3650})
    retention.run(database, longer, now=NOW)
    assert db_session.scalar(select(func.count()).select_from(FaqAsk)) == 2
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)) == 2


def test_a_setting_naming_no_rule_is_refused(database, settings):
    with pytest.raises(ConfigError, match="RETENTION_FAQ_ASK_DAYS"):
        retention.run(database, settings.with_overrides(retention_days={"faq_ask": 10}))


def resident_data(database, user: str) -> None:
    with database.transaction() as s:
        friend = Friend(line_user_id=user, display_name="美祢 花子", area="mito")
        s.add(friend)
        s.flush()
        s.add(FriendEvent(friend_id=friend.id, kind=FriendEventKind.FOLLOW, at=ago(5)))
        s.add(DamageReport(receipt_no="D-2026-0007", line_user_id=user, category=DamageCategory.FALLEN_TREE,
                           description="家の前の木が倒れました", created_at=ago(2)))
        s.add(SavedChecklist(code="AB23CD", line_user_id=user, event_key="moving", answers={"direction": "out"},
                             procedure_keys=["tenshutsu"], created_at=ago(1), expires_at=ago(-29)))
        s.add_all([event("e1", 0.1, user), event("e2", 0.2, user), event("other", 0.1, "Uother")])
        s.add(ConversationState(line_user_id=user, flow="classes", step="name", expires_at=ago(-1)))
        mine = booking(s, course(s, -3), user, "美祢 花子")
        notification(s, mine, "mine", 1, status=NotificationStatus.PENDING)
        notice_with_delivery(s, 1, [user, "Uother"])


def test_deleting_a_resident_on_request_leaves_nothing_of_them(database, db_session, settings):
    user = "U" + "d" * 32
    resident_data(database, user)
    result = run_cli(settings.database_url, "residents", "delete", user, "--ref", "R8-0012", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"friend": 1, "webhook_events": 2, "conversation_states": 1,
                                         "class_bookings": 1, "class_notifications": 1, "delivery_batches": 1,
                                         "saved_checklists": 1, "damage_reports": 1, "total": 9}
    s = db_session
    assert s.scalar(select(Friend).where(Friend.line_user_id == user)) is None
    assert s.scalar(select(func.count()).select_from(FriendEvent)) == 0
    assert s.scalar(select(func.count()).select_from(SavedChecklist)) == 0
    assert s.scalars(select(WebhookEvent.webhook_event_id)).all() == ["other"]
    assert s.scalar(select(func.count()).select_from(ConversationState)) == 0
    seat = s.scalar(select(ClassBooking))
    assert (seat.participant_name, seat.line_user_id, seat.status) == ("（削除済み）", None, BookingStatus.CANCELLED)
    assert s.scalars(select(DeliveryBatch.user_ids)).all() == [["Uother"]]
    entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "resident.delete"))
    kept = json.dumps([entry.target, entry.details], ensure_ascii=False)
    assert entry.target == "R8-0012" and user not in kept and "花子" not in kept


def test_an_admin_deletes_a_resident_from_the_console_after_a_confirm_page(client, login_as, database, db_session):
    user = "U" + "c" * 32
    resident_data(database, user)
    login_as("admin")
    page = client.get("/console/residents")
    assert page.status_code == 200 and "データを残す期間" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    preview = client.post("/console/residents/delete", data={"csrf_token": token, "line_user_id": user, "ref": "R1"})
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "この住民のデータを削除します" in body and "2件" in body
    assert db_session.scalar(select(func.count()).select_from(Friend)) == 1  # the preview changed nothing
    done = client.post("/console/residents/delete",
                       data={"csrf_token": token, "line_user_id": user, "ref": "R1", "confirmed": "1"})
    assert done.status_code == 302
    db_session.rollback()  # a new snapshot
    assert db_session.scalar(select(func.count()).select_from(Friend)) == 0
    assert db_session.scalar(select(AuditEntry.actor).where(AuditEntry.action == "resident.delete")) == "admin-user"


def test_other_roles_cannot_delete_residents(client, login_as):
    login_as("author")
    assert client.get("/console/residents").status_code == 403


def test_the_command_runs_every_rule(settings):
    result = run_cli(settings.database_url, "retention", "run", "--json")
    assert result.returncode == 0, result.stderr
    rules = {o["rule"]: o for o in json.loads(result.stdout)}
    assert rules["faq_asks"]["days"] == 365 and rules["audit_entries"]["days"] == 1825
    assert set(rules) == {rule.name for rule in retention.all_rules()}


def test_expired_saved_checklists_go_and_live_ones_stay(database, db_session, settings):
    with database.transaction() as s:
        for code, expires in (("OLD234", ago(2)), ("NEW234", ago(-10))):
            s.add(SavedChecklist(code=code, line_user_id="U" + "c" * 32, event_key="moving", answers={},
                                 procedure_keys=[], created_at=ago(40), expires_at=expires))
    outcomes = {o.rule: o for o in retention.run(database, settings, now=NOW)}
    assert outcomes["saved_checklists"].rows == 1
    assert db_session.scalars(select(SavedChecklist.code)).all() == ["NEW234"]


def test_finished_damage_reports_go_after_a_year_and_open_ones_stay(database, db_session, settings):
    with database.transaction() as s:
        for receipt, status, days in (("D-1", ReportStatus.DONE, 400), ("D-2", ReportStatus.DONE, 10),
                                      ("D-3", ReportStatus.IN_PROGRESS, 400)):
            s.add(DamageReport(receipt_no=receipt, line_user_id="U" + "e" * 32, category=DamageCategory.FALLEN_TREE,
                               status=status, status_at=ago(days), created_at=ago(days + 1)))
    outcomes = {o.rule: o for o in retention.run(database, settings, now=NOW)}
    assert outcomes["damage_reports"].rows == 1
    assert sorted(db_session.scalars(select(DamageReport.receipt_no))) == ["D-2", "D-3"]
