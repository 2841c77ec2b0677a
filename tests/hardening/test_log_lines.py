"""Item 9: one log call is one log line, whatever it quotes (control characters are escaped in
every record, on every handler), and an event with an empty webhookEventId is refused like one
without."""

from __future__ import annotations

import io
import logging

from sqlalchemy import func, select

from bot.logsafe import escape_controls, install_log_escaping
from bot.models import WebhookEvent
from tests.conftest import TEST_CHANNEL_SECRET
from tests.support.webhook import body_of, event, new_user_id, post_signed, text_event


def test_a_forged_event_type_stays_on_its_own_log_line(client, caplog):
    caplog.set_level(logging.INFO)
    forged = "x\n2026-12-02 09:00:00 INFO bot: admin logged in"
    body = body_of(event(forged, new_user_id(), replyToken="r" * 32))
    assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 200
    lines = [line for line in caplog.text.splitlines() if "ignoring unknown event type" in line]
    assert len(lines) == 1 and "x\\n2026-12-02" in lines[0]
    assert not any(line.startswith("2026-12-02 09:00:00 INFO bot") for line in caplog.text.splitlines())


def test_every_handler_sees_escaped_messages_and_arguments(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # added after the app started, like gunicorn's or a test's
    logger = logging.getLogger("bot.some_new_feature")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("login=%s from %s", "a\r\nb", "\x1b[31mred\u2028next\u0085")
        logger.warning("an f-string with input\nin the message itself")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines == ["login=a\\r\\nb from \\x1b[31mred\\u2028next\\x85",
                     "an f-string with input\\nin the message itself"]


def test_escaping_is_installed_once_and_keeps_plain_text():
    install_log_escaping()
    install_log_escaping()
    assert escape_controls("美祢市 お知らせ\t1") == "美祢市 お知らせ\\t1"
    record = logging.getLogRecordFactory()("n", logging.INFO, "f", 1, "id %s of %d", ("abc", 3), None)
    assert record.getMessage() == "id abc of 3" and record.args == ("abc", 3)  # untouched: still lazy


def test_an_event_with_an_empty_webhook_event_id_is_refused_like_a_missing_one(client, db_session, sim):
    user = sim.new_user()
    body = body_of(text_event(user, "こんにちは", webhookEventId=""), text_event(user, "もしもし", webhookEventId=""))
    assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 200
    assert db_session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    assert [r for r in sim.requests() if r["path"] == "/v2/bot/message/reply"] == []
