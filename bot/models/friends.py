"""Residents who added the account as a friend."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class FriendStatus(enum.StrEnum):
    FOLLOWING = "following"
    BLOCKED = "blocked"


class Friend(Base):
    __tablename__ = "friends"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str | None] = mapped_column(String(32), index=True)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[FriendStatus] = mapped_column(
        value_enum(FriendStatus, 16),
        default=FriendStatus.FOLLOWING,
        index=True,
    )
    follow_count: Mapped[int] = mapped_column(default=1)
    followed_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_following(self) -> bool:
        return self.status is FriendStatus.FOLLOWING
