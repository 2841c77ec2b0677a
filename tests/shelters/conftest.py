"""Fixtures for shelters: the sample list imported into the test's database, a way to set a
shelter's status as staff would, and a resident who follows the account."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import shelters
from bot.db import Database, utcnow
from bot.models import Shelter, ShelterStatus
from bot.shelters.opendata import import_shelters, read_shelters

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "shelters" / "mine-shelters.csv"


def import_sample(database_url: str) -> None:
    database = Database(database_url)
    try:
        with database.transaction() as session:
            import_shelters(session, read_shelters(SAMPLE), utcnow())
    finally:
        database.dispose()


@pytest.fixture
def sample_shelters(settings) -> Callable[..., None]:
    """The sample list (12 shelters, all 閉鎖) in the test's database; call it with
    `open=[ids]`, `full=[ids]` to set their status as staff would."""
    import_sample(settings.database_url)

    def set_status(open: tuple[str, ...] = (), full: tuple[str, ...] = (), closed: tuple[str, ...] = ()) -> None:
        database = Database(settings.database_url)
        try:
            with database.transaction() as session:
                for ids, status in ((open, ShelterStatus.OPEN), (full, ShelterStatus.FULL),
                                    (closed, ShelterStatus.CLOSED)):
                    for shelter_id in ids:
                        shelters.set_status(session.get(Shelter, shelter_id), status, "test", utcnow())
        finally:
            database.dispose()

    return set_status


def last_message(sim, user: str) -> dict:
    return sim.inbox(user)[-1]["message"]


def carousel_names(message: dict) -> list[str]:
    """The shelter names of a shelters carousel, in order."""
    assert message["type"] == "flex" and message["contents"]["type"] == "carousel", json.dumps(message)[:300]
    return [bubble["body"]["contents"][0]["text"] for bubble in message["contents"]["contents"]]
