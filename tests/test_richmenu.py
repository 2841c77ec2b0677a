"""The rich menus: laid out from content/richmenu, drawn within LINE's limits, published to the
emulator idempotently (`python -m bot richmenu publish` twice changes nothing), and tabs switching."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from bot.line import richmenu
from bot.line.gateway import LineGateway
from tests.conftest import make_settings
from tests.support.processes import run_cli

MENUS = richmenu.load_menus()
NORMAL = [m for m in MENUS if m.menu_set == richmenu.NORMAL_SET]
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def tab(sim, user_id: str, alias: str) -> int:
    """Tap the tab of the rich menu that opens `alias`, as LINE would (a richmenuswitch action)."""
    data = f"action=richmenu.tab&tab={alias}"
    return sim.request("POST", f"/_sim/users/{user_id}/richmenuswitch", {"alias_id": alias, "data": data})["status"]


def menu_seen_by(sim, user_id: str) -> str | None:
    return {u["user_id"]: u["rich_menu_id"] for u in sim.request("GET", "/_sim/users")}[user_id]


@pytest.fixture
def gateway(emulator, tmp_path):
    gateway = LineGateway(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url))
    yield gateway
    gateway.close()


@pytest.mark.parametrize("menu", MENUS, ids=lambda m: m.alias)
def test_each_menu_is_covered_by_its_areas_within_line_limits(menu):
    areas = richmenu.layout(menu, MENUS)
    assert sum(a.width * a.height for a in areas) == menu.width * menu.height
    request = richmenu.menu_request(menu, MENUS, "https://bot.example.jp")
    assert len(request["areas"]) <= 20 and len(request["chatBarText"]) <= 14
    assert all(len(area["action"]["label"]) <= 20 for area in request["areas"])
    assert (menu.width, menu.height) in ((2500, 1686), (2500, 843))


@pytest.mark.parametrize("menu", MENUS, ids=lambda m: m.alias)
def test_each_committed_image_fits_line_limits(menu):
    png = menu.image_path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20]), int.from_bytes(png[20:24])) == (menu.width, menu.height)
    assert len(png) <= 1_000_000


@pytest.mark.skipif(not FONT.exists(), reason="fonts-noto-cjk is not installed: cannot redraw the images")
def test_the_committed_images_are_drawn_from_the_current_definitions():
    from PIL import Image, ImageChops

    from bot.line.richmenu_images import render

    for menu in MENUS:
        drawn = Image.open(io.BytesIO(render(menu, MENUS))).convert("RGB")
        committed = Image.open(menu.image_path).convert("RGB")
        assert ImageChops.difference(drawn, committed).getbbox() is None, (
            f"{menu.alias}.png is stale: run `python -m bot richmenu render`")


def test_every_tab_bar_opens_the_other_tabs_and_shows_which_one_is_open():
    for menu in NORMAL:
        areas = richmenu.layout(menu, MENUS)
        current = [a.label for a in areas if a.kind == "current-tab"]
        switches = {a.action["richMenuAliasId"] for a in areas if a.kind == "tab"}
        assert current == [menu.tab]
        assert switches == {m.alias for m in NORMAL} - {menu.alias}
    disaster = richmenu.first_of(MENUS, richmenu.DISASTER_SET)
    back = [a.action for a in richmenu.layout(disaster, MENUS) if a.kind == "banner-switch"]
    assert [action["richMenuAliasId"] for action in back] == [NORMAL[0].alias]


def test_uri_tiles_point_at_the_public_site():
    disaster = richmenu.first_of(MENUS, richmenu.DISASTER_SET)
    uris = [a["action"]["uri"] for a in richmenu.menu_request(disaster, MENUS, "https://bot.example.jp")["areas"]
            if a["action"]["type"] == "uri"]
    assert uris == ["https://bot.example.jp/shelters"]


def test_publish_twice_through_the_cli_changes_nothing_the_second_time(emulator, sim, gateway, clean_database):
    first = run_cli(clean_database, "richmenu", "publish", "--json", line_api_base=emulator.url)
    assert first.returncode == 0, first.stderr
    created = json.loads(first.stdout)
    assert set(created["menus"]) == {m.alias for m in MENUS}
    assert created["default"] == created["menus"][NORMAL[0].alias]
    second = run_cli(clean_database, "richmenu", "publish", "--json", line_api_base=emulator.url)
    again = json.loads(second.stdout)
    assert again == {**created, "changes": []}
    assert sorted(menu_id for menu_id, _ in gateway.rich_menus()) == sorted(created["menus"].values())
    assert dict(gateway.rich_menu_aliases()) == created["menus"]
    assert gateway.default_rich_menu_id() == created["default"]


def test_a_changed_menu_is_a_new_menu_its_alias_follows_and_the_old_one_goes(gateway, sim):
    first = richmenu.publish(gateway, "https://bot.example.jp", disaster=False)
    user = sim.new_user()
    tab(sim, user, "bousai")
    changed = [dataclasses.replace(m, chat_bar_text="メニューを開く") if m.alias == "bousai" else m for m in MENUS]
    second = richmenu.publish(gateway, "https://bot.example.jp", disaster=False, menus=changed)
    assert second.menu_ids["bousai"] != first.menu_ids["bousai"]
    assert {k: v for k, v in second.menu_ids.items() if k != "bousai"} == {
        k: v for k, v in first.menu_ids.items() if k != "bousai"}
    assert dict(gateway.rich_menu_aliases())["bousai"] == second.menu_ids["bousai"]
    assert sorted(i for i, _ in gateway.rich_menus()) == sorted(second.menu_ids.values())
    assert menu_seen_by(sim, user) == second.menu_ids["kurashi"]  # the old tab went: back to the default


def test_publish_replaces_the_old_single_menu_and_leaves_other_menus_alone(gateway, sim):
    blob = LineGateway.create_rich_menu
    old = blob(gateway, {**richmenu.menu_request(MENUS[0], MENUS, ""), "name": "mine-main"},
               MENUS[0].image_path.read_bytes(), "image/png")
    foreign = blob(gateway, {**richmenu.menu_request(MENUS[0], MENUS, ""), "name": "campaign-2026"},
                   MENUS[0].image_path.read_bytes(), "image/png")
    published = richmenu.publish(gateway, "", disaster=False)
    ids = {i for i, _ in gateway.rich_menus()}
    assert old not in ids and foreign in ids and set(published.menu_ids.values()) <= ids


def test_each_tab_switches_the_menu_and_the_bot_stays_quiet(bot_server, sim, gateway):
    published = richmenu.publish(gateway, bot_server.url, disaster=False)
    user = sim.new_user()
    sim.follow(user)
    assert menu_seen_by(sim, user) == published.menu_ids["kurashi"]
    said = len(sim.inbox(user))
    for alias in ("bousai", "tetsuzuki", "kurashi"):
        assert tab(sim, user, alias) == 200
        assert menu_seen_by(sim, user) == published.menu_ids[alias]
    assert len(sim.inbox(user)) == said


def test_a_tab_line_could_not_open_gets_a_kind_word(bot_server, sim):
    user = sim.new_user()
    sim.follow(user)
    assert tab(sim, user, "bousai") == 200  # nothing published: LINE answers RICHMENU_ALIAS_ID_NOTFOUND
    assert "切り替えられませんでした" in sim.texts(user)[-1]


def test_menu_tiles_answer_through_the_bot(bot_server, sim):
    user = sim.new_user()
    sim.follow(user)
    assert sim.postback(user, "action=faq.ask") == 200
    assert "ご質問を" in sim.texts(user)[-1]
    assert sim.postback(user, "action=procedures.online") == 200
    assert "分野を選んでください" in sim.texts(user)[-1]
    assert sim.tap(user, "証明書・マイナンバー") == 200
    carousel = sim.inbox(user)[-1]["message"]
    assert "マイナポータル" in carousel["altText"]
    action = carousel["contents"]["contents"][0]["footer"]["contents"][0]["action"]
    assert action["type"] == "uri" and action["uri"].startswith("https://")


def test_the_city_counter_tile_answers_with_the_citys_contact(bot_server, sim):
    tile = next(t for m in MENUS for t in m.tiles if t["label"] == "市の窓口")
    user = sim.new_user()
    sim.follow(user)
    sim.tap(user, "あとで")  # past the greeting's area question
    sim.text(user, tile["message"])
    assert "電話" in "\n".join(sim.texts(user)[-2:])
