"""Life of a notice after it is written (`NoticeStatus`).

Created as 予約済み (scheduled), or 承認待ち (awaiting approval) when the city requires a second
person for 避難情報 and 気象・災害; editable and cancellable until it goes. When due, the
scheduler resolves its recipients and it is 送信中 (sending), then 送信済み (sent), or 送信保留
(held: monthly quota, or LINE refused it) until staff resume or cancel it. A published notice can
be withdrawn (取消): the feeds keep it, marked, with the correction. One that fell due while the
scheduler was down for longer than the grace period is 期限切れ (expired) and is never sent
silently. Every change writes an audit entry; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.models import (
    BatchStatus, Delivery, DeliveryBatch, DeliveryStatus, MailSend, MailSendStatus, Notice, NoticeStatus,
)
from bot.notices.errors import NoticeError, NoticeInvalid, NoticeNotFound
from bot.notices.reading import get_notice
from bot.notices.targeting import estimate_recipients

STATUS_LABELS: dict[NoticeStatus, str] = {
    NoticeStatus.AWAITING_APPROVAL: "承認待ち",
    NoticeStatus.SCHEDULED: "予約済み",
    NoticeStatus.SENDING: "送信中",
    NoticeStatus.SENT: "送信済み",
    NoticeStatus.HELD: "送信保留",
    NoticeStatus.CANCELLED: "中止",
    NoticeStatus.EXPIRED: "期限切れ",
    NoticeStatus.WITHDRAWN: "取消",
}
# `python -m bot notice status` reports one of six words; the other states map onto them.
PUBLIC_STATUS: dict[NoticeStatus, str] = {
    NoticeStatus.AWAITING_APPROVAL: "held",  # held for a second person's approval
    NoticeStatus.SCHEDULED: "scheduled",
    NoticeStatus.SENDING: "sending",
    NoticeStatus.SENT: "sent",
    NoticeStatus.HELD: "held",
    NoticeStatus.CANCELLED: "cancelled",
    NoticeStatus.EXPIRED: "expired",
    NoticeStatus.WITHDRAWN: "cancelled",  # 取消 after publishing; `sent` still counts who got it
}
EDITABLE = frozenset({NoticeStatus.AWAITING_APPROVAL, NoticeStatus.SCHEDULED})
REASON_MAX = 1000


def lock_notice(session: Session, notice_id: int) -> Notice:
    """The notice, locked for this transaction's change (NoticeNotFound when there is none)."""
    notice = session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update())
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def approve_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """A second person approves an urgent notice; it goes at its send time (or now if that passed)."""
    notice = lock_notice(session, notice_id)
    if notice.status is not NoticeStatus.AWAITING_APPROVAL:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは承認できません。")
    if actor == notice.created_by:
        raise NoticeError("作成した人とは別の職員が承認してください。")
    notice.status = NoticeStatus.SCHEDULED
    notice.approved_by, notice.approved_at = actor[:100], now
    notice.due_at = max(notice.send_at, now)
    notice.updated_at = now
    audit.record(session, actor, "notice.approve", target=str(notice.id), version=notice.version)
    return notice


def cancel_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """Stop a notice before it goes, or stop the rest of a held delivery (it stays on the feed)."""
    notice = lock_notice(session, notice_id)
    if notice.status not in EDITABLE | {NoticeStatus.HELD}:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは中止できません。")
    stopped = _stop_delivery(session, notice.id, now)
    notice.status = NoticeStatus.CANCELLED
    notice.cancelled_by, notice.cancelled_at, notice.updated_at = actor[:100], now, now
    audit.record(session, actor, "notice.cancel", target=str(notice.id), unsent_recipients=stopped)
    return notice


def withdraw_notice(session: Session, notice_id: int, actor: str, reason: str, now: datetime) -> Notice:
    """取消: a published notice stays on the feed, marked as withdrawn with the correction."""
    notice = lock_notice(session, notice_id)
    if notice.published_at is None or notice.status is NoticeStatus.WITHDRAWN:
        raise NoticeError("公開されたお知らせだけを取り消せます。まだ送っていなければ「中止」してください。")
    reason = (reason or "").strip()
    if not reason:
        raise NoticeInvalid({"reason": "取り消しの理由（訂正の内容）を入力してください。"})
    if len(reason) > REASON_MAX:
        raise NoticeInvalid({"reason": f"理由は{REASON_MAX}文字以内にしてください。"})
    stopped = _stop_delivery(session, notice.id, now)
    for send in session.scalars(select(MailSend).where(MailSend.notice_id == notice.id,
                                                       MailSend.status == MailSendStatus.PENDING)):
        send.status = MailSendStatus.CANCELLED
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_by, notice.withdrawn_at, notice.withdrawal_reason = actor[:100], now, reason
    notice.updated_at = now
    audit.record(session, actor, "notice.withdraw", target=str(notice.id), reason=reason, unsent_recipients=stopped)
    return notice


