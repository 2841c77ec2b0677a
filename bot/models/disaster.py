"""Disaster mode: whether the account is in it, since when, why and who switched it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base

CURRENT = 1  # the table has one row: the current mode


class DisasterModeState(Base):
    __tablename__ = "disaster_mode"

    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    since: Mapped[datetime | None]  # switched on at (when active), else switched off at
    reason: Mapped[str] = mapped_column(String(200), default="")
    by: Mapped[str] = mapped_column(String(100), default="")  # who switched it last
