"""Notices to residents, their LINE deliveries (batches with retry keys) and e-mail subscribers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class NoticeKind(enum.StrEnum):
    EVACUATION = "evacuation"  # 避難情報
    WEATHER = "weather"  # 気象・災害
    EVENT = "event"  # イベント
    INFO = "info"  # お知らせ


class NoticeStatus(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # 承認待ち
    SCHEDULED = "scheduled"  # 予約済み (goes at due_at)
    SENDING = "sending"  # 送信中
    SENT = "sent"  # 送信済み
    HELD = "held"  # 送信保留 (monthly quota, LINE refused): staff resume or cancel
    CANCELLED = "cancelled"  # 中止 before it went
    EXPIRED = "expired"  # 期限切れ: fell due while the scheduler was down, not sent
    WITHDRAWN = "withdrawn"  # 取消 after it was published; the feed shows the correction


class DeliveryMode(enum.StrEnum):
    BROADCAST = "broadcast"  # every friend: one broadcast call
    MULTICAST = "multicast"  # a segment: multicast calls of at most 500


class DeliveryStatus(enum.StrEnum):
    SENDING = "sending"
    DONE = "done"
    HELD = "held"
    CANCELLED = "cancelled"


class BatchStatus(enum.StrEnum):
    PENDING = "pending"  # not yet accepted by LINE (it may have been tried: the retry key decides)
    SENT = "sent"  # LINE accepted it (or answered 409 for its retry key)
    REJECTED = "rejected"  # LINE answered 4xx: not retried until staff resume
    ABANDONED = "abandoned"  # tried, unconfirmed, and its retry key has expired: not resent
    CANCELLED = "cancelled"  # the notice was withdrawn before this batch went


class MailSendStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Notice(Base):
    __tablename__ = "notices"
    # One notice per occurrence of a recurring notice, however often the scheduler runs.
    __table_args__ = (Index("uq_notices_recurrence_occurrence", "recurrence_id", "occurrence_on", unique=True),
                      Index("ix_notices_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(value_enum(NoticeKind, 16))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link_url: Mapped[str | None] = mapped_column(String(1000))
    image_url: Mapped[str | None] = mapped_column(String(1000))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every area
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: everyone
    send_at: Mapped[datetime]  # what staff asked for
    due_at: Mapped[datetime] = mapped_column(index=True)  # when it may go (later of send_at and approval)
    status: Mapped[NoticeStatus] = mapped_column(value_enum(NoticeStatus, 24), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it is held or expired, for staff
    requires_approval: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(16), default="console")  # console, api, cli, jma
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)  # on the feed from then on
    finished_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    mail_planned_at: Mapped[datetime | None]
    # The recurring notice (bot.models.office) this is an occurrence of. No foreign key: a rule
    # is never deleted (it is stopped), and SQLite could add one only by rebuilding this table.
    recurrence_id: Mapped[int | None]
    occurrence_on: Mapped[date | None] = mapped_column(Date)  # the date of its rule it stands for


class Delivery(Base):
    """A notice's LINE delivery: recipients fixed at send time, split into batches."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), unique=True)
    mode: Mapped[DeliveryMode] = mapped_column(value_enum(DeliveryMode, 16))
    status: Mapped[DeliveryStatus] = mapped_column(value_enum(DeliveryStatus, 16), index=True)
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # frozen at send time: every retry is identical
    targets: Mapped[int] = mapped_column(default=0)
    hold_reason: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(128))  # the scheduler process sending it
    claim_expires_at: Mapped[datetime | None]
    planned_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class DeliveryBatch(Base):
    """One LINE call: up to 500 user ids (none for a broadcast) and the retry key for it.

    The row, with its retry key, is committed before the call is ever made, so a sender that
    crashes and restarts repeats the call with the same key and LINE delivers it once."""

    __tablename__ = "delivery_batches"
    __table_args__ = (
        UniqueConstraint("delivery_id", "seq"),
        Index("ix_delivery_batches_delivery_id_status", "delivery_id", "status"),
        Index("ix_delivery_batches_sent_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    seq: Mapped[int]
    user_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipients: Mapped[int]
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[BatchStatus] = mapped_column(value_enum(BatchStatus, 16))
    attempts: Mapped[int] = mapped_column(default=0)
    first_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None] = mapped_column(String(128))
    request_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class MailSubscriber(Base):
    """Someone who receives notices by e-mail, for the areas they chose (none chosen: all)."""

    __tablename__ = "mail_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribed_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None


class MailSend(Base):
    """One notice to one subscriber: planned when the notice is published, then sent once."""

    __tablename__ = "mail_sends"
    __table_args__ = (UniqueConstraint("notice_id", "subscriber_id"),
                      Index("ix_mail_sends_notice_id_status", "notice_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("mail_subscribers.id", ondelete="CASCADE"))
    status: Mapped[MailSendStatus] = mapped_column(value_enum(MailSendStatus, 16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
