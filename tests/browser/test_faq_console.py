"""よくある質問 in the console, in Debian's Chromium: an entry marked as sample content is edited
and checked, and the next LINE question finds the new phrasing; 未回答の質問 shows counts and a
question is attached to an entry as another phrasing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq import questions as faq_questions
from bot.db import Database
from bot.faq.engine.search import Decision, SearchResult
from tests.faq_content.conftest import import_seed

pytestmark = pytest.mark.browser
SCREENSHOTS = Path("/tmp")


def residents_asked(database_url: str, *questions: str) -> None:
    database = Database(database_url)
    try:
        with database.transaction() as session:
            for question in questions:
                faq_questions.record_ask(session, question, SearchResult(Decision.NONE, []))
    finally:
        database.dispose()


def test_staff_edit_an_entry_and_residents_get_the_new_phrasing(page, console_server, staff_login, settings, sim):
    import_seed(settings.database_url)
    staff_login(page, role="author")
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="よくある質問").click()
    page.wait_for_url(f"{console_server.url}/console/faq")
    assert page.locator("#faq-sample-note").is_visible()
    assert page.locator("#count-unverified").inner_text().startswith("130")
    assert page.locator("#faq-entries .badge-sample").count() == 50  # the first page of 130
    page.screenshot(path=str(SCREENSHOTS / "faq-list.png"))
    page.get_by_label("ことばで探す").fill("分別")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**/console/faq?q=*")
    page.get_by_role("link", name="ごみの分け方（分別）がわからないときは、どうすればよいですか？").click()

    assert page.locator("#sample-badge").inner_text() == "見本データ（市で未確認）"
    assert page.locator("#verified-on").inner_text() == "未確認"
    page.get_by_label("別の聞き方（1行に1つ）").fill("ガラス瓶を割ってしまった時の捨て方")
    page.get_by_role("button", name="変更を保存する").click()
    page.wait_for_selector("text=変更を保存しました")
    assert page.get_by_label("別の聞き方（1行に1つ）").input_value() == "ガラス瓶を割ってしまった時の捨て方"
    page.screenshot(path=str(SCREENSHOTS / "faq-entry.png"), full_page=True)

    resident = sim.new_user()
    sim.follow(resident)
    sim.tap(resident, "あとで")  # the area question first asks for an area
    sim.text(resident, "ガラス瓶を割ってしまった時の捨て方")
    assert sim.inbox(resident)[-1]["message"]["altText"].startswith("ごみの分け方")

    page.get_by_role("button", name="内容を確認済みにする").click()
    page.wait_for_selector("text=確認済みにしました")
    assert page.locator("#verified-badge").is_visible() and page.locator("#sample-badge").count() == 0
    assert page.locator("#verified-on").inner_text() != "未確認"


def test_staff_see_unanswered_questions_with_counts_and_attach_one(page, console_server, staff_login, settings):
    import_seed(settings.database_url)
    residents_asked(settings.database_url, "ごみの日カレンダーがほしい", "ごみの日カレンダーがほしい",
                    "ゴミの日カレンダーがほしい！", "ピザの注文をしたい")
    staff_login(page, role="author")
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="未回答の質問").click()
    page.wait_for_url(f"{console_server.url}/console/faq-questions")
    cards = page.locator(".question-card")
    assert cards.count() == 2
    first = cards.first
    assert "ごみの日カレンダーがほしい" in first.locator("h2").inner_text()
    assert first.locator(".question-count").inner_text() == "3"
    assert cards.nth(1).locator(".question-count").inner_text() == "1"
    assert page.locator("#contact-sample").inner_text() == "見本・未確認"
    page.screenshot(path=str(SCREENSHOTS / "faq-questions.png"), full_page=True)

    first.get_by_label("追加する言い方（直せます）").fill("ごみの日のカレンダーがほしい")
    first.get_by_label("追加先のFAQ").select_option(value="FAQ-0065")
    first.get_by_role("button", name="別の聞き方に追加").click()
    page.wait_for_selector("text=別の聞き方に追加しました")
    assert page.locator(".question-card").count() == 1
    handled = page.locator("#handled-questions").inner_text()
    assert "別の聞き方に追加" in handled and "FAQ-0065" in handled

    page.goto(f"{console_server.url}/console/faq/FAQ-0065")
    assert "ごみの日のカレンダーがほしい" in page.get_by_label("別の聞き方（1行に1つ）").input_value()
