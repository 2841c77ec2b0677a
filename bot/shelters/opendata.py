"""Shelters from a CSV file with the columns of the open-data lists of 指定緊急避難場所 /
指定避難所 (UTF-8, an optional BOM), and the same columns for export.

A file is imported whole or not at all: any bad row refuses it, naming every problem. Rows are
upserted by ID; importing never changes a shelter's status (開設 / 満員 / 閉鎖), which staff set."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.friends import AREAS
from bot.models import Shelter
from bot.shelters import DISASTER_TYPES
from bot.shelters.records import ID_PATTERN, ShelterDraft, ShelterInvalid, apply, parse_number, validate
from bot.spreadsheet_csv import ImportRefused, RowRefused, checked_rows, parse_verified_on

TYPE_COLUMNS = {f"災害種別_{label}": key for key, label in DISASTER_TYPES.items()}
HEADER = ["ID", "名称", "所在地_連結表記", "緯度", "経度", "地域", "指定緊急避難場所", "指定避難所", *TYPE_COLUMNS,
          "想定収容人数", "電話番号", "備考", "見本", "確認日"]
REQUIRED = ("ID", "名称", "緯度", "経度", "地域")
YES = frozenset({"1", "○", "◯", "〇", "true", "TRUE", "はい", "yes"})
AREA_KEYS = {**{label: key for key, label in AREAS.items()}, **{key: key for key in AREAS}}


@dataclass
class ImportedShelter:
    id: str
    draft: ShelterDraft
    sample: bool
    verified_on: date | None


@dataclass
class ImportCounts:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing shelters left alone (only_new)


def read_shelters(path: str | Path, sample: bool | None = None) -> list[ImportedShelter]:
    """The checked rows of a file; `sample` overrides its 見本 column."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_shelters(handle.read(), sample)


def parse_shelters(text: str, sample: bool | None = None) -> list[ImportedShelter]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise ImportRefused([f"1行目: 見出しに {'、'.join(missing)} がありません"])

    def read(cells: dict[str, str]) -> ImportedShelter:
        try:
            return _row(cells, sample)
        except ShelterInvalid as exc:
            raise RowRefused(exc.errors.values()) from None

    return checked_rows(reader, read, lambda shelter: shelter.id, ID_PATTERN,
                        "IDは英数字と - _ で32文字以内にしてください")


def _row(cells: dict[str, str], sample: bool | None) -> ImportedShelter:
    def number(name: str, whole: bool = False):
        return parse_number(cells.get(name, ""), name, whole)

    latitude, longitude = number("緯度"), number("経度")
    if latitude is None or longitude is None:
        raise ShelterInvalid({"position": "緯度と経度を入力してください。"})
    draft = ShelterDraft(
        name=cells.get("名称", ""), address=cells.get("所在地_連結表記", ""), latitude=float(latitude),
        longitude=float(longitude), area=AREA_KEYS.get(cells.get("地域", ""), cells.get("地域", "")),
        emergency_site=cells.get("指定緊急避難場所", "1") in YES, evacuation_shelter=cells.get("指定避難所", "") in YES,
        disaster_types=[key for column, key in TYPE_COLUMNS.items() if cells.get(column, "") in YES],
        capacity=number("想定収容人数", whole=True),  # type: ignore[arg-type]
        phone=cells.get("電話番号", ""), note=cells.get("備考", ""),
    )
    return ImportedShelter(cells.get("ID", ""), validate(draft), cells.get("見本", "") in YES if sample is None else sample,
                           parse_verified_on(cells.get("確認日", "")))


def import_shelters(session: Session, rows: list[ImportedShelter], now: datetime, only_new: bool = False) -> ImportCounts:
    """Add new ids, update the facts of known ones (their status stays as staff set it); with
    `only_new`, known ones are left as staff edited them."""
    counts = ImportCounts()
    for row in rows:
        shelter = session.get(Shelter, row.id)
        if shelter is None:
            shelter = Shelter(id=row.id, created_at=now, updated_at=now, latitude=0.0, longitude=0.0)
            apply(shelter, row.draft, now)
            shelter.sample, shelter.verified_on = row.sample, row.verified_on
            session.add(shelter)
            counts.added.append(row.id)
            continue
        if only_new:
            counts.kept.append(row.id)
            continue
        changed = apply(shelter, row.draft, now)
        if shelter.sample != row.sample or (row.verified_on and shelter.verified_on != row.verified_on):
            shelter.sample, shelter.verified_on = row.sample, row.verified_on or shelter.verified_on
            changed = True
        (counts.updated if changed else counts.unchanged).append(row.id)
    return counts
