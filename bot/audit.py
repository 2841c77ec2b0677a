"""The audit log: every staff action (console, API, command line) is recorded here.

    from bot import audit
    audit.record(session, actor, "notice.publish", target=str(notice.id), channel="line")

`actor` is a staff login name, "api:<token name>" (see `api_tokens.api_actor`) or "cli".
Details must be JSON-serialisable and never hold a password or a token: keys that look like
one are refused with ValueError so that the mistake shows up in tests, not in the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import AuditEntry

CLI_ACTOR = "cli"
SECRET_KEY_PATTERN = re.compile(r"pass(word|wd)?|secret|^token$|_token$|^authorization$|^credentials?$", re.I)
PAGE_SIZE = 50


def record(session: Session, actor: str, action: str, target: str = "", **details: Any) -> AuditEntry:
    """Add an audit entry to `session` (committed with the caller's transaction)."""
    secret_keys = [key for key in details if SECRET_KEY_PATTERN.search(key)]
    if secret_keys:
        raise ValueError(f"audit details must not hold secrets: {', '.join(sorted(secret_keys))}")
    entry = AuditEntry(at=utcnow(), actor=actor[:100], action=action[:64], target=str(target)[:200], details=details)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def search(session: Session, actor: str = "", action: str = "", page: int = 1, per_page: int = PAGE_SIZE) -> AuditPage:
    """Entries newest first; `actor` matches exactly, `action` matches a prefix ("staff." finds all)."""
    query = select(AuditEntry)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return AuditPage(list(entries), page, pages, total)
