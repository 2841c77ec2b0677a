"""The browser simulator page (emulator/static/simulator.*) in Debian's Chromium.

The page is served by a small stand-in for the emulator's /_sim control endpoints,
defined here, so that the page can be checked against known canned transcripts and
every control call the page makes can be recorded and asserted.
"""

from __future__ import annotations

import copy
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
STATIC_DIR = Path(__file__).resolve().parents[2] / "emulator" / "static"
SCREENSHOT = Path("/tmp/simulator.png")

if not CHROMIUM.exists():
    pytest.skip(
        "Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
flask = pytest.importorskip("flask")
from werkzeug.serving import make_server  # noqa: E402


# ---- canned data --------------------------------------------------------------------------

def png(width: int, height: int, bands: list[tuple[int, tuple[int, int, int]]]) -> bytes:
    """A PNG of vertical colour bands [(band_width, rgb), ...] (no Pillow needed)."""
    row = b"\x00" + b"".join(bytes(rgb) * band for band, rgb in bands)
    assert len(row) == 1 + 3 * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


MENU_A_PNG = png(1250, 421, [(625, (6, 199, 85)), (625, (66, 101, 154))])
MENU_B_PNG = png(1250, 421, [(1250, (230, 120, 40))])
HERO_PNG = png(200, 130, [(100, (120, 170, 220)), (100, (90, 150, 90))])

HTML_TEXT = '<b>太字ではありません</b><script>alert("x")</script>'
AT = "2025-04-01T09:30:00+09:00"


def event(kind: str, **extra) -> dict:
    return {"type": kind, "timestamp": 1743467400000, "mode": "active", "source": {"type": "user"}, **extra}


def bot(message: dict, via: str = "reply") -> dict:
    return {"from": "bot", "via": via, "message": message, "at": AT}


def user(ev: dict, display_text: str | None = None) -> dict:
    return {"from": "user", "event": ev, "display_text": display_text, "at": AT}


def text_event(text: str) -> dict:
    return event("message", message={"type": "text", "id": "1", "text": text, "quoteToken": "q"})


FLEX_BUBBLE = {
    "type": "flex",
    "altText": "ごみ収集日のお知らせ",
    "contents": {
        "type": "bubble",
        "hero": {"type": "image", "url": "/stub/hero.png", "size": "full", "aspectRatio": "20:13",
                 "aspectMode": "cover"},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": "ごみ収集日のお知らせ", "weight": "bold", "size": "xl"},
            {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
                {"type": "text", "text": "地区", "color": "#aaaaaa", "size": "sm", "flex": 1},
                {"type": "text", "text": "大嶺町東分", "size": "sm", "flex": 4, "wrap": True},
            ]},
            {"type": "separator"},
            {"type": "text", "text": "燃やせるごみは月曜と木曜です。前日の夜には出さないでください。",
             "wrap": True, "size": "sm", "color": "#666666"},
            {"type": "unknownThing", "text": "見えないはず"},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "action": {
                "type": "postback", "label": "地区を登録", "data": "action=area&step=start",
                "displayText": "地区を登録する"}},
        ]},
    },
}

BUTTONS = {
    "type": "template",
    "altText": "手続きの案内",
    "template": {
        "type": "buttons", "thumbnailImageUrl": "/stub/hero.png", "title": "手続きの案内",
        "text": "どの手続きについて知りたいですか？",
        "actions": [
            {"type": "postback", "label": "転入・転出", "data": "action=procedure&kind=move"},
            {"type": "message", "label": "マイナンバー", "text": "マイナンバー"},
            {"type": "uri", "label": "市のホームページ", "uri": "https://www.city.mine.lg.jp/"},
        ],
    },
}

FLEX_CAROUSEL = {
    "type": "flex",
    "altText": "教室の一覧",
    "contents": {"type": "carousel", "contents": [
        {"type": "bubble", "size": "kilo", "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "text", "text": f"{name}教室", "weight": "bold"},
            {"type": "text", "text": "残り3席", "size": "sm", "color": "#06c755"},
        ]}, "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "secondary", "height": "sm",
             "action": {"type": "postback", "label": "予約する", "data": f"action=book&class={name}"}},
        ]}}
        for name in ("書道", "料理")
    ]},
}

