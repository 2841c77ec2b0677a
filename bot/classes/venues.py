"""Where classes take place: the list kept as data in `content/classes/venues.json`.

The file is sample content until the city checks it: `sample` stays true and `verified_on`
empty, and the console says so wherever staff pick a venue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.config import PROJECT_ROOT

VENUES_FILE = PROJECT_ROOT / "content" / "classes" / "venues.json"


@dataclass(frozen=True)
class Venue:
    key: str
    name: str
    area: str | None = None
    note: str = ""


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
    venues = tuple(
        Venue(key=str(item["key"]), name=str(item["name"]), area=item.get("area"), note=str(item.get("note") or ""))
        for item in raw.get("venues", [])
    )
    if len({venue.key for venue in venues}) != len(venues):
        raise ValueError("venue keys must be unique")
    verified = raw.get("verified_on")
    return VenueList(venues, bool(raw.get("sample", True)), date.fromisoformat(verified) if verified else None)


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> VenueList:
    return parse_venues(json.loads(path.read_text(encoding="utf-8")))


def load_venues(path: Path = VENUES_FILE) -> VenueList:
    """The venue list, re-read when the file changes."""
    return _load(path, path.stat().st_mtime)
