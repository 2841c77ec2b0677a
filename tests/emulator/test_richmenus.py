"""Rich menus through the real SDK: create, images, default, per-user links, aliases."""

import json

import pytest
from linebot.v3.messaging import (
    CreateRichMenuAliasRequest, PostbackAction, RichMenuArea, RichMenuBounds,
    RichMenuBulkLinkRequest, RichMenuBulkUnlinkRequest, RichMenuRequest, RichMenuSize,
    RichMenuSwitchAction, UpdateRichMenuAliasRequest,
)
from linebot.v3.messaging.exceptions import ApiException, NotFoundException

from emulator.richmenu_validation import image_size
from tests.emulator.images import jpeg_header, png

WIDE = (2500, 843)


def menu_request(name="メインメニュー", size=WIDE, chat_bar_text="メニュー", action=None):
    width, height = size
    return RichMenuRequest(
        size=RichMenuSize(width=width, height=height), selected=True, name=name,
        chat_bar_text=chat_bar_text,
        areas=[RichMenuArea(bounds=RichMenuBounds(x=0, y=0, width=width // 2, height=height),
                            action=action or PostbackAction(data="menu=faq", label="よくある質問"))])


def upload(blob, rich_menu_id, data, content_type="image/png"):
    blob.set_rich_menu_image(rich_menu_id, body=data, _headers={"Content-Type": content_type})


@pytest.fixture
def menu_id(messaging, blob):
    """A 2500x843 menu with its image."""
    rich_menu_id = messaging.create_rich_menu(menu_request()).rich_menu_id
    upload(blob, rich_menu_id, png(*WIDE))
    return rich_menu_id


def seen_by(control, user_id):
    return {u["user_id"]: u["rich_menu_id"] for u in control.call("GET", "/_sim/users")}[user_id]


def test_create_get_list_delete(emu, messaging):
    rich_menu_id = messaging.create_rich_menu(menu_request()).rich_menu_id

    assert rich_menu_id.startswith("richmenu-") and len(rich_menu_id) == 9 + 32
    menu = messaging.get_rich_menu(rich_menu_id)
    assert (menu.name, menu.size.width, menu.areas[0].action.data) == ("メインメニュー", 2500, "menu=faq")
    assert [m.rich_menu_id for m in messaging.get_rich_menu_list().richmenus] == [rich_menu_id]

    messaging.delete_rich_menu(rich_menu_id)
    with pytest.raises(NotFoundException):
        messaging.get_rich_menu(rich_menu_id)


@pytest.mark.parametrize("size, chat_bar_text, prop", [
    ((700, 250), "メニュー", "size.width"),
    ((2500, 2000), "メニュー", "size"),
    (WIDE, "とても長いチャットバーのテキストです", "chatBarText"),
])
def test_invalid_menus_are_refused(emu, messaging, size, chat_bar_text, prop):
    request = RichMenuRequest.construct(**{**menu_request().__dict__,
                                           "size": RichMenuSize(width=size[0], height=size[1]),
                                           "chat_bar_text": chat_bar_text})
    with pytest.raises(ApiException) as error:
        messaging.validate_rich_menu_object(request)
    assert error.value.status == 400
    assert any(d["property"] == prop for d in json.loads(error.value.body)["details"])
    messaging.validate_rich_menu_object(menu_request())


def test_image_must_be_a_png_or_jpeg_of_the_menu_size(emu, messaging, blob):
    rich_menu_id = messaging.create_rich_menu(menu_request()).rich_menu_id

    for data, content_type in [(png(2500, 1686), "image/png"), (b"not an image", "image/png"),
                               (png(*WIDE), "image/gif"), (png(*WIDE), "image/jpeg")]:
        with pytest.raises(ApiException) as error:
            upload(blob, rich_menu_id, data, content_type)
        assert error.value.status == 400, content_type

    image = png(*WIDE)
    upload(blob, rich_menu_id, image)
    assert bytes(blob.get_rich_menu_image(rich_menu_id)) == image
    with pytest.raises(ApiException) as again:
        upload(blob, rich_menu_id, image)
    assert "An image has already been uploaded to the richmenu" in again.value.body


def test_jpeg_size_is_read_from_its_frame_header():
    assert image_size(jpeg_header(2500, 1686) + b"\xff\xd9", "image/jpeg") == (2500, 1686)
    assert image_size(png(*WIDE), "image/png") == WIDE
    assert image_size(b"\xff\xd8\xff", "image/jpeg") is None


def test_default_menu_needs_an_image(control, messaging, menu_id):
    bare = messaging.create_rich_menu(menu_request("画像なし")).rich_menu_id
    with pytest.raises(ApiException) as error:
        messaging.set_default_rich_menu(bare)
    assert error.value.status == 400

    user_id = control.new_user()
    messaging.set_default_rich_menu(menu_id)
    assert messaging.get_default_rich_menu_id().rich_menu_id == menu_id
    assert seen_by(control, user_id) == menu_id

    messaging.cancel_default_rich_menu()
    with pytest.raises(NotFoundException):
        messaging.get_default_rich_menu_id()
    assert seen_by(control, user_id) is None


def test_per_user_menu_overrides_the_default(control, messaging, blob, menu_id):
    other = messaging.create_rich_menu(menu_request("個別")).rich_menu_id
    upload(blob, other, png(*WIDE))
    user_id, neighbour = control.new_user(), control.new_user()
    messaging.set_default_rich_menu(menu_id)

    messaging.link_rich_menu_id_to_user(user_id, other)
    assert messaging.get_rich_menu_id_of_user(user_id).rich_menu_id == other
    assert (seen_by(control, user_id), seen_by(control, neighbour)) == (other, menu_id)

    messaging.unlink_rich_menu_id_from_user(user_id)
    with pytest.raises(NotFoundException):
        messaging.get_rich_menu_id_of_user(user_id)
    assert seen_by(control, user_id) == menu_id


def test_bulk_link_and_unlink(control, messaging, menu_id):
    users = [control.new_user() for _ in range(3)]
    answer = messaging.link_rich_menu_id_to_users_with_http_info(
        RichMenuBulkLinkRequest(rich_menu_id=menu_id, user_ids=users[:2]))
    assert answer.status_code == 202
    assert [seen_by(control, u) for u in users] == [menu_id, menu_id, None]

    messaging.unlink_rich_menu_id_from_users(RichMenuBulkUnlinkRequest(user_ids=users[:1]))
    assert [seen_by(control, u) for u in users] == [None, menu_id, None]


def test_aliases(emu, messaging, menu_id):
    messaging.create_rich_menu_alias(
        CreateRichMenuAliasRequest(rich_menu_alias_id="tab-main", rich_menu_id=menu_id))
    with pytest.raises(ApiException) as duplicate:
        messaging.create_rich_menu_alias(
            CreateRichMenuAliasRequest(rich_menu_alias_id="tab-main", rich_menu_id=menu_id))
    assert duplicate.value.status == 400

    assert messaging.get_rich_menu_alias("tab-main").rich_menu_id == menu_id
    assert [a.rich_menu_alias_id for a in messaging.get_rich_menu_alias_list().aliases] == ["tab-main"]
    messaging.update_rich_menu_alias("tab-main", UpdateRichMenuAliasRequest(rich_menu_id=menu_id))
    messaging.delete_rich_menu_alias("tab-main")
    with pytest.raises(NotFoundException):
        messaging.get_rich_menu_alias("tab-main")


def test_richmenuswitch_links_the_menu_and_sends_a_postback(control, bot, messaging, blob):
    second = messaging.create_rich_menu(menu_request(
        "タブ2", action=RichMenuSwitchAction(rich_menu_alias_id="tab-one", data="tab=1"))).rich_menu_id
    upload(blob, second, png(*WIDE))
    messaging.create_rich_menu_alias(
        CreateRichMenuAliasRequest(rich_menu_alias_id="tab-two", rich_menu_id=second))
    user_id = control.new_user()

    control.act(user_id, "richmenuswitch", {"alias_id": "tab-two", "data": "tab=2"})
    control.act(user_id, "richmenuswitch", {"alias_id": "tab-none", "data": "tab=0"})

    switched, missing = bot.events[-2:]
    assert switched.postback.data == "tab=2"
    assert switched.postback.params == {"newRichMenuAliasId": "tab-two", "status": "SUCCESS"}
    assert missing.postback.params["status"] == "RICHMENU_ALIAS_ID_NOTFOUND"
    assert seen_by(control, user_id) == second


def test_simulator_page_reads_menus_and_images(control, menu_id):
    menu = control.call("GET", f"/_sim/richmenus/{menu_id}")
    assert menu["richMenuId"] == menu_id and menu["chatBarText"] == "メニュー"
    assert control.raw("GET", "/_sim/richmenus/richmenu-missing")[0] == 404
