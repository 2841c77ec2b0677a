"""City staff who use the console, the API tokens other city systems use, and failed logins."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow, value_enum


class StaffRole(enum.StrEnum):
    """What a staff member may do in the console; admins may do everything."""

    ADMIN = "admin"
    AUTHOR = "author"
    APPROVER = "approver"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS = {
    StaffRole.ADMIN: "管理者",
    StaffRole.AUTHOR: "作成者",
    StaffRole.APPROVER: "承認者",
    StaffRole.VIEWER: "閲覧者",
}
ROLE_DESCRIPTIONS = {
    StaffRole.ADMIN: "すべての操作に加え、職員アカウント・設定・APIトークン・操作履歴を管理できます。",
    StaffRole.AUTHOR: "お知らせなどを作成し、配信の予約ができます。",
    StaffRole.APPROVER: "承認が必要なお知らせを確認し、承認できます。",
    StaffRole.VIEWER: "内容を見ることだけができます（変更はできません）。",
}


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[StaffRole] = mapped_column(value_enum(StaffRole, 16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # In every console session cookie; bumping it (logout, password change, disabling) ends them all.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")


class ApiToken(Base):
    """A bearer token for another city system; only the SHA-256 of the token is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # POST /api/notices rate limit: requests in the current fixed window (shared by every worker).
    rate_window_start: Mapped[datetime | None]
    rate_window_count: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(Base):
    """One failed console login, counted per login name and per client address.

    Kept in the database so that every web worker sees the same count."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), index=True)  # "name:<login>" or "ip:<address>"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
