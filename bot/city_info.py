"""Facts about the city kept as data in `content/city.json`: the municipality code and name of
open-data files, and the main contact the bot gives when it cannot answer.

The contact is sample content until the city checks it (`sample` true, `verified_on` empty):
the bot then says the details are still being confirmed, and the console shows them as
unverified."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.config import PROJECT_ROOT

CITY_FILE = PROJECT_ROOT / "content" / "city.json"


@dataclass(frozen=True)
class CityContact:
    name: str
    phone: str
    hours: str
    sample: bool
    verified_on: date | None

    @property
    def is_verified(self) -> bool:
        return not self.sample and self.verified_on is not None


@dataclass(frozen=True)
class CityInfo:
    municipality_code: str
    municipality_name: str
    contact: CityContact


def parse_city_info(raw: dict) -> CityInfo:
    contact = raw.get("contact") or {}
    verified = contact.get("verified_on")
    return CityInfo(
        municipality_code=str(raw["municipality_code"]),
        municipality_name=str(raw["municipality_name"]),
        contact=CityContact(
            name=str(contact.get("name") or ""),
            phone=str(contact.get("phone") or ""),
            hours=str(contact.get("hours") or ""),
            sample=bool(contact.get("sample", True)),
            verified_on=date.fromisoformat(verified) if verified else None,
        ),
    )


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> CityInfo:
    return parse_city_info(json.loads(path.read_text(encoding="utf-8")))


def load_city_info(path: Path = CITY_FILE) -> CityInfo:
    """The city's facts, re-read when the file changes."""
    return _load(path, path.stat().st_mtime)
