"""A lease in the database: whoever holds it unexpired is the one active scheduler.

Works on SQLite (BEGIN IMMEDIATE serialises writers) and PostgreSQL (a row lock, or the
primary key when two processes insert the first row at once)."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.db import Database
from bot.models import SchedulerLease


@lru_cache(maxsize=1)
def process_identity() -> str:
    """Who holds the lease or claims a delivery: this host and process, unique across restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def try_acquire(database: Database, name: str, holder: str, now: datetime, ttl_s: float) -> bool:
    """Take or renew the lease; False when another holder's lease has not expired."""
    try:
        with database.transaction() as session:
            lease = session.scalar(select(SchedulerLease).where(SchedulerLease.name == name).with_for_update())
            expires = now + timedelta(seconds=ttl_s)
            if lease is None:
                session.add(SchedulerLease(name=name, holder=holder, acquired_at=now, expires_at=expires))
                return True
            if lease.holder != holder and lease.expires_at > now:
                return False
            if lease.holder != holder:
                lease.holder, lease.acquired_at = holder, now
            lease.expires_at = expires
            return True
    except (IntegrityError, OperationalError):
        return False


def release(database: Database, name: str, holder: str) -> None:
    with database.transaction() as session:
        lease = session.get(SchedulerLease, name)
        if lease is not None and lease.holder == holder:
            session.delete(lease)


def current_holder(database: Database, name: str, now: datetime) -> str | None:
    with database.sessions() as session:
        lease = session.get(SchedulerLease, name)
        return lease.holder if lease is not None and lease.expires_at > now else None