def resume_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """Try a held delivery again (after the quota renewed, or the refusal was fixed)."""
    notice = lock_notice(session, notice_id)
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
    if notice.status is not NoticeStatus.HELD or delivery is None:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは再開できません。")
    for batch in session.scalars(select(DeliveryBatch).where(DeliveryBatch.delivery_id == delivery.id,
                                                             DeliveryBatch.status == BatchStatus.REJECTED)):
        batch.status = BatchStatus.PENDING  # staff looked at the refusal: one more try, same retry key
    delivery.status, delivery.hold_reason = DeliveryStatus.SENDING, None
    notice.status, notice.status_reason, notice.updated_at = NoticeStatus.SENDING, None, now
    audit.record(session, actor, "notice.resume", target=str(notice.id))
    return notice


def _stop_delivery(session: Session, notice_id: int, now: datetime) -> int:
    """Cancel the batches that have not gone; returns how many recipients they held."""
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id).with_for_update())
    if delivery is None or delivery.status in (DeliveryStatus.DONE, DeliveryStatus.CANCELLED):
        return 0
    unsent = 0
    for batch in session.scalars(select(DeliveryBatch).where(
            DeliveryBatch.delivery_id == delivery.id,
            DeliveryBatch.status.in_([BatchStatus.PENDING, BatchStatus.REJECTED]))):
        if batch.status is BatchStatus.PENDING:
            unsent += batch.recipients
            batch.status = BatchStatus.CANCELLED
    delivery.status, delivery.finished_at, delivery.claimed_by = DeliveryStatus.CANCELLED, now, None
    return unsent


# -- where a delivery stands ---------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeProgress:
    """Where a notice's LINE delivery stands, for the console's progress bar and the CLI."""

    notice_id: int
    status: NoticeStatus
    targets: int
    sent: int
    failed: int
    pending: int
    cancelled: int
    reason: str | None
    planned: bool  # recipients resolved (else `targets` is an estimate)

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[self.status]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def fraction(self) -> float:
        """Share of recipients settled (sent or failed), 0.0 to 1.0."""
        if not self.planned:
            return 0.0
        if self.targets == 0:
            return 1.0
        return min((self.sent + self.failed) / self.targets, 1.0)

    def as_json(self) -> dict[str, Any]:
        """What `notice status --json` prints."""
        return {"status": self.public_status, "targets": self.targets, "sent": self.sent, "failed": self.failed}


def progress(session: Session, notice_id: int) -> NoticeProgress:
    notice = get_notice(session, notice_id)
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id))
    reason = notice.status_reason or (notice.withdrawal_reason if notice.status is NoticeStatus.WITHDRAWN else None)
    if delivery is None:
        unplanned = notice.status in EDITABLE
        targets = estimate_recipients(session, notice.areas, notice.interests) if unplanned else 0
        return NoticeProgress(notice.id, notice.status, targets, 0, 0, 0, 0, reason, planned=False)
    by_status = dict(session.execute(
        select(DeliveryBatch.status, func.coalesce(func.sum(DeliveryBatch.recipients), 0))
        .where(DeliveryBatch.delivery_id == delivery.id).group_by(DeliveryBatch.status)).all())
    return NoticeProgress(
        notice.id, notice.status, delivery.targets,
        sent=int(by_status.get(BatchStatus.SENT, 0)),
        failed=int(by_status.get(BatchStatus.REJECTED, 0)) + int(by_status.get(BatchStatus.ABANDONED, 0)),
        pending=int(by_status.get(BatchStatus.PENDING, 0)),
        cancelled=int(by_status.get(BatchStatus.CANCELLED, 0)),
        reason=reason or delivery.hold_reason,
        planned=True,
    )


def recipients_needed(session: Session, notice: Notice) -> int:
    """Messages this notice will still use: the recipients not yet sent, or the estimate."""
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
    if delivery is None:
        if notice.status in (NoticeStatus.CANCELLED, NoticeStatus.EXPIRED, NoticeStatus.WITHDRAWN):
            return 0
        return estimate_recipients(session, notice.areas, notice.interests)
    return progress(session, notice.id).pending
