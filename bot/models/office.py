"""What the office console adds: the history of follows and blocks (for the dashboard's friends
over time) and recurring notices (rules whose occurrences are ordinary notices)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class FriendEventKind(enum.StrEnum):
    FOLLOW = "follow"  # added the account (or unblocked it)
    UNFOLLOW = "unfollow"  # blocked it


class FriendEvent(Base):
    """One follow or block, written when it happens; the friend's area is read at report time."""

    __tablename__ = "friend_events"
    __table_args__ = (Index("ix_friend_events_at_kind", "at", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    friend_id: Mapped[int] = mapped_column(ForeignKey("friends.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FriendEventKind] = mapped_column(value_enum(FriendEventKind, 16))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RecurrenceFrequency(enum.StrEnum):
    WEEKLY = "weekly"  # on the chosen weekdays
    MONTHLY_DAY = "monthly_day"  # on a date of the month (e.g. the 15th)
    MONTHLY_NTH = "monthly_nth"  # on the Nth weekday of the month (第2火曜日)


class RecurringNotice(Base):
    """A notice that repeats. Each occurrence is an ordinary notice (Notice.recurrence_id),
    created ahead of time by the scheduler, so staff can see, skip or edit one by one."""

    __tablename__ = "recurring_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link_url: Mapped[str | None] = mapped_column(String(1000))
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    frequency: Mapped[RecurrenceFrequency] = mapped_column(value_enum(RecurrenceFrequency, 16))
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = Monday (weekly, monthly_nth)
    month_day: Mapped[int | None]  # 1-31 (monthly_day; a short month uses its last day)
    week_number: Mapped[int | None]  # 1-5 (monthly_nth; 5: the last one)
    send_time: Mapped[str] = mapped_column(String(5))  # HH:MM, Japan time
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    excluded: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates with no occurrence
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    stopped_at: Mapped[datetime | None]
    stopped_by: Mapped[str | None] = mapped_column(String(100))
