"""Facts about the city kept as data in `content/city.json`: the municipality code and name of
open-data files, and the main contact the bot gives when it cannot answer.

The contact is sample content until the city checks it (`sample` true, `verified_on` empty):
the bot then says the details are still being confirmed, and the console shows them as
unverified. Staff edit the contact in the console (table `city_contacts`, imported from the file
by `python -m bot city import`); the file stays the default until the first import."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.models import CityContact as CityContactRecord

CITY_FILE = PROJECT_ROOT / "content" / "city.json"
MAIN_CONTACT = "main"


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


def load_city_info(session: Session | None = None, path: Path = CITY_FILE) -> CityInfo:
    """The city's facts, re-read when the file changes; the contact as staff keep it in the
    database when `session` is given and the contact was imported."""
    info = _load(path, path.stat().st_mtime)
    record = session.get(CityContactRecord, MAIN_CONTACT) if session is not None else None
    if record is None:
        return info
    contact = CityContact(record.name, record.phone, record.hours, record.sample, record.verified_on)
    return CityInfo(info.municipality_code, info.municipality_name, contact)


def import_city_contact(session: Session, now: datetime, *, only_new: bool = False,
                        path: Path = CITY_FILE) -> int:
    """Copies the file's contact into the database (unless it is there and `only_new`)."""
    record = session.get(CityContactRecord, MAIN_CONTACT)
    if record is not None and only_new:
        return 0
    contact = parse_city_info(json.loads(path.read_text(encoding="utf-8"))).contact
    if record is None:
        record = CityContactRecord(key=MAIN_CONTACT)
        session.add(record)
    record.name, record.phone, record.hours = contact.name, contact.phone, contact.hours
    record.sample, record.verified_on, record.verified_by, record.updated_at = (
        contact.sample, contact.verified_on, None, now)
    session.flush()
    return 1
