"""Residents' questions to the FAQ, their 「解決した」/「解決しない」 feedback, and the list of
questions staff should look at (未回答の質問).

A question is kept for staff review, never written to logs. It needs review when no entry
fitted, when none of the suggested entries fitted (「この中にない」), or when its answer was
marked 「解決しない」. Staff see those grouped by normalised text with counts, and handle a
group at once: attach the question to an entry as another phrasing, create a new entry from
it, or dismiss it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.faq.engine.normalize import normalize
from bot.faq.engine.search import MAX_QUERY_CHARS, SearchResult
from bot.models import FaqAsk, FaqFeedback

SUGGESTIONS_MAX = 3
GROUPS_MAX = 200


class ReviewAction:
    ATTACHED = "attached"
    CREATED = "created"
    DISMISSED = "dismissed"


REVIEW_LABELS = {ReviewAction.ATTACHED: "別の聞き方に追加", ReviewAction.CREATED: "新しいFAQを作成",
                 ReviewAction.DISMISSED: "対応不要"}


def group_key(question: str) -> str:
    """The same question typed differently (width, kana, punctuation, spaces) groups together."""
    return normalize(question).replace(" ", "")[:MAX_QUERY_CHARS]


# ---- what residents do ------------------------------------------------------------------------


def record_ask(session: Session, question: str, result: SearchResult, now: datetime | None = None) -> FaqAsk:
    """Keep a resident's question and what the search decided (flushed: it has an id)."""
    ask = FaqAsk(**_ask_values(question, result, now))
    session.add(ask)
    session.flush()
    return ask


def record_question(session: Session, question: str, result: SearchResult, now: datetime,
                    *, unpublished: bool = False) -> int:
    """Keep a resident's question as `record_ask` does, in one INSERT without an ORM object; the
    ask's id. `unpublished`: the entries the search chose were unpublished since the index was
    built, so the question counts as not answered (decision none, for staff's review)."""
    values = _ask_values(question, result, now)
    if unpublished:
        values |= {"decision": "none", "needs_review": True}
    return session.connection().execute(_insert_ask(), values).scalar_one()


def _ask_values(question: str, result: SearchResult, now: datetime | None) -> dict[str, Any]:
    question = question[:MAX_QUERY_CHARS]
    decision = str(result.decision)
    return {
        "asked_at": now or utcnow(), "question": question, "normalised": group_key(question), "decision": decision,
        "entry_id": result.hits[0].entry_id if result.hits and decision != "none" else None,
        "suggested_ids": [hit.entry_id for hit in result.hits[:SUGGESTIONS_MAX]] if decision == "suggest" else [],
        "needs_review": decision == "none", "no_match": False, "reported": False,
    }


@functools.cache
def _insert_ask() -> Any:
    table = FaqAsk.__table__
    return insert(table).returning(table.c.id)


def find_ask(session: Session, ask_id: str | int | None) -> FaqAsk | None:
    if ask_id is None or not str(ask_id).isdigit() or len(str(ask_id)) > 12:
        return None
    return session.get(FaqAsk, int(ask_id))


def mark_no_match(ask: FaqAsk) -> None:
    """「この中にない」: none of the suggested entries fits."""
    ask.no_match = True
    ask.needs_review = True


def report_to_staff(ask: FaqAsk) -> None:
    """「職員に伝える」: the resident asks that staff see this question."""
    ask.reported = True
    ask.needs_review = True


def give_feedback(session: Session, ask: FaqAsk, entry_id: str, resolved: bool, now: datetime | None = None) -> None:
    """Store 「解決した」/「解決しない」 for one answer (a second tap changes the vote)."""
    now = now or utcnow()
    feedback = session.scalar(select(FaqFeedback).where(FaqFeedback.ask_id == ask.id, FaqFeedback.entry_id == entry_id))
    if feedback is None:
        session.add(FaqFeedback(ask_id=ask.id, entry_id=entry_id, resolved=resolved, at=now))
    else:
        feedback.resolved, feedback.at = resolved, now
    session.flush()
    unhelpful = session.scalar(
        select(func.count()).where(FaqFeedback.ask_id == ask.id, FaqFeedback.resolved.is_(False))
    )
    ask.needs_review = bool(unhelpful) or ask.decision == "none" or ask.no_match or ask.reported


# ---- what staff see ---------------------------------------------------------------------------


