"""Slowing down password guessing on the console login, without locking the real user out.

Failures are rows in the database (several web workers share the count), keyed by:

- the pair (login name, client address): PAIR_LIMIT failures within WINDOW lock that pair only,
  so someone guessing from their own machine does not lock the staff member out of theirs;
- the client address: ADDRESS_LIMIT failures for any names lock that address (one machine
  trying many names);
- the login name alone, from anywhere: after NAME_FREE failures each further try of that name
  waits a little longer (doubling, at most NAME_DELAY_MAX), which makes guessing from many
  addresses slow but never stops anyone for long;
- a trusted device: a browser where that staff member logged in before carries a signed
  cookie (see `bot.console.auth`) and is counted on its own (PAIR_LIMIT), outside the address and
  name counts, so an attack on the name cannot keep the staff member out of their own terminal.

A successful login clears the pair's (or device's) failures but not the address's or the name's,
so a valid account cannot be used to reset an attacker's count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.models import LoginFailure

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
NAME_FREE = 10
NAME_DELAY_MAX = timedelta(seconds=60)
KEY_LENGTH = 160


def _keys(login_name: str, address: str, trusted_device: bool) -> list[tuple[str, int]]:
    if trusted_device:
        return [(f"device:{login_name}"[:KEY_LENGTH], PAIR_LIMIT)]
    return [(f"pair:{address}|{login_name}"[:KEY_LENGTH], PAIR_LIMIT), (f"ip:{address}"[:KEY_LENGTH], ADDRESS_LIMIT)]


def _name_key(login_name: str) -> str:
    return f"name:{login_name}"[:KEY_LENGTH]


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


def _name_backoff(session: Session, login_name: str, now: datetime) -> timedelta:
    recent = LoginFailure.key == _name_key(login_name), LoginFailure.at > now - WINDOW
    failures = session.scalar(select(func.count()).where(*recent)) or 0
    if failures < NAME_FREE:
        return timedelta(0)
    delay = min(timedelta(seconds=2 ** min(failures - NAME_FREE, 10)), NAME_DELAY_MAX)
    last = session.scalar(select(func.max(LoginFailure.at)).where(*recent))
    return max(timedelta(0), last + delay - now) if last else timedelta(0)


def wait_time(session: Session, login_name: str, address: str, now: datetime,
              trusted_device: bool = False) -> timedelta:
    """How long this try must wait before it is allowed (zero: it may try now)."""
    waits = [_wait_for(session, key, limit, now) for key, limit in _keys(login_name, address, trusted_device)]
    if not trusted_device:
        waits.append(_name_backoff(session, login_name, now))
    return max(waits)


def record_failure(session: Session, login_name: str, address: str, now: datetime,
                   trusted_device: bool = False) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    keys = [key for key, _limit in _keys(login_name, address, trusted_device)]
    if not trusted_device:
        keys.append(_name_key(login_name))
    for key in keys:
        session.add(LoginFailure(key=key, at=now))


def record_success(session: Session, login_name: str, address: str, trusted_device: bool = False) -> None:
    first_key = _keys(login_name, address, trusted_device)[0][0]
    session.execute(delete(LoginFailure).where(LoginFailure.key == first_key))
