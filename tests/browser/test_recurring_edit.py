"""Changing a saved recurring notice in Debian's Chromium: staff change its weekday and end date,
and the coming occurrences on the detail page follow (one skipped before the change stays)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import utcnow

pytestmark = pytest.mark.browser
JST = ZoneInfo("Asia/Tokyo")
NAMES = "月火水木金土日"


def _coming(page) -> list[str]:
    rows = page.locator("#occurrences tbody tr")
    return [rows.nth(n).get_attribute("data-occurrence") for n in range(rows.count())]


def test_staff_change_the_weekday_and_end_date_and_the_coming_occurrences_follow(page, console_server, staff_login):
    staff_login(page, role="author")
    page.goto(f"{console_server.url}/console/recurring/new")
    tomorrow = utcnow().astimezone(JST).date() + timedelta(days=1)
    page.get_by_label("タイトル").fill("資源ごみの日")
    page.get_by_label("本文").fill("朝8時までに出してください。")
    page.get_by_label("美祢").check()
    page.get_by_label("毎週（曜日を選ぶ）").check()
    page.get_by_label(f"{NAMES[tomorrow.weekday()]}曜日").check()
    page.get_by_label("送る時刻").fill("07:30")
    page.get_by_label("開始日").fill(tomorrow.isoformat())
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))
    assert _coming(page)[:3] == [(tomorrow + timedelta(weeks=n)).isoformat() for n in range(3)]
    page.locator("#occurrences tbody tr").nth(1).get_by_role("link", name=re.compile("休みにする")).click()
    page.get_by_role("button", name="この回を休みにする").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))

    page.get_by_role("link", name="設定を変更する").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+/edit$"))
    assert page.get_by_label("タイトル").input_value() == "資源ごみの日"
    assert page.get_by_label(f"{NAMES[tomorrow.weekday()]}曜日").is_checked()
    later = tomorrow + timedelta(days=2)
    ends_on = tomorrow + timedelta(weeks=3)
    page.get_by_label(f"{NAMES[later.weekday()]}曜日").check()
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
