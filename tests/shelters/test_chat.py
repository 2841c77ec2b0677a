"""Residents and shelters in LINE, end to end: the real SDK, the emulator over HTTP, the bot on a
real port and a real database (SQLite and PostgreSQL). Also the answers to a sticker and to a
photo sent outside a damage report."""

from __future__ import annotations

from tests.emulator.images import png
from tests.shelters.conftest import carousel_names, last_message
from tests.support.residents import send_location, send_photo


def test_a_location_gets_the_nearest_open_shelter_skipping_a_closed_nearer_one(sample_shelters, resident, sim):
    sample_shelters(open=("MINE-S03", "MITO-S01"), full=("MINE-S02",))
    user = resident()

    assert send_location(sim, user, 34.1670, 131.2050, title="いまいる場所") == 200  # beside MINE-S01 (閉鎖)

    intro, message = (m["message"] for m in sim.inbox(user)[-2:])
    assert intro["text"].startswith("近くの開設している避難所です")
    assert carousel_names(message) == ["見本：美祢地域の中学校体育館A", "見本：美東地域の公民館A"]
    first = message["contents"]["contents"][0]
    body_texts = [part["text"] for part in first["body"]["contents"]]
    assert "ここから約2.2km" in " ".join(body_texts)
    assert "見本データ（実際の避難所ではありません）" in body_texts
    assert first["header"]["contents"][0]["text"].startswith("開設")
    link = first["footer"]["contents"][0]["action"]
    assert link == {"type": "uri", "label": "地図で見る",
                    "uri": "https://www.google.com/maps/search/?api=1&query=34.152100,131.221300"}
    assert "美祢地域の公民館A" not in message["altText"] and "小学校体育館A" not in message["altText"]


def test_no_shelter_open_says_so_and_lists_the_nearest_designated_ones(sample_shelters, resident, sim):
    sample_shelters()
    user = resident()

    send_location(sim, user, 34.2250, 131.2985)  # beside SHUHO-S01

    intro, message = (m["message"] for m in sim.inbox(user)[-2:])
    assert "いま開設している避難所はありません" in intro["text"]
    assert "開設していません" in intro["text"]
    names = carousel_names(message)
    assert names[0] == "見本：秋芳地域の公民館A" and len(names) == 3
    assert all(bubble["header"]["contents"][0]["text"] == "閉鎖" for bubble in message["contents"]["contents"])


def test_shelters_lists_the_open_ones_own_area_first(sample_shelters, resident, sim):
    sample_shelters(open=("MINE-S01", "MITO-S02", "SHUHO-S01"), full=("MITO-S01",))
    user = resident(area="mito")

    assert sim.text(user, "避難所") == 200

    intro, message = (m["message"] for m in sim.inbox(user)[-2:])
    assert intro["text"] == "開設している避難所です（美東地域を先に表示しています）。"
    names = carousel_names(message)
    assert names[:2] == ["見本：美東地域の小学校体育館A", "見本：美東地域の公民館A"]  # accepting before full
    assert set(names[2:]) == {"見本：美祢地域の公民館A", "見本：秋芳地域の公民館A"}
    assert message["contents"]["contents"][1]["header"]["contents"][0]["text"].startswith("満員")
    assert "収容人数 280人" in message["contents"]["contents"][0]["body"]["contents"][2]["text"]

    assert sim.postback(user, "action=shelters") == 200  # the rich-menu tile
    assert last_message(sim, user)["altText"] == message["altText"]


def test_none_open_and_the_near_button_asks_for_a_location(sample_shelters, resident, sim):
    sample_shelters()
    user = resident()
    sim.text(user, "避難所")
    assert "いま開設している避難所はありません" in sim.texts(user)[-1]

    sim.tap(user, "近くの避難所を探す")

    assert "位置情報を送る" in sim.texts(user)[-1]
    assert {"type": "location", "label": "位置情報を送る"} in sim.last_quick_replies(user)


MAIN_ACTIONS = ["質問する", "お知らせ", "手続き", "スマホ教室", "設定"]


def test_a_sticker_gets_a_friendly_answer_with_the_main_buttons(resident, sim):
    user = resident()
    sim.request("POST", f"/_sim/users/{user}/sticker", {"package_id": "446", "sticker_id": "1988"})
    assert sim.texts(user)[-1].startswith("スタンプありがとうございます")
    assert [a["label"] for a in sim.last_quick_replies(user)] == MAIN_ACTIONS


def test_a_photo_outside_a_report_offers_to_report_damage(resident, sim):
    user = resident()
    assert send_photo(sim, user, png(8, 8)) == 200
    assert "被害を報告" in sim.texts(user)[-1]
    labels = [a["label"] for a in sim.last_quick_replies(user)]
    assert labels == ["被害を報告", *MAIN_ACTIONS]


def test_latest_disaster_information_shows_only_evacuation_and_weather_notices(resident, sim, database, settings):
    from tests.support.notices import publish

    user = resident()
    sim.postback(user, "action=disaster.latest")
    assert "避難情報や気象・災害のお知らせはありません" in sim.texts(user)[-1]

    publish(database, settings, "大雨警報が出ています", kind="weather")
    publish(database, settings, "夏祭りのお知らせ", kind="event")
    publish(database, settings, "高齢者等避難を発令しました", kind="evacuation")
    sim.postback(user, "action=disaster.latest")

    intro, message = (m["message"] for m in sim.inbox(user)[-2:])
    assert intro["text"].startswith("最新の防災情報")
    assert "高齢者等避難を発令しました / 大雨警報が出ています" in message["altText"]
    assert "夏祭り" not in message["altText"]
