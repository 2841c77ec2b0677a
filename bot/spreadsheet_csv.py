"""CSV files that staff open in Excel: UTF-8 with a BOM, CRLF line ends, and no cell that a
spreadsheet would run as a formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a CR is prefixed with an apostrophe (OWASP's
advice for CSV injection): Excel and LibreOffice then show the text as it is (`-2+3`, not 1),
and `readable_cell` takes the apostrophe off again when such a file is imported back.
Every CSV the service writes goes through `excel_csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TypeVar

BOM = "\ufeff"
T = TypeVar("T")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """`value` as a cell a spreadsheet shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def readable_cell(value: str) -> str:
    """A cell written by `safe_cell`, as it was before (for importing our own files)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The rows under `header`, every cell neutralised, as bytes ready to download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


class ImportRefused(ValueError):
    """A file that is not imported at all; `problems` says why, one line each (Japanese, with row
    numbers counting the header as 1), so staff can fix every row before trying again."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class RowRefused(ValueError):
    """A row that cannot be read; each message is shown with the row's number and id."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def checked_rows(reader: csv.DictReader, read_row: Callable[[dict[str, str]], T], row_id: Callable[[T], str],
                    id_pattern: re.Pattern[str], id_rule: str) -> list[T]:
    """Every non-empty row of `reader` read by `read_row` (cells stripped, header names stripped;
    it raises RowRefused), or ImportRefused listing every problem row: bad or repeated ids too.
    `id_rule` is the Japanese rule for an id (「IDは FAQ-0001 の形にしてください」)."""
    rows: list[T] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        cells = {name.strip(): (value or "").strip() for name, value in raw.items()
                 if isinstance(name, str) and not isinstance(value, list)}
        if not any(cells.values()):
            continue
        try:
            row = read_row(cells)
        except RowRefused as refused:
            given = cells.get("ID") or cells.get("id") or ""
            problems += [f"{line}行目 ({given}): {message}" if given else f"{line}行目: {message}"
                         for message in refused.messages]
            continue
        identifier = row_id(row)
        if not id_pattern.match(identifier):
            problems.append(f"{line}行目: {id_rule}（{identifier or '空'}）")
        elif identifier in seen:
            problems.append(f"{line}行目: ID {identifier} が2回あります")
        seen.add(identifier)
        rows.append(row)
    if problems:
        raise ImportRefused(problems)
    return rows


def parse_verified_on(value: str) -> date | None:
    """A 確認日 cell (2026-04-01 or 2026/04/01; empty: not checked yet)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise RowRefused([f"確認日 {value!r} は 2026-04-01 の形にしてください。"]) from None
