"""Where classes take place: the list kept as data in `content/classes/venues.json`.

The file is sample content until the city checks it: `sample` stays true and `verified_on`
empty, and the console says so wherever staff pick a venue. Staff edit venues in the console
(table `class_venues`, imported from the file by `python -m bot city import`); given a session,
`load_venues` reads the table once it holds venues, else the file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.models import ClassVenue

VENUES_FILE = PROJECT_ROOT / "content" / "classes" / "venues.json"


@dataclass(frozen=True)
class Venue:
    key: str
    name: str
    area: str | None = None
    note: str = ""
    sample: bool = True
    verified_on: date | None = None


@dataclass(frozen=True)
class VenueList:
    venues: tuple[Venue, ...]
    sample: bool
    verified_on: date | None

    def get(self, key: str | None) -> Venue | None:
        return next((venue for venue in self.venues if venue.key == key), None)

    def find(self, key_or_name: str) -> Venue | None:
        """The venue whose key or name is `key_or_name` (spaces ignored)."""
        wanted = "".join(key_or_name.split())
        return next((v for v in self.venues if wanted in (v.key, "".join(v.name.split()))), None)


def parse_venues(raw: dict) -> VenueList:
    verified = date.fromisoformat(raw["verified_on"]) if raw.get("verified_on") else None
    sample = bool(raw.get("sample", True))
    venues = tuple(
        Venue(key=str(item["key"]), name=str(item["name"]), area=item.get("area"), note=str(item.get("note") or ""),
              sample=sample, verified_on=verified)
        for item in raw.get("venues", [])
    )
    if len({venue.key for venue in venues}) != len(venues):
        raise ValueError("venue keys must be unique")
    return VenueList(venues, sample, verified)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> VenueList:
    return parse_venues(json.loads(path.read_text(encoding="utf-8")))


def load_venues(session: Session | None = None, path: Path = VENUES_FILE) -> VenueList:
    """The venue list: from the database when `session` is given and it holds venues, else from
    the file (re-read when it changes). The list is sample while any venue is."""
    records = list(session.scalars(select(ClassVenue).order_by(ClassVenue.position, ClassVenue.key))) if session else []
    if not records:
        return _load(path, path.stat().st_mtime)
    venues = tuple(Venue(r.key, r.name, r.area, r.note, r.sample, r.verified_on) for r in records)
    dates = [v.verified_on for v in venues if v.verified_on is not None]
    return VenueList(venues, any(v.sample for v in venues), min(dates) if len(dates) == len(venues) else None)


def import_venues(session: Session, now: datetime, *, only_new: bool = False, path: Path = VENUES_FILE) -> int:
    """Copies the file's venues into the database; `only_new` keeps the ones staff have."""
    listed = _load(path, path.stat().st_mtime)
    written = 0
    for position, venue in enumerate(listed.venues):
        record = session.get(ClassVenue, venue.key)
        if record is not None and only_new:
            continue
        if record is None:
            record = ClassVenue(key=venue.key)
            session.add(record)
        record.name, record.area, record.note, record.position = venue.name, venue.area, venue.note, position
        record.sample, record.verified_on, record.verified_by, record.updated_at = (
            listed.sample, listed.verified_on, None, now)
        written += 1
    session.flush()
    return written
