"""LINE's message limits, checked on plain message JSON (pure logic, no server)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.message_validation import check_messages
from emulator.richmenu_validation import check_rich_menu


def problems_of(*messages):
    return [d["property"] for d in check_messages(list(messages))]


def text(body="はい", **extra):
    return {"type": "text", "text": body, **extra}


def postback(label="はい", data="ok", **extra):
    return {"type": "postback", "label": label, "data": data, **extra}


def quick_reply(count, label="はい"):
    return {"items": [{"type": "action", "action": postback(label)} for _ in range(count)]}


def buttons(text_="本文", actions=1, **extra):
    return {"type": "template", "altText": "お知らせ",
            "template": {"type": "buttons", "text": text_,
                         "actions": [postback() for _ in range(actions)], **extra}}


def bubble(padding=0, action=None):
    body = {"type": "box", "layout": "vertical",
            "contents": [{"type": "text", "text": "x" * padding}]}
    if action:
        body["contents"].append({"type": "button", "action": action})
    return {"type": "bubble", "body": body}


def flex(contents, alt_text="お知らせ"):
    return {"type": "flex", "altText": alt_text, "contents": contents}


@given(st.text(max_size=5100))
def test_text_limit_is_5000_utf16_code_units(body):
    fits = len(body.encode("utf-16-le")) // 2 <= 5000 and body != ""
    assert (problems_of(text(body)) == []) == fits


@pytest.mark.parametrize("message, prop", [
    (text(quickReply=quick_reply(14)), "messages[0].quickReply.items"),
    (text(quickReply=quick_reply(1, label="あ" * 21)), "messages[0].quickReply.items[0].action.label"),
    (text(quickReply=quick_reply(1, label="")), "messages[0].quickReply.items[0].action.label"),
    (buttons(actions=5), "messages[0].template.actions"),
    (buttons(text_="あ" * 161), "messages[0].template.text"),
    (buttons(text_="あ" * 61, title="題"), "messages[0].template.text"),
    (buttons(title="あ" * 41), "messages[0].template.title"),
    ({**buttons(), "altText": "あ" * 401}, "messages[0].altText"),
    ({"type": "template", "altText": "確認", "template": {
        "type": "confirm", "text": "よろしいですか", "actions": [postback()] * 3}},
     "messages[0].template.actions"),
    (flex(bubble(), alt_text="あ" * 1501), "messages[0].altText"),
    (flex(bubble(padding=31 * 1024)), "messages[0].contents"),
    (flex({"type": "carousel", "contents": [bubble()] * 13}), "messages[0].contents.contents"),
    (flex({"type": "carousel", "contents": [bubble(padding=10 * 1024)] * 6}), "messages[0].contents"),
    (flex(bubble(action={"type": "uri", "uri": "https://example.jp/" + "a" * 1000})),
     "messages[0].contents.body.contents[1].action.uri"),
    (flex(bubble(action=postback(data="d" * 301))),
     "messages[0].contents.body.contents[1].action.data"),
    (flex(bubble(action=postback(displayText="d" * 301))),
     "messages[0].contents.body.contents[1].action.displayText"),
    ({"type": "hologram"}, "messages[0].type"),
])
def test_limits(message, prop):
    assert prop in problems_of(message)


def test_messages_within_the_limits_pass():
    assert problems_of(
        text("こんにちは", quickReply=quick_reply(13, label="あ" * 20)),
        buttons(text_="あ" * 160, actions=4),
        buttons(text_="あ" * 60, title="あ" * 40),
        flex({"type": "carousel", "contents": [bubble(padding=3000)] * 12}),
        {"type": "sticker", "packageId": "446", "stickerId": "1988"},
    ) == []


def test_every_error_is_reported():
    details = check_messages([text(""), {"type": "hologram"}])
    assert [d["property"] for d in details] == ["messages[0].text", "messages[1].type"]


def area(x=0, width=1250, action=None):
    return {"bounds": {"x": x, "y": 0, "width": width, "height": 843},
            "action": action or {"type": "postback", "data": "menu=1"}}


def menu(**changes):
    return {"size": {"width": 2500, "height": 843}, "selected": False, "name": "メイン",
            "chatBarText": "メニュー", "areas": [area()], **changes}


@pytest.mark.parametrize("changes, prop", [
    ({"size": {"width": 2501, "height": 843}}, "size.width"),
    ({"size": {"width": 800, "height": 249}}, "size.height"),
    ({"size": {"width": 1200, "height": 900}}, "size"),
    ({"name": "あ" * 301}, "name"),
    ({"chatBarText": "あ" * 15}, "chatBarText"),
    ({"areas": [area()] * 21}, "areas"),
    ({"areas": []}, "areas"),
    ({"areas": [area(x=2000)]}, "areas[0].bounds"),
    ({"areas": [area(action={"type": "camera", "label": "カメラ"})]}, "areas[0].action.type"),
    ({"areas": [area(action={"type": "richmenuswitch", "data": "x"})]},
     "areas[0].action.richMenuAliasId"),
])
def test_rich_menu_limits(changes, prop):
    assert prop in [d["property"] for d in check_rich_menu(menu(**changes))]


def test_a_valid_rich_menu_passes():
    assert check_rich_menu(menu(areas=[area(), area(x=1250)])) == []
