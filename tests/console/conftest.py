"""Console fixtures: staff accounts and a test client logged in as one of them."""

from __future__ import annotations

import pytest

from tests.support.console import create_staff, fast_password_hashing, log_in  # noqa: F401


@pytest.fixture
def make_staff(settings):
    """make_staff(login_name, role="admin", ...) -> StaffLogin, in this test's database."""

    def make(login_name: str, role: str = "admin", **kwargs):
        return create_staff(settings.database_url, login_name, role, **kwargs)

    return make


@pytest.fixture
def login_as(client, make_staff):
    """login_as(role) -> StaffLogin: create an account with that role and log `client` in."""

    def login(role: str = "admin", login_name: str | None = None):
        account = make_staff(login_name or f"{role}-user", role)
        response = log_in(client, account.login_name, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return account

    return login
