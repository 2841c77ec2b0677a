"""A resident's question stored with one INSERT (`record_question`) is the row `record_ask` stores,
and one whose entries were unpublished meanwhile is kept as not answered, for staff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.faq import questions
from bot.faq.engine.search import Decision, Hit, SearchResult
from bot.models import FaqAsk

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
COLUMNS = ("asked_at", "question", "normalised", "decision", "entry_id", "suggested_ids", "no_match", "reported",
           "needs_review", "reviewed_at", "review_action")
RESULTS = {
    "answer": SearchResult(Decision.ANSWER, [Hit("FAQ-0001", 0.8), Hit("FAQ-0002", 0.3)]),
    "suggest": SearchResult(Decision.SUGGEST, [Hit("FAQ-0001", 0.5), Hit("FAQ-0002", 0.45), Hit("FAQ-0003", 0.44),
                                               Hit("FAQ-0004", 0.4)]),
    "none": SearchResult(Decision.NONE, []),
}


def row(session, ask_id: int) -> tuple:
    ask = session.scalars(select(FaqAsk).where(FaqAsk.id == ask_id)).one()
    return tuple(getattr(ask, name) for name in COLUMNS)


@pytest.mark.parametrize("decision", list(RESULTS))
def test_the_same_row_as_record_ask(clean_database, decision):
    database = Database(clean_database)
    with database.transaction() as session:
        by_orm = questions.record_ask(session, "住民票の写しはどこで取れますか？", RESULTS[decision], NOW).id
        by_insert = questions.record_question(session, "住民票の写しはどこで取れますか？", RESULTS[decision], NOW)
    with database.read_sessions() as session:
        assert by_insert != by_orm
        assert row(session, by_insert) == row(session, by_orm)
        assert row(session, by_insert)[3:5] == (decision, "FAQ-0001" if decision != "none" else None)
    database.dispose()


def test_entries_unpublished_meanwhile_leave_the_question_unanswered_for_review(clean_database):
    database = Database(clean_database)
    with database.transaction() as session:
        ask_id = questions.record_question(session, "粗大ごみ", RESULTS["suggest"], NOW, unpublished=True)
    with database.read_sessions() as session:
        ask = session.get(FaqAsk, ask_id)
        assert (ask.decision, ask.needs_review, ask.entry_id) == ("none", True, "FAQ-0001")
        assert ask.suggested_ids == ["FAQ-0001", "FAQ-0002", "FAQ-0003"]
        assert [group.key for group in questions.open_groups(session)] == ["粗大ごみ"]
    database.dispose()
