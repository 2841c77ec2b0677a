"""Fixtures for the FAQ search tests: the seed corpus and its index, built once."""

from pathlib import Path

import pytest

from bot.faq.engine.corpus import FaqEntry, load_csv_entries
from bot.faq.engine.search import FaqIndex

SEED = Path(__file__).resolve().parents[2] / "content" / "faq" / "mine-faq.csv"


@pytest.fixture(scope="session")
def seed_entries() -> list[FaqEntry]:
    return load_csv_entries(SEED)


@pytest.fixture(scope="session")
def seed_index(seed_entries) -> FaqIndex:
    return FaqIndex.build(seed_entries)


def make_entry(entry_id: str, question: str, keywords=(), answer="", **extra) -> FaqEntry:
    """A small hand-made entry for tests that need their own corpus."""
    return FaqEntry(
        id=entry_id,
        category="テスト",
        question=question,
        answer=answer or f"{question}についてのご案内です。",
        department="市民課",
        url="",
        keywords=list(keywords),
        **extra,
    )
