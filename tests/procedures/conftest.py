"""Fixtures for くらしの手続きガイド tests: the content imported into the test database."""

from __future__ import annotations

import pytest

from bot.db import utcnow
from bot.procedures.content import import_content


@pytest.fixture
def imported(database) -> None:
    """content/procedures/*.yaml in the database, as `python -m bot procedures import` loads it."""
    with database.transaction() as session:
        import_content(session, utcnow())


def resident(sim, name: str = "美祢 花子") -> str:
    """A new friend who left the area question for later."""
    user = sim.new_user(name)
    sim.follow(user)
    sim.tap(user, "あとで")
    return user


def carousel_cards(message: dict) -> list[dict]:
    assert message["type"] == "flex" and message["contents"]["type"] == "carousel"
    return message["contents"]["contents"]


def flex_texts(node) -> list[str]:
    """Every text in a Flex component tree."""
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "text" else []
        return found + [t for value in node.values() for t in flex_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in flex_texts(item)]
    return []
