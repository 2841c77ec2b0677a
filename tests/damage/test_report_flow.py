"""被害の報告 end to end: a resident reports in LINE (the real SDK, the emulator over HTTP, the bot
on a real port, SQLite and PostgreSQL), the scheduler's job fetches the photo from the emulator's
content API with the real SDK, and staff see the report with that photo and export it as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.models import AuditEntry, ConversationState, DamageCategory, DamageReport, PhotoState, ReportStatus
from tests.support.residents import report_damage
from tests.emulator.images import png
from tests.support.console import post_form

PHOTO = png(64, 48, rgb=(200, 40, 40))


def reports(db_session) -> list[DamageReport]:
    db_session.rollback()
    return list(db_session.scalars(select(DamageReport).order_by(DamageReport.id)))


def test_a_report_with_a_photo_reaches_the_staff_list_with_that_photo(
        resident, sim, db_session, run_photo_job, client, login_as):
    user = resident()
    receipt = report_damage(sim, user, "倒木", photo=PHOTO, location=(34.1701, 131.2102, "市道の橋の近く"),
                            description="=HYPERLINK(\"http://x\") 道路に木が倒れて通れません")

    year = datetime.now(ZoneInfo("Asia/Tokyo")).year
    assert f"受付番号 D-{year}-" in receipt
    [report] = reports(db_session)
    assert report.receipt_no in receipt
    assert (report.category, report.status, report.photo_state) == \
        (DamageCategory.FALLEN_TREE, ReportStatus.NEW, PhotoState.PENDING)
    assert (report.latitude, report.longitude, report.place) == (34.1701, 131.2102, "市道の橋の近く")
    assert db_session.get(ConversationState, user) is None
    login_as("author", login_name="doboku")
    assert "写真を取得中" in client.get("/console/damage").get_data(as_text=True)

    run_photo_job()

    [report] = reports(db_session)
    assert report.photo_state is PhotoState.STORED and report.photo == PHOTO and report.photo_type == "image/png"
    page = client.get("/console/damage").get_data(as_text=True)
    photo_url = f"/console/damage/{report.id}/photo"
    assert report.receipt_no in page and f'src="{photo_url}"' in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=34.170100,131.210200" in page
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.data == PHOTO and photo.mimetype == "image/png"

    assert post_form(client, f"/console/damage/{report.id}/status", {"status": "in_progress"}).status_code == 302
    exported = client.get("/console/damage/export.csv?status=in_progress")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["受付番号", "受付日時", "種類", "状態"]
    assert rows[1][0] == report.receipt_no and rows[1][2:4] == ["倒木", "対応中"] and rows[1][5] == "doboku"
    assert rows[1][-1].startswith("'=HYPERLINK")  # a resident's words never run as a formula
    assert rows[1][-2] == "写真あり"
    assert len(list(csv.reader(io.StringIO(client.get("/console/damage/export.csv?status=new").data
                                           .decode("utf-8-sig"))))) == 1
    db_session.rollback()
    actions = db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["damage.status", "damage.export", "damage.export"]

    # without a login, neither the photo nor the list is reachable
    anonymous = client.application.test_client()
    assert anonymous.get(photo_url).status_code == 302
    assert anonymous.get("/console/damage").status_code == 302


def test_without_photo_or_location_and_the_filters(resident, sim, db_session, client, login_as, run_photo_job):
    user = resident()
    report_damage(sim, user, "道路の冠水", description="田んぼの横の道が水につかっています")
    report_damage(sim, user, "土砂崩れ", description="裏山が少し崩れました")
    run_photo_job()  # nothing to fetch

    flooded, landslide = reports(db_session)
    assert flooded.photo_state is PhotoState.NONE and flooded.latitude is None and flooded.place == ""
    assert int(landslide.receipt_no.rsplit("-", 1)[1]) == int(flooded.receipt_no.rsplit("-", 1)[1]) + 1
    login_as("viewer")
    page = client.get("/console/damage?category=landslide").get_data(as_text=True)
    assert landslide.receipt_no in page and flooded.receipt_no not in page and "写真なし" in page
    assert "にする</button>" not in page  # viewers only look
    assert post_form(client, f"/console/damage/{flooded.id}/status", {"status": "done"}).status_code == 403


def test_a_typed_place_a_too_long_description_and_cancelling(resident, sim, db_session):
    user = resident()
    sim.text(user, "被害を報告")
    sim.tap(user, "その他")
    sim.text(user, "なし")  # no photo, typed
    sim.text(user, "美祢駅の東側の交差点")  # the place, typed
    sim.text(user, "あ" * 201)
    assert "200文字以内で送ってください（いま201文字です）" in sim.texts(user)[-1]
    sim.text(user, "信号が消えています")
    assert "場所：美祢駅の東側の交差点" in sim.texts(user)[-1] and "写真：なし" in sim.texts(user)[-1]

    sim.text(user, "やめる")

    assert sim.texts(user)[-1] == "被害の報告をやめました。"
    assert reports(db_session) == []
    sim.postback(user, "action=damage.submit")  # the old 「報告する」 button
    assert "もう一度「被害を報告」から" in sim.texts(user)[-1]
    assert reports(db_session) == []


def test_a_photo_line_no_longer_has_is_marked_unavailable(resident, sim, db_session, database, run_photo_job):
    user = resident()
    report_damage(sim, user, photo=PHOTO)
    with database.transaction() as session:
        session.scalars(select(DamageReport)).one().photo_message_id = "1" * 18  # unknown to LINE

    run_photo_job()

    [report] = reports(db_session)
    assert report.photo_state is PhotoState.UNAVAILABLE and report.photo is None and report.photo_attempts == 1
