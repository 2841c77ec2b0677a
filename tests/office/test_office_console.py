"""The office console through the Flask client on SQLite and PostgreSQL: the dashboard's charts,
tables and CSV from generated data, lists that page and search, the public notice pages and their
feed links, recurring notices (occurrences created ahead, one skipped), the follow history,
e-mail numbers and the printable roster."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.dashboard_bench import fill_usage
from bot import friends, notices
from bot.db import utcnow
from bot.models import FriendEvent, FriendEventKind, MailSend, MailSendStatus, MailSubscriber, Notice, NoticeStatus
from tests.support.console import csrf_for
from tests.office.classes import class_with_people
from tests.support.notices import publish

JST = ZoneInfo("Asia/Tokyo")
FIGURES = ["friends", "areas", "messages", "faq", "unanswered", "notices", "mail", "classes"]


def test_the_dashboard_draws_every_chart_with_its_table_and_csv(client, login_as, database):
    fill_usage(database, friends=300, days=400, asks_per_day=5)
    login_as("viewer")
    for period in ("7d", "30d", "fy"):
        page = client.get(f"/console?period={period}").get_data(as_text=True)
        for key in FIGURES:
            section = page[page.index(f'id="figure-{key}"'):]
            assert f'id="table-{key}"' in section[:section.index("</section>")], (period, key)
        assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= len(FIGURES)
        assert "LINEから今月の送信数と上限を取得できませんでした" not in page  # the emulator answered
    csv = client.get("/console/dashboard/friends.csv?period=fy")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    rows = [line.split(",") for line in text.lstrip("\ufeff").splitlines()]
    assert rows[0] == ["期間", "追加", "ブロック", "差し引き"] and len(rows) >= 2
    assert sum(int(r[1]) for r in rows[1:]) > 0 and all(int(r[3]) == int(r[1]) - int(r[2]) for r in rows[1:])
    assert client.get("/console/dashboard/nothing.csv").status_code == 404


def test_the_dashboard_says_when_line_cannot_be_asked(app, client, login_as):
    app.extensions["settings"] = app.extensions["settings"].with_overrides(line_api_base="http://127.0.0.1:9")
    from bot.line.gateway import LineGateway

    app.extensions["gateway"].close()
    app.extensions["gateway"] = LineGateway(app.extensions["settings"].with_overrides(line_max_attempts=1))
    login_as("viewer")
    page = client.get("/console").get_data(as_text=True)
    assert "LINEから今月の送信数と上限を取得できませんでした" in page


def test_follows_and_blocks_are_written_to_the_history(database):
    now = utcnow()
    with database.transaction() as session:
        friends.record_follow(session, "U" + "a" * 32, "花子", now)
        friends.record_follow(session, "U" + "a" * 32, "花子", now)  # already following: no event
        friends.record_unfollow(session, "U" + "a" * 32, now)
        friends.record_follow(session, "U" + "a" * 32, "花子", now + timedelta(days=1))
    with database.read_sessions() as session:
        kinds = list(session.scalars(select(FriendEvent.kind).order_by(FriendEvent.id)))
    assert kinds == [FriendEventKind.FOLLOW, FriendEventKind.UNFOLLOW, FriendEventKind.FOLLOW]


def test_the_notice_list_pages_and_searches_and_keeps_its_filters(app, client, login_as, database):
    settings = app.extensions["settings"]
    with database.transaction() as session:
        for n in range(60):
            title = f"ごみの日 {n}" if n % 2 else f"図書館 {n}"
            notices.create_notice(session, notices.NoticeDraft(title=title, body="本文"), "tanaka", settings, utcnow())
    login_as("viewer")
    first = client.get("/console/notices?kind=info").get_data(as_text=True)
    assert "全60件中 1〜50件を表示" in first and 'href="/console/notices?kind=info&amp;page=2"' in first
    found = client.get("/console/notices?q=ごみ&sort=title&page=1").get_data(as_text=True)
    assert "全30件中 1〜30件" in found and "図書館" not in found.split('id="notice-table"')[1]
    second = client.get("/console/notices?kind=info&page=2").get_data(as_text=True)
    assert "全60件中 51〜60件を表示" in second


def test_public_notice_pages_from_the_feed_and_the_api(app, client, database):
    settings = app.extensions["settings"]
    notice_id = publish(database, settings, "断水のお知らせ", "12月5日は断水します。", kind="info", areas=["mito"])
    feed = ElementTree.fromstring(client.get("/feeds/notices.atom").data)
    atom = "{http://www.w3.org/2005/Atom}"
    link = feed.find(f"{atom}entry/{atom}link[@rel='alternate']").get("href")
    assert link == f"{settings.public_base_url}/notices/{notice_id}"
    assert client.get("/api/notices").get_json()["notices"][0]["url"] == link
    page = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "断水のお知らせ" in page and "12月5日は断水します。" in page and "美東" in page and "<script" not in page
    assert "このお知らせは取り消されました" not in page
    with database.transaction() as session:
        notices.withdraw_notice(session, notice_id, "tanaka", "日付の誤りでした。", utcnow())
    page = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "【取消】断水のお知らせ" in page and "訂正・理由：日付の誤りでした。" in page
    listing = client.get("/notices?kind=info").get_data(as_text=True)
    assert f'/notices/{notice_id}"' in listing
    assert f'/notices/{notice_id}"' not in client.get("/notices?kind=event").get_data(as_text=True)
    assert client.get("/notices/99999").status_code == 404


def test_a_recurring_notice_creates_its_coming_occurrences_and_one_can_be_skipped(client, login_as, db_session):
    login_as("author")
    today = utcnow().astimezone(JST).date()
    token = csrf_for(client, "/console/recurring/new")
    answer = client.post("/console/recurring/new", data={
        "csrf_token": token, "kind": "info", "title": "燃えるごみの日", "body": "朝8時までに出してください。",
        "areas": ["mine"], "frequency": "weekly", "weekdays": ["0", "3"], "send_time": "07:00",
        "starts_on": (today + timedelta(days=1)).isoformat(), "excluded": (today + timedelta(days=8)).isoformat()})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    record_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    occurrences = list(db_session.scalars(select(Notice).where(Notice.recurrence_id == record_id)
                                          .order_by(Notice.occurrence_on)))
    days = [n.occurrence_on for n in occurrences]
    assert 15 <= len(days) <= 17 and all(d.weekday() in (0, 3) for d in days)
    assert today + timedelta(days=8) not in days and min(days) > today
    assert all(n.status is NoticeStatus.SCHEDULED and n.areas == ["mine"] for n in occurrences)
    page = client.get(f"/console/recurring/{record_id}").get_data(as_text=True)
    assert page.count("data-occurrence=") == len(days) and "毎週 月・木曜日 07:00" in page
    second = occurrences[1]
    token = csrf_for(client, f"/console/recurring/{record_id}")
    skipped = client.post(f"/console/recurring/{record_id}/occurrences/{second.id}/skip", data={"csrf_token": token})
    assert skipped.status_code == 302
    db_session.rollback()
    assert db_session.get(Notice, second.id).status is NoticeStatus.CANCELLED
    assert db_session.get(Notice, occurrences[2].id).status is NoticeStatus.SCHEDULED


def test_a_recurring_rule_with_mistakes_is_explained(client, login_as):
    login_as("author")
    token = csrf_for(client, "/console/recurring/new")
    answer = client.post("/console/recurring/new", data={"csrf_token": token, "title": "", "body": "本文",
                                                         "frequency": "monthly_nth", "weekdays": ["0", "1"],
                                                         "send_time": "7時", "starts_on": ""})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for message in ("曜日を1つだけ選んでください", "第何週かを選んでください", "送る時刻を入力してください", "開始日を入力してください"):
        assert message in page


def test_each_notice_shows_its_e_mails_with_the_reasons_for_failures(app, client, login_as, database):
    notice_id = publish(database, app.extensions["settings"], "メールのお知らせ")
    with database.transaction() as session:
        for n, (status, error) in enumerate([(MailSendStatus.SENT, None), (MailSendStatus.FAILED, "refused: 550"),
                                             (MailSendStatus.PENDING, None)]):
            subscriber = MailSubscriber(email=f"r{n}@example.jp", areas=[], unsubscribe_token=f"t{n}")
            session.add(subscriber)
            session.flush()
            session.add(MailSend(notice_id=notice_id, subscriber_id=subscriber.id, status=status, error=error))
    login_as("viewer")
    page = client.get(f"/console/notices/{notice_id}").get_data(as_text=True)
    assert 'id="mail-sent">1<' in page and 'id="mail-failed">1<' in page and 'id="mail-pending">1<' in page
    assert "refused: 550" in page
    home = client.get("/console").get_data(as_text=True)
    assert "登録中 3人" in home


def test_the_printable_roster_and_the_participant_search(client, login_as, database):
    class_id = class_with_people(database, "はじめてのスマホ", 22)
    login_as("viewer")
    sheet = client.get(f"/console/classes/{class_id}/roster/print").get_data(as_text=True)
    assert "@page { size: A4 portrait" in sheet and sheet.count('class="participant"') == 20
    assert "キャンセル待ち：1. 参加者20" in sheet
    found = client.get("/console/classes/participants?q=参加者1&status=all").get_data(as_text=True)
    assert "「参加者1」で 10人" in found
    waiting = client.get(f"/console/classes/participants?class_id={class_id}&status=waitlisted").get_data(as_text=True)
    assert "参加者21" in waiting and "参加者05" not in waiting