TEMPLATE_CAROUSEL = {
    "type": "template",
    "altText": "避難所の一覧",
    "template": {"type": "carousel", "columns": [
        {"title": name, "text": "収容人数 200人", "actions": [
            {"type": "postback", "label": "地図を見る", "data": f"action=shelter&name={name}"}]}
        for name in ("美東センター", "秋芳総合支所", "大嶺小学校")
    ]},
}

CONFIRM = {
    "type": "template",
    "altText": "予約の確認",
    "template": {"type": "confirm", "text": "書道教室を予約しますか？", "actions": [
        {"type": "message", "label": "はい", "text": "はい"},
        {"type": "message", "label": "いいえ", "text": "いいえ"},
    ]},
}

QUICK_REPLY_TEXT = {
    "type": "text",
    "text": "ほかに知りたいことはありますか？",
    "quickReply": {"items": [
        {"type": "action", "action": {"type": "message", "label": "ごみの日", "text": "ごみの日"}},
        {"type": "action", "action": {"type": "postback", "label": "防災情報", "data": "action=disaster"}},
        {"type": "action", "action": {"type": "datetimepicker", "label": "日付を選ぶ", "data": "action=date",
                                      "mode": "date"}},
        {"type": "action", "action": {"type": "location", "label": "位置情報"}},
        {"type": "action", "action": {"type": "postback", "label": "住所を入力", "data": "action=address",
                                      "displayText": "住所を入力します", "inputOption": "openKeyboard",
                                      "fillInText": "山口県美祢市"}},
    ]},
}


def initial_state() -> dict:
    return {
        "users": [
            {"user_id": "U1", "display_name": "美祢 太郎", "following": True, "rich_menu_id": "richmenu-a"},
            {"user_id": "U2", "display_name": "<i>山田</i>", "following": False, "rich_menu_id": None},
        ],
        "transcripts": {
            "U1": [
                user(event("follow", follow={"isUnblocked": False})),
                bot({"type": "text", "text": f"美祢市の公式アカウントです。\n{HTML_TEXT}\nhttps://www.city.mine.lg.jp/"}),
                bot(FLEX_BUBBLE),
                bot(BUTTONS, via="push"),
                user(text_event("教室")),
                bot(FLEX_CAROUSEL),
                bot(TEMPLATE_CAROUSEL),
                bot(CONFIRM),
                bot({"type": "sticker", "packageId": "446", "stickerId": "1988"}),
                bot(QUICK_REPLY_TEXT),
            ],
            "U2": [],
        },
        "menus": {
            "richmenu-a": {
                "richMenuId": "richmenu-a", "size": {"width": 2500, "height": 843}, "selected": True,
                "name": "main", "chatBarText": "メニュー",
                "areas": [
                    {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                     "action": {"type": "postback", "data": "action=faq", "displayText": "よくある質問"}},
                    {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
                     "action": {"type": "richmenuswitch", "richMenuAliasId": "tab-b", "data": "tab=b"}},
                ],
            },
            "richmenu-b": {
                "richMenuId": "richmenu-b", "size": {"width": 2500, "height": 843}, "selected": True,
                "name": "disaster", "chatBarText": "防災メニュー",
                "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                           "action": {"type": "message", "text": "避難所"}}],
            },
        },
        "aliases": {"tab-b": "richmenu-b"},
    }


# ---- the stand-in emulator -----------------------------------------------------------------

