"""Fixtures for the FAQ as content: the seed corpus imported into the test's database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import Database
from bot.faq.opendata import import_entries, read_entries
from tests.support.console import create_staff, fast_password_hashing, log_in  # noqa: F401

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


@pytest.fixture
def login_as(client, settings):
    """login_as(role) -> StaffLogin: an account with that role, and `client` logged in."""

    def login(role: str = "author", login_name: str | None = None):
        account = create_staff(settings.database_url, login_name or f"{role}-user", role)
        response = log_in(client, account.login_name, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return account

    return login
