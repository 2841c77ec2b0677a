"""The built-in retention rules: each deletes or anonymises residents' data older than its
cutoff (see `bot/retention/__init__.py`; the defaults are in docs/PRIVACY.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.models import (
    DamageReport, ReportStatus,
    AnswerStatus, AuditEntry, ClassBooking, ClassNotification, ConversationState, Delivery, DeliveryBatch,
    DeliveryStatus, EventStatus, FaqAsk, FaqFeedback, Friend, FriendStatus, LoginFailure, MailSend, MailSendStatus,
    MailSubscriber, NotificationStatus, Notice, SavedChecklist, SmartphoneClass, WebhookEvent,
)
from bot.retention.registry import register
from bot.retention.residents import ANONYMISED_NAME, anonymise_bookings, anonymise_friend


def faq_questions(session: Session, cutoff: datetime) -> int:
    """Residents' questions and their 「解決した」/「解決しない」."""
    old = select(FaqAsk.id).where(FaqAsk.asked_at < cutoff)
    session.execute(delete(FaqFeedback).where(FaqFeedback.ask_id.in_(old)))
    return session.execute(delete(FaqAsk).where(FaqAsk.asked_at < cutoff)).rowcount


def handled_events(session: Session, cutoff: datetime) -> int:
    """Webhook events handled (and answered): LINE never redelivers after a few days."""
    done = and_(WebhookEvent.status.in_([EventStatus.HANDLED, EventStatus.IGNORED]),
                WebhookEvent.answer_status.in_([AnswerStatus.NONE, AnswerStatus.SENT]),
                WebhookEvent.received_at < cutoff)
    return session.execute(delete(WebhookEvent).where(done)).rowcount


def failed_events(session: Session, cutoff: datetime) -> int:
    """Events or answers that failed: kept longer for staff to look into, then gone too."""
    failed = or_(WebhookEvent.status == EventStatus.FAILED, WebhookEvent.answer_status == AnswerStatus.FAILED)
    return session.execute(delete(WebhookEvent).where(failed, WebhookEvent.received_at < cutoff)).rowcount


def conversations(session: Session, cutoff: datetime) -> int:
    """Where a resident was in a multi-step chat, once it has timed out."""
    return session.execute(delete(ConversationState).where(ConversationState.expires_at < cutoff)).rowcount


def saved_checklists(session: Session, cutoff: datetime) -> int:
    """Checklists a resident saved (「わたしの手続き」), once they have expired."""
    return session.execute(delete(SavedChecklist).where(SavedChecklist.expires_at < cutoff)).rowcount


def damage_reports(session: Session, cutoff: datetime) -> int:
    """Damage reports staff marked 完了 (with their photos, places and the resident's LINE id)."""
    done = and_(DamageReport.status == ReportStatus.DONE, DamageReport.status_at < cutoff)
    return session.execute(delete(DamageReport).where(done)).rowcount


def class_notifications(session: Session, cutoff: datetime) -> int:
    """Finished pushes to class participants (sent, skipped, failed, abandoned)."""
    finished = ClassNotification.status != NotificationStatus.PENDING
    when = func.coalesce(ClassNotification.sent_at, ClassNotification.created_at)
    return session.execute(delete(ClassNotification).where(finished, when < cutoff)).rowcount


def mail_sends(session: Session, cutoff: datetime) -> int:
    """Finished e-mails of notices (which address got which notice)."""
    old_notices = select(Notice.id).where(Notice.created_at < cutoff)
    finished = MailSend.status != MailSendStatus.PENDING
    return session.execute(delete(MailSend).where(
        finished, or_(MailSend.sent_at < cutoff, and_(MailSend.sent_at.is_(None), MailSend.notice_id.in_(old_notices)))
    )).rowcount


def delivery_recipients(session: Session, cutoff: datetime) -> int:
    """Who a finished notice delivery went to: the user ids go, the counts stay."""
    finished = select(Delivery.id).where(
        Delivery.status.in_([DeliveryStatus.DONE, DeliveryStatus.CANCELLED]),
        func.coalesce(Delivery.finished_at, Delivery.planned_at) < cutoff)
    return session.execute(
        update(DeliveryBatch).where(DeliveryBatch.delivery_id.in_(finished), cast(DeliveryBatch.user_ids, String) != "[]")
        .values(user_ids=[])
    ).rowcount


def mail_unsubscribed(session: Session, cutoff: datetime) -> int:
    """E-mail addresses of people who unsubscribed."""
    gone = select(MailSubscriber.id).where(MailSubscriber.unsubscribed_at < cutoff)
    session.execute(delete(MailSend).where(MailSend.subscriber_id.in_(gone)))
    return session.execute(delete(MailSubscriber).where(MailSubscriber.unsubscribed_at < cutoff)).rowcount


def class_bookings(session: Session, cutoff: datetime) -> int:
    """Names, phone numbers and LINE ids of participants of classes held before the cutoff."""
    ended = select(SmartphoneClass.id).where(SmartphoneClass.ends_at < cutoff)
    bookings = session.scalars(select(ClassBooking).where(
        ClassBooking.class_id.in_(ended), ClassBooking.participant_name != ANONYMISED_NAME)).all()
    return anonymise_bookings(session, bookings)


def blocked_friends(session: Session, cutoff: datetime) -> int:
    """A friend who blocked the account: name, area and interests removed, the LINE id replaced."""
    friends = session.scalars(select(Friend).where(
        Friend.status == FriendStatus.BLOCKED, Friend.blocked_at < cutoff, ~Friend.line_user_id.startswith("anon-"))).all()
    for friend in friends:
        anonymise_friend(session, friend)
    return len(friends)


def login_failures(session: Session, cutoff: datetime) -> int:
    """Failed console logins (login name or client address)."""
    return session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff)).rowcount


def audit_entries(session: Session, cutoff: datetime) -> int:
    """Who did what in the console, the API and the command line."""
    return session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount


register("faq_asks", 365, "住民の質問とその評価（解決した／解決しない）", faq_questions)
register("webhook_events", 3, "LINEから届いたイベント（発言・操作の内容）と返信", handled_events)
register("failed_events", 30, "処理に失敗したイベント（職員の確認用）", failed_events)
register("conversation_states", 1, "会話の途中の状態（時間切れになってから）", conversations)
register("saved_checklists", 1, "住民が保存した手続きのチェックリスト（期限が切れてから）", saved_checklists)
register("damage_reports", 365, "被害の報告（写真・場所・LINEのユーザーID。完了してから）", damage_reports)
register("class_notifications", 90, "スマホ教室の参加者への通知（送信済み）", class_notifications)
register("mail_sends", 90, "お知らせメールの送信記録", mail_sends)
register("delivery_recipients", 90, "お知らせの配信先（LINEのユーザーID）", delivery_recipients)
register("mail_unsubscribed", 30, "配信を停止した人のメールアドレス", mail_unsubscribed)
register("class_bookings", 365, "スマホ教室の参加者の氏名・電話番号（教室の終了後）", class_bookings)
register("blocked_friends", 30, "ブロックした友だちの表示名・地区・関心（ブロック後）", blocked_friends)
register("login_failures", 90, "職員ログインの失敗記録", login_failures)
register("audit_entries", 1825, "操作履歴（職員・APIの操作）", audit_entries)
