"""被害の報告 in the console, in Debian's Chromium: a resident's report sent in LINE (with a photo
fetched by the scheduler's job) is listed with the photo visible; staff mark it 対応中."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.residents import report_damage
from tests.emulator.images import png

pytestmark = pytest.mark.browser
SCREENSHOTS = Path("/tmp")


def test_staff_see_the_report_with_its_photo_and_take_it_on(page, console_server, staff_login, resident, sim,
                                                             run_photo_job):
    user = resident()
    receipt = report_damage(sim, user, "土砂崩れ", photo=png(64, 48, rgb=(120, 80, 30)),
                            location=(34.2248, 131.2981, "裏山"), description="裏山の斜面が崩れています")
    run_photo_job()

    staff_login(page, role="author")
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="被害の報告").click()
    page.wait_for_url(f"{console_server.url}/console/damage")

    row = page.locator("#damage-reports tbody tr").first
    assert row.locator(".receipt").inner_text() in receipt
    photo = row.get_by_role("img")
    photo.wait_for()
    assert photo.is_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) == 64
    assert row.get_by_role("link", name="地図で見る").get_attribute("href").endswith("query=34.224800,131.298100")
    page.screenshot(path=str(SCREENSHOTS / "damage-list.png"), full_page=True)

    row.get_by_role("button", name="対応中にする").click()
    page.wait_for_selector("text=を「対応中」にしました")
    assert page.locator("#damage-reports .report-status").first.inner_text() == "対応中"
    page.get_by_label("状態").select_option("new")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**/console/damage?status=new*")
    assert page.locator("#damage-reports tbody").inner_text().strip() == "該当する報告はありません。"
