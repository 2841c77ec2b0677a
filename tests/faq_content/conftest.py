"""Fixtures for the FAQ as content: the seed corpus imported into the test's database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import Database
from bot.faq.opendata import import_entries, read_entries

SEED = Path(__file__).resolve().parents[2] / "content" / "faq" / "mine-faq.csv"


def import_seed(database_url: str) -> None:
    database = Database(database_url)
    try:
        with database.transaction() as session:
            import_entries(session, read_entries(SEED))
    finally:
        database.dispose()


@pytest.fixture
def seeded(settings):
    """The test's database with the 130 seed entries (sample content, unchecked)."""
    import_seed(settings.database_url)
    return settings

