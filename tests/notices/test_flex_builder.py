"""The notice builders stay inside LINE's limits whatever staff type (pure unit tests; LINE's
limits are checked with the emulator's own validator)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.notices.reading import NoticeContent
from emulator.message_validation import check_messages
from messages.notices import (
    ALT_TEXT_MAX, BUBBLE_MAX_BYTES, CAROUSEL_MAX_BYTES, cut, json_bytes, latest_notices, notice_messages, split_text,
    utf16_length,
)

JST = ZoneInfo("Asia/Tokyo")
PUBLISHED = datetime(2026, 11, 26, 5, 5, tzinfo=UTC)


def content(body: str = "本文", title: str = "大雨による避難指示", kind: str = "evacuation", **extra) -> NoticeContent:
    labels = {"evacuation": "避難情報", "weather": "気象・災害", "event": "イベント", "info": "お知らせ"}
    return NoticeContent(id=7, kind=kind, kind_label=labels[kind], title=title, body=body,
                         published_at=PUBLISHED, **extra)


def within_line_limits(messages) -> None:
    payload = [m.to_dict() for m in messages]
    assert check_messages(payload) == []
    assert 1 <= len(messages) <= 5
    for message in messages:
        if message.type == "flex":
            assert utf16_length(message.alt_text) <= ALT_TEXT_MAX
            limit = BUBBLE_MAX_BYTES if message.contents.type == "bubble" else CAROUSEL_MAX_BYTES
            assert json_bytes(message.contents) <= limit
        else:
            assert utf16_length(message.text) <= 5000


def test_a_short_notice_is_one_large_bubble_with_the_kind_in_a_coloured_header():
    [message] = notice_messages(content(link_url="https://www.city.mine.lg.jp/", image_url="https://x.jp/a.png",
                                        area_labels=("美東",)), JST)
    data = message.to_dict()
    bubble = data["contents"]
    assert bubble["size"] == "giga"
    assert bubble["header"]["backgroundColor"] == "#B71C1C"
    assert "避難情報" in bubble["header"]["contents"][0]["text"]
    body_texts = [c.get("text") for c in bubble["body"]["contents"]]
    assert "大雨による避難指示" in body_texts and "本文" in body_texts
    assert bubble["body"]["contents"][0]["size"] == "xl" and bubble["body"]["contents"][2]["size"] == "lg"
    assert bubble["footer"]["contents"][0]["action"]["uri"] == "https://www.city.mine.lg.jp/"
    assert bubble["hero"]["url"] == "https://x.jp/a.png"
    assert data["altText"].startswith("【避難情報】大雨による避難指示\n本文")
    assert "11月26日（木）14:05" in str(bubble)
    within_line_limits([message])


@pytest.mark.parametrize("kind,colour", [("weather", "#BF360C"), ("event", "#1B5E20"), ("info", "#0D47A1")])
def test_each_kind_has_its_colour(kind, colour):
    [message] = notice_messages(content(kind=kind), JST)
    assert message.contents.header.background_color == colour


@pytest.mark.parametrize("body", [
    "あ" * 1001,
    "長い本文です。\n" * 3000,
    "😀" * 9000,  # outside the BMP: two UTF-16 units each
    "a" * 60_000,
    "&<>\"'\\" * 5000,
])
def test_very_long_bodies_are_cut_to_fit_and_continue_as_text(body):
    messages = notice_messages(content(body=body), JST)
    within_line_limits(messages)
    assert messages[0].type == "flex" and messages[1].type == "text"
    continued = "".join(m.text for m in messages[1:])
    assert continued.replace("\n", "")[:500] == body.replace("\n", "")[:500]


def test_a_body_that_fits_in_text_messages_arrives_whole():
    body = "".join(f"{i}行目の説明です。\n" for i in range(900))
    messages = notice_messages(content(body=body.strip()), JST)
    assert "".join(m.text for m in messages[1:]).replace("\n", "") == body.replace("\n", "")


def test_a_withdrawn_notice_shows_the_correction():
    [message] = notice_messages(content(withdrawn=True, withdrawal_reason="対象地区が誤っていました"), JST)
    assert message.alt_text.startswith("【取消・避難情報】")
    assert message.contents.header.background_color == "#616161"
    texts = [c.text for c in message.contents.body.contents if c.type == "text"]
    assert texts[0] == "このお知らせは取り消されました。" and "対象地区が誤っていました" in texts[1]


def test_the_carousel_holds_at_most_twelve_cards_within_50_kb():
    many = [content(body="説明" * 3000, title="題名" * 50) for _ in range(15)]
    intro, carousel = latest_notices(many, "美東", JST)
    assert "美東地域" in intro.text
    assert 1 <= len(carousel.contents.contents) <= 12
    within_line_limits([intro, carousel])
    card = carousel.contents.contents[0].to_dict()
    assert card["footer"]["contents"][0]["action"]["data"] == "action=notices.show&id=7"


@settings(max_examples=60, deadline=None)
@given(title=st.text(min_size=1, max_size=100), body=st.text(min_size=1, max_size=12_000),
       link=st.sampled_from([None, "https://example.jp/" + "x" * 900]))
def test_any_title_and_body_stay_within_line_limits(title, body, link):
    within_line_limits(notice_messages(content(title=title, body=body, link_url=link), JST))


@given(st.text(max_size=300), st.integers(min_value=2, max_value=200))
def test_cut_never_exceeds_the_limit_or_splits_a_surrogate_pair(value, limit):
    shortened = cut(value, limit)
    assert utf16_length(shortened) <= limit
    shortened.encode("utf-8")  # a lone surrogate would raise


@pytest.mark.parametrize("value", [" " * 12_000, "\n" * 12_000, "😀" * 6000, "x\n" * 6000])
def test_split_text_handles_whitespace_and_surrogates(value):
    pieces = split_text(value)
    assert all(0 < utf16_length(p) <= 5000 and p.strip("\n") for p in pieces)
    assert "".join(pieces).replace("\n", "") == value.replace("\n", "")


@given(st.text(max_size=2000), st.integers(min_value=10, max_value=500))
def test_split_text_keeps_every_character_and_the_limit(value, limit):
    pieces = split_text(value, limit)
    assert all(utf16_length(p) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == value.replace("\n", "")  # only line ends are dropped
