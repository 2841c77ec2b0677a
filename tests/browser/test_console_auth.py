"""The staff console in a real browser: logging in and out, errors, what staff see."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import Database, utcnow
from bot.models import Friend, FriendStatus
from tests.support.console import create_staff

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/console.png")
SCRIPT_NAME = "<script>alert(1)</script>"


def add_friends(database_url: str) -> None:
    rows = [("mine", "美祢 花子"), ("shuho", "秋芳 太郎"), ("mito", "美東 次郎"), (None, SCRIPT_NAME), ("mine", "大嶺 さくら")]
    database = Database(database_url)
    with database.transaction() as session:
        now = utcnow()
        for n, (area, name) in enumerate(rows):
            session.add(Friend(line_user_id=f"U{n:032d}", display_name=name, area=area,
                               followed_at=now - timedelta(hours=n)))
        session.add(Friend(line_user_id="U" + "f" * 32, display_name="ブロック中の方", area="mito",
                           status=FriendStatus.BLOCKED, followed_at=now - timedelta(days=3)))
    database.dispose()


def test_staff_log_in_see_the_dashboard_and_navigation_and_log_out(page, console_server, staff_login, settings):
    add_friends(settings.database_url)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    staff_login(page, role="admin", login_name="yamada", display_name="山田 太郎")

    assert page.locator(".brand").inner_text().strip().endswith("美祢市LINE 管理画面")
    assert page.locator(".user-name").inner_text() == "山田 太郎"
    assert page.locator(".role-badge").inner_text() == "管理者"
    nav = page.get_by_role("navigation", name="メニュー")
    labels = nav.get_by_role("link").all_inner_texts()  # other features add their own items in between
    assert labels[0] == "ホーム" and labels[-5:] == ["職員アカウント", "APIトークン", "受信の失敗", "操作履歴", "住民データの削除"]
    assert nav.get_by_role("link", name="ホーム").get_attribute("aria-current") == "page"
    assert page.locator("#count-following").inner_text() == "5人"
    assert page.locator("#count-blocked").inner_text() == "1人"

    script_cell = page.locator("#recent-friends .friend-name", has_text="alert")
    assert script_cell.inner_text() == SCRIPT_NAME
    assert dialogs == []
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(f"{console_server.url}/console/login")
    assert "ログアウトしました" in page.locator(".flash").inner_text()
    page.goto(f"{console_server.url}/console/staff")
    assert page.url.startswith(f"{console_server.url}/console/login?next=")


def test_a_wrong_password_shows_a_japanese_error(page, console_server, settings):
    create_staff(settings.database_url, "sato", "viewer")
    page.goto(f"{console_server.url}/console")
    page.get_by_label("ログインID", exact=True).fill("sato")
    page.get_by_label("パスワード", exact=True).fill("まちがったパスワード")
    page.get_by_role("button", name="ログイン", exact=True).click()
    error = page.get_by_role("alert")
    assert error.inner_text() == "ログインIDまたはパスワードが違います。もう一度入力してください。"
    assert page.get_by_label("ログインID", exact=True).input_value() == "sato"
    assert page.get_by_label("パスワード", exact=True).input_value() == ""
    assert page.url.startswith(f"{console_server.url}/console/login")


def test_a_viewer_sees_only_what_they_may_open(page, console_server, staff_login):
    staff_login(page, role="viewer")
    nav = page.get_by_role("navigation", name="メニュー")
    labels = nav.get_by_role("link").all_inner_texts()
    assert labels[0] == "ホーム" and not {"職員アカウント", "APIトークン", "受信の失敗", "操作履歴", "住民データの削除"} & set(labels)
    page.goto(f"{console_server.url}/console/staff/new")
    assert page.get_by_role("heading", level=1).inner_text() == "権限がありません"


def test_an_admin_creates_and_disables_an_account_with_a_confirmation(page, console_server, staff_login):
    staff_login(page, role="admin")
    page.get_by_role("navigation", name="メニュー").get_by_role("link", name="職員アカウント").click()
    page.get_by_role("link", name="新しいアカウントを作成").click()
    page.get_by_label("ログインID").fill("kobayashi")
    page.get_by_label("名前（画面に表示されます）").fill("小林 ゆい")
    page.get_by_label("作成者").check()
    page.get_by_label("新しいパスワード", exact=True).fill("yui-karst-2026-spring")
    page.get_by_label("新しいパスワード（確認のため、もう一度）").fill("yui-karst-2026-spring")
    page.get_by_role("button", name="作成する").click()
    assert "アカウント「kobayashi」（小林 ゆい）を作成しました。" in page.get_by_role("status").inner_text()

    page.get_by_role("row", name="kobayashi").get_by_role("link", name="変更").click()
    page.get_by_role("link", name="このアカウントを無効にする").click()
    assert "よろしいですか" in page.locator(".lead").inner_text()
    page.get_by_role("button", name="無効にする").click()
    assert page.get_by_role("status").inner_text() == "アカウントを無効にしました。"
    assert "無効（ログインできません）" in page.locator(".facts").inner_text()
