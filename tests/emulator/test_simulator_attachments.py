"""A resident sends a photo, a sticker and a location from the simulator page's 「＋」 menu to
the real bot (tests/conftest.py's `bot_server`) through the real emulator, in Debian's Chromium,
and sees an answer after each. What the bot answers is its own business: only that a new bot
message appears is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.emulator.images import png

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def resident_page(browser, bot_server, emulator, sim, tmp_path):
    """The page showing a new resident who has just added the real bot as a friend."""
    sim.new_user("美祢 花子")
    context = browser.new_context(viewport={"width": 900, "height": 1000}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(emulator.url + "/")
    page.locator("#friend-bar-btn").click()
    sync_api.expect(page.locator(".row-bot").first).to_be_visible(timeout=15_000)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def answered_after(page, send):
    """Do `send`, then wait for the resident's message and a new bot message after it."""
    bot_rows = page.locator(".row-bot")
    user_rows = page.locator(".row-user")
    before_bot, before_user = bot_rows.count(), user_rows.count()
    send()
    sync_api.expect(user_rows).to_have_count(before_user + 1, timeout=15_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.row-bot').length > n", arg=before_bot, timeout=15_000)
    return user_rows.nth(before_user)


def test_a_resident_sends_a_photo_a_sticker_and_a_location(resident_page, tmp_path):
    page = resident_page
    photo = tmp_path / "側溝.png"
    photo.write_bytes(png(120, 90, (200, 120, 40)))

    def send_photo():
        page.locator("#plus-btn").click()
        with page.expect_file_chooser() as chooser:
            page.locator("#attach-photo").click()
        chooser.value.set_files(str(photo))

    sent = answered_after(page, send_photo)
    image = sent.locator("img.msg-image")
    sync_api.expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120  # the emulator's bytes

    def send_sticker():
        page.locator("#plus-btn").click()
        page.locator("#attach-sticker").click()
        page.get_by_role("button", name="スタンプ「ありがとう」を送信").click()

    sent = answered_after(page, send_sticker)
    sync_api.expect(sent.locator(".msg-sticker")).to_contain_text("ありがとう")

    def send_place():
        page.locator("#plus-btn").click()
        page.locator("#attach-location").click()
        page.locator(".place-choice", has_text="秋芳洞").click()

    sent = answered_after(page, send_place)
    sync_api.expect(sent).to_contain_text("秋芳洞")

    def send_coordinates():
        page.locator("#plus-btn").click()
        page.locator("#attach-location").click()
        page.locator("#latitude-input").fill("34.2")
        page.locator("#longitude-input").fill("131.25")
        page.get_by_role("button", name="この位置を送信").click()

    sent = answered_after(page, send_coordinates)
    sync_api.expect(sent).to_contain_text("位置情報")
    sync_api.expect(page.locator("#location-panel")).to_be_hidden()
    page.locator("#phone").screenshot(path="/tmp/simulator-attachments.png")


def test_quick_replies_scroll_sideways_and_text_is_large(resident_page):
    page = resident_page
    bar = page.locator("#quick-replies")
    if bar.is_visible():
        style = bar.evaluate("b => [getComputedStyle(b).overflowX, getComputedStyle(b).flexWrap]")
        assert style == ["auto", "nowrap"]
    size = page.locator(".row-bot .msg-text").first.evaluate(
        "node => parseFloat(getComputedStyle(node).fontSize)")
    assert size >= 17
