"""Automatic alerts from JMA (気象庁防災情報XML): the feeds' conditional-GET state, every
telegram seen (fetched once), the current alert state per city and series, staff's per-kind
choices, and the last poll for the console."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, value_enum


class AlertAction(enum.StrEnum):
    AUTO = "auto"  # send automatically
    DRAFT = "draft"  # a notice awaiting a staff member's approval
    NONE = "none"  # do nothing (the telegram is still recorded)


class JmaFeed(Base):
    """One Atom feed: what it answered last (for If-None-Match / If-Modified-Since)."""

    __tablename__ = "jma_feeds"

    url: Mapped[str] = mapped_column(String(500), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime | None]
    ok_at: Mapped[datetime | None]  # the last time it answered (200 or 304)
    last_error: Mapped[str | None] = mapped_column(Text)  # logged once, until it changes


class JmaTelegram(Base):
    """A telegram seen in a feed (its entry id is its URL): fetched once, never again."""

    __tablename__ = "jma_telegrams"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200), default="")
    seen_at: Mapped[datetime] = mapped_column(index=True)
    report_at: Mapped[datetime | None]
    event_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    info_type: Mapped[str] = mapped_column(String(16), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # see bot.jma.poll.OUTCOMES
    detail: Mapped[str] = mapped_column(Text, default="")  # for staff, in Japanese
    notice_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    state_before: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # restored by a 取消


class JmaAlertState(Base):
    """What is in force now for the city, per series (telegram title) and phenomenon."""

    __tablename__ = "jma_alert_states"
    __table_args__ = (UniqueConstraint("city_code", "series", "phenomenon"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_code: Mapped[str] = mapped_column(String(16))
    series: Mapped[str] = mapped_column(String(100))
    phenomenon: Mapped[str] = mapped_column(String(50))
    kind_name: Mapped[str] = mapped_column(String(100))
    grade: Mapped[str] = mapped_column(String(16))
    level: Mapped[int | None]
    updated_at: Mapped[datetime]


class JmaKindSetting(Base):
    """Staff's choice for one kind of alert (no row: the default)."""

    __tablename__ = "jma_kind_settings"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    action: Mapped[AlertAction] = mapped_column(value_enum(AlertAction, 8))
    disaster_mode: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class JmaPoll(Base):
    """The last poll (one row), for the console and `jma poll`."""

    __tablename__ = "jma_polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    feeds: Mapped[int] = mapped_column(default=0)
    telegrams_fetched: Mapped[int] = mapped_column(default=0)
    notice_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
