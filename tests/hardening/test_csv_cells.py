"""Item 6: no cell of any CSV the service writes starts with = + - @, a tab or a CR (a
spreadsheet would run it); the text stays readable, and our own FAQ file imports back as it was."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest

from bot.classes.roster_csv import roster_csv
from bot.faq.opendata import open_data_csv, parse_entries
from bot.models import BookingSource, BookingStatus
from bot.spreadsheet_csv import FORMULA_STARTS, excel_csv, readable_cell, safe_cell
from tests.classes.test_pure import JST, START
from tests.faq_content.test_csv import CITY, TZ, record

DANGEROUS = ['=HYPERLINK("https://evil.example","詳しく")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
             "\t=1+1", "\r=1+1"]


def cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def assert_no_formula(data: bytes) -> None:
    for cell in cells(data):
        assert not cell.startswith(FORMULA_STARTS), cell


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_dangerous_cell_gets_an_apostrophe_and_reads_back(value):
    assert safe_cell(value) == "'" + value
    assert readable_cell(safe_cell(value)) == value
    assert safe_cell("美祢市 -2") == "美祢市 -2" and safe_cell(None) == "" and safe_cell(3) == "3"
    assert_no_formula(excel_csv([value], [[value, 1]]))


def test_the_faq_open_data_export_neutralises_every_column_and_imports_back():
    entries = [record(f"FAQ-000{n}", question=f"{value} ですか？" if n % 2 else value, answer=value,
                      category=value, department=value, keywords=[value]) for n, value in enumerate(DANGEROUS[:4], 1)]
    data = open_data_csv(entries, CITY, TZ)
    assert_no_formula(data)
    assert "'=HYPERLINK(" in data.decode("utf-8-sig")
    back = {entry.id: entry for entry in parse_entries(data.decode("utf-8"))}
    assert back["FAQ-0003"].draft.answer == "-2+3" and back["FAQ-0002"].draft.question == "+cmd|' /C calc'!A0"


def test_the_roster_neutralises_titles_and_venues_too():
    course = SimpleNamespace(id=7, title="=1+1 教室", level="beginner", venue_name="@venue", starts_at=START,
                             ends_at=START + timedelta(minutes=90))
    people = [SimpleNamespace(id=1, participant_name="-2+3", phone="+81-837-52-1111", source=BookingSource.PHONE,
                              created_at=START - timedelta(days=1), promoted_at=None, attended=None,
                              status=BookingStatus.CONFIRMED)]
    data = roster_csv(course, people, [], JST)
    assert_no_formula(data)
    text = data.decode("utf-8-sig")
    assert "'=1+1 教室" in text and "'@venue" in text and "'-2+3" in text and "'+81-837-52-1111" in text
