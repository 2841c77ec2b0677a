"""The rich menu: laid out from content/richmenu, published through the gateway to the emulator."""

from __future__ import annotations

import struct

from bot.line import richmenu
from bot.line.gateway import LineGateway
from bot.routes import build_router
from tests.conftest import make_settings


def test_the_menu_is_a_grid_covering_the_whole_image():
    request = richmenu.menu_request(richmenu.load_definition())
    width, height = request["size"]["width"], request["size"]["height"]
    assert sum(a["bounds"]["width"] * a["bounds"]["height"] for a in request["areas"]) == width * height
    assert len(request["chatBarText"]) <= 14 and len(request["areas"]) <= 20


def test_the_committed_image_matches_the_menu_and_line_limits():
    png = (richmenu.MENU_DIR / "main.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    definition = richmenu.load_definition()
    assert (width, height) == (definition["size"]["width"], definition["size"]["height"])
    assert len(png) <= 1_000_000 and 800 <= width <= 2500 and width / height >= 1.45


def test_every_tile_leads_to_a_registered_route():
    postbacks = set(build_router().describe()["postbacks"])
    for tile in richmenu.load_definition()["tiles"]:
        action = tile["action"]
        if action["type"] == "postback":
            assert action["data"].removeprefix("action=") in postbacks, tile["label"]


def test_publish_replaces_the_default_menu(emulator, sim, tmp_path):
    gateway = LineGateway(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url))
    definition = richmenu.load_definition()
    image = (richmenu.MENU_DIR / "main.png").read_bytes()
    first = richmenu.publish(gateway, definition, image)
    second = richmenu.publish(gateway, definition, image)
    assert [menu_id for menu_id, _ in gateway.rich_menus()] == [second] and first != second
    user = sim.new_user()
    assert sim.request("GET", "/_sim/users")[0]["rich_menu_id"] == second
    assert sim.request("GET", f"/_sim/richmenus/{second}")["chatBarText"] == "メニュー"
    assert user
    gateway.close()


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
