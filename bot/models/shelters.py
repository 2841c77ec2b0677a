"""Shelters (指定緊急避難場所 / 指定避難所) with their open/full/closed status, and residents'
damage reports (被害の報告) with the photo fetched from LINE."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from bot.db import Base, utcnow, value_enum


class ShelterStatus(enum.StrEnum):
    OPEN = "open"  # 開設
    FULL = "full"  # 満員
    CLOSED = "closed"  # 閉鎖 (also: not opened yet)


class Shelter(Base):
    """One designated shelter, with the columns of the open-data lists; `status` is what
    residents see now. Ids come from the imported file and are never reused."""

    __tablename__ = "shelters"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(16), default="")  # a key of bot.friends.AREAS
    emergency_site: Mapped[bool] = mapped_column(default=True)  # 指定緊急避難場所
    evacuation_shelter: Mapped[bool] = mapped_column(default=False)  # 指定避難所
    disaster_types: Mapped[list[str]] = mapped_column(JSON, default=list)  # keys of bot.shelters.DISASTER_TYPES
    capacity: Mapped[int | None]
    phone: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[ShelterStatus] = mapped_column(value_enum(ShelterStatus, 16), default=ShelterStatus.CLOSED,
                                                  index=True)
    status_at: Mapped[datetime | None]
    status_by: Mapped[str | None] = mapped_column(String(100))
    sample: Mapped[bool] = mapped_column(default=False)  # seed content nobody at the city has checked
    verified_on: Mapped[date | None] = mapped_column(Date)  # 確認日: empty until the city checks it
    verified_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DamageCategory(enum.StrEnum):
    FALLEN_TREE = "fallen_tree"  # 倒木
    FLOODED_ROAD = "flooded_road"  # 道路の冠水
    LANDSLIDE = "landslide"  # 土砂崩れ
    OTHER = "other"  # その他


class ReportStatus(enum.StrEnum):
    NEW = "new"  # 未対応
    IN_PROGRESS = "in_progress"  # 対応中
    DONE = "done"  # 完了


class PhotoState(enum.StrEnum):
    NONE = "none"  # the resident sent no photo
    PENDING = "pending"  # 写真を取得中: the scheduler fetches it from LINE
    STORED = "stored"
    TOO_LARGE = "too_large"  # over the size cap: not kept
    UNAVAILABLE = "unavailable"  # LINE no longer has it, or kept failing


class DamageReport(Base):
    """A resident's report of damage (a fallen tree, a flooded road, a landslide...). The words
    and the photo are the resident's: shown to staff, never written to logs."""

    __tablename__ = "damage_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_no: Mapped[str | None] = mapped_column(String(20), unique=True)  # 受付番号 D-2026-0001
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[DamageCategory] = mapped_column(value_enum(DamageCategory, 16), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(200), default="")  # the location's title/address from LINE
    photo_state: Mapped[PhotoState] = mapped_column(value_enum(PhotoState, 16), default=PhotoState.NONE, index=True)
    photo_message_id: Mapped[str | None] = mapped_column(String(32))
    photo_attempts: Mapped[int] = mapped_column(default=0)
    photo_type: Mapped[str | None] = mapped_column(String(64))
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[ReportStatus] = mapped_column(value_enum(ReportStatus, 16), default=ReportStatus.NEW, index=True)
    status_at: Mapped[datetime | None]
    status_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
