"""お知らせ in the console, in Debian's Chromium: compose, preview in the phone frame, schedule,
deliver through the LINE emulator, follow a large delivery's progress bar; HTML typed by staff
stays text; a POST without the CSRF token is refused."""

from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.notices import delivery
from bot import notices
from bot.db import utcnow
from bot.models import Notice
from tests.support.notices import add_friends, bulk_users

pytestmark = pytest.mark.browser
JST = ZoneInfo("Asia/Tokyo")
TITLE = "<b>秋吉台</b>の山焼き"
BODY = "<script>alert('山焼き')</script>\n2月の第3日曜日、9時30分から行います。\n雨のときは翌週に延期します。"


def friends_in(sim, database, count: int, area: str) -> list[str]:
    user_ids = bulk_users(sim, count)
    add_friends(database, user_ids, area)
    return user_ids


def test_staff_compose_preview_schedule_and_the_notice_reaches_friends(page, console_server, staff_login, sim,
                                                                      tmp_path):
    app = console_server.app
    database, settings = app.extensions["db"], app.extensions["settings"]
    mito = friends_in(sim, database, 3, "mito")
    shuho = friends_in(sim, database, 2, "shuho")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    staff_login(page, role="author")

    page.get_by_role("navigation").get_by_role("link", name="お知らせ", exact=True).click()
    page.get_by_role("link", name="新しいお知らせを作成").click()
    page.get_by_role("radio", name="イベント", exact=True).check()
    page.get_by_label("タイトル", exact=True).fill(TITLE)
    page.get_by_label("本文", exact=True).fill(BODY)
    page.get_by_label("詳しい情報のページ（URL・なくてもかまいません）").fill("https://www.city.mine.lg.jp/")
    assert not page.locator("#segment-choices").is_visible()  # everyone: no areas to pick
    page.get_by_label("地域や情報の種類で絞り込む").check()
    page.get_by_label("美東", exact=True).check()
    page.get_by_label("日時を指定して予約する").check()
    when = (utcnow() + timedelta(minutes=3)).astimezone(JST)
    page.get_by_label("日付", exact=True).fill(when.date().isoformat())
    page.get_by_label("時刻", exact=True).fill(f"{when:%H:%M}")
    page.screenshot(path=str(tmp_path / "notice-compose.png"), full_page=True)
    page.get_by_role("button", name="確認の画面へ進む").click()

    phone = page.locator("figure.phone")
    phone.wait_for()
    assert TITLE in phone.inner_text() and "<script>alert('山焼き')</script>" in phone.inner_text()
    assert "対象地域：美東" in phone.inner_text() and "詳しく見る" in phone.inner_text()
    assert page.locator("#alt-text").inner_text().startswith(f"【イベント】{TITLE}")
    assert page.locator("#recipients").inner_text() == "3"
    assert "残りの範囲で送信できます。" in page.locator("#quota").inner_text()
    page.screenshot(path=str(tmp_path / "notice-preview.png"), full_page=True)
    page.get_by_role("button", name="予約する").click()

    page.wait_for_selector("text=に送信します。")
    assert page.locator("#status-badge").inner_text() == "予約済み"
    assert page.locator("#notice-title").inner_text() == TITLE

    later = utcnow() + timedelta(minutes=4)  # the scheduler's clock when the notice is due
    delivery.start_due_notices(database, settings, now=later)
    delivery.deliver_pending(database, app.extensions["gateway"], settings)
    page.wait_for_selector("#status-badge:has-text('送信済み')")  # the open page follows by itself

    page.get_by_role("navigation").get_by_role("link", name="お知らせ", exact=True).click()
    row = page.locator("#notice-table tbody tr").first
    assert TITLE in row.inner_text() and "送信済み" in row.inner_text() and "3人" in row.inner_text()
    row.get_by_role("link").click()
    assert page.locator("#status-badge").inner_text() == "送信済み"
    assert page.locator("#delivery-progress").evaluate("bar => [bar.value, bar.max]") == [3, 3]
    page.screenshot(path=str(tmp_path / "notice-detail-sent.png"), full_page=True)
    for user_id in mito:
        assert sim.texts(user_id) == [f"【イベント】{TITLE}\n{BODY}"]
    assert all(sim.texts(user_id) == [] for user_id in shuho)
    assert dialogs == []  # the <script> typed into the body never ran


