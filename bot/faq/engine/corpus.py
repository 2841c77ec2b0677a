"""FAQ entries as plain values, and the loader for the CSV seed format."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

LIST_SEPARATOR = "|"


@dataclass
class FaqEntry:
    """One question-and-answer pair that the bot can send to a resident."""

    id: str
    category: str
    question: str
    answer: str
    department: str
    url: str
    keywords: list[str]
    alt_questions: list[str] = field(default_factory=list)
    published: bool = True


def split_list(value: str | None) -> list[str]:
    """Split a '|'-separated cell into its non-empty, stripped parts."""
    if not value:
        return []
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def parse_published(value: str | None) -> bool:
    """Read an optional published cell; an empty or missing cell means published."""
    if value is None or not value.strip():
        return True
    return value.strip().lower() not in {"0", "false", "no", "n", "off", "いいえ", "非公開"}


def entry_from_row(row: dict[str, str | None]) -> FaqEntry:
    """Turn one CSV row (a dict keyed by the header) into a FaqEntry."""
    return FaqEntry(
        id=(row.get("id") or "").strip(),
        category=(row.get("category") or "").strip(),
        question=(row.get("question") or "").strip(),
        answer=(row.get("answer") or "").strip(),
        department=(row.get("department") or "").strip(),
        url=(row.get("url") or "").strip(),
        keywords=split_list(row.get("keywords")),
        alt_questions=split_list(row.get("alt_questions")),
        published=parse_published(row.get("published")),
    )


def load_csv_entries(path: str | Path) -> list[FaqEntry]:
    """Read FAQ entries from a seed CSV (UTF-8, an optional BOM is tolerated)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [entry_from_row(row) for row in csv.DictReader(handle) if row.get("id")]
