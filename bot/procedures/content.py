"""Importing `content/procedures/*.yaml` into the database, where staff then edit it.

Each file is validated as a whole before anything is written (a bad file changes nothing).
`only_new` adds what the database lacks and keeps every row staff already have (what
`make demo` does on each start); without it, the files' rows replace the stored ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.models import LifeEvent, OnlineProcedure, Procedure
from bot.procedures.tree import TreeInvalid, parse_tree, tree_data

CONTENT_DIR = PROJECT_ROOT / "content" / "procedures"
PROCEDURE_FIELDS = ("name", "counter", "bring", "deadline", "fee", "online_label", "online_url", "note")
ONLINE_FIELDS = ("name", "category", "url", "note")


class ContentInvalid(ValueError):
    """A content file is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class ImportCounts:
    events: int
    procedures: int
    online: int


def read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ContentInvalid(f"{path.name}: not a mapping")
    return data


def _checked(data: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The sample marking and 確認日 of an item (its own, else the file's)."""
    verified = item.get("verified_on", data.get("verified_on"))
    return {"sample": bool(item.get("sample", data.get("sample", True))),
            "verified_on": date.fromisoformat(str(verified)) if verified else None}


def procedure_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in data.get("procedures") or []:
        if not item.get("key") or not item.get("name"):
            raise ContentInvalid(f"procedures.yaml: every procedure needs a key and a name ({item!r:.60})")
        rows.append({"key": str(item["key"]), **{f: str(item.get(f) or "").strip() for f in PROCEDURE_FIELDS},
                     "online_unverified": bool(item.get("online_unverified")), **_checked(data, item)})
    if len({row["key"] for row in rows}) != len(rows):
        raise ContentInvalid("procedures.yaml: procedure keys must be unique")
    return rows


def event_rows(data: dict[str, Any], procedure_keys: frozenset[str]) -> list[dict[str, Any]]:
    rows = []
    for position, item in enumerate(data.get("events") or []):
        key = str(item.get("key") or "")
        try:
            tree = parse_tree(item, procedure_keys)
        except TreeInvalid as exc:
            raise ContentInvalid(f"events.yaml: {key}: {exc}") from exc
        rows.append({"key": key, "label": str(item.get("label") or key), "position": position,
                     "tree": tree_data(tree),
                     **_checked(data, item)})
    return rows


def online_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for position, item in enumerate(data.get("links") or []):
        if not all(item.get(f) for f in ("key", "name", "category", "url")):
            raise ContentInvalid(f"online.yaml: every link needs key, name, category and url ({item!r:.60})")
        rows.append({"key": str(item["key"]), **{f: str(item.get(f) or "").strip() for f in ONLINE_FIELDS},
                     "needs_card": bool(item.get("needs_card")), "url_unverified": bool(item.get("url_unverified")),
                     "position": position, **_checked(data, item)})
    return rows


def _store(session: Session, model: type, rows: list[dict[str, Any]], only_new: bool, now: datetime) -> int:
    written = 0
    for row in rows:
        record = session.get(model, row["key"])
        if record is not None and only_new:
            continue
        if record is None:
            record = model(key=row["key"])
            session.add(record)
        for name, value in row.items():
            setattr(record, name, value)
        record.verified_by, record.updated_at = None, now
        written += 1
    session.flush()
    return written


def import_content(session: Session, now: datetime, *, only_new: bool = False,
                   directory: Path = CONTENT_DIR) -> ImportCounts:
    """Load the procedures, life events and online links; returns how many rows were written."""
    procedures = procedure_rows(read_yaml(directory / "procedures.yaml"))
    stored_keys = set(session.scalars(select(Procedure.key)))
    events = event_rows(read_yaml(directory / "events.yaml"), frozenset({r["key"] for r in procedures} | stored_keys))
    online = online_rows(read_yaml(directory / "online.yaml"))
    return ImportCounts(
        procedures=_store(session, Procedure, procedures, only_new, now),
        events=_store(session, LifeEvent, events, only_new, now),
        online=_store(session, OnlineProcedure, online, only_new, now),
    )
