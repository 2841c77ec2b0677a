"""Helpers for console tests: staff accounts in the database, CSRF tokens, logging in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher

from bot.staff import accounts as staff
from bot.db import Database
from bot.models import StaffRole

PASSWORD = "秋吉台-karst-2026"  # long enough, and non-ASCII on purpose
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
# Still argon2id, with a small cost: the production cost takes up to a second per hash on a
# busy CI machine, and console tests log in hundreds of times (tests/conftest.py installs it).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class StaffLogin:
    id: int
    login_name: str
    password: str
    role: StaffRole
    display_name: str


def create_staff(
    database_url: str, login_name: str, role: StaffRole | str = StaffRole.ADMIN,
    password: str = PASSWORD, display_name: str | None = None,
) -> StaffLogin:
    """A staff account written straight to the database (as `python -m bot staff create` would)."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            user = staff.create(session, login_name, display_name or f"{login_name} さん", StaffRole(role), password)
            result = StaffLogin(user.id, user.login_name, password, user.role, user.display_name)
    finally:
        database.dispose()
    return result


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def csrf_for(client, path: str = "/console/login") -> str:
    """The session's CSRF token, read from a page as a browser would."""
    response = client.get(path, follow_redirects=True)
    return csrf_from(response.get_data(as_text=True))


def log_in(client, login_name: str, password: str = PASSWORD, **extra: str):
    """Submit the login form; returns the response (302 on success)."""
    token = csrf_for(client)
    return client.post("/console/login", data={"csrf_token": token, "login_name": login_name, "password": password, **extra})


def post_form(client, path: str, data: dict[str, str] | None = None, csrf_page: str = "/console"):
    """POST a console form with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_for(client, csrf_page), **(data or {})})
