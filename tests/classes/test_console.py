"""The staff console's スマホ教室 pages through Flask's test client: who may do what, the form's
checks, phoned-in participants, promotions, CSV, cancellation and the reminder setting.
(The same pages in a real browser: tests/browser/test_classes_console.py.)"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db import utcnow
from bot.models import (
    AuditEntry, BookingStatus, ClassBooking, ClassNotification, ClassSettings, ClassStatus, SmartphoneClass,
)
from tests.classes.conftest import JST, book, follow
from tests.support.console import csrf_for, post_form


def form_for(on, **changes) -> dict[str, str]:
    values = {"title": "はじめてのスマホ教室", "level": "beginner", "venue": "mito-shisho", "venue_other": "",
              "day": on.isoformat(), "start": "10:00", "end": "11:30", "capacity": "2",
              "description": "ゆっくり練習します。", "waitlist_open": "1"}
    values.update(changes)
    return values


def next_week():
    return (utcnow().astimezone(JST) + timedelta(days=7)).date()


def latest(db_session, model):
    db_session.rollback()
    return db_session.scalars(select(model).order_by(model.id.desc())).first()


def test_viewers_see_classes_but_change_nothing(client, login_as, make_class):
    class_id = make_class("閲覧テスト教室")
    login_as("viewer")
    page = client.get("/console/classes").get_data(as_text=True)
    assert "閲覧テスト教室" in page and "新しい教室を作成" not in page
    assert 'href="/console/classes"' in client.get("/console").get_data(as_text=True)  # in the navigation
    assert client.get(f"/console/classes/{class_id}").status_code == 200
    assert client.get("/console/classes/new").status_code == 403
    token = csrf_for(client, "/console/classes")
    response = client.post(f"/console/classes/{class_id}/participants", data={"csrf_token": token, "name": "x"})
    assert response.status_code == 403


def test_an_approver_cannot_create_classes(client, login_as):
    login_as("approver")
    assert client.get("/console/classes/new").status_code == 403


def test_the_form_explains_what_is_wrong(client, login_as, db_session):
    login_as("author")
    yesterday = (utcnow().astimezone(JST) - timedelta(days=1)).date()
    response = post_form(client, "/console/classes/new", form_for(yesterday, title="", capacity="0", end="09:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("教室の名前を入力してください", "これから先の日時", "定員は1人から", "終了の時刻は、開始より後"):
        assert message in page
    response = post_form(client, "/console/classes/new", form_for(next_week(), venue="_other", day="not a day"))
    page = response.get_data(as_text=True)
    assert "開催日と開始時刻を入力してください" in page and "会場を選ぶか、入力してください" in page
    assert latest(db_session, SmartphoneClass) is None


def test_create_add_phoned_people_promote_and_export(client, login_as, db_session):
    login_as("author")
    response = post_form(client, "/console/classes/new", form_for(next_week()))
    assert response.status_code == 302
    course = latest(db_session, SmartphoneClass)
    assert (course.title, course.venue_name, course.venue_key, course.capacity) == (
        "はじめてのスマホ教室", "美東総合支所", "mito-shisho", 2)
    assert course.starts_at.astimezone(JST).hour == 10
    url = f"/console/classes/{course.id}"
    for name, phone in (("美祢 花子", "0837-52-1111"), ("秋芳 一郎", ""), ("美東 三郎", "09011112222")):
        post_form(client, f"{url}/participants", {"name": name, "phone": phone}, csrf_page=url)
    again = post_form(client, f"{url}/participants", {"name": "美祢花子", "phone": "0837521111"}, csrf_page=url)
    assert "もう申し込まれています" in client.get(again.headers["Location"]).get_data(as_text=True)
    bad = post_form(client, f"{url}/participants", {"name": "誰か", "phone": "12"}, csrf_page=url)
    assert "10けたか11けた" in client.get(bad.headers["Location"]).get_data(as_text=True)

    page = client.get(url).get_data(as_text=True)
    assert "参加者（2人）" in page and "キャンセル待ち（1人）" in page and "090-1111-2222" in page

    db_session.rollback()
    first = db_session.scalars(select(ClassBooking).where(ClassBooking.participant_name == "美祢 花子")).one()
    assert "キャンセル待ちの方がいれば" in client.get(f"{url}/bookings/{first.id}/cancel").get_data(as_text=True)
    done = post_form(client, f"{url}/bookings/{first.id}/cancel", csrf_page=url)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "「美東 三郎」さん（090-1111-2222）が繰り上がりました" in page and "お電話でお知らせください" in page
    db_session.rollback()
    statuses = {b.participant_name: b.status for b in db_session.scalars(select(ClassBooking))}
    assert statuses == {"美祢 花子": BookingStatus.CANCELLED, "秋芳 一郎": BookingStatus.CONFIRMED,
                        "美東 三郎": BookingStatus.CONFIRMED}

    csv = client.get(f"{url}/roster.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    disposition = csv.headers["Content-Disposition"]
    assert "attachment" in disposition and "filename*=UTF-8''" in disposition
    body = csv.data
    assert body.startswith(b"\xef\xbb\xbf") and body.count(b"\r\n") == 3 and body.count(b"\n") == 3
    assert "美東 三郎" in body.decode("utf-8-sig") and "美祢 花子" not in body.decode("utf-8-sig")
    db_session.rollback()
    actions = [e.action for e in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-5:] == ["classes.add_participant"] * 3 + ["classes.cancel_booking", "classes.export"]


def test_attendance_is_saved(client, login_as, make_class, db_session):
    class_id = make_class(capacity=3)
    login_as("author")
    url = f"/console/classes/{class_id}"
    for name in ("来た 人", "来ない 人"):
        post_form(client, f"{url}/participants", {"name": name}, csrf_page=url)
    db_session.rollback()
    came = db_session.scalars(select(ClassBooking).where(ClassBooking.participant_name == "来た 人")).one()
    post_form(client, f"{url}/attendance", {"attended": str(came.id)}, csrf_page=url)
    db_session.rollback()
    assert {b.participant_name: b.attended for b in db_session.scalars(select(ClassBooking))} == {
        "来た 人": True, "来ない 人": False}


def test_raising_the_capacity_moves_line_people_up_and_lowering_it_too_far_is_refused(
        bot_server, sim, client, login_as, make_class, db_session):
    class_id = make_class(capacity=1)
    first, second = follow(sim), follow(sim)
    book(sim, first, class_id)
    book(sim, second, class_id)
    login_as("author")
    url = f"/console/classes/{class_id}"
    edit = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="LINEの使い方教室"' in edit
    day = db_session.get(SmartphoneClass, class_id).starts_at.astimezone(JST).date()
    response = post_form(client, f"{url}/edit", form_for(day, title="LINEの使い方教室", capacity="2",
                                                        venue="_other", venue_other="美東総合支所"), csrf_page=url)
    assert response.status_code == 302
    assert "繰り上がりました（LINEでお知らせします）" in client.get(response.headers["Location"]).get_data(as_text=True)
    db_session.rollback()
    assert [b.status for b in db_session.scalars(select(ClassBooking).order_by(ClassBooking.id))] == [
        BookingStatus.CONFIRMED, BookingStatus.CONFIRMED]
    assert [n.kind for n in db_session.scalars(select(ClassNotification))] == ["promoted"]
    refused = post_form(client, f"{url}/edit", form_for(day, capacity="1"), csrf_page=url)
    assert refused.status_code == 400 and "参加が決まっている方が2人います" in refused.get_data(as_text=True)


def test_duplicate_copies_everything_but_the_day(client, login_as, make_class):
    class_id = make_class("複製元の教室", capacity=7)
    login_as("author")
    page = client.get(f"/console/classes/new?from={class_id}").get_data(as_text=True)
    assert 'value="複製元の教室"' in page and 'value="7"' in page and "開催日を入力してください" in page
    assert 'name="day" type="date" required value=""' in page


def test_cancelling_a_class_queues_one_notice_per_line_booking(bot_server, sim, client, login_as, make_class,
                                                               db_session):
    class_id = make_class("中止する教室")
    user = follow(sim)
    book(sim, user, class_id)
    login_as("author")
    url = f"/console/classes/{class_id}"
    assert "申し込んでいる方は1人です" in client.get(f"{url}/cancel").get_data(as_text=True)
    response = post_form(client, f"{url}/cancel", {"reason": "台風のため"}, csrf_page=url)
    assert "中止をお知らせします" in client.get(response.headers["Location"]).get_data(as_text=True)
    db_session.rollback()
    assert db_session.get(SmartphoneClass, class_id).status is ClassStatus.CANCELLED
    [notice] = db_session.scalars(select(ClassNotification)).all()
    assert notice.kind == "class_cancelled" and "台風のため" in notice.messages[0]["text"]
    assert client.get(f"{url}/edit").status_code == 302  # a cancelled class cannot be changed
    assert "送信待ち 1件" in client.get(url).get_data(as_text=True)


def test_the_reminder_time_and_the_sample_venues(client, login_as, db_session):
    login_as("author")
    page = client.get("/console/classes").get_data(as_text=True)
    assert 'value="10:00"' in page and "会場の一覧は見本のデータです" in page and "確認日：未確認" in page
    post_form(client, "/console/classes/settings", {"reminder_time": "18:30", "reminders_enabled": "1"},
              csrf_page="/console/classes")
    db_session.rollback()
    assert db_session.get(ClassSettings, 1).reminder_time == "18:30"
    bad = post_form(client, "/console/classes/settings", {"reminder_time": "夕方"}, csrf_page="/console/classes")
    assert "24時間" in client.get(bad.headers["Location"]).get_data(as_text=True)
    venues = client.get("/console/classes/venues").get_data(as_text=True)
    assert "見本のデータです" in venues and "秋芳総合支所" in venues and "未確認" in venues
