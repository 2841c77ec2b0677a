"""スマホ教室 in the console, in Debian's Chromium: create a class, add someone who phoned in,
download the roster for Excel, mark attendance."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db import utcnow

pytestmark = pytest.mark.browser
JST = ZoneInfo("Asia/Tokyo")


def test_staff_run_a_class_from_creation_to_attendance(page, console_server, staff_login, tmp_path):
    staff_login(page, role="author")
    page.get_by_role("link", name="スマホ教室").first.click()
    page.get_by_role("link", name="新しい教室を作成").click()
    assert page.get_by_text("会場の一覧は見本のデータです").is_visible()

    day = (utcnow().astimezone(JST) + timedelta(days=10)).date()
    page.get_by_label("教室の名前").fill("はじめてのスマホ教室（美東）")
    page.get_by_label("内容（レベル）").select_option(label="はじめてのスマホ")
    page.get_by_label("会場", exact=True).select_option(label="美東総合支所")
    page.get_by_label("開催日", exact=True).fill(day.isoformat())
    page.get_by_label("開始時刻").fill("13:30")
    page.get_by_label("終了時刻").fill("15:00")
    page.get_by_label("定員（人）").fill("8")
    page.get_by_label("説明（LINEのカードに").fill("電源の入れ方から、ゆっくり練習します。")
    page.get_by_role("button", name="作成する").click()

    page.wait_for_selector("text=教室「はじめてのスマホ教室（美東）」を作成しました。")
    facts = page.locator(".facts").inner_text()
    assert "美東総合支所" in facts and "13:30〜15:00" in facts and "8人" in facts

    page.get_by_label("お名前", exact=True).fill("美祢 ハル")
    page.get_by_label("電話番号（なくてもかまいません）").fill("0837521111")
    page.get_by_role("button", name="追加する").click()
    page.wait_for_selector("text=「美祢 ハル」さんを参加者に追加しました。")
    row = page.locator("#roster-table tbody tr").first
    assert "美祢 ハル" in row.inner_text() and "0837-52-1111" in row.inner_text() and "電話" in row.inner_text()
    assert page.locator("#confirmed-count").inner_text() == "1"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="名簿をダウンロード（Excel用CSV）").click()
    download = download_info.value
    saved = tmp_path / "roster.csv"
    download.save_as(saved)
    data = saved.read_bytes()
    assert download.suggested_filename.endswith(".csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("教室番号,教室名") and "美祢 ハル,0837-52-1111,電話" in lines[1]

    page.get_by_label("美祢 ハルさん 出席").check()
    page.get_by_role("button", name="出欠を保存").click()
    page.wait_for_selector("text=出欠を保存しました（出席 1人）。")
    assert page.get_by_label("美祢 ハルさん 出席").is_checked()
    assert "出席" in page.locator("#roster-table tbody tr").first.inner_text()
    page.screenshot(path=str(tmp_path / "class-detail.png"), full_page=True)


def test_a_viewer_sees_the_roster_without_forms(page, console_server, staff_login):
    staff_login(page, role="viewer")
    page.goto(f"{console_server.url}/console/classes")
    assert page.get_by_role("heading", name="スマホ教室").is_visible()
    assert page.get_by_role("link", name="新しい教室を作成").count() == 0
    assert page.get_by_role("button", name="設定を保存").count() == 0