class StubEmulator:
    """Serves the simulator page and fakes /_sim, recording every control call."""

    def __init__(self):
        self.state = copy.deepcopy(initial_state())
        self.calls: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.app = self._build_app()

    def user(self, user_id: str) -> dict:
        return next(u for u in self.state["users"] if u["user_id"] == user_id)

    def _record(self, user_id: str, kind: str, body: dict) -> None:
        with self.lock:
            self.calls.append((f"/_sim/users/{user_id}/{kind}", body))

    def _reply(self, user_id: str, text: str) -> None:
        self.state["transcripts"][user_id].append(bot({"type": "text", "text": text}))

    def _build_app(self):
        app = flask.Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
        request = flask.request

        @app.get("/")
        def page():
            return flask.send_from_directory(STATIC_DIR, "simulator.html")

        @app.get("/stub/hero.png")
        def hero():
            return flask.Response(HERO_PNG, mimetype="image/png")

        @app.get("/_sim/users")
        def users():
            return flask.jsonify(self.state["users"])

        @app.post("/_sim/users")
        def create_user():
            user_id = f"U{len(self.state['users']) + 1}"
            self.state["users"].append({"user_id": user_id, "display_name": request.json["display_name"],
                                        "following": False, "rich_menu_id": None})
            self.state["transcripts"][user_id] = []
            return flask.jsonify({"user_id": user_id}), 201

        @app.get("/_sim/users/<user_id>/transcript")
        def transcript(user_id):
            return flask.jsonify(self.state["transcripts"][user_id])

        @app.post("/_sim/users/<user_id>/<kind>")
        def control(user_id, kind):
            body = request.get_json(silent=True) or {}
            self._record(user_id, kind, body)
            handler = getattr(self, f"_on_{kind}", None)
            if handler is None:
                return flask.jsonify({"message": "unknown control"}), 404
            return flask.jsonify({"status": handler(user_id, body)})

        @app.get("/_sim/richmenus/<menu_id>")
        def richmenu(menu_id):
            return flask.jsonify(self.state["menus"][menu_id])

        @app.get("/_sim/richmenus/<menu_id>/image")
        def richmenu_image(menu_id):
            return flask.Response(MENU_A_PNG if menu_id == "richmenu-a" else MENU_B_PNG, mimetype="image/png")

        return app

    # Control handlers return the bot's (pretend) webhook status.

    def _on_text(self, user_id, body):
        self.state["transcripts"][user_id].append(user(text_event(body["text"]), body["text"]))
        if body["text"] == "エラー":
            return 500
        self._reply(user_id, f"「{body['text']}」を受け付けました")
        return 200

    def _on_postback(self, user_id, body):
        postback = {"data": body["data"], **({"params": body["params"]} if "params" in body else {})}
        self.state["transcripts"][user_id].append(user(event("postback", postback=postback),
                                                       body.get("display_text")))
        self._reply(user_id, f"postback {body['data']}")
        return 200

    def _on_location(self, user_id, body):
        message = {"type": "location", "id": "2", **body}
        self.state["transcripts"][user_id].append(user(event("message", message=message)))
        return 200

    def _on_follow(self, user_id, body):
        self.user(user_id)["following"] = True
        self.state["transcripts"][user_id].append(user(event("follow", follow={"isUnblocked": False})))
        self._reply(user_id, "友だち追加ありがとうございます。")
        return 200

    def _on_unfollow(self, user_id, body):
        self.user(user_id)["following"] = False
        self.state["transcripts"][user_id].append(user(event("unfollow")))
        return 200

    def _on_richmenuswitch(self, user_id, body):
        self.user(user_id)["rich_menu_id"] = self.state["aliases"][body["alias_id"]]
        return 200

    def wait_for_call(self, path: str, timeout: float = 5.0) -> dict:
        """The body of the first recorded call to path, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for call_path, body in self.calls:
                    if call_path == path:
                        return body
            time.sleep(0.05)
        raise AssertionError(f"no call to {path}; calls were {self.calls}")


# ---- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def stub():
    emulator = StubEmulator()
    server = make_server("127.0.0.1", 0, emulator.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    emulator.url = f"http://127.0.0.1:{server.server_port}/"
    yield emulator
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def page(browser, stub):
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(stub.url)
    page.get_by_text("ほかに知りたいことはありますか？").wait_for()
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


# ---- tests ---------------------------------------------------------------------------------

def test_messages_render_and_markup_is_shown_as_text(page, stub):
    chat = page.locator("#chat")
    sync_api.expect(chat.get_by_text("ごみ収集日のお知らせ", exact=True)).to_be_visible()
    sync_api.expect(chat.get_by_text("どの手続きについて知りたいですか？")).to_be_visible()
    sync_api.expect(chat.get_by_text("書道教室を予約しますか？")).to_be_visible()
    sync_api.expect(chat.get_by_text("料理教室")).to_be_attached()
    sync_api.expect(chat.get_by_text("大嶺小学校")).to_be_attached()
    sync_api.expect(chat.get_by_text("友だち追加しました")).to_be_visible()
    sync_api.expect(chat.get_by_text("スタンプ", exact=True)).to_be_visible()
    # HTML in a message is text, not markup; URLs become links that open elsewhere.
    sync_api.expect(chat.locator(".msg-text", has_text=HTML_TEXT)).to_be_visible()
    assert chat.locator("b, script:not([src])").count() == 0
    link = chat.locator(".msg-text a")
    assert link.get_attribute("href") == "https://www.city.mine.lg.jp/"
    assert link.get_attribute("target") == "_blank"
    # Unknown flex components render as nothing.
    assert chat.get_by_text("見えないはず").count() == 0
    # A display name with markup is shown as text too.
    assert page.locator("#user-select option").nth(1).text_content().startswith("<i>山田</i>")
    assert page.locator("#header-user").text_content() == "美祢 太郎 さんとして表示中"
    # The rich menu is open, as its `selected` asks.
    sync_api.expect(page.locator(".richmenu-img")).to_be_visible()
    sync_api.expect(page.locator("#chatbar-text")).to_have_text("メニュー")
    page.locator("#phone").screenshot(path=str(SCREENSHOT))


def test_quick_reply_message_sends_its_text_and_disappears(page, stub):
    page.locator(".quick-reply", has_text="ごみの日").click()
    assert stub.wait_for_call("/_sim/users/U1/text") == {"text": "ごみの日"}
    sync_api.expect(page.get_by_text("「ごみの日」を受け付けました")).to_be_visible()
    sync_api.expect(page.locator("#quick-replies")).to_be_hidden()


def test_quick_reply_postback_uses_label_as_display_text(page, stub):
    page.locator(".quick-reply", has_text="防災情報").click()
    body = stub.wait_for_call("/_sim/users/U1/postback")
    assert body == {"data": "action=disaster", "display_text": "防災情報"}
    sync_api.expect(page.locator(".msg-user", has_text="防災情報")).to_be_visible()


def test_postback_input_option_opens_the_keyboard(page, stub):
    sync_api.expect(page.locator("#text-input")).to_be_hidden()  # the rich menu is showing
    page.locator(".quick-reply", has_text="住所を入力").click()
    assert stub.wait_for_call("/_sim/users/U1/postback") == {"data": "action=address", "display_text": "住所を入力します"}
    sync_api.expect(page.locator("#text-input")).to_have_value("山口県美祢市")
    sync_api.expect(page.locator("#text-input")).to_be_focused()


def test_quick_reply_datetimepicker_posts_back_params(page, stub):
    page.locator(".quick-reply", has_text="日付を選ぶ").click()
    page.locator(".dialog input[type=date]").fill("2025-04-20")
    page.locator(".dialog-ok").click()
    assert stub.wait_for_call("/_sim/users/U1/postback") == {"data": "action=date", "params": {"date": "2025-04-20"}}


def test_quick_reply_location_sends_a_location(page, stub):
    page.locator(".quick-reply", has_text="位置情報").click()
    page.locator(".dialog input[name=title]").fill("秋芳洞")
    page.locator(".dialog-ok").click()
    body = stub.wait_for_call("/_sim/users/U1/location")
    assert body["title"] == "秋芳洞"
    assert isinstance(body["latitude"], float) and isinstance(body["longitude"], float)
    sync_api.expect(page.locator(".msg-user", has_text="秋芳洞")).to_be_visible()


def test_flex_button_posts_back(page, stub):
    page.locator(".fx-button", has_text="地区を登録").click()
    body = stub.wait_for_call("/_sim/users/U1/postback")
    assert body == {"data": "action=area&step=start", "display_text": "地区を登録する"}


def test_template_buttons_and_confirm(page, stub):
    page.locator(".tpl-confirm .tpl-action", has_text="はい").click()
    assert stub.wait_for_call("/_sim/users/U1/text") == {"text": "はい"}
    page.locator(".tpl-action", has_text="転入・転出").click()
    body = stub.wait_for_call("/_sim/users/U1/postback")
    assert body == {"data": "action=procedure&kind=move", "display_text": "転入・転出"}


def test_rich_menu_areas_post_back_and_switch(page, stub):
    page.locator(".richmenu-area").nth(0).click()
    assert stub.wait_for_call("/_sim/users/U1/postback") == {"data": "action=faq", "display_text": "よくある質問"}
    page.locator(".richmenu-area").nth(1).click()
    assert stub.wait_for_call("/_sim/users/U1/richmenuswitch") == {"alias_id": "tab-b", "data": "tab=b"}
    sync_api.expect(page.locator("#chatbar-text")).to_have_text("防災メニュー")
    sync_api.expect(page.locator(".richmenu-frame")).to_have_attribute("data-richmenu-id", "richmenu-b")
    # The chat bar folds the menu away and opens it again.
    page.locator("#chatbar").click()
    sync_api.expect(page.locator(".richmenu-img")).to_be_hidden()
    page.locator("#chatbar").click()
    sync_api.expect(page.locator(".richmenu-img")).to_be_visible()


def test_input_sends_text_and_shows_errors(page, stub):
    page.locator("#keyboard-btn").click()
    box = page.locator("#text-input")
    box.fill("こんにちは <b>")
    box.press("Enter")
    assert stub.wait_for_call("/_sim/users/U1/text") == {"text": "こんにちは <b>"}
    sync_api.expect(page.locator(".msg-user", has_text="こんにちは <b>")).to_be_visible()
    sync_api.expect(page.get_by_text("「こんにちは <b>」を受け付けました")).to_be_visible()
    box.fill("エラー")
    page.locator("#send-btn").click()
    sync_api.expect(page.locator("#status-line")).to_contain_text("500")
    # Back to the menu with the menu button.
    page.locator("#menu-toggle").click()
    sync_api.expect(page.locator(".richmenu-img")).to_be_visible()


def test_user_who_is_not_a_friend_cannot_type_until_following(page, stub):
    page.locator("#user-select").select_option("U2")
    sync_api.expect(page.locator("#text-input")).to_be_disabled()
    sync_api.expect(page.locator("#friend-bar")).to_be_visible()
    sync_api.expect(page.locator("#richmenu")).to_be_hidden()
    page.locator("#friend-bar-btn").click()
    assert stub.wait_for_call("/_sim/users/U2/follow") == {}
    sync_api.expect(page.get_by_text("友だち追加ありがとうございます。")).to_be_visible()
    sync_api.expect(page.locator("#text-input")).to_be_enabled()
    # The chosen user is remembered across reloads.
    page.reload()
    sync_api.expect(page.locator("#header-user")).to_have_text("<i>山田</i> さんとして表示中")
    page.locator("#block-btn").click()
    assert stub.wait_for_call("/_sim/users/U2/unfollow") == {}
    sync_api.expect(page.get_by_text("ブロックしました")).to_be_visible()
    sync_api.expect(page.locator("#text-input")).to_be_disabled()


def test_new_user_can_be_created(page, stub):
    page.locator("#new-user-name").fill("秋吉 花子")
    page.locator("#new-user-form button").click()
    sync_api.expect(page.locator("#header-user")).to_have_text("秋吉 花子 さんとして表示中")
    sync_api.expect(page.locator("#user-select")).to_have_value("U3")


def test_flex_renderer_follows_lines_scales(page):
    """Sizes, flex ratios, px values, colours and actions of flex components, measured."""
    result = page.evaluate("""async () => {
      const { renderFlexContainer } = await import('/static/flex.js');
      const tapped = [];
      const bubble = renderFlexContainer({type: 'bubble', size: 'deca', body: {
        type: 'box', layout: 'horizontal', paddingAll: '7px', contents: [
          {type: 'text', text: 'A', flex: 1, size: 'xl'},
          {type: 'text', text: 'B', flex: 3, size: '13px', action: {type: 'message', text: 'b'}},
          {type: 'separator', color: '#ff0000'},
          {type: 'mystery', text: 'hidden'},
          {type: 'text', text: '<img src=x onerror=alert(1)>', flex: 1, margin: 'xl', weight: 'bold'},
        ]}}, (action) => tapped.push(action));
      document.body.append(bubble);
      const box = bubble.querySelector('.fx-box');
      const [a, b, separator, c] = box.children;
      const width = (node) => node.getBoundingClientRect().width;
      b.click();
      const result = {
        bubbleWidth: width(bubble), children: box.children.length, padding: getComputedStyle(box).paddingTop,
        aSize: getComputedStyle(a).fontSize, bSize: getComputedStyle(b).fontSize,
        ratio: width(b) / width(a), separatorColor: getComputedStyle(separator).backgroundColor,
        cMargin: getComputedStyle(c).marginLeft, cWeight: getComputedStyle(c).fontWeight,
        cText: c.textContent, images: bubble.querySelectorAll('img').length, tapped,
      };
      bubble.remove();
      return result;
    }""")
    assert result["bubbleWidth"] == 220
    assert result["children"] == 4  # the unknown component renders as nothing
    assert result["padding"] == "7px"
    assert (result["aSize"], result["bSize"]) == ("22px", "13px")
    assert 2.9 < result["ratio"] < 3.1
    assert result["separatorColor"] == "rgb(255, 0, 0)"
    assert (result["cMargin"], result["cWeight"]) == ("16px", "700")
    assert (result["cText"], result["images"]) == ("<img src=x onerror=alert(1)>", 0)
    assert result["tapped"] == [{"type": "message", "text": "b"}]


# ---- against the real emulator ----------------------------------------------------------------
#
# The same page served by emulator.server.EmulatorServer. A tiny bot (below) answers the
# emulator's webhooks over HTTP like the real bot would, and records the events it gets.

SECRET = "simulator-page-secret"
TOKEN = "simulator-page-token"
MENU_PNG_FULL = png(2500, 843, [(1250, (6, 199, 85)), (1250, (66, 101, 154))])


def call_line_api(base_url: str, method: str, path: str, body=None, content_type="application/json") -> dict:
    import json
    import urllib.request

    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base_url + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=10) as response:
        payload = response.read()
    return json.loads(payload) if payload else {}


def without_unknown_components(bubble: dict) -> dict:
    """The bubble as a bot can really send it: LINE refuses a component type it does not know."""
    sent = copy.deepcopy(bubble)
    body = sent["contents"]["body"]
    body["contents"] = [c for c in body["contents"] if c["type"] != "unknownThing"]
    return sent


LIVE_FLEX_BUBBLE = without_unknown_components(FLEX_BUBBLE)


class RecordingBot:
    """Answers webhooks: greets a new friend with the canned messages, echoes what it gets."""

    def __init__(self):
        self.events: list[dict] = []
        self.emulator_url = ""
        self.app = flask.Flask("recording_bot")
        self.app.post("/callback")(self.callback)

    def callback(self):
        for ev in flask.request.get_json()["events"]:
            self.events.append(ev)
            messages = self.answer(ev)
            if messages and "replyToken" in ev:
                call_line_api(self.emulator_url, "POST", "/v2/bot/message/reply",
                              {"replyToken": ev["replyToken"], "messages": messages})
        return "OK"

    @staticmethod
    def answer(ev: dict) -> list[dict]:
        if ev["type"] == "follow":
            greeting = {"type": "text", "text": f"美祢市の公式アカウントです。\n{HTML_TEXT}"}
            return [greeting, LIVE_FLEX_BUBBLE, BUTTONS, CONFIRM, QUICK_REPLY_TEXT]
        if ev["type"] == "message" and ev["message"]["type"] == "text":
            return [{"type": "text", "text": f"「{ev['message']['text']}」を受け付けました"}]
        if ev["type"] == "postback" and "newRichMenuAliasId" not in ev["postback"].get("params", {}):
            return [{"type": "text", "text": f"postback {ev['postback']['data']}"}]
        return []

    def wait_for(self, predicate, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ev in list(self.events):
                if predicate(ev):
                    return ev
            time.sleep(0.05)
        raise AssertionError(f"the bot got no matching event; it got {self.events}")


def setup_rich_menus(base_url: str, user_id: str) -> None:
    """Two menus as a bot would make them: main (linked to the user) and a tab reached by alias."""
    def create(name, chat_bar, areas):
        menu = {"size": {"width": 2500, "height": 843}, "selected": True, "name": name,
                "chatBarText": chat_bar, "areas": areas}
        menu_id = call_line_api(base_url, "POST", "/v2/bot/richmenu", menu)["richMenuId"]
        call_line_api(base_url, "POST", f"/v2/bot/richmenu/{menu_id}/content", MENU_PNG_FULL, "image/png")
        return menu_id

    main = create("main", "メニュー", [
        {"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "postback", "data": "action=faq", "displayText": "よくある質問"}},
        {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
         "action": {"type": "richmenuswitch", "richMenuAliasId": "tab-b", "data": "tab=b"}},
    ])
    tab = create("disaster", "防災メニュー", [
        {"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
         "action": {"type": "message", "text": "避難所"}},
    ])
    call_line_api(base_url, "POST", "/v2/bot/richmenu/alias", {"richMenuAliasId": "tab-b", "richMenuId": tab})
    call_line_api(base_url, "POST", f"/v2/bot/user/{user_id}/richmenu/{main}")


@pytest.fixture()
def live(browser):
    """The real emulator, a recording bot behind it, and the page showing a new friend's chat."""
    server_module = pytest.importorskip("emulator.server", reason="the emulator (emulator/server.py) is not built")
    bot_app = RecordingBot()
    bot_server = make_server("127.0.0.1", 0, bot_app.app, threaded=True)
    threading.Thread(target=bot_server.serve_forever, daemon=True).start()
    webhook_url = f"http://127.0.0.1:{bot_server.server_port}/callback"
    with server_module.EmulatorServer(channel_secret=SECRET, access_token=TOKEN, webhook_url=webhook_url) as emu:
        bot_app.emulator_url = emu.url
        user_id = call_line_api(emu.url, "POST", "/_sim/users", {"display_name": "美祢 花子"})["user_id"]
        context = browser.new_context(viewport={"width": 900, "height": 900}, locale="ja-JP")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(emu.url + "/")
        page.locator("#friend-bar-btn").click()
        page.get_by_text("ほかに知りたいことはありますか？").wait_for()
        yield page, bot_app, user_id, emu.url
        context.close()
        assert errors == [], f"JavaScript errors on the page: {errors}"
    bot_server.shutdown()


