"""FAQ entries in and out of CSV files.

Two formats are read: the seed format of `content/faq/mine-faq.csv` (id, category, question,
answer, department, url, keywords; optional alt_questions, published) and the open-data format
this module writes. The open-data file is for Excel and for publication: UTF-8 with a BOM, CRLF
line ends, the municipality code and name on every row (from `content/city.json`), dates as
YYYY-MM-DD. Lists (keywords, other phrasings) are separated by "|" in both formats.

Import is an upsert by id, all or nothing: a file with an error changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session

from bot.city_info import CityInfo
from bot.db import utcnow
from bot.faq.engine.corpus import entry_from_row, parse_published, split_list
from bot.faq.entries import ID_PATTERN, EntryDraft, EntryInvalid, bump_version, validate
from bot.models import FaqEntryRecord
from bot.spreadsheet_csv import (
    ImportRefused,
    RowRefused,
    checked_rows,
    excel_csv,
    parse_verified_on,
    readable_cell,
)

LIST_JOIN = "|"
SAMPLE_MARK = "見本"
PUBLISHED, UNPUBLISHED = "公開", "非公開"
OPEN_DATA_COLUMNS = (
    "地方公共団体コード", "地方公共団体名", "ID", "分類", "質問", "回答", "担当課", "参照URL", "更新日",
    "確認日", "キーワード", "別の聞き方", "見本データ",
)
PUBLISHED_COLUMN = "公開"  # written only when unpublished entries are exported too


@dataclass
class ImportedEntry:
    """One row of an import file."""

    id: str
    draft: EntryDraft
    sample: bool
    verified_on: date | None
    carries_checks: bool  # the file states sample / 確認日 (open-data format), not just content


@dataclass
class ImportCounts:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing entries left alone (--only-new)


# ---- reading ----------------------------------------------------------------------------------


def read_entries(path: str | Path, sample: bool | None = None) -> list[ImportedEntry]:
    """The rows of a seed or open-data CSV file (an optional BOM is fine), checked.

    Seed-format rows are sample content unless `sample` is False; open-data rows say it
    themselves (見本データ column), unless `sample` overrides it."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_entries(handle.read(), sample)


def parse_entries(text: str, sample: bool | None = None) -> list[ImportedEntry]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if "ID" in header and "質問" in header:
        read_row = _open_data_row
    elif "id" in header and "question" in header:
        read_row = _seed_row
    else:
        raise ImportRefused(["1行目: 見出しが違います（id,question,... か ID,質問,... の形式のCSVにしてください）"])

    def read(cells: dict[str, str]) -> ImportedEntry:
        try:
            entry = read_row(cells, sample)
            entry.draft = validate(entry.draft)
        except EntryInvalid as exc:
            raise RowRefused(exc.errors.values()) from None
        except RowRefused:
            raise
        except ValueError as exc:
            raise RowRefused([str(exc)]) from None
        return entry

    return checked_rows(reader, read, lambda entry: entry.id, ID_PATTERN, "IDは FAQ-0001 の形にしてください")


def _seed_row(row: dict[str, str | None], sample: bool | None) -> ImportedEntry:
    entry = entry_from_row(row)
    draft = EntryDraft(entry.question, entry.answer, entry.category, entry.department, entry.url,
                       entry.keywords, entry.alt_questions, entry.published)
    return ImportedEntry(entry.id, draft, sample is not False, None, carries_checks=False)


def _open_data_row(row: dict[str, str | None], sample: bool | None) -> ImportedEntry:
    def cell(name: str) -> str:
        return readable_cell((row.get(name) or "").strip())  # our own export neutralised formulas

    verified = cell("確認日")
    draft = EntryDraft(
        question=cell("質問"), answer=cell("回答"), category=cell("分類"), department=cell("担当課"),
        url=cell("参照URL"), keywords=split_list(cell("キーワード")), alt_questions=split_list(cell("別の聞き方")),
        published=parse_published(cell(PUBLISHED_COLUMN)) if PUBLISHED_COLUMN in row else True,
    )
    is_sample = bool(cell("見本データ")) if sample is None else sample
    return ImportedEntry(cell("ID"), draft, is_sample, parse_verified_on(verified), carries_checks=True)


# ---- storing ----------------------------------------------------------------------------------


def import_entries(session: Session, entries: Iterable[ImportedEntry], only_new: bool = False,
                   now: datetime | None = None) -> ImportCounts:
    """Add new ids and update changed entries (or, with `only_new`, leave existing ones alone)."""
    now, counts = now or utcnow(), ImportCounts()
    for entry in entries:
        record = session.get(FaqEntryRecord, entry.id)
        if record is None:
            record = FaqEntryRecord(id=entry.id, created_at=now, updated_at=now, revision=1)
            _store(record, entry)
            session.add(record)
            counts.added.append(entry.id)
        elif only_new:
            counts.kept.append(entry.id)
        elif _same(record, entry):
            counts.unchanged.append(entry.id)
        else:
            _store(record, entry)
            record.updated_at, record.revision = now, record.revision + 1
            counts.updated.append(entry.id)
    if counts.added or counts.updated:
        bump_version(session, now)
    session.flush()
    return counts


def _same(record: FaqEntryRecord, entry: ImportedEntry) -> bool:
    """Whether importing the row would change nothing (a re-imported seed keeps staff's checks)."""
    if EntryDraft.of(record) != entry.draft:
        return False
    return not entry.carries_checks or (record.sample, record.verified_on) == (entry.sample, entry.verified_on)


def _store(record: FaqEntryRecord, entry: ImportedEntry) -> None:
    draft = entry.draft
    record.question, record.answer = draft.question, draft.answer
    record.category, record.department, record.url = draft.category, draft.department, draft.url
    record.keywords, record.alt_questions = list(draft.keywords), list(draft.alt_questions)
    record.published, record.sample = draft.published, entry.sample
    record.verified_on = entry.verified_on
    if entry.verified_on is None:
        record.verified_by = None


# ---- writing ----------------------------------------------------------------------------------


def open_data_csv(records: Iterable[FaqEntryRecord], city: CityInfo, tz: tzinfo,
                  with_unpublished: bool = False) -> bytes:
    """The open-data file: UTF-8 with BOM (Excel opens it right), CRLF, one row per entry."""
    columns = [*OPEN_DATA_COLUMNS, *([PUBLISHED_COLUMN] if with_unpublished else [])]
    rows = []
    for record in records:
        if not (record.published or with_unpublished):
            continue
        row = [
            city.municipality_code, city.municipality_name, record.id, record.category, record.question,
            record.answer, record.department, record.url, record.updated_at.astimezone(tz).date().isoformat(),
            record.verified_on.isoformat() if record.verified_on else "",
            LIST_JOIN.join(record.keywords or []), LIST_JOIN.join(record.alt_questions or []),
            SAMPLE_MARK if record.sample else "",
        ]
        if with_unpublished:
            row.append(PUBLISHED if record.published else UNPUBLISHED)
        rows.append(row)
    return excel_csv(columns, rows)
