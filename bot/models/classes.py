"""スマホ教室: smartphone classes, the people booked on them, the LINE messages owed to them
(an outbox, so that a crash never sends one twice or drops it) and the reminder setting."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class ClassStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"  # 中止: everyone booked was told


class SmartphoneClass(Base):
    __tablename__ = "smartphone_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(32))  # a key of bot.classes.LEVELS
    venue_key: Mapped[str | None] = mapped_column(String(64))  # a venue of content/classes/venues.json
    venue_name: Mapped[str] = mapped_column(String(100))  # kept as shown when the class was saved
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")
    signup_opens_at: Mapped[datetime | None]  # None: open as soon as the class is listed
    signup_closes_at: Mapped[datetime | None]  # None: until the class starts
    waitlist_open: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ClassStatus] = mapped_column(value_enum(ClassStatus, 16), default=ClassStatus.SCHEDULED, index=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    sample: Mapped[bool] = mapped_column(default=False)  # demo content (見本), not a real class
    version: Mapped[int] = mapped_column(default=1)  # bumped when the date, time or venue changes
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_cancelled(self) -> bool:
        return self.status is ClassStatus.CANCELLED


class BookingStatus(enum.StrEnum):
    CONFIRMED = "confirmed"  # 参加決定: holds a seat
    WAITLISTED = "waitlisted"  # キャンセル待ち: promoted in order when a seat frees up
    CANCELLED = "cancelled"  # キャンセル (by the person, or by staff for them)


class BookingSource(enum.StrEnum):
    LINE = "line"
    PHONE = "phone"  # phoned in; staff typed it in the console


class ClassBooking(Base):
    """One participant on one class.

    A LINE user may book several different people (family members) for one class, but each
    person once: at most one active booking per (class, contact, participant name), where the
    contact is the LINE user id, or the phone number for phoned-in bookings."""

    __tablename__ = "class_bookings"
    __table_args__ = (
        Index(
            "uq_class_bookings_active_person", "class_id", "contact_key", "participant_key", unique=True,
            sqlite_where=text("status != 'cancelled'"), postgresql_where=text("status != 'cancelled'"),
        ),
        Index("ix_class_bookings_class_id_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("smartphone_classes.id", ondelete="CASCADE"))
    source: Mapped[BookingSource] = mapped_column(value_enum(BookingSource, 8))
    line_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_key: Mapped[str] = mapped_column(String(80))  # LINE user id, or "tel:<digits>"
    participant_name: Mapped[str] = mapped_column(String(100))
    participant_key: Mapped[str] = mapped_column(String(100))  # the name without spaces, NFKC
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[BookingStatus] = mapped_column(value_enum(BookingStatus, 16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # the waitlist is served in this order
    confirmed_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]  # moved up from the waitlist
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))  # "line", or a staff login name
    attended: Mapped[bool | None]  # None: not marked yet
    attendance_marked_by: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(100))  # "line", a staff login name or "cli"

    @property
    def is_active(self) -> bool:
        return self.status is not BookingStatus.CANCELLED


class NotificationKind(enum.StrEnum):
    REMINDER = "reminder"  # the day before
    PROMOTED = "promoted"  # a seat freed up: moved from the waitlist to confirmed
    CLASS_CANCELLED = "class_cancelled"
    CLASS_CHANGED = "class_changed"  # the date, time or venue changed


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"  # not yet accepted by LINE (it may have been tried: the retry key decides)
    SENT = "sent"
    SKIPPED = "skipped"  # no longer true when its turn came (booking or class cancelled)
    FAILED = "failed"  # LINE refused it (4xx)
    ABANDONED = "abandoned"  # tried, unconfirmed, and its retry key has expired: not resent


class ClassNotification(Base):
    """A push owed to one LINE booking. The row and its retry key are committed before LINE is
    called, so a sender that crashes and restarts repeats the call with the same key and LINE
    delivers it once; `dedupe_key` makes sure the same news is never queued twice."""

    __tablename__ = "class_notifications"
    __table_args__ = (Index("ix_class_notifications_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("class_bookings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(value_enum(NotificationKind, 24))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64))
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # frozen when queued: every retry is identical
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[NotificationStatus] = mapped_column(value_enum(NotificationStatus, 16))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class ClassSettings(Base):
    """Settings staff choose for every class (one row, id 1)."""

    __tablename__ = "class_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reminder_time: Mapped[str] = mapped_column(String(5), default="10:00")  # HH:MM, Japan time, the day before
    reminders_enabled: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
