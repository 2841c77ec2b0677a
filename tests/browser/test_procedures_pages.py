"""くらしの手続きガイド in Debian's Chromium: the counter page a resident shows at the 総合窓口,
and staff finding the same list by its number in the console, then correcting a procedure."""

from __future__ import annotations

import pytest

from bot.db import utcnow
from bot.procedures import guide
from bot.procedures.content import import_content

pytestmark = pytest.mark.browser


def test_the_counter_page_and_the_console_show_the_same_list(page, console_server, staff_login, database):
    with database.transaction() as session:
        import_content(session, utcnow())
        found = guide.checklist(session, guide.event(session, "moving"),
                                {"direction": "out", "kokuho": "yes", "children": "no"})
        code = guide.save_checklist(session, "U" + "1" * 32, found, utcnow()).code

    page.set_viewport_size({"width": 390, "height": 844})  # the resident's phone
    page.goto(f"{console_server.url}/p/{code}")
    assert page.locator("#code").inner_text() == code
    assert page.locator("section.procedure h2").all_inner_texts() == ["1. 転出届", "2. 国民健康保険の資格喪失"]
    assert page.get_by_text("見本：この内容は市で確認中です").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    staff_login(page, role="author")
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="手続きガイド").click()
    page.get_by_label("住民の番号で探す（窓口で見せられた6文字）").fill(code.lower())
    page.get_by_role("button", name="表示する").first.click()
    page.locator("#checklist tbody tr").first.wait_for()  # the lookup page has loaded
    rows = page.locator("#checklist tbody tr td:first-child").all_inner_texts()
    assert rows == ["転出届", "国民健康保険の資格喪失"]

    page.get_by_role("link", name="くらしの手続きガイド").click()
    page.locator("#procedures-table").get_by_role("link", name="転出届", exact=True).click()
    page.get_by_label("窓口").fill("本庁 市民課 2番窓口")
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_text("「tenshutsu」を保存しました。").is_visible()
    page.goto(f"{console_server.url}/p/{code}")
    assert page.get_by_text("本庁 市民課 2番窓口").is_visible()  # the counter page follows staff's edit