@dataclass
class QuestionGroup:
    """One question (by normalised text) that needs staff's attention, with its counts."""

    key: str
    ask_id: int  # the latest ask (the group's handle in the console)
    question: str  # the wording residents used most
    count: int
    unanswered: int  # no entry fitted, or none of the suggestions
    unresolved: int  # answered, but marked 「解決しない」
    reported: int  # 「職員に伝える」
    first_asked: datetime
    last_asked: datetime
    unhelpful_entries: list[str] = field(default_factory=list)


def open_groups(session: Session, limit: int = GROUPS_MAX) -> list[QuestionGroup]:
    """Questions waiting for staff, most asked first."""
    is_unanswered = case(((FaqAsk.decision == "none") | FaqAsk.no_match, 1), else_=0)
    rows = session.execute(
        select(
            FaqAsk.normalised, func.max(FaqAsk.id), func.count(), func.sum(is_unanswered),
            func.sum(case((FaqAsk.reported, 1), else_=0)), func.min(FaqAsk.asked_at), func.max(FaqAsk.asked_at),
        )
        .where(FaqAsk.needs_review, FaqAsk.review_action.is_(None))
        .group_by(FaqAsk.normalised)
        .order_by(func.count().desc(), func.max(FaqAsk.asked_at).desc())
        .limit(limit)
    ).all()
    wording = _usual_wording(session, [row[0] for row in rows])
    groups = [
        QuestionGroup(key, ask_id, wording.get(key, key), count, int(unanswered or 0), count - int(unanswered or 0),
                      int(reported or 0), first, last)
        for key, ask_id, count, unanswered, reported, first, last in rows
    ]
    _add_unhelpful_entries(session, groups)
    return groups


def _usual_wording(session: Session, keys: list[str]) -> dict[str, str]:
    """For each group, the wording residents used most (the latest one on a tie)."""
    rows = session.execute(
        select(FaqAsk.normalised, FaqAsk.question, func.count(), func.max(FaqAsk.id))
        .where(FaqAsk.needs_review, FaqAsk.review_action.is_(None), FaqAsk.normalised.in_(keys))
        .group_by(FaqAsk.normalised, FaqAsk.question)
    ).all()
    best: dict[str, tuple[int, int, str]] = {}
    for key, question, count, latest in rows:
        best[key] = max(best.get(key, (0, 0, "")), (count, latest, question))
    return {key: question for key, (_count, _latest, question) in best.items()}


def _add_unhelpful_entries(session: Session, groups: list[QuestionGroup]) -> None:
    by_key = {group.key: group for group in groups}
    if not by_key:
        return
    rows = session.execute(
        select(FaqAsk.normalised, FaqFeedback.entry_id).distinct()
        .join(FaqFeedback, FaqFeedback.ask_id == FaqAsk.id)
        .where(FaqFeedback.resolved.is_(False), FaqAsk.review_action.is_(None), FaqAsk.normalised.in_(list(by_key)))
        .order_by(FaqFeedback.entry_id)
    ).all()
    for key, entry_id in rows:
        by_key[key].unhelpful_entries.append(entry_id)


def recently_handled(session: Session, limit: int = 20) -> list[FaqAsk]:
    """The latest questions staff handled, newest first (one per group and action)."""
    rows = session.scalars(
        select(FaqAsk).where(FaqAsk.review_action.is_not(None))
        .order_by(FaqAsk.reviewed_at.desc(), FaqAsk.id.desc()).limit(limit * 5)
    )
    seen, handled = set(), []
    for ask in rows:
        if (ask.normalised, ask.review_action, ask.reviewed_at) not in seen:
            seen.add((ask.normalised, ask.review_action, ask.reviewed_at))
            handled.append(ask)
    return handled[:limit]


def close_group(session: Session, ask: FaqAsk, action: str, actor: str, entry_id: str | None = None,
                now: datetime | None = None) -> int:
    """Mark every open ask of `ask`'s group as handled; returns how many."""
    now = now or utcnow()
    asks = list(session.scalars(
        select(FaqAsk).where(FaqAsk.normalised == ask.normalised, FaqAsk.needs_review, FaqAsk.review_action.is_(None))
    ))
    for item in asks:
        item.review_action, item.reviewed_at, item.reviewed_by = action, now, actor[:100]
        item.review_entry_id = entry_id
    return len(asks)


def feedback_counts(session: Session, entry_id: str) -> tuple[int, int]:
    """(「解決した」, 「解決しない」) votes for one entry."""
    rows = dict(session.execute(
        select(FaqFeedback.resolved, func.count())
        .where(FaqFeedback.entry_id == entry_id).group_by(FaqFeedback.resolved)
    ).all())
    return rows.get(True, 0), rows.get(False, 0)
