"""One poll pass against a local JMA (a real HTTP server) and the real database: what becomes a
notice, conditional GETs, each telegram fetched once, catching up, and hostile XML refused."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import notices
from bot.db import utcnow
from bot.jma import fetch, policy
from bot.jma.poll import poll
from bot.jma.rules import AlertKind
from bot.models import AlertAction, JmaAlertState, JmaFeed, JmaTelegram, Notice, NoticeKind, NoticeStatus

H27_ISSUED = "edited_h27_mine_heavy_rain_issued.xml"


def outcomes(database) -> list[str]:
    with database.read_sessions() as session:
        return [t.outcome for t in session.scalars(select(JmaTelegram).order_by(JmaTelegram.id))]


def notice(database, notice_id: int) -> Notice:
    with database.read_sessions() as session:
        return notices.get_notice(session, notice_id)


def test_a_warning_for_the_city_becomes_one_notice_to_everyone(database, jma_settings, jma_server):
    jma_server.publish(H27_ISSUED)
    result = poll(database, jma_settings)

    assert result.as_json() == {"feeds": 2, "telegrams_fetched": 1, "notices": result.notices}
    assert len(result.notices) == 1
    made = notice(database, result.notices[0])
    assert made.kind is NoticeKind.WEATHER and made.source == "jma" and made.areas == [] and made.interests == []
    assert made.status is NoticeStatus.SCHEDULED
    assert made.title == "【気象庁】美祢市に大雨警報（警戒レベル３相当）"
    assert "気象庁は、" in made.body and "大雨警報を発表しました" in made.body
    assert "「警戒レベル３相当」" in made.body
    assert "https://line.example.city.mine.lg.jp/shelters" in made.body
    assert "情報元：気象庁（下関地方気象台）" in made.body
    assert "避難指示を発令" not in made.body and "市が発令したときに別にお知らせします" in made.body
    assert made.link_url == "https://line.example.city.mine.lg.jp/shelters"


def test_each_telegram_is_fetched_once_and_unchanged_feeds_answer_304(database, jma_settings, jma_server):
    url = jma_server.publish(H27_ISSUED)
    first = poll(database, jma_settings)  # first pass ever: the long feeds, to catch up
    assert jma_server.requests["/extra_l.xml"] == 1 and jma_server.requests["/extra.xml"] == 0
    second = poll(database, jma_settings)
    third = poll(database, jma_settings)

    assert first.telegrams_fetched == 1 and second.telegrams_fetched == third.telegrams_fetched == 0
    assert jma_server.telegram_requests() == {url.removeprefix(jma_server.url): 1}
    assert jma_server.requests["/extra.xml"] == 2 and jma_server.not_modified["/extra.xml"] == 1
    assert second.notices == [] == third.notices


def test_after_more_than_ten_minutes_down_the_long_feed_is_read_once(database, jma_settings, jma_server):
    poll(database, jma_settings)
    poll(database, jma_settings)
    assert jma_server.requests["/extra_l.xml"] == 1
    with database.transaction() as session:
        for feed in session.scalars(select(JmaFeed)):
            feed.ok_at = utcnow() - timedelta(minutes=11)
    jma_server.publish(H27_ISSUED)
    caught_up = poll(database, jma_settings)
    poll(database, jma_settings)

    assert jma_server.requests["/extra_l.xml"] == 2 and jma_server.requests["/eqvol_l.xml"] == 2
    assert len(caught_up.notices) == 1  # a fresh telegram is still news when caught up


def test_continued_is_nothing_and_cleared_is_one_notice(database, jma_settings, jma_server):
    jma_server.publish(H27_ISSUED)
    assert len(poll(database, jma_settings).notices) == 1
    jma_server.publish("edited_h27_mine_heavy_rain_continued.xml")
    assert poll(database, jma_settings).notices == []
    jma_server.publish("edited_h27_mine_heavy_rain_cleared.xml")
    cleared = poll(database, jma_settings).notices

    assert len(cleared) == 1
    made = notice(database, cleared[0])
    assert made.title == "【気象庁】美祢市の大雨警報は解除されました"
    assert "大雨警報を解除しました" in made.body
    assert outcomes(database) == ["notice", "nothing", "notice"]


def test_the_same_event_in_both_series_is_one_notice(database, jma_settings, jma_server):
    jma_server.publish(H27_ISSUED)
    jma_server.publish("edited_r06_mine_heavy_rain_issued.xml")
    assert len(poll(database, jma_settings).notices) == 1
    jma_server.publish("edited_r06_mine_heavy_rain_cleared.xml")
    assert poll(database, jma_settings).notices == []  # still in force in the H27 series
    jma_server.publish("edited_h27_mine_heavy_rain_cleared.xml")
    assert len(poll(database, jma_settings).notices) == 1


def test_the_real_sample_for_mine_is_advisories_which_do_nothing_by_default(database, jma_settings, jma_server):
    jma_server.publish("15_11_01_150916_VPWW54.xml")  # 乾燥注意報・霜注意報 発表 for 美祢市
    result = poll(database, jma_settings)
    assert result.telegrams_fetched == 1 and result.notices == []
    with database.read_sessions() as session:
        state = {s.phenomenon: s.kind_name for s in session.scalars(select(JmaAlertState))}
    assert state == {"乾燥": "乾燥注意報", "霜": "霜注意報"}


def test_a_kind_set_to_draft_waits_for_approval(database, jma_settings, jma_server):
    with database.transaction() as session:
        policy.set_policy(session, AlertKind.WARNING, AlertAction.DRAFT, False, "admin", utcnow())
    jma_server.publish(H27_ISSUED)
    made = notice(database, poll(database, jma_settings).notices[0])
    assert made.status is NoticeStatus.AWAITING_APPROVAL and outcomes(database) == ["draft"]


def test_earthquakes_drills_and_a_cancellation(database, jma_settings, jma_server):
    jma_server.publish("edited_vxse53_drill_mine_int4.xml")  # 訓練
    jma_server.publish("edited_vxse53_mine_int2.xml")
    assert poll(database, jma_settings).notices == []
    jma_server.publish("edited_vxse53_mine_int4.xml")
    quake = poll(database, jma_settings).notices
    assert len(quake) == 1 and notice(database, quake[0]).title == "【気象庁】地震　美祢市で震度4"
    assert "岩手県沖" in notice(database, quake[0]).body
    with database.transaction() as session:  # as the delivery does when it goes out
        sent = notices.get_notice(session, quake[0])
        sent.status, sent.published_at = NoticeStatus.SENT, utcnow()
    jma_server.publish("edited_vxse53_mine_cancel.xml")
    correction = poll(database, jma_settings).notices

    assert notice(database, quake[0]).status is NoticeStatus.WITHDRAWN
    assert len(correction) == 1
    assert notice(database, correction[0]).title == "【訂正】先ほどの気象庁の情報は取り消されました"
    assert "「【気象庁】地震　美祢市で震度4」" in notice(database, correction[0]).body
    assert outcomes(database) == ["ignored", "nothing", "notice", "withdrawn"]


def test_a_cancelled_telegram_whose_notice_has_not_gone_is_simply_stopped(database, jma_settings, jma_server):
    jma_server.publish("edited_vxse53_mine_int4.xml")
    quake = poll(database, jma_settings).notices
    jma_server.publish("edited_vxse53_mine_cancel.xml")
    assert poll(database, jma_settings).notices == []
    assert notice(database, quake[0]).status is NoticeStatus.CANCELLED


def test_landslide_alert_and_record_rain_for_the_city(database, jma_settings, jma_server):
    jma_server.publish("edited_vxww50_mine_alert.xml")
    jma_server.publish("edited_vpoa50_mine.xml")
    jma_server.publish("17_01_01_190529_VXWW50.xml")  # 福岡県: not the city
    made = [notice(database, n) for n in poll(database, jma_settings).notices]
    assert [n.title for n in made] == ["【気象庁】美祢市に土砂災害警戒情報（警戒レベル４相当）",
                                       "【気象庁】美祢市付近で記録的短時間大雨"]
    assert "山口県 下関地方気象台" in made[0].body and "美祢市付近で約110ミリ" in made[1].body


def test_a_stale_telegram_is_never_news_but_updates_the_state(database, jma_settings, jma_server):
    jma_server.publish(H27_ISSUED, fresh=False)  # issued in 2015
    assert poll(database, jma_settings).notices == []
    assert outcomes(database) == ["stale"]
    jma_server.publish("edited_h27_mine_heavy_rain_continued.xml")
    assert poll(database, jma_settings).notices == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/"><Control><Title>&lol3;</Title></Control></Report>"""


