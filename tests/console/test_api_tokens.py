"""API tokens: issued once, stored hashed, checked by `authenticate_bearer`, revocable."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from bot.staff import api_tokens
from bot.models import ApiToken, AuditEntry
from tests.support.console import post_form


def test_a_token_is_stored_only_as_its_hash(db_session):
    token = api_tokens.issue_token(db_session, "mail-service", "admin")
    db_session.commit()
    stored = db_session.scalar(select(ApiToken))
    assert len(token) >= 43 and token not in stored.token_hash
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (stored.name, stored.created_by, stored.revoked_at) == ("mail-service", "admin", None)


def test_authenticate_bearer_accepts_only_active_tokens(db_session):
    token = api_tokens.issue_token(db_session, "bousai", "cli")
    db_session.commit()
    found = api_tokens.authenticate_bearer(db_session, f"Bearer {token}")
    assert found is not None and found.name == "bousai" and found.last_used_at is not None
    assert api_tokens.api_actor(found) == "api:bousai"
    assert api_tokens.authenticate_bearer(db_session, f"bearer   {token} ") is not None
    for header in [None, "", token, f"Basic {token}", f"Bearer {token[:-1]}", "Bearer ", f"Bearer {token}x"]:
        assert api_tokens.authenticate_bearer(db_session, header) is None, header
    api_tokens.revoke_token(db_session, "bousai")
    db_session.commit()
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}") is None


def test_names_are_checked_and_unique(db_session):
    api_tokens.issue_token(db_session, "mail", "cli")
    with pytest.raises(api_tokens.TokenError, match="すでにあります"):
        api_tokens.issue_token(db_session, "mail", "cli")
    with pytest.raises(api_tokens.TokenError, match="半角"):
        api_tokens.issue_token(db_session, "メール", "cli")
    with pytest.raises(api_tokens.TokenError, match="ありません"):
        api_tokens.revoke_token(db_session, "nothing")


def test_admin_issues_a_token_in_the_console_and_sees_it_once(client, login_as, db_session):
    admin = login_as("admin")
    response = post_form(client, "/console/tokens", {"name": "mail-service"}, csrf_page="/console/tokens")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "二度と表示できません" in page
    token = re.search(r'id="issued-token"[^>]*value="([^"]+)"', page).group(1)
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}").name == "mail-service"
    db_session.commit()

    listing = client.get("/console/tokens").get_data(as_text=True)
    assert "mail-service" in listing and token not in listing and admin.login_name in listing
    [entry] = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "apitoken.issue"))
    assert entry.target == "mail-service" and token not in str(entry.details)


def test_admin_revokes_a_token_after_confirming(client, login_as, db_session):
    login_as("admin")
    token = api_tokens.issue_token(db_session, "bousai", "cli")
    db_session.commit()
    token_id = db_session.scalar(select(ApiToken.id))
    page = client.get(f"/console/tokens/{token_id}/revoke").get_data(as_text=True)
    assert "よろしいですか" in page
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}") is not None
    db_session.commit()

    response = post_form(client, f"/console/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert "無効にしました" in client.get("/console/tokens").get_data(as_text=True)
    db_session.expire_all()
    assert api_tokens.authenticate_bearer(db_session, f"Bearer {token}") is None
    assert db_session.scalar(select(AuditEntry.action).where(AuditEntry.action == "apitoken.revoke"))


def test_a_bad_name_is_explained(client, login_as):
    login_as("admin")
    response = post_form(client, "/console/tokens", {"name": "防災 システム"}, csrf_page="/console/tokens")
    assert response.status_code == 400 and "半角の英数字" in response.get_data(as_text=True)
