"""Changing a saved recurring notice in Debian's Chromium: staff change its weekday and end date,
and the coming occurrences on the detail page follow (one skipped before the change stays)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.support.recurring import WEEKDAY_NAMES, register_weekly_rule

pytestmark = pytest.mark.browser


def _coming(page) -> list[str]:
    rows = page.locator("#occurrences tbody tr")
    return [rows.nth(n).get_attribute("data-occurrence") for n in range(rows.count())]


def test_staff_change_the_weekday_and_end_date_and_the_coming_occurrences_follow(page, console_server, staff_login):
    staff_login(page, role="author")
    tomorrow = register_weekly_rule(page, console_server.url)
    assert _coming(page)[:3] == [(tomorrow + timedelta(weeks=n)).isoformat() for n in range(3)]
    page.locator("#occurrences tbody tr").nth(1).get_by_role("link", name=re.compile("休みにする")).click()
    page.get_by_role("button", name="この回を休みにする").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))

    page.get_by_role("link", name="設定を変更する").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+/edit$"))
    assert page.get_by_label("タイトル").input_value() == "資源ごみの日"
    assert page.get_by_label(f"{WEEKDAY_NAMES[tomorrow.weekday()]}曜日").is_checked()
    later = tomorrow + timedelta(days=2)
    ends_on = tomorrow + timedelta(weeks=3)
    page.get_by_label(f"{WEEKDAY_NAMES[later.weekday()]}曜日").check()
    page.get_by_label("タイトル").fill("資源ごみ・びんの日")
    page.get_by_label("終了日（なくてもかまいません）").fill(ends_on.isoformat())
    page.get_by_role("button", name="変更を保存する").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))
    assert "設定を変更しました" in page.inner_text(".flash")
    old_days = [tomorrow + timedelta(weeks=n) for n in range(4)]
    new_days = [later + timedelta(weeks=n) for n in range(3)]  # the 4th would be after the end date
    assert _coming(page) == sorted(d.isoformat() for d in old_days + new_days)
    assert ends_on.strftime("%Y") in page.inner_text(".facts") and page.locator("h1").inner_text() == "資源ごみ・びんの日"
    skipped = page.locator(f'#occurrences tr[data-occurrence="{old_days[1].isoformat()}"]')
    assert "休み" in skipped.inner_text()  # skipped before the change: still skipped
    added = page.locator(f'#occurrences tr[data-occurrence="{new_days[0].isoformat()}"]')
    assert "予約済み" in added.inner_text()
    added.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/console/notices/\d+$"))
    page.locator("h1").wait_for()
    assert page.locator("h1").inner_text() == "資源ごみ・びんの日"  # the added occurrence has the new title
