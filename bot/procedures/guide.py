"""What the LINE handlers, the counter page and the console share: the life events, the
checklist for a set of answers, saved checklists with their short number, the online catalogue.

The content is read from the database, where staff edit it; until it was ever imported (a fresh
install), from the files in `content/procedures/` as they are, so the guide never goes blank."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import LifeEvent, OnlineProcedure, Procedure, SavedChecklist
from bot.procedures.tree import Tree, TreeInvalid, parse_tree

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
CODE_LENGTH = 6
SAVED_DAYS = 30
SAVED_SHOWN = 5


@dataclass(frozen=True)
class Checklist:
    """A life event, the resident's answers (as choice labels too) and its procedures."""

    event: LifeEvent
    answers: dict[str, str]
    answer_labels: list[tuple[str, str]]  # (question, chosen label), in question order
    procedures: list[Procedure]


@dataclass(frozen=True)
class FileContent:
    events: list[LifeEvent]
    procedures: dict[str, Procedure]
    online: list[OnlineProcedure]


@lru_cache(maxsize=2)
def _file_content(_mtimes: tuple[float, ...]) -> FileContent:
    from bot.procedures import content

    data = content.read_yaml(content.CONTENT_DIR / "procedures.yaml")
    procedures = {row["key"]: Procedure(**row) for row in content.procedure_rows(data)}
    events_data = content.read_yaml(content.CONTENT_DIR / "events.yaml")
    events = [LifeEvent(**row) for row in content.event_rows(events_data, frozenset(procedures))]
    online = [OnlineProcedure(**row) for row in content.online_rows(content.read_yaml(content.CONTENT_DIR / "online.yaml"))]
    return FileContent(events, procedures, online)


def file_content() -> FileContent:
    """The content files as unsaved rows (re-read when a file changes)."""
    from bot.procedures.content import CONTENT_DIR

    return _file_content(tuple(path.stat().st_mtime for path in sorted(CONTENT_DIR.glob("*.yaml"))))


def imported(session: Session) -> bool:
    return session.scalar(select(LifeEvent.key).limit(1)) is not None


def events(session: Session) -> list[LifeEvent]:
    if not imported(session):
        return file_content().events
    return list(session.scalars(select(LifeEvent).order_by(LifeEvent.position, LifeEvent.key)))


def event(session: Session, key: str) -> LifeEvent | None:
    if not key:
        return None
    if not imported(session):
        return next((e for e in file_content().events if e.key == key), None)
    return session.get(LifeEvent, key)


def _procedures(session: Session, keys: list[str]) -> dict[str, Procedure]:
    if not imported(session):
        return {key: p for key, p in file_content().procedures.items() if key in keys}
    return {p.key: p for p in session.scalars(select(Procedure).where(Procedure.key.in_(keys)))}


def event_tree(event: LifeEvent) -> Tree | None:
    """The event's tree, or None if stored data no longer parses (never shown half-broken)."""
    try:
        return parse_tree(event.tree)
    except TreeInvalid:
        return None


def checklist(session: Session, event: LifeEvent, answers: Mapping[str, str]) -> Checklist | None:
    tree = event_tree(event)
    if tree is None:
        return None
    valid = tree.valid_answers(answers)
    labels = [(q.text, choice.label) for q in tree.questions
              if q.key in valid and (choice := q.choice(valid[q.key])) is not None]
    keys = tree.procedures(valid)
    found = _procedures(session, keys)
    return Checklist(event, valid, labels, [found[key] for key in keys if key in found])


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.get(SavedChecklist, code) is None:
            return code


def save_checklist(session: Session, line_user_id: str, found: Checklist, now: datetime) -> SavedChecklist:
    """Keeps the checklist for SAVED_DAYS; the same one saved twice keeps its number."""
    keys = [p.key for p in found.procedures]
    for saved in saved_of(session, line_user_id, now):
        if saved.event_key == found.event.key and saved.answers == found.answers:
            saved.expires_at = now + timedelta(days=SAVED_DAYS)
            return saved
    saved = SavedChecklist(code=_new_code(session), line_user_id=line_user_id, event_key=found.event.key,
                           answers=dict(found.answers), procedure_keys=keys, created_at=now,
                           expires_at=now + timedelta(days=SAVED_DAYS))
    session.add(saved)
    session.flush()
    return saved


def saved_of(session: Session, line_user_id: str, now: datetime) -> list[SavedChecklist]:
    """The resident's saved checklists that have not expired, newest first."""
    return list(session.scalars(
        select(SavedChecklist).where(SavedChecklist.line_user_id == line_user_id, SavedChecklist.expires_at > now)
        .order_by(SavedChecklist.created_at.desc()).limit(SAVED_SHOWN)))


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).upper()[:CODE_LENGTH + 2]


def find_saved(session: Session, code: str, now: datetime) -> SavedChecklist | None:
    saved = session.get(SavedChecklist, normalise_code(code))
    return saved if saved is not None and saved.expires_at > now else None


def saved_checklist(session: Session, saved: SavedChecklist) -> Checklist | None:
    """The saved checklist as it reads today (procedure details as staff keep them now)."""
    found = event(session, saved.event_key)
    return checklist(session, found, saved.answers) if found is not None else None


def online_all(session: Session) -> list[OnlineProcedure]:
    rows = list(session.scalars(select(OnlineProcedure).order_by(OnlineProcedure.position, OnlineProcedure.key)))
    return rows if rows or imported(session) else file_content().online


def online_categories(session: Session) -> list[str]:
    return list(dict.fromkeys(link.category for link in online_all(session)))


def online_links(session: Session, category: str) -> list[OnlineProcedure]:
    return [link for link in online_all(session) if link.category == category]
