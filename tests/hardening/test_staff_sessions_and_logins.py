"""Items 2, 3 and 4: console sessions end on the server (logout, password change, disabling);
guessing a password is slow but the real user can still log in; X-Forwarded-For counts only
from trusted proxies; guessable passwords are refused in Japanese (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.console.auth import client_address
from bot.staff import accounts, login_throttle
from tests.support.console import PASSWORD, log_in, post_form

NEW_PASSWORD = "karst-plateau-spring-2027"


def copy_of_session(app, client):
    """Another browser holding a copy of `client`'s session cookie (as an attacker would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def opens_console(browser) -> bool:
    return browser.get("/console").status_code == 200


def test_logout_ends_a_copy_of_the_cookie_made_before(app, client, login_as):
    login_as("author")
    thief = copy_of_session(app, client)
    assert opens_console(thief)
    post_form(client, "/console/logout")
    assert not opens_console(client)
    assert not opens_console(thief)


def test_an_admin_resetting_a_password_or_disabling_ends_the_users_sessions(app, client, make_staff):
    user = make_staff("sato", "author")
    make_staff("boss", "admin")
    sato = app.test_client()
    assert log_in(sato, "sato").status_code == 302 and opens_console(sato)
    assert log_in(client, "boss").status_code == 302
    post_form(client, f"/console/staff/{user.id}/password", {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert not opens_console(sato)
    assert log_in(sato, "sato", NEW_PASSWORD).status_code == 302 and opens_console(sato)
    post_form(client, f"/console/staff/{user.id}/disable")
    assert not opens_console(sato)


def test_changing_ones_own_password_keeps_this_browser_and_ends_the_others(app, client, login_as):
    login_as("viewer")
    elsewhere = copy_of_session(app, client)
    response = post_form(client, "/console/account/password", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert opens_console(client)
    assert not opens_console(elsewhere)


def from_address(app, address: str, forwarded: str | None = None):
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    if forwarded:
        browser.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    return browser


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(app, make_staff):
    make_staff("sato", "admin")
    attacker = from_address(app, "203.0.113.9")
    assert [log_in(attacker, "sato", "wrong-password!").status_code for _ in range(6)][-1] == 429
    own_terminal = from_address(app, "192.0.2.10")
    assert log_in(own_terminal, "sato").status_code == 302


def test_guessing_from_many_addresses_slows_down_but_a_known_terminal_still_gets_in(app, make_staff):
    make_staff("sato", "admin")
    own_terminal = from_address(app, "192.0.2.10")
    assert log_in(own_terminal, "sato").status_code == 302  # an earlier visit: the browser is known
    post_form(own_terminal, "/console/logout")
    for n in range(login_throttle.NAME_FREE + 3):
        log_in(from_address(app, f"198.51.100.{n + 1}"), "sato", "wrong-password!")
    fresh = log_in(from_address(app, "198.51.100.200"), "sato", "wrong-password!")
    assert fresh.status_code == 429
    assert 1 <= int(fresh.headers["Retry-After"]) <= login_throttle.NAME_DELAY_MAX.total_seconds()
    assert log_in(own_terminal, "sato").status_code == 302


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(settings, make_staff):
    from bot import create_app

    make_staff("sato", "admin")
    behind = create_app({"settings": settings.with_overrides(trusted_proxies=("10.0.0.0/8",))})
    try:
        attacker = from_address(behind, "10.0.0.2", forwarded="203.0.113.9")
        assert [log_in(attacker, "sato", "wrong-password!").status_code for _ in range(6)][-1] == 429
        colleague = from_address(behind, "10.0.0.2", forwarded="192.0.2.10")  # same proxy, other person
        assert log_in(colleague, "sato").status_code == 302
        # Someone not behind the proxy cannot choose their address with the header.
        outsider = from_address(behind, "198.51.100.7", forwarded="192.0.2.10")
        assert [log_in(outsider, "sato", "wrong-password!").status_code for _ in range(6)][-1] == 429
        post_form(colleague, "/console/logout")
        assert log_in(colleague, "sato").status_code == 302  # the colleague's own terminal, known
        for peer, header, seen in [("198.51.100.7", "192.0.2.10", "198.51.100.7"),
                                   ("10.0.0.2", "192.0.2.10", "192.0.2.10"),
                                   ("10.0.0.2", "6.6.6.6, 192.0.2.10, 10.0.0.5", "192.0.2.10"),
                                   ("10.0.0.2", "", "10.0.0.2")]:
            with behind.test_request_context(environ_base={"REMOTE_ADDR": peer},
                                             headers={"X-Forwarded-For": header}):
                assert client_address() == seen
    finally:
        behind.extensions["gateway"].close()
        behind.extensions["db"].dispose()


@pytest.mark.parametrize(("password", "reason"), [
    ("1234567890", "よく使われる"),
    ("          ", "同じ文字だけ"),
    ("aaaaaaaaaaaa", "同じ文字だけ"),
    ("password123", "よく使われる"),
    ("yamada.taro-x", "ログインID"),
    ("qwertyuiop", "推測されやすい"),
])
def test_guessable_passwords_are_refused_in_japanese(password, reason):
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.check_password(password, "yamada.taro", "山田 太郎")
    accounts.check_password("mine-karst-autumn-2026", "yamada.taro", "山田 太郎")


def test_the_console_refuses_a_weak_admin_password(client, login_as, db_session):
    login_as("admin")
    response = post_form(client, "/console/staff/new", {
        "login_name": "suzuki", "display_name": "鈴木", "role": "admin",
        "password": "1234567890", "password_confirm": "1234567890"})
    assert response.status_code in (200, 400)
    assert "よく使われるパスワード" in response.get_data(as_text=True)
    assert accounts.find(db_session, "suzuki") is None
