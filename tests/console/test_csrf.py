"""Every state-changing console request needs the session's CSRF token."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import StaffUser
from tests.support.console import csrf_for

NEW_ACCOUNT = {"login_name": "newbie", "display_name": "新人", "role": "viewer",
               "password": "long-enough-pw", "password_confirm": "long-enough-pw"}


def _accounts(db_session) -> list[str]:
    return list(db_session.scalars(select(StaffUser.login_name)))


def test_a_post_without_the_token_is_refused_with_a_japanese_page(client, login_as, db_session):
    login_as("admin")
    response = client.post("/console/staff/new", data=NEW_ACCOUNT)
    assert response.status_code == 400
    assert "もう一度お試しください" in response.get_data(as_text=True)
    response = client.post("/console/staff/new", data={**NEW_ACCOUNT, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "newbie" not in _accounts(db_session)


def test_the_token_from_another_session_does_not_work(app, client, login_as, db_session):
    stranger = app.test_client()
    their_token = csrf_for(stranger)
    login_as("admin")
    response = client.post("/console/staff/new", data={**NEW_ACCOUNT, "csrf_token": their_token})
    assert response.status_code == 400


def test_the_form_field_or_the_header_is_accepted(client, login_as, db_session):
    login_as("admin")
    token = csrf_for(client, "/console")
    assert client.post("/console/staff/new", data={**NEW_ACCOUNT, "csrf_token": token}).status_code == 302
    response = client.post("/console/staff/new", data={**NEW_ACCOUNT, "login_name": "viaheader"},
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 302
    assert {"newbie", "viaheader"} <= set(_accounts(db_session))


def test_every_page_carries_the_token_for_scripts(client, login_as):
    login_as("viewer")
    page = client.get("/console").get_data(as_text=True)
    assert f'<meta name="csrf-token" content="{csrf_for(client, "/console")}">' in page


def test_the_login_form_needs_the_token_too(client, make_staff):
    account = make_staff("sato", "viewer")
    response = client.post("/console/login", data={"login_name": "sato", "password": account.password})
    assert response.status_code == 400
    assert client.get("/console").status_code == 302


def test_logout_needs_the_token(client, login_as):
    login_as("viewer")
    assert client.post("/console/logout").status_code == 400
    assert client.get("/console").status_code == 200
