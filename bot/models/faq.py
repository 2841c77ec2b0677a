"""The FAQ in the database: entries staff edit, the content version every web worker watches,
residents' questions (for staff review) and their 「解決した」/「解決しない」 feedback."""

from __future__ import annotations

from datetime import date, datetime
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow


class FaqEntryRecord(Base):
    """One question and its answer. Ids (FAQ-0001 ...) are never renumbered nor reused:
    an entry residents should not see any more is unpublished, not deleted."""

    __tablename__ = "faq_entries"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), default="")
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    alt_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(default=True)
    sample: Mapped[bool] = mapped_column(default=False)  # seed content nobody at the city has checked
    verified_on: Mapped[date | None] = mapped_column(Date)  # 確認日: empty until the city checks it
    verified_by: Mapped[str | None] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(default=1)  # refuses an edit made on an outdated form
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # 更新日: the content changed


class FaqContentVersion(Base):
    """One row whose number goes up with every change to the entries: each web worker compares
    it with the version of its in-memory search index and rebuilds the index when it differs."""

    __tablename__ = "faq_content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class FaqAsk(Base):
    """A question a resident asked the FAQ, kept for staff review (never written to logs).

    `needs_review` marks the ones staff should look at: no entry fitted, none of the suggested
    entries fitted, or the answer was marked 「解決しない」. Staff handle them by normalised text
    (`normalised`), which groups the same question asked several times."""

    __tablename__ = "faq_asks"
    __table_args__ = (Index("ix_faq_asks_asked_at_decision", "asked_at", "decision"),)  # the dashboard

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    question: Mapped[str] = mapped_column(String(400))
    normalised: Mapped[str] = mapped_column(String(400), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # answer, suggest or none (the search's decision)
    entry_id: Mapped[str | None] = mapped_column(String(16))  # the entry answered, or the first suggested
    suggested_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    no_match: Mapped[bool] = mapped_column(default=False)  # 「この中にない」 after suggestions
    reported: Mapped[bool] = mapped_column(default=False)  # 「職員に伝える」
    needs_review: Mapped[bool] = mapped_column(default=False, index=True)
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_action: Mapped[str | None] = mapped_column(String(16))  # attached, created or dismissed
    review_entry_id: Mapped[str | None] = mapped_column(String(16))


class FaqFeedback(Base):
    """「解決した」 or 「解決しない」 for one answer to one question (a second tap changes the vote)."""

    __tablename__ = "faq_feedback"
    __table_args__ = (UniqueConstraint("ask_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("faq_asks.id", ondelete="CASCADE"))  # indexed by the unique key
    entry_id: Mapped[str] = mapped_column(String(16), index=True)
    resolved: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
