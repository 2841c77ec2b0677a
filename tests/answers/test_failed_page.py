"""受信の失敗: staff (admins) see events whose handling failed after its retries, and answers
that could not be sent, without residents' words."""

from __future__ import annotations

from tests.conftest import TEST_CHANNEL_SECRET
from tests.support.webhook import body_of, new_user_id, post_signed, postback_event, text_event


def test_admins_see_failed_events_without_residents_words(app, client, login_as):
    def explode(ctx):
        raise RuntimeError("handler bug with 私の住所")

    app.extensions["router"].on_postback("test.explode", explode)
    bad = postback_event(new_user_id(), "action=test.explode&secret=私の住所")
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(bad)).status_code == 200
    login_as("admin")
    page = client.get("/console/events/failed")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "受信の失敗" in html
    assert bad["webhookEventId"] in html and "RuntimeError" in html and "ボタン" in html
    assert "私の住所" not in html


def test_the_page_is_for_admins_only_and_says_when_nothing_failed(client, login_as, sim):
    assert post_signed(client, TEST_CHANNEL_SECRET, body_of(text_event(sim.new_user(), "こんにちは"))).status_code == 200
    login_as("viewer")
    assert client.get("/console/events/failed").status_code == 403
    login_as("admin", login_name="admin-2")
    html = client.get("/console/events/failed").get_data(as_text=True)
    assert "失敗はありません" in html and 'href="/console/events/failed"' in html  # in the admin's menu