def test_hostile_xml_is_refused_fetched_once_and_does_not_block_the_next(database, jma_settings, jma_server):
    title = "気象警報・注意報（Ｈ２７）"
    poll(database, jma_settings)  # the first pass reads the long feeds; this test is about the short ones
    laughs = jma_server.publish("laughs.xml", body=BILLION_LAUGHS, title=title)
    huge = jma_server.publish("huge.xml", body=b"<Report>" + b" " * (fetch.MAX_BYTES + 10) + b"</Report>",
                              title=title)
    jma_server.publish(H27_ISSUED)
    result = poll(database, jma_settings)
    poll(database, jma_settings)

    assert len(result.notices) == 1
    assert outcomes(database) == ["broken", "broken", "notice"]
    requests = jma_server.telegram_requests()
    assert requests[laughs.removeprefix(jma_server.url)] == 1 and requests[huge.removeprefix(jma_server.url)] == 1
    with pytest.raises(fetch.UnsafeXml):
        fetch.parse_xml(BILLION_LAUGHS)


def test_unreachable_feeds_fail_quietly_logging_once(database, settings, caplog):
    nowhere = settings.with_overrides(jma_feeds=("http://127.0.0.1:9/extra.xml",), jma_long_feeds=())
    with caplog.at_level(logging.WARNING, logger="bot.jma.poll"):
        for _ in range(3):
            result = poll(database, nowhere)
    assert result.as_json() == {"feeds": 0, "telegrams_fetched": 0, "notices": []}
    assert len([r for r in caplog.records if "not readable" in r.getMessage()]) == 1


def test_a_level_4_alert_switches_to_disaster_mode_when_its_setting_says_so(database, jma_settings, jma_server, app,
                                                                          emulator):
    """The rich menus are published; a 危険警報 whose kind says 災害モードに切り替える switches it on."""
    from bot.line import richmenu

    richmenu.publish(app.extensions["gateway"], "http://127.0.0.1:8000", disaster=False)
    with database.transaction() as session:
        policy.set_policy(session, AlertKind.DANGER_WARNING, AlertAction.AUTO, True, "admin", utcnow())
    jma_server.publish("edited_r06_mine_landslide_danger.xml")
    result = poll(database, jma_settings, app.extensions["gateway"])

    from bot.disaster import mode

    assert len(result.notices) == 1
    with database.read_sessions() as session:
        current = mode.current_mode(session)
    assert current is not None and current.by == "気象庁の自動連携"
