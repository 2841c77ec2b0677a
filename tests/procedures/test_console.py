"""Staff edit the guide, the city's contact and the venues in the console (a real database,
the real app, logged in through the login form)."""

from __future__ import annotations

from sqlalchemy import select

from bot.city_info import load_city_info
from bot.classes.venues import load_venues
from bot.db import utcnow
from bot.models import AuditEntry, CityContact, ClassVenue, LifeEvent, Procedure
from bot.procedures import guide
from tests.support.console import post_form

PROCEDURE_FORM = {"name": "転出届", "counter": "本庁 市民課（1階 2番窓口）", "bring": "本人確認書類", "deadline": "引っ越す前",
                  "fee": "かかりません", "online_label": "マイナポータル", "online_url": "https://myna.go.jp/", "note": ""}


def actions(db_session) -> list[str]:
    db_session.rollback()
    return list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_author_edits_a_procedure_and_marks_it_checked(imported, client, login_as, db_session):
    login_as("author")
    page = client.get("/console/procedures").get_data(as_text=True)
    assert "転出届" in page and "見本" in page and "未確認" in page
    assert "見本" in client.get("/console/procedures/items/tenshutsu").get_data(as_text=True)

    response = post_form(client, "/console/procedures/items/tenshutsu", PROCEDURE_FORM)
    assert response.status_code == 302
    db_session.rollback()
    stored = db_session.get(Procedure, "tenshutsu")
    assert stored.counter == "本庁 市民課（1階 2番窓口）" and stored.sample and stored.verified_on is None

    bad = post_form(client, "/console/procedures/items/tenshutsu", {**PROCEDURE_FORM, "online_url": "http://x"})
    assert bad.status_code == 400 and "https://" in bad.get_data(as_text=True)

    assert post_form(client, "/console/procedures/items/tenshutsu/verify").status_code == 302
    db_session.rollback()
    stored = db_session.get(Procedure, "tenshutsu")
    assert not stored.sample and stored.verified_on is not None and stored.verified_by == "author-user"
    assert actions(db_session)[-2:] == ["procedures.edit", "procedures.verify"]


def test_a_life_event_tree_is_edited_as_yaml_and_checked(imported, client, login_as, db_session):
    login_as("admin")
    form = client.get("/console/procedures/events/age65").get_data(as_text=True)
    assert "questions:" in form and "nenkin_claim" in form
    tree = ("questions:\n- key: pension\n  text: 年金の請求はお済みですか。\n  choices:\n"
            "  - {key: not_yet, label: まだ}\n  - {key: done, label: 済んでいる}\n"
            "procedures:\n- key: kaigo_card\n- key: nenkin_claim\n  when: {pension: [not_yet]}\n")
    assert post_form(client, "/console/procedures/events/age65", {"label": "65歳になる", "tree": tree}).status_code == 302
    db_session.rollback()
    assert len(db_session.get(LifeEvent, "age65").tree["questions"][0]["choices"]) == 2

    wrong = tree.replace("nenkin_claim", "no_such_procedure")
    response = post_form(client, "/console/procedures/events/age65", {"label": "65歳になる", "tree": wrong})
    assert response.status_code == 400 and "登録されていません" in response.get_data(as_text=True)


def test_a_viewer_may_look_but_not_change(imported, client, login_as):
    login_as("viewer")
    assert client.get("/console/procedures/items/tenshutsu").status_code == 200
    assert post_form(client, "/console/procedures/items/tenshutsu", PROCEDURE_FORM).status_code == 403


def test_staff_find_a_saved_checklist_by_its_number(imported, client, login_as, database):
    with database.transaction() as session:
        found = guide.checklist(session, guide.event(session, "birth"), {"kokuho": "no"})
        code = guide.save_checklist(session, "U" + "0" * 32, found, utcnow()).code
    login_as("viewer")
    page = client.get(f"/console/procedures/lookup?code={code.lower()}").get_data(as_text=True)
    assert code in page and "出生届" in page and "児童手当の申請" in page
    assert client.get("/console/procedures/lookup?code=AAAAAA").status_code == 404


def test_the_city_contact_and_a_venue_are_edited_in_the_console(client, login_as, db_session):
    login_as("author")
    assert "まだ取り込まれていません" in client.get("/console/city").get_data(as_text=True)
    assert post_form(client, "/console/city/import").status_code == 302
    db_session.rollback()
    assert db_session.get(CityContact, "main").sample

    response = post_form(client, "/console/city/contact", {"name": "美祢市役所（代表）", "phone": "0837-00-0000",
                                                           "hours": "平日 8:30〜17:15"})
    assert response.status_code == 302
    db_session.rollback()
    assert load_city_info(db_session).contact.phone == "0837-00-0000"  # what the bot now tells residents

    venue = {"name": "美東総合支所 2階会議室", "area": "mito", "note": ""}
    assert post_form(client, "/console/city/venues/mito-shisho", venue).status_code == 302
    assert post_form(client, "/console/city/venues/mito-shisho", {**venue, "area": "tokyo"}).status_code == 400
    assert post_form(client, "/console/city/venues/new", {"key": "ohmine", "name": "大嶺公民館", "area": "mine"}).status_code == 302
    assert post_form(client, "/console/city/venues/ohmine/verify").status_code == 302
    db_session.rollback()
    venues = load_venues(db_session)
    assert venues.get("mito-shisho").name == "美東総合支所 2階会議室"
    assert venues.get("ohmine").verified_on is not None and not venues.get("ohmine").sample
    assert venues.sample  # the others are still sample
    assert "美東総合支所 2階会議室" in client.get("/console/classes/venues").get_data(as_text=True)
    assert db_session.scalar(select(ClassVenue).where(ClassVenue.key == "ohmine")).verified_by == "author-user"
    assert actions(db_session)[-5:] == ["city.import", "city.contact_edit", "city.venue_edit", "city.venue_create",
                                        "city.venue_verify"]
