"""Webhook events as received: the durable queue between `POST /callback` and the event worker,
and each event's answer (the outbox for its reply, or the push that replaces a dead reply)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class EventStatus(StrEnum):
    PENDING = "pending"
    HANDLED = "handled"
    FAILED = "failed"  # the handler raised on every attempt: staff see it (`python -m bot events failed`)
    IGNORED = "ignored"  # standby mode: another channel answers


class AnswerStatus(StrEnum):
    NONE = "none"  # nothing to send (no messages, no reply token)
    REPLY_PENDING = "reply_pending"
    PUSH_PENDING = "push_pending"
    SENT = "sent"
    FAILED = "failed"


class WebhookEvent(Base):
    __tablename__ = "webhook_events"
    __table_args__ = (
        Index("ix_webhook_events_claim", "status", "claim_until"),
        Index("ix_webhook_events_answer_due", "answer_status", "answer_next_at"),
    )

    webhook_event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    line_user_id: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # residents' words: never log it
    status: Mapped[EventStatus] = mapped_column(value_enum(EventStatus, 16), default=EventStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(96))
    claim_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    handled_at: Mapped[datetime | None]
    answer: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    answer_status: Mapped[AnswerStatus] = mapped_column(value_enum(AnswerStatus, 16), default=AnswerStatus.NONE)
    answer_attempts: Mapped[int] = mapped_column(default=0)
    answer_retry_key: Mapped[str | None] = mapped_column(String(36))
    answer_next_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer_error: Mapped[str | None] = mapped_column(String(300))
