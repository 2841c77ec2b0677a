"""Staff accounts: creating them, passwords (argon2id), roles, disabling.

Shared by the console pages and `python -m bot staff ...`; callers record the audit entry."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.staff import passwords
from bot.models import StaffRole, StaffUser

MIN_PASSWORD_LENGTH = 10
LOGIN_NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class AccountError(ValueError):
    """A request about an account that cannot be done; `str()` is a message for staff (Japanese)."""


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password-only-for-timing")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_login_name(login_name: str) -> str:
    return login_name.strip().lower()


def check_login_name(login_name: str) -> str:
    name = normalise_login_name(login_name)
    if not LOGIN_NAME_PATTERN.fullmatch(name):
        raise AccountError("ログインIDは半角の英小文字・数字・「.」「_」「-」で、2〜64文字にしてください。")
    return name


def check_password(password: str, login_name: str = "", display_name: str = "") -> None:
    """Refuse a short or guessable password, saying why in Japanese (see bot.staff.passwords)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"パスワードは{MIN_PASSWORD_LENGTH}文字以上にしてください。")
    problem = passwords.weakness(password, login_name, display_name)
    if problem:
        raise AccountError(problem)


def parse_role(value: str) -> StaffRole:
    try:
        return StaffRole(value.strip().lower())
    except ValueError:
        raise AccountError("権限を選んでください。") from None


def find(session: Session, login_name: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.login_name == normalise_login_name(login_name)))


def create(session: Session, login_name: str, display_name: str, role: StaffRole, password: str) -> StaffUser:
    """A new active account; raises AccountError for a taken name or a weak password."""
    name = check_login_name(login_name)
    check_password(password, name, display_name)
    if find(session, name) is not None:
        raise AccountError(f"ログインID「{name}」はすでに使われています。")
    user = StaffUser(
        login_name=name,
        display_name=display_name.strip() or name,
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, login_name: str, password: str) -> StaffUser | None:
    """The active account with this name and password, or None (taking the same time either way)."""
    user = find(session, login_name)
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: StaffUser, password: str) -> None:
    """A new password; every console session of `user` ends (the caller may renew its own)."""
    check_password(password, user.login_name, user.display_name)
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: StaffUser) -> None:
    """Make every console session cookie of `user` invalid, on the server (logout, disabling)."""
    user.session_generation = (user.session_generation or 0) + 1


def active_admin_count(session: Session) -> int:
    query = select(func.count()).where(StaffUser.role == StaffRole.ADMIN, StaffUser.active.is_(True))
    return session.scalar(query) or 0


def _would_remove_last_admin(session: Session, user: StaffUser) -> bool:
    return user.active and user.role is StaffRole.ADMIN and active_admin_count(session) <= 1


def set_role(session: Session, user: StaffUser, role: StaffRole) -> None:
    if role is not StaffRole.ADMIN and _would_remove_last_admin(session, user):
        raise AccountError("有効な管理者が1人もいなくなるため、この変更はできません。")
    user.role = role


def disable(session: Session, user: StaffUser) -> None:
    if _would_remove_last_admin(session, user):
        raise AccountError("有効な管理者が1人もいなくなるため、このアカウントは無効にできません。")
    user.active = False
    end_sessions(user)


def enable(user: StaffUser) -> None:
    user.active = True


def list_all(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.login_name)))
