"""Residents read notices in LINE: 「お知らせ」 (typed or the rich menu's postback) shows the latest
for their area, newest first, withdrawn ones marked; a card's button opens the whole notice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.notices import delivery
from bot import notices
from bot.db import utcnow
from bot.models import Friend, Notice


def publish(database, settings, title, minutes_ago, **fields) -> int:
    with database.transaction() as session:
        draft = notices.NoticeDraft(title=title, body=fields.pop("body", f"{title}の本文です。"), **fields)
        notice_id = notices.create_notice(session, draft, "tanaka", settings, utcnow()).id
    delivery.start_due_notices(database, settings)
    with database.transaction() as session:
        session.execute(update(Notice).where(Notice.id == notice_id)
                        .values(published_at=utcnow() - timedelta(minutes=minutes_ago)))
    return notice_id


def resident(sim, database, area=None) -> str:
    user = sim.new_user("美祢 太郎")
    sim.follow(user)
    sim.text(user, "やめる")
    with database.transaction() as session:
        session.execute(update(Friend).where(Friend.line_user_id == user).values(area=area))
    return user


def last_carousel(sim, user) -> dict:
    message = sim.inbox(user)[-1]["message"]
    assert message["type"] == "flex" and message["contents"]["type"] == "carousel"
    return message


def card_titles(carousel: dict) -> list[str]:
    titles = []
    for card in carousel["contents"]["contents"]:
        texts = [c["text"] for c in card["body"]["contents"] if c["type"] == "text"]
        titles.append(next(t for t in texts if "取り消され" not in t and not t.startswith("訂正")))
    return titles


def test_the_latest_notices_for_the_residents_area_newest_first(bot_server, sim, database, settings):
    publish(database, settings, "市全体の古いお知らせ", 60)
    publish(database, settings, "秋芳の催し", 30, areas=["shuho"], kind="event")
    publish(database, settings, "美東の断水", 20, areas=["mito"], kind="避難情報")
    withdrawn = publish(database, settings, "誤ったお知らせ", 10)
    with database.transaction() as session:
        notices.withdraw_notice(session, withdrawn, "suzuki", "日付が誤っていました", utcnow())
    user = resident(sim, database, area="mito")

    assert sim.text(user, "お知らせ") == 200

    intro = sim.inbox(user)[-2]["message"]["text"]
    assert "美東地域と市全体" in intro
    carousel = last_carousel(sim, user)
    assert card_titles(carousel) == ["誤ったお知らせ", "美東の断水", "市全体の古いお知らせ"]
    first = carousel["contents"]["contents"][0]
    assert first["header"]["contents"][0]["text"].startswith("取消")
    assert "日付が誤っていました" in str(first["body"])
    assert carousel["altText"].startswith("美祢市からのお知らせ（3件）")


def test_the_rich_menu_postback_and_opening_one_notice(bot_server, sim, database, settings):
    notice_id = publish(database, settings, "大雨警報", 5, body="川に近づかないでください。" * 5, kind="weather")
    user = resident(sim, database, area="mine")

    assert sim.postback(user, "action=notices") == 200
    button = last_carousel(sim, user)["contents"]["contents"][0]["footer"]["contents"][0]["action"]
    assert button["data"] == f"action=notices.show&id={notice_id}"
    assert sim.postback(user, button["data"]) == 200

    detail = sim.inbox(user)[-1]["message"]
    assert detail["type"] == "flex" and detail["contents"]["type"] == "bubble"
    assert detail["contents"]["header"]["backgroundColor"] == "#BF360C"
    assert "川に近づかないでください。" in str(detail["contents"]["body"])
    assert sim.postback(user, "action=notices.show&id=99999") == 200
    assert "表示できません" in sim.texts(user)[-1]


def test_without_an_area_only_city_wide_notices_and_a_hint(bot_server, sim, database, settings):
    publish(database, settings, "美東だけ", 5, areas=["mito"])
    user = resident(sim, database, area=None)

    sim.text(user, "お知らせ")
    assert "いま表示できるお知らせはありません" in sim.texts(user)[-1] and "「設定」" in sim.texts(user)[-1]

    publish(database, settings, "市全体", 1)
    sim.text(user, "お知らせ")
    assert card_titles(last_carousel(sim, user)) == ["市全体"]
    assert "地域を設定すると" in sim.inbox(user)[-2]["message"]["text"]
