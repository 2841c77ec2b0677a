"""The website's feeds (Atom, JSON) and `POST /api/notices` for other city systems."""

from __future__ import annotations

from datetime import timedelta

from defusedxml import ElementTree
from sqlalchemy import select

from bot.staff import api_tokens
from bot.notices import delivery
from bot import notices
from bot.db import utcnow
from bot.models import AuditEntry, Notice, NoticeStatus
from tests.support.notices import add_friends, assert_exactly_once, publish

ATOM = "{http://www.w3.org/2005/Atom}"


def next_month() -> str:
    return (utcnow() + timedelta(days=30)).isoformat()


def test_the_atom_feed_parses_escapes_titles_and_shows_withdrawals(client, database, settings):
    first = publish(database, settings, title="<script>alert('x')</script> & \"引用\"", areas=["mito"], kind="event",
                    link_url="https://example.jp/?a=1&b=2")
    second = publish(database, settings, title="断水のお知らせ", body="本日、断水します。", kind="避難情報")
    with database.transaction() as session:
        notices.create_notice(session, notices.NoticeDraft(title="未来の告知", body="x", send_at=next_month()),
                              "tanaka", settings, utcnow())  # scheduled: not on the feed yet
        notices.withdraw_notice(session, second, "suzuki", "断水は明日に延期されました", utcnow())

    response = client.get("/feeds/notices.atom")

    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["【取消】【避難情報】断水のお知らせ",
                      "【イベント】<script>alert('x')</script> & \"引用\""]
    assert b"<script>" not in response.data and b"&lt;script&gt;" in response.data
    withdrawn = entries[0]
    assert withdrawn.findtext(f"{ATOM}content").startswith("このお知らせは取り消されました。\n訂正・理由：断水は明日に延期されました")
    assert withdrawn.findtext(f"{ATOM}updated") >= withdrawn.findtext(f"{ATOM}published")
    assert entries[1].find(f"{ATOM}link[@rel='related']").get("href") == "https://example.jp/?a=1&b=2"
    assert {c.get("term") for c in entries[1].findall(f"{ATOM}category")} == {"event", "area:mito"}
    assert feed.findtext(f"{ATOM}title") == "美祢市からのお知らせ"
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{settings.public_base_url}/api/notices/{n}"
                                                          for n in (second, first)]


def test_the_json_feed_lists_published_notices_and_filters_by_area(client, database, settings):
    city = publish(database, settings, title="全域のお知らせ")
    shuho = publish(database, settings, title="秋芳のお知らせ", areas=["shuho"])
    publish(database, settings, title="美東のお知らせ", areas=["mito"])
    with database.transaction() as session:
        notices.create_notice(session, notices.NoticeDraft(title="予約中", body="x", send_at=next_month()),
                              "tanaka", settings, utcnow())

    everything = client.get("/api/notices").get_json()
    for_shuho = client.get("/api/notices?area=秋芳").get_json()

    assert [n["title"] for n in everything["notices"]] == ["美東のお知らせ", "秋芳のお知らせ", "全域のお知らせ"]
    assert [n["id"] for n in for_shuho["notices"]] == [shuho, city]
    item = for_shuho["notices"][0]
    assert item["kind"] == "info" and item["kind_label"] == "お知らせ" and item["area_labels"] == ["秋芳"]
    assert item["status"] == "published" and item["withdrawal"] is None and item["published_at"].endswith("Z")
    assert client.get(f"/api/notices/{city}").get_json()["title"] == "全域のお知らせ"
    assert client.get("/api/notices?area=tokyo").status_code == 400


def issue_token(database, name="bosai-system") -> str:
    with database.transaction() as session:
        return api_tokens.issue_token(session, name, "admin")


def test_post_creates_a_notice_that_the_engine_then_delivers(client, database, gateway, settings, sim, emulator):
    token = issue_token(database)
    user = sim.request("POST", "/_sim/users/bulk", {"count": 1})["user_ids"][0]
    add_friends(database, [user], area="mito")

    response = client.post("/api/notices", headers={"Authorization": f"Bearer {token}"}, json={
        "kind": "weather", "title": "大雨警報", "body": "川に近づかないでください。", "areas": ["美東"]})

    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["status"] == "scheduled" and answer["targets"] == 1
    assert response.headers["Location"].endswith(f"/api/notices/{answer['id']}")
    with database.sessions() as session:
        notice = session.get(Notice, answer["id"])
        assert (notice.source, notice.created_by, notice.areas) == ("api", "api:bosai-system", ["mito"])
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "notice.create"))
        assert audit.actor == "api:bosai-system" and audit.target == str(notice.id)
    delivery.run_deliveries(database, gateway, settings)
    assert_exactly_once(emulator, [user], "大雨警報")


def test_missing_wrong_or_revoked_tokens_get_401(client, database):
    token = issue_token(database)
    body = {"title": "題", "body": "本文"}
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {token}"}):
        response = client.post("/api/notices", headers=headers, json=body)
        assert response.status_code == 401
        assert "APIトークン" in response.get_json()["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with database.transaction() as session:
        api_tokens.revoke_token(session, "bosai-system")
    assert client.post("/api/notices", headers={"Authorization": f"Bearer {token}"}, json=body).status_code == 401
    with database.sessions() as session:
        assert session.scalar(select(Notice)) is None


def test_bad_input_gets_400_with_field_details(client, database):
    headers = {"Authorization": f"Bearer {issue_token(database)}"}

    wrong = client.post("/api/notices", headers=headers, json={
        "kind": "tsunami", "title": "", "body": "本文", "areas": ["tokyo"], "send_at": "明日の朝"})
    not_json = client.post("/api/notices", headers=headers, data="title=x", content_type="text/plain")
    wrong_types = client.post("/api/notices", headers=headers, json={"title": ["x"], "body": "b", "areas": "mito"})

    assert wrong.status_code == 400
    payload = wrong.get_json()
    assert payload["message"].startswith("入力内容に誤りがあります")
    fields = {d["field"]: d["message"] for d in payload["details"]}
    assert set(fields) == {"kind", "title", "areas", "send_at"} and fields["title"] == "タイトルを入力してください。"
    assert not_json.status_code == 400 and not_json.get_json()["details"][0]["field"] == "_"
    assert wrong_types.status_code == 400
    assert {d["field"] for d in wrong_types.get_json()["details"]} == {"title", "areas"}
    with database.sessions() as session:
        assert session.scalar(select(Notice)) is None


def test_withdrawn_and_held_states_in_json(client, database, settings):
    notice_id = publish(database, settings, title="訂正される告知")
    with database.transaction() as session:
        notices.withdraw_notice(session, notice_id, "suzuki", "日時の誤り", utcnow())
        assert session.get(Notice, notice_id).status is NoticeStatus.WITHDRAWN
    item = client.get(f"/api/notices/{notice_id}").get_json()
    assert item["status"] == "withdrawn" and item["withdrawal"]["reason"] == "日時の誤り"
    assert item["display_title"] == "【取消】【お知らせ】訂正される告知"
