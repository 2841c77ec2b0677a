"""くらしの手続きガイド in the database: life events with their narrowing questions, the
procedures they lead to, the online procedures catalogue, and residents' saved checklists.
Also the city facts staff edit (the main contact, class venues). Content rows are imported from
`content/` and then edited by staff; each carries its sample marking and 確認日."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow


class CheckedContent:
    """What every staff-edited content row has: sample marking, 確認日, last change."""

    sample: Mapped[bool] = mapped_column(default=True)  # seed content nobody at the city has checked
    verified_on: Mapped[date | None] = mapped_column(Date)  # 確認日: empty until the city checks it
    verified_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LifeEvent(CheckedContent, Base):
    """A life event (引っ越し, 出生...): its questions and which procedures follow from which
    answers (the decision tree, validated by `bot.procedures.tree`). The words residents type
    for it are in `messages/vocabulary.py` (LIFE_EVENT_WORDS)."""

    __tablename__ = "life_events"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    tree: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"questions": [...], "procedures": [...]}


class Procedure(CheckedContent, Base):
    """One procedure at the city office: where, what to bring, by when, the fee, online link."""

    __tablename__ = "procedures"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    counter: Mapped[str] = mapped_column(String(200), default="")
    bring: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[str] = mapped_column(String(200), default="")
    fee: Mapped[str] = mapped_column(String(200), default="")
    online_label: Mapped[str] = mapped_column(String(40), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    online_unverified: Mapped[bool] = mapped_column(default=False)  # the link itself is not checked
    note: Mapped[str] = mapped_column(Text, default="")


class OnlineProcedure(CheckedContent, Base):
    """A procedure residents can do online (オンライン手続き), by category."""

    __tablename__ = "online_procedures"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(500))
    needs_card: Mapped[bool] = mapped_column(default=False)  # マイナンバーカードが必要
    url_unverified: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class SavedChecklist(Base):
    """A checklist a resident saved: shown again in 「わたしの手続き」 and at the counter as
    /p/<code>. It holds the event, the answers and the procedure keys, nothing about the person
    (the LINE user id only finds it again in LINE and never appears on the page)."""

    __tablename__ = "saved_checklists"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    event_key: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    procedure_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class CityContact(CheckedContent, Base):
    """A contact the bot gives residents (the main one: key "main"), with its opening hours."""

    __tablename__ = "city_contacts"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")


class ClassVenue(CheckedContent, Base):
    """A place where スマホ教室 take place (names only until the city checks more)."""

    __tablename__ = "class_venues"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    area: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
