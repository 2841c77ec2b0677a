"""Admins manage staff accounts in the console; every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import AuditEntry, StaffRole, StaffUser
from tests.support.console import log_in, post_form

NEW = {"login_name": "Yamada.Taro", "display_name": "山田 太郎", "role": "author",
       "password": "yamada-no-password", "password_confirm": "yamada-no-password"}


def _audit(db_session, action: str) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _user(db_session, login_name: str) -> StaffUser:
    """The account as stored now (the read transaction ends: SQLite would keep the app waiting)."""
    db_session.expire_all()
    user = db_session.scalar(select(StaffUser).where(StaffUser.login_name == login_name))
    db_session.commit()
    return user


def test_admin_creates_an_account_that_can_log_in(app, client, login_as, db_session):
    admin = login_as("admin")
    response = post_form(client, "/console/staff/new", NEW)
    assert response.status_code == 302
    assert "アカウント「yamada.taro」（山田 太郎）を作成しました" in client.get("/console/staff").get_data(as_text=True)
    user = _user(db_session, "yamada.taro")
    assert user.role is StaffRole.AUTHOR and user.active
    [entry] = _audit(db_session, "staff.create")
    assert (entry.actor, entry.target, entry.details) == (admin.login_name, "yamada.taro", {"role": "author"})
    assert "yamada-no-password" not in str(entry.details)
    assert log_in(app.test_client(), "yamada.taro", "yamada-no-password").status_code == 302


def test_the_form_explains_mistakes_in_japanese(client, login_as, db_session):
    login_as("admin")
    cases = {
        "10文字以上": {**NEW, "password": "short", "password_confirm": "short"},
        "一致しません": {**NEW, "password_confirm": "something-else"},
        "ログインIDは": {**NEW, "login_name": "山田"},
        "権限を選んで": {**NEW, "role": "root"},
        "すでに使われています": {**NEW, "login_name": "admin-user"},
    }
    for message, form in cases.items():
        response = post_form(client, "/console/staff/new", form)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, message
        assert 'value="山田 太郎"' in page  # what was typed is kept (not the password)
        assert "yamada-no-password" not in page
    assert _user(db_session, "yamada.taro") is None


def test_admin_changes_a_role_and_cannot_remove_the_last_admin(client, login_as, make_staff, db_session):
    admin = login_as("admin")
    sato = make_staff("sato", "viewer")
    post_form(client, f"/console/staff/{sato.id}/role", {"role": "approver"})
    assert _user(db_session, "sato").role is StaffRole.APPROVER
    [entry] = _audit(db_session, "staff.role")
    assert entry.details == {"old": "viewer", "new": "approver"}

    response = post_form(client, f"/console/staff/{admin.id}/role", {"role": "viewer"})
    assert "有効な管理者が1人もいなくなる" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _user(db_session, admin.login_name).role is StaffRole.ADMIN


def test_disabling_asks_first_then_blocks_the_login(app, client, login_as, make_staff, db_session):
    admin = login_as("admin")
    sato = make_staff("sato", "author", display_name="佐藤")
    page = client.get(f"/console/staff/{sato.id}/disable").get_data(as_text=True)
    assert "ログインできなくなります。よろしいですか？" in page and "無効にする" in page
    assert _user(db_session, "sato").active  # only asked so far

    post_form(client, f"/console/staff/{sato.id}/disable")
    assert not _user(db_session, "sato").active
    assert log_in(app.test_client(), "sato", sato.password).status_code == 200  # refused
    post_form(client, f"/console/staff/{sato.id}/enable")
    assert _user(db_session, "sato").active

    post_form(client, f"/console/staff/{admin.id}/disable")
    assert _user(db_session, admin.login_name).active
    changes = select(AuditEntry).where(AuditEntry.action.in_(["staff.disable", "staff.enable"]))
    assert [(e.action, e.target) for e in db_session.scalars(changes.order_by(AuditEntry.id))] == [
        ("staff.disable", "sato"), ("staff.enable", "sato")]


def test_admin_sets_a_forgotten_password(app, client, login_as, make_staff, db_session):
    login_as("admin")
    sato = make_staff("sato", "viewer")
    post_form(client, f"/console/staff/{sato.id}/password",
              {"password": "brand-new-password", "password_confirm": "brand-new-password"})
    assert log_in(app.test_client(), "sato", "brand-new-password").status_code == 302
    [entry] = _audit(db_session, "staff.set_password")
    assert entry.target == "sato" and entry.details == {}


def test_anyone_changes_their_own_password(app, client, login_as, db_session):
    viewer = login_as("viewer")
    form = {"current_password": "wrong-password", "password": "my-new-password", "password_confirm": "my-new-password"}
    response = post_form(client, "/console/account/password", form)
    assert response.status_code == 400 and "現在のパスワードが違います" in response.get_data(as_text=True)
    response = post_form(client, "/console/account/password", {**form, "current_password": viewer.password})
    assert response.status_code == 302
    assert client.get("/console").status_code == 200  # this browser stays logged in
    assert log_in(app.test_client(), viewer.login_name, "my-new-password").status_code == 302
    assert len(_audit(db_session, "staff.change_own_password")) == 1


def test_the_account_list_shows_roles_in_japanese_and_escapes_names(client, login_as, make_staff):
    login_as("admin")
    make_staff("sato", "approver", display_name="<b>佐藤</b>")
    page = client.get("/console/staff").get_data(as_text=True)
    assert "承認者" in page and "管理者" in page
    assert "&lt;b&gt;佐藤&lt;/b&gt;" in page and "<b>佐藤</b>" not in page
