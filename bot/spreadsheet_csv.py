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
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
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
