"""What the platform asks a web process: /metrics (names, labels, who may scrape), /healthz and
/readyz (database down, no scheduler, a fresh lease), request ids and JSON log lines."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from bot import lease, logformat
from bot.db import utcnow
from tests.support.processes import TEST_CHANNEL_SECRET
from tests.support.webhook import body_of, post_signed, text_event


def scrape(client, **kwargs) -> dict[str, list]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {family.name: family.samples for family in text_string_to_metric_families(response.get_data(as_text=True))}


def test_metrics_name_what_happened_without_residents_words(client, sim):
    user = sim.new_user()
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(text_event(user, "粗大ごみの出し方"))).status_code == 200
    families = scrape(client)
    for name in ("mine_line_webhook_events", "mine_line_answers", "mine_line_answer_latency_seconds",
                 "mine_line_faq_decisions", "mine_line_line_api_calls", "mine_line_line_api_retries",
                 "mine_line_delivery_batches", "mine_line_outbox_pending", "mine_line_delivery_recipients",
                 "mine_line_scheduler_lease_seconds_left"):
        assert name in families, name
    handled = [s for s in families["mine_line_webhook_events"] if s.labels == {"type": "message", "outcome": "handled"}]
    assert handled and handled[0].value >= 1
    assert {s.labels["outbox"] for s in families["mine_line_outbox_pending"]} == {
        "answers", "class_notifications", "mail_sends", "delivery_batches"}
    calls = {s.labels["endpoint"] for s in families["mine_line_line_api_calls"] if s.name.endswith("_total")}
    assert "/v2/bot/message/reply" in calls
    latency = [s for s in families["mine_line_answer_latency_seconds"] if s.name.endswith("_count")]
    assert latency[0].value >= 1
    text = client.get("/metrics").get_data(as_text=True)
    assert user not in text and "粗大ごみ" not in text


def test_metrics_need_the_token_or_an_allowed_network(app, client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    app.extensions["settings"] = app.extensions["settings"].with_overrides(metrics_token="s3cret-token")
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert scrape(client, environ_base=outside, headers={"Authorization": "Bearer s3cret-token"})


def test_line_endpoints_are_templated_without_ids():
    from bot.metrics import endpoint_of

    assert endpoint_of("https://api.line.me/v2/bot/profile/U" + "a" * 32) == "/v2/bot/profile/{id}"
    assert endpoint_of("http://127.0.0.1:8001/v2/bot/richmenu/richmenu-88c05/content") == "/v2/bot/richmenu/{id}/content"
    assert endpoint_of("https://api.line.me/v2/bot/message/push") == "/v2/bot/message/push"


def test_health_without_a_scheduler_is_degraded_but_ready(client):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json == {"status": "degraded", "database": "ok", "scheduler": "none"}
    assert client.get("/readyz").json == {"ready": True, "database": "ok"}


def test_health_with_a_fresh_lease_is_ok_and_an_expired_one_is_not(client, database):
    lease.try_acquire(database, "scheduler", "host:1:abc", utcnow(), ttl_s=30)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["status"] == "ok" and health.json["scheduler"] == "ok"
    lease.try_acquire(database, "scheduler", "host:1:abc", utcnow() - timedelta(seconds=60), ttl_s=30)
    assert client.get("/healthz").json["scheduler"] == "none"


def test_health_with_the_database_down_is_503(app, client):
    from bot.db import Database

    app.extensions["db"] = Database("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    assert client.get("/healthz").status_code == 503
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json == {"ready": False, "database": "unreachable"}


def test_request_ids_are_echoed_or_made(client):
    assert client.get("/readyz", headers={"X-Request-Id": "lb-42"}).headers["X-Request-Id"] == "lb-42"
    made = client.get("/readyz", headers={"X-Request-Id": "bad id {with} spaces"}).headers["X-Request-Id"]
    assert made and made != "bad id {with} spaces" and len(made) == 16


def test_json_log_lines_carry_the_bound_ids_and_no_exception_text():
    logformat.bind(request_id="r-1", event_id="e-1")
    try:
        try:
            raise ValueError("避難所はどこ")  # a resident's words in an exception message
        except ValueError:
            record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "handling %s failed", ("message",), None)
            import sys

            record.exc_info = sys.exc_info()
        line = json.loads(logformat.JsonFormatter().format(record))
    finally:
        logformat.unbind()
    assert line["message"] == "handling message failed" and line["request_id"] == "r-1" and line["event_id"] == "e-1"
    assert line["exception"] == "ValueError" and "避難所" not in json.dumps(line, ensure_ascii=False)


def test_jma_ages_say_how_stale_the_weather_feeds_are(client, database):
    from bot.models import JmaFeed, JmaPoll

    assert "mine_line_jma_age_seconds" not in scrape(client)  # JMA polling never ran: nothing to say
    now = utcnow()
    with database.transaction() as session:
        session.add(JmaPoll(id=1, started_at=now - timedelta(seconds=95), finished_at=now - timedelta(seconds=90)))
        session.add(JmaFeed(url="https://www.data.jma.go.jp/developer/xml/feed/extra.xml",
                            ok_at=now - timedelta(minutes=30), checked_at=now))
        session.add(JmaFeed(url="https://www.data.jma.go.jp/developer/xml/feed/eqvol.xml", checked_at=now))
    samples = {(s.labels["what"], s.labels["feed"]): s.value for s in scrape(client)["mine_line_jma_age_seconds"]}
    assert 89 <= samples[("poll", "")] < 150
    assert 1799 <= samples[("feed_ok", "extra.xml")] < 1900
    assert samples[("feed_ok", "eqvol.xml")] == float("inf")  # it has never answered