def test_live_chat_with_the_real_emulator(live):
    page, bot_app, user_id, _ = live
    chat = page.locator("#chat")
    bot_app.wait_for(lambda ev: ev["type"] == "follow")
    sync_api.expect(chat.get_by_text("友だち追加しました")).to_be_visible()
    sync_api.expect(chat.locator(".msg-text", has_text=HTML_TEXT)).to_be_visible()
    sync_api.expect(chat.get_by_text("ごみ収集日のお知らせ", exact=True)).to_be_visible()
    assert chat.locator("b, script:not([src])").count() == 0

    page.locator(".fx-button", has_text="地区を登録").click()
    bot_app.wait_for(lambda ev: ev["type"] == "postback" and ev["postback"]["data"] == "action=area&step=start")
    sync_api.expect(page.locator(".msg-user", has_text="地区を登録する")).to_be_visible()
    sync_api.expect(chat.get_by_text("postback action=area&step=start")).to_be_visible()

    page.locator(".tpl-confirm .tpl-action", has_text="はい").click()
    bot_app.wait_for(lambda ev: ev["type"] == "message" and ev["message"]["text"] == "はい")
    sync_api.expect(chat.get_by_text("「はい」を受け付けました")).to_be_visible()

    page.locator("#text-input").fill("粗大ごみ")
    page.locator("#send-btn").click()
    bot_app.wait_for(lambda ev: ev["type"] == "message" and ev["message"]["text"] == "粗大ごみ")
    sync_api.expect(chat.get_by_text("「粗大ごみ」を受け付けました")).to_be_visible()


