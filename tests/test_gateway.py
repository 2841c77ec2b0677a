"""The gateway drives the real line-bot-sdk against the emulator: retries, keys, fallbacks."""

from __future__ import annotations

import time

import pytest
from linebot.v3.messaging import TextMessage

from bot.line.gateway import LineGateway, LineUnavailable, MonthlyQuotaExceeded, RateLimited, SendRejected, new_retry_key
from tests.conftest import make_settings


@pytest.fixture
def gateway(emulator, sim, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path / 'unused.sqlite3'}", emulator.url, line_max_attempts=4)
    gw = LineGateway(settings, sleep=lambda _s: None)
    yield gw
    gw.close()


def following_user(sim) -> str:
    """A simulated friend (the bot is not running: the follow webhook goes nowhere)."""
    user = sim.new_user()
    sim.follow(user)
    return user


def sends(sim, path: str) -> list[dict]:
    return [r for r in sim.requests() if r["path"] == path]


def reply_token_for(sim, emulator, user) -> str:
    """A live reply token: captured from the webhook the emulator sends for a text message."""
    from tests.support.capture import capture_webhooks

    with capture_webhooks(emulator) as captured:
        sim.text(user, "こんにちは")
    return captured[-1]["events"][0]["replyToken"]


def test_push_retries_a_lost_answer_with_the_same_key_and_delivers_once(gateway, sim):
    user = following_user(sim)
    sim.faults(status=500, rate=1.0, when="after", paths=["/v2/bot/message/push"])
    with pytest.raises(LineUnavailable):
        gateway.push(user, [TextMessage(text="一度だけ")], retry_key=(key := new_retry_key()))
    sim.clear_faults()
    result = gateway.push(user, [TextMessage(text="一度だけ")], retry_key=key)
    assert result.already_accepted
    assert [m["message"]["text"] for m in sim.inbox(user)] == ["一度だけ"]
    assert {r["retry_key"] for r in sends(sim, "/v2/bot/message/push")} == {key}
    assert len(sends(sim, "/v2/bot/message/push")) == 5  # 4 attempts, then the 409


def test_5xx_before_processing_is_retried_until_it_goes_through(sim, emulator, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url, line_max_attempts=15)
    gateway = LineGateway(settings, sleep=lambda _s: None)
    user = following_user(sim)
    sim.faults(status=503, rate=0.3, when="before", paths=["/v2/bot/message/multicast"])
    for _ in range(10):  # 0.3**15: a call failing every attempt is practically impossible
        gateway.multicast([user], [TextMessage(text="お知らせ")], retry_key=new_retry_key())
    assert len(sim.inbox(user)) == 10
    assert any(r["status"] == 503 for r in sends(sim, "/v2/bot/message/multicast"))
    gateway.close()


def test_4xx_is_never_retried(gateway, sim):
    user = following_user(sim)
    with pytest.raises(SendRejected) as rejected:
        gateway.push(user, [TextMessage(text="x" * 5001)])
    assert rejected.value.status == 400
    assert len(sends(sim, "/v2/bot/message/push")) == 1
    assert sim.inbox(user) == []


def test_rate_limit_and_monthly_quota_are_told_apart(gateway, sim):
    user = following_user(sim)
    sim.faults(status=429, rate=1.0, paths=["/v2/bot/message/multicast"])
    with pytest.raises(RateLimited):
        gateway.multicast([user], [TextMessage(text="a")], retry_key=new_retry_key())
    sim.clear_faults()
    sim.request("POST", "/_sim/config", {"monthly_quota": 1})
    gateway.multicast([user], [TextMessage(text="b")], retry_key=new_retry_key())
    with pytest.raises(MonthlyQuotaExceeded):
        gateway.multicast([user], [TextMessage(text="c")], retry_key=new_retry_key())
    quota = gateway.quota()
    assert quota.limited and quota.limit == 1 and quota.used == 1 and quota.remaining == 0


def test_timeouts_are_retried_with_the_same_key(emulator, sim, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url, line_max_attempts=3, line_timeout_s=0.3)
    gateway = LineGateway(settings, sleep=lambda _s: None)
    user = following_user(sim)
    sim.faults(delay_s=1.0, rate=1.0, when="after", paths=["/v2/bot/message/push"])
    key = new_retry_key()
    with pytest.raises(LineUnavailable):
        gateway.push(user, [TextMessage(text="遅い")], retry_key=key)
    sim.clear_faults()
    time.sleep(1.0)  # let the slow attempts finish on the emulator side
    gateway.push(user, [TextMessage(text="遅い")], retry_key=key)
    assert [m["message"]["text"] for m in sim.inbox(user)] == ["遅い"]
    gateway.close()


def test_loading_animation_only_for_slow_answers(app, bot_server, sim):
    def slow(ctx):
        time.sleep(1.2)
        return [TextMessage(text="お待たせしました")]

    app.extensions["router"].on_postback("test.slow", slow)
    app.extensions["router"].on_postback("test.fast", lambda ctx: [TextMessage(text="すぐ")])
    user = sim.new_user()
    sim.follow(user)
    sim.postback(user, "action=test.fast")
    assert sends(sim, "/v2/bot/chat/loading/start") == []
    sim.postback(user, "action=test.slow")
    assert len(sends(sim, "/v2/bot/chat/loading/start")) == 1
    assert sim.texts(user)[-1] == "お待たせしました"



def test_a_slow_profile_gives_no_name_in_seconds_not_the_full_api_timeout(emulator, sim, tmp_path, monkeypatch):
    """A follow is greeted without the name rather than holding a handler thread for the API
    timeout (10 s) while LINE's profile endpoint hangs."""
    import bot.line.gateway as gateway_module

    monkeypatch.setattr(gateway_module, "COSMETIC_TIMEOUT_S", 0.3)
    settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url, line_timeout_s=10.0)
    gateway = LineGateway(settings, sleep=lambda _s: None)
    user = following_user(sim)
    assert gateway.display_name(user)  # the emulator knows the friend's name
    sim.faults(delay_s=1.5, rate=1.0, paths=["/v2/bot/profile/*"])
    started = time.monotonic()
    assert gateway.display_name(user) is None
    assert time.monotonic() - started < 1.2
    sim.clear_faults()
    time.sleep(1.5)  # let the slow call finish on the emulator side
    gateway.close()
