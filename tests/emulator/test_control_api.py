"""The control API (`/_sim/...`) the tests, benchmarks and simulator page rely on, and
`python -m emulator`."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from linebot.v3.messaging import (
    PushMessageRequest, RichMenuArea, RichMenuBounds, RichMenuRequest, RichMenuSize,
    TextMessage, URIAction,
)

from emulator.__main__ import settings_from
from tests.emulator.harness import no_proxy
from tests.emulator.images import png

ROOT = Path(__file__).resolve().parents[2]


def test_users_are_listed_with_their_state(control):
    friend = control.new_user("美祢 一郎")
    stranger = control.new_user("美祢 二郎", follow=False)

    assert control.call("GET", "/_sim/users") == [
        {"user_id": friend, "display_name": "美祢 一郎", "following": True, "rich_menu_id": None},
        {"user_id": stranger, "display_name": "美祢 二郎", "following": False, "rich_menu_id": None},
    ]


def test_bulk_users_follow_without_webhooks(control, bot, messaging):
    user_ids = control.call("POST", "/_sim/users/bulk",
                            {"count": 3, "display_name_prefix": "住民"})["user_ids"]
    assert bot.bodies == []
    assert messaging.get_profile(user_ids[2]).display_name == "住民3"


def test_inbox_keeps_messages_exactly_as_sent(control, messaging):
    user_id = control.new_user()
    message = TextMessage.from_dict({"type": "text", "text": "ごみの日です",
                                     "quickReply": {"items": [{"type": "action", "action": {
                                         "type": "message", "label": "ありがとう", "text": "ありがとう"}}]}})
    messaging.push_message(PushMessageRequest(to=user_id, messages=[message]))

    [entry] = control.inbox(user_id)
    assert entry["via"] == "push"
    assert entry["message"] == message.to_dict()
    assert entry["at"].endswith("+00:00")


def test_config_updates_partially_and_reset_restores_it(control):
    defaults = control.call("GET", "/_sim/config")
    assert defaults["monthly_quota"] is None and defaults["reply_token_ttl_s"] == 60
    assert defaults["rate_limits"]["/v2/bot/message/multicast"] == 200
    assert defaults["rate_limits"]["/v2/bot/message/broadcast"] == {"requests": 60, "per_s": 3600}

    changed = control.config(monthly_quota=10, rate_limits={"/v2/bot/message/multicast": None})
    assert changed["monthly_quota"] == 10 and changed["reply_token_ttl_s"] == 60
    assert "/v2/bot/message/multicast" not in changed["rate_limits"]
    assert control.raw("POST", "/_sim/config", {"monthly_quota": -1})[0] == 400

    control.new_user()
    control.call("POST", "/_sim/faults", {"status": 500})
    control.call("POST", "/_sim/reset", {})
    assert control.call("GET", "/_sim/config") == defaults
    assert control.call("GET", "/_sim/users") == []
    assert control.call("GET", "/_sim/faults") == {"faults": []}


def test_nonsense_fault_rules_are_refused(control):
    for rule in [{"status": 200}, {"rate": 2, "status": 500}, {"when": "later", "status": 500}, {}]:
        assert control.raw("POST", "/_sim/faults", rule)[0] == 400, rule


def test_rich_menu_image_is_served_for_the_page(emu, control, messaging, blob):
    menu = RichMenuRequest(
        size=RichMenuSize(width=800, height=270), selected=False, name="小", chat_bar_text="メニュー",
        areas=[RichMenuArea(bounds=RichMenuBounds(x=0, y=0, width=800, height=270),
                            action=URIAction(uri="https://www.city.mine.lg.jp/"))])
    rich_menu_id = messaging.create_rich_menu(menu).rich_menu_id
    image = png(800, 270)
    blob.set_rich_menu_image(rich_menu_id, body=image, _headers={"Content-Type": "image/png"})

    with no_proxy.open(f"{emu.url}/_sim/richmenus/{rich_menu_id}/image") as response:
        assert response.headers["Content-Type"] == "image/png"
        assert response.read() == image


def test_root_serves_the_simulator_page(emu):
    with no_proxy.open(emu.url + "/") as response:
        assert response.status == 200
        assert response.read()


def test_settings_name_the_missing_variable():
    with pytest.raises(SystemExit, match="LINE_CHANNEL_ACCESS_TOKEN"):
        settings_from({"LINE_CHANNEL_SECRET": "s"})
    settings = settings_from({"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"})
    assert (settings["host"], settings["port"], settings["webhook_url"]) == \
        ("127.0.0.1", 8001, "http://127.0.0.1:8000/callback")


def test_module_runs_and_stops_on_sigterm():
    env = {**os.environ, "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
           "EMULATOR_PORT": "0"}
    process = subprocess.Popen([sys.executable, "-m", "emulator"], cwd=ROOT, env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert "LINE emulator on http://127.0.0.1:" in line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_module_refuses_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINE_")}
    result = subprocess.run([sys.executable, "-m", "emulator"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "LINE_CHANNEL_SECRET" in result.stderr


def test_postback_params_that_line_never_sends_are_refused(control, bot):
    user_id = control.new_user()

    status, body = control.raw("POST", f"/_sim/users/{user_id}/postback",
                               {"data": "x", "params": {"n": 1}})

    assert status == 400 and "params.n" in body["error"] and "params" in body["error"]
    assert len(bot.events) == 1  # the follow only: nothing reached the bot