def test_live_quick_reply_and_rich_menu(live):
    page, bot_app, user_id, url = live
    page.locator(".quick-reply", has_text="防災情報").click()
    bot_app.wait_for(lambda ev: ev["type"] == "postback" and ev["postback"]["data"] == "action=disaster")
    sync_api.expect(page.locator(".msg-user", has_text="防災情報")).to_be_visible()
    sync_api.expect(page.locator("#quick-replies")).to_be_hidden()

    setup_rich_menus(url, user_id)
    sync_api.expect(page.locator("#chatbar-text")).to_have_text("メニュー")
    sync_api.expect(page.locator(".richmenu-img")).to_be_visible()
    page.locator(".richmenu-area").nth(0).click()
    bot_app.wait_for(lambda ev: ev["type"] == "postback" and ev["postback"]["data"] == "action=faq")
    page.locator(".richmenu-area").nth(1).click()
    switched = bot_app.wait_for(lambda ev: ev["type"] == "postback" and ev["postback"]["data"] == "tab=b")
    assert switched["postback"]["params"] == {"newRichMenuAliasId": "tab-b", "status": "SUCCESS"}
    sync_api.expect(page.locator("#chatbar-text")).to_have_text("防災メニュー")
    page.locator(".richmenu-area").nth(0).click()
    bot_app.wait_for(lambda ev: ev["type"] == "message" and ev["message"]["text"] == "避難所")
    page.locator("#phone").screenshot(path="/tmp/simulator-live.png")
