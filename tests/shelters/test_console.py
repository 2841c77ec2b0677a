"""避難所 in the console: authors open, mark full and close shelters (audited, with the time and
who), edit their facts and mark them checked; viewers only look."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import AuditEntry, Shelter, ShelterStatus
from tests.support.console import post_form


def test_an_author_opens_a_shelter_and_residents_see_it(client, login_as, sample_shelters, db_session):
    sample_shelters()
    login_as("author", login_name="bousai")
    page = client.get("/console/shelters").get_data(as_text=True)
    assert 'id="shelters-sample-note"' in page and page.count("badge-sample") == 12
    assert 'id="count-closed">12' in page

    answer = post_form(client, "/console/shelters/MITO-S01/status", {"status": "open"})
    assert answer.status_code == 302

    db_session.rollback()
    shelter = db_session.get(Shelter, "MITO-S01")
    assert shelter.status is ShelterStatus.OPEN and shelter.status_by == "bousai" and shelter.status_at
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "shelter.status")).one()
    assert (entry.actor, entry.target, entry.details) == ("bousai", "MITO-S01", {"status": "open"})
    page = client.get("/console/shelters").get_data(as_text=True)
    assert 'id="count-open">1' in page and "（bousai）" in page
    public = {s["id"]: s["status"] for s in client.get("/shelters.json").get_json()["shelters"]}
    assert public["MITO-S01"] == "open"


def test_edit_refuses_a_point_outside_the_city_then_saves_and_verifies(client, login_as, sample_shelters, db_session):
    sample_shelters()
    login_as("author", login_name="bousai")
    form = {"name": "見本：美祢地域の公民館A", "address": "山口県美祢市（見本の住所 1）", "latitude": "35.5",
            "longitude": "131.2057", "area": "mine", "emergency_site": "1", "evacuation_shelter": "1",
            "capacity": "１５０", "disaster_types": "earthquake"}
    refused = post_form(client, "/console/shelters/MINE-S01", form)
    assert refused.status_code == 400 and "緯度が美祢市の範囲にありません" in refused.get_data(as_text=True)

    assert post_form(client, "/console/shelters/MINE-S01", {**form, "latitude": "34.1670"}).status_code == 302
    assert post_form(client, "/console/shelters/MINE-S01/verify").status_code == 302

    db_session.rollback()
    shelter = db_session.get(Shelter, "MINE-S01")
    assert (shelter.latitude, shelter.capacity, shelter.disaster_types) == (34.167, 150, ["earthquake"])
    assert shelter.verified_on is not None and shelter.verified_by == "bousai" and not shelter.sample
    actions = db_session.scalars(select(AuditEntry.action).where(AuditEntry.target == "MINE-S01")).all()
    assert sorted(actions) == ["shelter.update", "shelter.verify"]


def test_a_viewer_sees_the_list_but_cannot_change_status(client, login_as, sample_shelters, db_session):
    sample_shelters()
    login_as("viewer")
    page = client.get("/console/shelters").get_data(as_text=True)
    assert "見本：美東地域の公民館A" in page and "状態を変える" not in page
    assert post_form(client, "/console/shelters/MITO-S01/status", {"status": "open"}).status_code == 403
    db_session.rollback()
    assert db_session.get(Shelter, "MITO-S01").status is ShelterStatus.CLOSED
