"""The shelters list: `python -m bot shelters import` (sample rows, upsert, refused files), the
public page and JSON for the city's website (no login)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.models import AuditEntry, Shelter, ShelterStatus
from tests.shelters.conftest import SAMPLE
from tests.support.processes import run_cli


def test_import_the_sample_list_then_again_keeps_status(settings, db_session, sample_shelters, tmp_path):
    # sample_shelters imported the file once already; staff opened one since
    sample_shelters(open=("MINE-S01",))
    result = run_cli(settings.database_url, "shelters", "import", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("0 added, 0 updated, 12 unchanged")
    listed = json.loads(run_cli(settings.database_url, "shelters", "list", "--json").stdout)["shelters"]
    assert [(s["id"], s["status_label"]) for s in listed][:2] == [("MINE-S01", "開設"), ("MINE-S02", "閉鎖")]

    edited = tmp_path / "edited.csv"
    edited.write_text(SAMPLE.read_text(encoding="utf-8").replace("見本：美祢地域の公民館A", "見本：美祢地域の公民館B"),
                      encoding="utf-8-sig")
    result = run_cli(settings.database_url, "shelters", "import", str(edited), "--only-new")
    assert "0 added, 0 updated, 0 unchanged, 12 existing kept" in result.stdout
    result = run_cli(settings.database_url, "shelters", "import", str(edited))
    assert "0 added, 1 updated, 11 unchanged" in result.stdout

    db_session.rollback()
    shelters = {s.id: s for s in db_session.scalars(select(Shelter))}
    assert len(shelters) == 12 and all(s.sample and s.verified_on is None for s in shelters.values())
    renamed = shelters["MINE-S01"]
    assert renamed.name == "見本：美祢地域の公民館B" and renamed.status is ShelterStatus.OPEN
    assert (renamed.area, renamed.capacity, renamed.disaster_types) == \
        ("mine", 120, ["flood", "landslide", "earthquake", "fire", "inland_flood"])
    imports = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "shelters.import")).all()
    assert [entry.details["updated"] for entry in imports] == [0, 0, 1]


def test_a_bad_file_is_refused_whole_naming_each_row(settings, db_session, tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace("34.1668", "35.9"), lines[2], lines[2]]), encoding="utf-8")

    result = run_cli(settings.database_url, "shelters", "import", str(bad))

    assert result.returncode == 1
    assert "2行目 (MINE-S01): 緯度が美祢市の範囲にありません" in result.stderr
    assert "4行目: ID MINE-S02 が2回あります" in result.stderr
    db_session.rollback()
    assert db_session.scalars(select(Shelter)).all() == []


def test_public_page_and_json_show_status_without_login(client, sample_shelters):
    sample_shelters(open=("MITO-S01",), full=("SHUHO-S02",))

    page = client.get("/shelters")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script" not in html and "http-equiv" not in html
    assert "開設している避難所：2か所" in html
    assert html.index("見本：美東地域の公民館A") < html.index("見本：秋芳地域の小学校体育館A") < \
        html.index("見本：美祢地域の公民館A")  # 開設, then 満員, then 閉鎖
    assert 'id="sample-note"' in html and "実際の避難所ではありません" in html

    data = client.get("/shelters.json").get_json()
    by_id = {s["id"]: s for s in data["shelters"]}
    assert len(by_id) == 12
    assert by_id["MITO-S01"]["status"] == "open" and by_id["MITO-S01"]["status_label"] == "開設"
    assert by_id["MITO-S01"]["status_at"].endswith("+09:00")  # Japan time, as the page shows it
    assert by_id["SHUHO-S02"]["status_label"] == "満員" and by_id["MINE-S01"]["status"] == "closed"
    assert by_id["MINE-S01"]["sample"] is True and by_id["MINE-S01"]["verified_on"] is None
    assert by_id["MINE-S01"]["map_url"] == "https://www.google.com/maps/search/?api=1&query=34.166800,131.205700"
