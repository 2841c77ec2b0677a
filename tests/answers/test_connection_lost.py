"""PostgreSQL ends the bot's connections (a server restart, a failover, an admin's
pg_terminate_backend) while residents write: every message is still answered once, the webhook
still answers 200, and no attempt is counted against the event.

The connections in use are not pinged before each use (bot.db.PING_IDLE_S): a statement on a lost
connection fails, the pool discards its connections and the webhook's insert and the handling
are tried again on a new one."""

from __future__ import annotations

import secrets
import time

import pytest
from sqlalchemy import select, text

from bot import create_app
from bot.db import make_engine
from bot.models import AnswerStatus, EventStatus, WebhookEvent
from tests.conftest import ServedApp, make_settings
from tests.support.sim import SimClient


@pytest.fixture
def served(clean_database, emulator, sim):
    if not clean_database.startswith("postgresql"):
        pytest.skip("connections ended by the server: PostgreSQL")
    name = f"lost-{secrets.token_hex(4)}"
    url = f"{clean_database}&application_name={name}"
    app = create_app({"settings": make_settings(url, emulator.url, webhook_processing="worker")})
    server = ServedApp(app).start()
    emulator.webhook_url = f"{server.url}/callback"
    yield app, name
    server.stop()
    app.extensions["event_pipeline"].stop()
    app.extensions["gateway"].close()
    app.extensions["db"].dispose()


def end_connections(database_url: str, application_name: str) -> int:
    """pg_terminate_backend for every connection of the bot; how many were ended."""
    admin = make_engine(database_url)
    try:
        with admin.begin() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
            ), {"name": application_name}).all())
    finally:
        admin.dispose()


def test_connections_ended_by_the_server_lose_no_message_and_count_no_attempt(served, clean_database, sim, emulator):
    app, name = served
    residents = SimClient(emulator.url, wait_for_answers=True)
    users = [sim.new_user() for _ in range(3)]
    for user in users:
        assert residents.follow(user) == 200  # greeted
        assert residents.text(user, "避難所はどこ") == 200
    for round_ in range(3):
        assert end_connections(clean_database, name) >= 1  # the pool's connections, idle a moment ago
        for user in users:
            assert residents.text(user, "ごみの出し方") == 200, f"round {round_}"
    deadline = time.monotonic() + 5  # the last answers are recorded as sent on the worker's next tick
    while True:
        with app.extensions["db"].sessions() as session:
            events = session.scalars(select(WebhookEvent)).all()
        if all(event.answer_status is AnswerStatus.SENT for event in events) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(events) == 15  # 3 follows, 12 messages
    assert {event.status for event in events} == {EventStatus.HANDLED}
    assert {event.attempts for event in events} == {1} and {event.last_error for event in events} == {None}
    assert {event.answer_status for event in events} == {AnswerStatus.SENT}
    replies = [r for r in sim.requests() if r["path"] == "/v2/bot/message/reply"]
    assert len(replies) == 15 and {r["status"] for r in replies} == {200}  # each answered once, by its reply
    assert not [r for r in sim.requests() if r["path"] == "/v2/bot/message/push"]
