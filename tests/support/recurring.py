"""Browser helper for recurring notices: staff register a weekly rule in the console."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.db import utcnow

JST = ZoneInfo("Asia/Tokyo")
WEEKDAY_NAMES = "月火水木金土日"


def register_weekly_rule(page, console_url: str, title: str = "資源ごみの日") -> date:
    """Fill in 「繰り返しのお知らせ」 for the weekday of tomorrow (Japan time), starting tomorrow at
    07:30 for 美祢, register it and wait for its page; returns tomorrow's date."""
    page.goto(f"{console_url}/console/recurring/new")
    tomorrow = utcnow().astimezone(JST).date() + timedelta(days=1)
    page.get_by_label("タイトル").fill(title)
    page.get_by_label("本文").fill("朝8時までに出してください。")
    page.get_by_label("美祢").check()
    page.get_by_label("毎週（曜日を選ぶ）").check()
    page.get_by_label(f"{WEEKDAY_NAMES[tomorrow.weekday()]}曜日").check()
    page.get_by_label("送る時刻").fill("07:30")
    page.get_by_label("開始日").fill(tomorrow.isoformat())
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url(re.compile(r"/console/recurring/\d+$"))
    return tomorrow
