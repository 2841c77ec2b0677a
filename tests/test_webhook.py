"""POST /callback: signatures, malformed input, deduplication, isolation of failing events."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from bot.models import AnswerStatus, EventStatus, Friend, WebhookEvent
from tests.conftest import TEST_CHANNEL_SECRET
from tests.support.webhook import (
    body_of,
    event,
    follow_event,
    new_user_id,
    post_signed,
    postback_event,
    signed_headers,
    text_event,
)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_invalid_or_missing_signature_is_rejected_and_nothing_processed(client, db_session):
    body = body_of(follow_event(new_user_id()))
    assert client.post("/callback", data=body).status_code == 400
    assert client.post("/callback", data=body, headers={"X-Line-Signature": "bm90IGl0"}).status_code == 400
    wrong = signed_headers("another-secret", body)
    assert client.post("/callback", data=body, headers=wrong).status_code == 400
    tampered = body.replace(b"follow", b"unfollow", 1)
    assert client.post("/callback", data=tampered, headers=signed_headers(TEST_CHANNEL_SECRET, body)).status_code == 400
    assert count(db_session, WebhookEvent) == 0 and count(db_session, Friend) == 0


def test_empty_event_list_is_the_endpoint_check(client):
    response = post_signed(client, TEST_CHANNEL_SECRET, body_of())
    assert response.status_code == 200


def test_malformed_json_gets_400(client):
    for body in [b"{", b"[]", b'{"events": {}}', "\u00ff".encode("latin-1"), b"null"]:
        assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 400


def test_oversized_body_gets_413_before_anything_else(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = body_of(text_event(new_user_id(), "あ" * (limit // 3 + 10)))
    assert len(body) > limit
    assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 413


def test_unknown_event_types_are_ignored_with_a_log_line(client, db_session, caplog, sim):
    caplog.set_level(logging.INFO)
    body = body_of(event("somethingNew", new_user_id(), replyToken="r" * 32, surprise={"a": 1}))
    assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 200
    assert "ignoring unknown event type somethingNew" in caplog.text
    assert count(db_session, WebhookEvent) == 0
    assert sim.requests() == []


def test_a_redelivered_event_changes_nothing(client, db_session, sim):
    user = sim.new_user()
    first = follow_event(user)
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(first)).status_code == 200
    again = dict(first, deliveryContext={"isRedelivery": True})
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(again)).status_code == 200
    assert count(db_session, WebhookEvent) == 1
    assert db_session.scalar(select(WebhookEvent.answer_status)) == AnswerStatus.SENT
    assert db_session.scalar(select(Friend.follow_count)) == 1
    replies = [r for r in sim.requests() if r["path"] == "/v2/bot/message/reply"]
    assert len(replies) == 1  # the redelivered copy was not answered again


def test_events_without_reply_token_are_handled_without_sending(client, db_session, sim):
    user = new_user_id()
    post_signed(client, TEST_CHANNEL_SECRET, body_of(follow_event(user)))
    before = len(sim.requests())
    response = post_signed(client, TEST_CHANNEL_SECRET, body_of(event("unfollow", user)))
    assert response.status_code == 200
    friend = db_session.scalar(select(Friend).where(Friend.line_user_id == user))
    assert friend.status == "blocked"
    assert len(sim.requests()) == before  # nothing sent to LINE


def test_dummy_verify_reply_tokens_never_cause_an_error(client, sim):
    for token in ("0" * 32, "f" * 32):
        raw = text_event("Udeadbeefdeadbeefdeadbeefdeadbeef", "Hello, world", replyToken=token)
        assert post_signed(client, TEST_CHANNEL_SECRET, body_of(raw)).status_code == 200
    assert [r for r in sim.requests() if r["path"] in ("/v2/bot/message/reply", "/v2/bot/message/push")] == []


def test_one_failing_event_does_not_lose_the_others(client, app, db_session, sim):
    def explode(ctx):
        raise RuntimeError("handler bug")

    app.extensions["router"].on_postback("test.explode", explode)
    ok_user, bad_user = new_user_id(), new_user_id()
    bad = postback_event(bad_user, "action=test.explode")
    good = follow_event(ok_user)
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(bad, good)).status_code == 200
    assert db_session.scalar(select(Friend).where(Friend.line_user_id == ok_user)) is not None
    # The failed event is kept as failed (after its retries) for staff to see, never as handled.
    failed = db_session.get(WebhookEvent, bad["webhookEventId"])
    assert failed.status == EventStatus.FAILED and failed.attempts == 3 and "RuntimeError" in failed.last_error
    assert "handler bug" not in failed.last_error  # the exception's text may quote residents
    assert db_session.get(WebhookEvent, good["webhookEventId"]).status == EventStatus.HANDLED


def test_a_malformed_event_is_skipped_and_the_rest_handled(client, db_session):
    user = new_user_id()
    broken = {"type": "message", "webhookEventId": "01BROKEN", "message": "not an object"}
    no_id = {k: v for k, v in follow_event(new_user_id()).items() if k != "webhookEventId"}
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(broken, no_id, follow_event(user))).status_code == 200
    assert [f.line_user_id for f in db_session.scalars(select(Friend))] == [user]


def test_events_are_handled_in_timestamp_order(client, db_session):
    user = new_user_id()
    follow = follow_event(user)
    unfollow = event("unfollow", user)
    follow["timestamp"], unfollow["timestamp"] = 1000, 2000
    post_signed(client, TEST_CHANNEL_SECRET, body_of(unfollow, follow))  # delivered out of order
    assert db_session.scalar(select(Friend.status).where(Friend.line_user_id == user)) == "blocked"


def test_residents_words_and_tokens_never_reach_the_logs(client, caplog, sim):
    caplog.set_level(logging.DEBUG)
    user = sim.new_user()
    secret_words = "私の電話番号は090-1234-5678です"
    raw = text_event(user, secret_words)
    post_signed(client, TEST_CHANNEL_SECRET, body_of(raw))
    post_signed(client, TEST_CHANNEL_SECRET, body_of(raw))  # duplicate path too
    client.post("/callback", data=body_of(raw), headers={"X-Line-Signature": "forged"})
    logged = caplog.text
    for private in (secret_words, "090-1234-5678", raw["replyToken"], TEST_CHANNEL_SECRET, "test-access-token"):
        assert private not in logged


def test_empty_or_non_string_event_ids_are_skipped_with_a_log_line(client, db_session, caplog):
    caplog.set_level(logging.INFO)
    empty, number = follow_event(new_user_id()), follow_event(new_user_id())
    empty["webhookEventId"], number["webhookEventId"] = "", 12345
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(empty, number)).status_code == 200
    assert caplog.text.count("skipping follow event without webhookEventId") == 2
    assert count(db_session, WebhookEvent) == 0 and count(db_session, Friend) == 0


def test_unknown_event_types_are_logged_escaped(client, caplog):
    caplog.set_level(logging.INFO)
    body = body_of(event("odd\nINFO forged line", new_user_id()))
    assert post_signed(client, TEST_CHANNEL_SECRET, body).status_code == 200
    assert "ignoring unknown event type odd\\nINFO forged line" in caplog.text


def test_standby_events_are_stored_as_ignored_and_not_answered(client, db_session, sim):
    raw = dict(text_event(sim.new_user(), "こんにちは"), mode="standby")
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(raw)).status_code == 200
    assert db_session.get(WebhookEvent, raw["webhookEventId"]).status == EventStatus.IGNORED
    assert sim.requests() == []
