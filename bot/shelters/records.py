"""A shelter's facts as staff and files give them: checked once (`validate`), written once
(`apply`), for the import command and the console's edit form alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime

from bot.friends import AREAS
from bot.models import Shelter
from bot.shelters import DISASTER_TYPES

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NAME_MAX, ADDRESS_MAX, NOTE_MAX, PHONE_MAX = 120, 200, 300, 32
# Mine City's three areas lie well inside this box; a point outside it is a typing mistake.
LATITUDES, LONGITUDES = (33.9, 34.5), (130.9, 131.6)


class ShelterInvalid(ValueError):
    """The facts cannot be saved; `errors` maps each field to what is wrong, in Japanese."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class ShelterDraft:
    name: str
    address: str
    latitude: float
    longitude: float
    area: str
    emergency_site: bool
    evacuation_shelter: bool
    disaster_types: list[str]
    capacity: int | None
    phone: str = ""
    note: str = ""


def validate(draft: ShelterDraft) -> ShelterDraft:
    """`draft` trimmed, or ShelterInvalid naming every field that is wrong."""
    draft.name, draft.address = draft.name.strip(), draft.address.strip()
    draft.phone, draft.note = draft.phone.strip(), draft.note.strip()
    errors: dict[str, str] = {}
    if not draft.name or len(draft.name) > NAME_MAX:
        errors["name"] = f"名称を{NAME_MAX}文字以内で入力してください。"
    if len(draft.address) > ADDRESS_MAX:
        errors["address"] = f"所在地は{ADDRESS_MAX}文字以内にしてください。"
    if not LATITUDES[0] <= draft.latitude <= LATITUDES[1]:
        errors["latitude"] = "緯度が美祢市の範囲にありません（例：34.1664）。"
    if not LONGITUDES[0] <= draft.longitude <= LONGITUDES[1]:
        errors["longitude"] = "経度が美祢市の範囲にありません（例：131.2056）。"
    if draft.area not in AREAS:
        errors["area"] = "地域を選んでください（美祢・美東・秋芳）。"
    if not (draft.emergency_site or draft.evacuation_shelter):
        errors["kind"] = "指定緊急避難場所か指定避難所の少なくとも一方を選んでください。"
    if any(kind not in DISASTER_TYPES for kind in draft.disaster_types):
        errors["disaster_types"] = "災害種別に知らない値があります。"
    if draft.capacity is not None and not 0 <= draft.capacity <= 100_000:
        errors["capacity"] = "想定収容人数は0以上の数にしてください。"
    if len(draft.phone) > PHONE_MAX:
        errors["phone"] = f"電話番号は{PHONE_MAX}文字以内にしてください。"
    if len(draft.note) > NOTE_MAX:
        errors["note"] = f"備考は{NOTE_MAX}文字以内にしてください。"
    if errors:
        raise ShelterInvalid(errors)
    draft.disaster_types = [kind for kind in DISASTER_TYPES if kind in draft.disaster_types]
    return draft


def draft_of(shelter: Shelter) -> ShelterDraft:
    return ShelterDraft(**{f.name: getattr(shelter, f.name) for f in fields(ShelterDraft)})


def apply(shelter: Shelter, draft: ShelterDraft, now: datetime) -> bool:
    """Write the checked `draft` onto `shelter`; whether anything changed."""
    changed = draft_of(shelter) != draft
    if changed:
        for f in fields(ShelterDraft):
            setattr(shelter, f.name, getattr(draft, f.name))
        shelter.updated_at = now
    return changed


def parse_number(value: str, name: str, whole: bool = False) -> float | int | None:
    """A number typed by staff or read from a file (full-width digits are fine); None when empty."""
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        raise ShelterInvalid({name: f"{value!r} は数ではありません。"}) from None