def test_the_progress_bar_moves_during_a_large_delivery(page, console_server, staff_login, sim, tmp_path):
    app = console_server.app
    database, settings = app.extensions["db"], app.extensions["settings"]
    people = friends_in(sim, database, 2000, "mine")
    with database.transaction() as session:
        notice_id = notices.create_notice(session, notices.NoticeDraft(title="美祢地域の断水", body="復旧作業中です。",
                                                                       areas=["mine"]), "tanaka", settings, utcnow()).id
    staff_login(page, role="viewer")
    page.goto(f"{console_server.url}/console/notices/{notice_id}")
    assert page.locator("#delivery-progress").evaluate("bar => bar.value") == 0
    assert page.locator("[data-field=targets]").inner_text() == "2,000"

    # Four multicasts of 500, one at a time, each answered after 1.5 s.
    sim.faults(delay_s=1.5, rate=1, paths=["/v2/bot/message/multicast"])
    one_at_a_time = settings.with_overrides(delivery_concurrency=1)
    sender = threading.Thread(target=delivery.run_deliveries, args=(database, app.extensions["gateway"], one_at_a_time))
    sender.start()
    try:
        page.wait_for_function("() => { const bar = document.getElementById('delivery-progress');"
                               " return bar.value > 0 && bar.value < bar.max; }", timeout=20_000)
        first = page.locator("#delivery-progress").evaluate("bar => bar.value")
        assert page.locator("[data-field=label]").inner_text() == "送信中"
        page.screenshot(path=str(tmp_path / "notice-detail-sending.png"), full_page=True)
        page.wait_for_function(f"() => document.getElementById('delivery-progress').value > {first}",
                               timeout=20_000)
        second = page.locator("#delivery-progress").evaluate("bar => bar.value")
        assert second > first
    finally:
        sender.join(60)
    page.wait_for_selector("#status-badge:has-text('送信済み')", timeout=20_000)  # reloaded when done
    assert page.locator("[data-field=sent]").inner_text() == "2,000"
    assert sim.texts(people[-1]) == ["【お知らせ】美祢地域の断水\n復旧作業中です。"]


def test_a_post_without_the_csrf_token_is_refused(page, console_server, staff_login, db_session):
    staff_login(page, role="author")
    page.goto(f"{console_server.url}/console/notices/new")
    status = page.evaluate("""async () => {
        const body = new URLSearchParams({action: "save", kind: "info", title: "偽物", body: "偽物", target: "all",
                                          timing: "now"});
        const response = await fetch("/console/notices/new", {method: "POST", body, credentials: "same-origin"});
        return response.status;
    }""")
    assert status == 400
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Notice)) == 0


def test_mistakes_show_beside_the_fields_and_nothing_typed_is_lost(page, console_server, staff_login):
    staff_login(page, role="admin")
    page.goto(f"{console_server.url}/console/notices/new")
    page.get_by_label("本文", exact=True).fill("本文だけ書きました。")
    page.get_by_label("画像のURL（https:// で始まるもの・なくてもかまいません）").fill("http://example.jp/a.png")
    page.get_by_role("button", name="確認の画面へ進む").click()
    assert page.locator("#title-error").inner_text() == "タイトルを入力してください。"
    assert page.locator("#image-error").inner_text() == "画像は https:// で始まるURLにしてください。"
    assert page.get_by_label("本文", exact=True).input_value() == "本文だけ書きました。"
    assert "10 / 4,000文字" in page.locator(".char-count").nth(1).inner_text()
