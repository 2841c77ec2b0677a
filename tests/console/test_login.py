"""Logging in and out: sessions, throttling of repeated failures, and what is logged."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import select

from bot import create_app
from bot.staff import login_throttle
from bot.db import utcnow
from bot.models import AuditEntry, LoginFailure, StaffUser
from tests.support.console import csrf_for, log_in


def test_login_opens_the_dashboard_and_logout_ends_the_session(client, make_staff, db_session):
    account = make_staff("tanaka", "author", display_name="田中 花子")
    response = log_in(client, "Tanaka", account.password)
    assert response.status_code == 302 and response.headers["Location"] == "/console"
    page = client.get("/console").get_data(as_text=True)
    assert "美祢市LINE 管理画面" in page and "田中 花子" in page and "作成者" in page
    assert db_session.get(StaffUser, account.id).last_login_at is not None

    response = client.post("/console/logout", data={"csrf_token": csrf_for(client, "/console")})
    assert response.headers["Location"] == "/console/login"
    assert "ログアウトしました" in client.get("/console/login").get_data(as_text=True)
    assert client.get("/console").status_code == 302


def test_session_cookie_is_httponly_lax_and_lasts_a_working_day(app, client, make_staff):
    account = make_staff("sato", "viewer")
    response = log_in(client, "sato", account.password)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert app.permanent_session_lifetime == timedelta(hours=8)


def test_wrong_password_shows_a_japanese_message(client, make_staff):
    make_staff("sato", "viewer")
    response = log_in(client, "sato", "wrong-password!")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ログインIDまたはパスワードが違います" in page
    assert client.get("/console").status_code == 302


def test_login_starts_a_fresh_session(client, make_staff):
    account = make_staff("sato", "viewer")
    csrf_for(client)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        old_token = session["csrf_token"]
    log_in(client, "sato", account.password)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["csrf_token"] != old_token


def test_a_session_ends_after_eight_hours(client, make_staff):
    account = make_staff("sato", "viewer")
    log_in(client, "sato", account.password)
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 8 * 3600 - 1
    response = client.get("/console")
    assert response.status_code == 302
    assert "有効期限が切れました" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_disabling_an_account_or_changing_its_password_ends_its_sessions(app, make_staff, settings):
    other = make_staff("other", "admin")
    sato = make_staff("sato", "viewer")
    browser_a, browser_b = app.test_client(), app.test_client()
    log_in(browser_a, "sato", sato.password)
    assert browser_a.get("/console").status_code == 200

    log_in(browser_b, "other", other.password)
    browser_b.post(f"/console/staff/{sato.id}/password", data={
        "csrf_token": csrf_for(browser_b, "/console"), "password": "a-new-password", "password_confirm": "a-new-password"})
    assert browser_a.get("/console").status_code == 302

    log_in(browser_a, "sato", "a-new-password")
    assert browser_a.get("/console").status_code == 200
    browser_b.post(f"/console/staff/{sato.id}/disable", data={"csrf_token": csrf_for(browser_b, "/console")})
    assert browser_a.get("/console").status_code == 302


def _fail_login(client, name: str, times: int) -> list[int]:
    return [log_in(client, name, "wrong-password!").status_code for _ in range(times)]


def test_five_failures_lock_the_name_for_a_while_with_a_japanese_message(client, make_staff):
    account = make_staff("sato", "viewer")
    assert _fail_login(client, "sato", 5) == [200] * 5
    response = log_in(client, "sato", account.password)  # even the right password must wait
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "しばらくログインできません" in page and "約15分" in page
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    assert client.get("/console").status_code == 302


def test_the_lock_ends_when_the_window_has_passed(client, make_staff, db_session):
    account = make_staff("sato", "viewer")
    _fail_login(client, "sato", 5)
    assert log_in(client, "sato", account.password).status_code == 429
    for failure in db_session.scalars(select(LoginFailure)):
        failure.at -= login_throttle.WINDOW
    db_session.commit()
    assert log_in(client, "sato", account.password).status_code == 302


def test_a_success_resets_the_names_count(client, make_staff):
    account = make_staff("sato", "viewer")
    _fail_login(client, "sato", 4)
    assert log_in(client, "sato", account.password).status_code == 302
    client.post("/console/logout", data={"csrf_token": csrf_for(client, "/console")})
    assert _fail_login(client, "sato", 4) == [200] * 4
    assert log_in(client, "sato", account.password).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, make_staff):
    account = make_staff("sato", "viewer")
    for n in range(login_throttle.ADDRESS_LIMIT):
        assert log_in(client, f"guess{n}", "wrong-password!").status_code == 200
    assert log_in(client, "sato", account.password).status_code == 429
    other_address = client.application.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert log_in(other_address, "sato", account.password).status_code == 302


def test_failures_are_counted_in_the_database_across_workers(settings, make_staff):
    """Two app instances (as two gunicorn workers) share one count."""
    account = make_staff("sato", "viewer")
    workers = [create_app({"settings": settings}) for _ in range(2)]
    try:
        clients = [worker.test_client() for worker in workers]
        for n in range(5):
            assert log_in(clients[n % 2], "sato", "wrong-password!").status_code == 200
        assert log_in(clients[1], "sato", account.password).status_code == 429
        assert log_in(clients[0], "sato", account.password).status_code == 429
    finally:
        for worker in workers:
            worker.extensions["gateway"].close()
            worker.extensions["db"].dispose()


def test_throttle_counts_only_the_window(db_session):
    now = utcnow()
    for minutes_ago in (20, 16, 4, 3, 2, 1):
        login_throttle.record_failure(db_session, "sato", "198.51.100.1", now - timedelta(minutes=minutes_ago))
    assert login_throttle.wait_time(db_session, "sato", "198.51.100.1", now) == timedelta(0)
    login_throttle.record_failure(db_session, "sato", "198.51.100.1", now)
    wait = login_throttle.wait_time(db_session, "sato", "198.51.100.1", now)
    assert timedelta(minutes=10, seconds=59) < wait <= timedelta(minutes=11)


def test_logins_are_audited_and_logged_without_the_password(client, make_staff, db_session, caplog):
    account = make_staff("sato", "viewer")
    caplog.set_level(logging.DEBUG)
    log_in(client, "sato", "wrong-秘密のパスワード")
    log_in(client, "sato", account.password)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "login failed" in text and "sato" in text
    assert "秘密のパスワード" not in text and account.password not in text
    entries = db_session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["staff.login_failed", "staff.login"]
    assert all("秘密" not in str(e.details) and account.password not in str(e.details) for e in entries)
