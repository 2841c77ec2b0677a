"""Slowing down password guessing on the console login.

Failures are rows in the database (several web workers share the count), keyed by login name
and by client address. A name is locked after NAME_LIMIT failures within WINDOW; an address
after ADDRESS_LIMIT (higher: a whole city office may share one address). A successful login
clears the name's failures but not the address's, so a valid account cannot be used to reset
an attacker's count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.models import LoginFailure

WINDOW = timedelta(minutes=15)
NAME_LIMIT = 5
ADDRESS_LIMIT = 20


def _keys(login_name: str, address: str) -> list[tuple[str, int]]:
    return [(f"name:{login_name}"[:160], NAME_LIMIT), (f"ip:{address}"[:160], ADDRESS_LIMIT)]


def _wait_for(session: Session, key: str, limit: int, now: datetime) -> timedelta:
    recent = session.scalars(
        select(LoginFailure.at)
        .where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return timedelta(0)
    return max(timedelta(0), recent[-1] + WINDOW - now)


def wait_time(session: Session, login_name: str, address: str, now: datetime) -> timedelta:
    """How long this name or address must wait before trying again (zero: it may try now)."""
    return max(_wait_for(session, key, limit, now) for key, limit in _keys(login_name, address))


def record_failure(session: Session, login_name: str, address: str, now: datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    for key, _limit in _keys(login_name, address):
        session.add(LoginFailure(key=key, at=now))


def record_success(session: Session, login_name: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.key == f"name:{login_name}"[:160]))
