"""FAQ CSV files: the seed format and the open-data format (BOM, CRLF, municipality columns)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.city_info import load_city_info, parse_city_info
from bot.faq.opendata import OPEN_DATA_COLUMNS, ImportRefused, open_data_csv, parse_entries, read_entries
from bot.faq.entries import EntryDraft
from bot.models import FaqEntryRecord
from tests.faq_content.conftest import SEED

TZ = ZoneInfo("Asia/Tokyo")
CITY = parse_city_info({"municipality_code": "352136", "municipality_name": "美祢市", "contact": {}})


def record(entry_id: str = "FAQ-0001", **changes) -> FaqEntryRecord:
    fields = dict(
        id=entry_id, category="戸籍・住民票", question="住民票の写しはどこで取得できますか？",
        answer="市民課の窓口で取得できます。\n本人確認書類をお持ちください。", department="市民課",
        url="https://example.jp/juminhyo", keywords=["住民票", "写し"], alt_questions=["住民票がほしい", "じゅうみんひょう, 写し"],
        published=True, sample=True, verified_on=None, revision=1,
        created_at=datetime(2026, 4, 1, tzinfo=UTC), updated_at=datetime(2026, 4, 1, 16, 0, tzinfo=UTC),
    )
    fields.update(changes)
    return FaqEntryRecord(**fields)


def test_the_seed_reads_as_130_unchecked_sample_entries_with_their_ids():
    entries = read_entries(SEED)
    assert len(entries) == 130
    assert [e.id for e in entries[:2]] == ["FAQ-0001", "FAQ-0002"] and entries[-1].id == "FAQ-0130"
    assert all(e.sample and e.verified_on is None for e in entries)
    assert entries[0].draft.keywords == ["住民票", "写し", "証明書", "取得", "窓口"]
    assert read_entries(SEED, sample=False)[0].sample is False


def test_open_data_file_has_bom_crlf_and_the_municipality_on_every_row():
    body = open_data_csv([record(), record("FAQ-0002", sample=False, verified_on=date(2026, 5, 1))], CITY, TZ)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.count("\r\n") == 3  # header and two rows; a line break inside a cell stays LF, as Excel writes it
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(OPEN_DATA_COLUMNS)
    assert rows[0][:9] == ["地方公共団体コード", "地方公共団体名", "ID", "分類", "質問", "回答", "担当課", "参照URL", "更新日"]
    first = dict(zip(rows[0], rows[1]))
    assert first["地方公共団体コード"] == "352136" and first["地方公共団体名"] == "美祢市"
    assert first["更新日"] == "2026-04-02"  # 16:00 UTC is the next day in Japan
    assert first["確認日"] == "" and first["見本データ"] == "見本"
    assert first["回答"] == "市民課の窓口で取得できます。\n本人確認書類をお持ちください。"
    second = dict(zip(rows[0], rows[2]))
    assert second["確認日"] == "2026-05-01" and second["見本データ"] == ""


def test_the_municipality_comes_from_configuration():
    city = load_city_info()
    assert (city.municipality_code, city.municipality_name) == ("352136", "美祢市")
    assert city.contact.sample and city.contact.verified_on is None and not city.contact.is_verified


def test_open_data_round_trip_keeps_everything_staff_entered():
    original = [record(), record("FAQ-0131", published=False, sample=False, verified_on=date(2026, 5, 1))]
    body = open_data_csv(original, CITY, TZ, with_unpublished=True)
    back = {e.id: e for e in parse_entries(body.decode("utf-8"))}
    first, second = back["FAQ-0001"], back["FAQ-0131"]
    assert first.draft == EntryDraft.of(original[0]).cleaned()
    assert first.draft.alt_questions == ["住民票がほしい", "じゅうみんひょう, 写し"]
    assert first.sample is True and first.verified_on is None
    assert second.draft.published is False and second.sample is False and second.verified_on == date(2026, 5, 1)


def test_unpublished_entries_stay_out_of_the_open_data_file_by_default():
    body = open_data_csv([record(), record("FAQ-0002", published=False)], CITY, TZ).decode("utf-8-sig")
    assert "FAQ-0001" in body and "FAQ-0002" not in body and "公開" not in body.splitlines()[0].split(",")


def test_a_file_with_errors_is_refused_with_every_problem_listed():
    text = (
        "id,category,question,answer,department,url,keywords\r\n"
        "FAQ-0001,税金,,答え,税務課,,\r\n"
        "FAQ-0002,税金,質問,答え,,ftp://x,\r\n"
        "X-1,税金,質問,答え,税務課,,\r\n"
        "FAQ-0004,税金,質問,答え,税務課,,\r\n"
        "FAQ-0004,税金,質問,答え,税務課,,\r\n"
    )
    with pytest.raises(ImportRefused) as refused:
        parse_entries(text)
    problems = "\n".join(refused.value.problems)
    assert "2行目" in problems and "質問を入力してください" in problems
    assert "3行目" in problems and "担当課" in problems and "参照URL" in problems
    assert "4行目" in problems and "FAQ-0001 の形" in problems
    assert "6行目" in problems and "2回" in problems


def test_an_unknown_header_is_refused():
    with pytest.raises(ImportRefused, match="見出し"):
        parse_entries("番号,内容\r\n1,x\r\n")


def test_a_bom_and_a_bad_date_are_handled():
    text = "\ufeff" + ",".join(OPEN_DATA_COLUMNS) + "\r\n352136,美祢市,FAQ-0001,税金,質問,答え,税務課,,2026-04-01,4月1日,,,\r\n"
    with pytest.raises(ImportRefused, match="確認日"):
        parse_entries(text)
    ok = parse_entries(text.replace("4月1日", "2026/04/01"))
    assert ok[0].verified_on == date(2026, 4, 1) and ok[0].sample is False
