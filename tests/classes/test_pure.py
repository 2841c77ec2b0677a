"""Pure parts of スマホ教室: seat arithmetic, the LINE message builders within LINE's limits,
names and phone numbers, the roster CSV, the venue list and the reminder time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.classes import LEVELS
from bot.classes.booking import BookingInvalid, clean_name, clean_phone, person_key
from bot.classes.notify import parse_reminder_time, reminder_moment
from bot.classes.roster_csv import roster_csv
from bot.classes.seats import Allocation, SeatCount, allocate, promotions
from bot.classes.venues import load_venues, parse_venues
from bot.models import BookingSource, BookingStatus
from messages import classes as m
from tests.classes.conftest import JST

START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 in Japan, a Thursday


# ---- seats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("capacity", "confirmed", "waitlist_open", "expected"), [
    (20, 0, True, Allocation.CONFIRMED),
    (20, 19, False, Allocation.CONFIRMED),
    (20, 20, True, Allocation.WAITLISTED),
    (20, 20, False, Allocation.FULL),
    (1, 5, True, Allocation.WAITLISTED),  # capacity lowered below the confirmed count: never more
])
def test_allocation(capacity, confirmed, waitlist_open, expected):
    assert allocate(SeatCount(capacity, confirmed), waitlist_open) is expected


def test_seats_left_and_promotions():
    assert SeatCount(20, 18, 5).left == 2 and not SeatCount(20, 18).is_full
    assert SeatCount(20, 25).left == 0 and SeatCount(20, 20).is_full
    assert promotions(SeatCount(20, 18, 5)) == 2  # two seats, five waiting
    assert promotions(SeatCount(20, 18, 1)) == 1
    assert promotions(SeatCount(20, 20, 9)) == 0


def test_sequential_allocation_never_exceeds_capacity():
    confirmed = waiting = 0
    for _ in range(200):
        result = allocate(SeatCount(20, confirmed, waiting), True)
        confirmed += result is Allocation.CONFIRMED
        waiting += result is Allocation.WAITLISTED
    assert (confirmed, waiting) == (20, 180)


# ---- message builders ---------------------------------------------------------------------------


def card(i: int = 1, **changes) -> m.ClassCard:
    values = dict(id=i, title=f"LINEの使い方教室{i}", level="line", level_label=LEVELS["line"], venue="美東総合支所",
                  starts_at=START + timedelta(days=i), ends_at=START + timedelta(days=i, minutes=90), capacity=20,
                  seats_left=5, waitlisted=0, waitlist_open=True, signup="open", description="スマホの基本を練習します。")
    values.update(changes)
    return m.ClassCard(**values)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def walk(node):
    """Every dict in a message's JSON."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def assert_within_line_limits(messages) -> None:
    assert 1 <= len(messages) <= 5
    for message in messages:
        data = message.to_dict()
        size = len(json.dumps(data.get("contents", {}), ensure_ascii=False, separators=(",", ":")).encode())
        if data["type"] == "flex":
            assert 1 <= utf16(data["altText"]) <= 1500
            if data["contents"]["type"] == "carousel":
                assert len(data["contents"]["contents"]) <= 12 and size <= 50 * 1024
            for bubble in [data["contents"]] if data["contents"]["type"] == "bubble" else data["contents"]["contents"]:
                assert len(json.dumps(bubble, ensure_ascii=False, separators=(",", ":")).encode()) <= 30 * 1024
        else:
            assert 1 <= utf16(data["text"]) <= 5000
        for node in walk(data):
            if node.get("type") == "postback":
                assert utf16(node["label"]) <= 20 and utf16(node["data"]) <= 300
                assert utf16(node.get("displayText", "")) <= 300
        quick = (data.get("quickReply") or {}).get("items", [])
        assert len(quick) <= 13


def test_the_class_list_is_a_readable_carousel():
    messages = m.class_list([card(1), card(2, seats_left=0), card(3, seats_left=0, waitlist_open=False)], JST)
    assert_within_line_limits(messages)
    carousel = messages[1].to_dict()
    alt = carousel["altText"]
    assert alt.startswith("スマホ教室のご案内（3件）")
    assert "12月4日（金）10:00〜11:30 LINEの使い方教室1（美東総合支所）残り 5席" in alt
    bubbles = carousel["contents"]["contents"]
    assert bubbles[0]["footer"]["contents"][0]["action"]["label"] == "申し込む"
    assert bubbles[1]["footer"]["contents"][0]["action"]["label"] == "キャンセル待ちで申し込む"
    assert "waitlist=1" in bubbles[1]["footer"]["contents"][0]["action"]["data"]
    assert "footer" not in bubbles[2]  # full, no waitlist: no button
    sizes = {node.get("size") for node in walk(bubbles[0]) if node.get("type") == "text"}
    assert sizes <= {"md", "lg", "xl"}  # nothing small for elderly readers


def test_more_than_twelve_classes_page_on():
    messages = m.class_list([card(i) for i in range(1, 12)], JST, page=1, more=9)
    assert_within_line_limits(messages)
    bubbles = messages[1].to_dict()["contents"]["contents"]
    assert len(bubbles) == 12
    assert bubbles[-1]["footer"]["contents"][0]["action"]["data"] == "action=classes&page=2"
    assert "（20件）" in messages[1].to_dict()["altText"]
    too_many = m.class_list([card(i) for i in range(1, 30)], JST)
    assert len(too_many[1].to_dict()["contents"]["contents"]) == 12


def test_huge_input_still_fits_line():
    title, text = "𠮷" * 300, "長い説明" * 2000  # surrogate pairs and very long fields
    cards = [card(i, title=title, venue=title, description=text, level_label=title) for i in range(1, 12)]
    messages = m.class_list(cards, JST, more=50)
    assert_within_line_limits(messages)
    booking = m.BookingCard(id=1, name="名" * 50, status="waitlisted", position=3, course=cards[0])
    for built in (m.my_bookings([booking] * 15, JST), m.reminder(booking, JST), m.promoted(booking, JST),
                  m.class_cancelled(booking, text, JST), m.class_changed(booking, JST), m.ask_cancel(booking, JST),
                  m.confirm(cards[0], "名" * 50, "090-1234-5678", True, JST), m.offer_waitlist(cards[0]),
                  m.ask_name(cards[0], "名" * 50)):
        assert_within_line_limits(built)


def test_signup_window_wording():
    opens = START - timedelta(days=3)
    assert m.seats_label(card(signup="not_yet", signup_opens_at=opens), JST)[0] == "申し込みは 11月30日（月）10:00 から"
    assert m.seats_label(card(signup="closed"), JST)[0] == "申し込みの受付は終わりました"
    assert m.when_label(card(), JST) == "12月4日（金）10:00〜11:30"


def test_the_booking_promises_a_reminder_only_when_staff_send_them():
    assert "前の日に、LINEでお知らせします" in m.booked(card(), "美祢 花子", None, None, JST)[0].text
    assert "前の日" not in m.booked(card(), "美祢 花子", None, None, JST, reminder=False)[0].text
    waiting = m.booked(card(), "美祢 花子", "090-1234-5678", 3, JST)[0].text
    assert "キャンセル待ちで受け付けました（3番目）" in waiting and "090-1234-5678" in waiting


def test_an_empty_list_and_bookings_say_so():
    assert "ありません" in m.class_list([], JST)[0].text
    assert "ありません" in m.my_bookings([], JST)[0].text


# ---- names and phone numbers --------------------------------------------------------------------


def test_names_are_tidied_and_compared_without_spaces():
    assert clean_name("  美祢\u3000 花子 ") == "美祢 花子"
    assert person_key("美祢 花子") == person_key("美祢花子") == person_key("美祢\u3000花子")
    assert person_key("ＹＡＭＡＤＡ") == person_key("yamada")
    for bad in ("", "   ", "名" * 51):
        with pytest.raises(BookingInvalid):
            clean_name(bad)


@pytest.mark.parametrize(("typed", "kept"), [
    ("09012345678", "090-1234-5678"),
    ("０９０−１２３４−５６７８", "090-1234-5678"),
    ("0837521111", "0837-52-1111"),
    ("0837 52 1111", "0837-52-1111"),
    ("083-222-3333", "083-222-3333"),
    ("0312345678", "0312345678"),
    ("", None),
])
def test_phone_numbers(typed, kept):
    assert clean_phone(typed) == kept


@pytest.mark.parametrize("bad", ["123", "1234567890", "090-1234-567", "090123456789", "電話です"])
def test_bad_phone_numbers(bad):
    with pytest.raises(BookingInvalid):
        clean_phone(bad)


# ---- the roster CSV -----------------------------------------------------------------------------


def person(i, name, source=BookingSource.LINE, **extra):
    values = dict(id=i, participant_name=name, phone=None, source=source, created_at=START - timedelta(days=1),
                  promoted_at=None, attended=None, status=BookingStatus.CONFIRMED)
    values.update(extra)
    return SimpleNamespace(**values)


def test_the_roster_csv_opens_in_excel():
    course = SimpleNamespace(id=7, title="はじめてのスマホ教室", level="beginner", venue_name="本庁", starts_at=START,
                             ends_at=START + timedelta(minutes=90))
    confirmed = [person(1, "美祢 花子", attended=True), person(2, "=HYPERLINK(\"x\")", BookingSource.PHONE,
                                                           phone="0837-52-1111")]
    waiting = [person(3, "秋芳 一郎", status=BookingStatus.WAITLISTED)]
    data = roster_csv(course, confirmed, waiting, JST)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    assert lines[0].startswith("教室番号,教室名,内容,開催日,時間,会場,区分,順番,お名前,電話番号")
    assert lines[1] == ("7,はじめてのスマホ教室,はじめてのスマホ,2026/12/03（木）,10:00〜11:30,本庁,参加決定,1,"
                        "美祢 花子,,LINE,2026/12/02 10:00,,出席")
    assert ',"\'=HYPERLINK(""x"")",0837-52-1111,電話,' in lines[2]  # never a formula in Excel
    assert ",キャンセル待ち,1,秋芳 一郎," in lines[3]


# ---- venues and reminder time -------------------------------------------------------------------


def test_the_venue_list_is_sample_data_until_checked():
    venues = load_venues()
    assert venues.sample and venues.verified_on is None
    assert [v.name for v in venues.venues][:3] == ["本庁", "美東総合支所", "秋芳総合支所"]
    assert venues.find("美東総合支所").key == "mito-shisho" and venues.find("honcho").name == "本庁"
    assert venues.find("どこか") is None
    for venue in venues.venues:  # names only: no address or phone number stated as fact
        assert not any(ch.isdigit() for ch in venue.name + venue.note)
    checked = parse_venues({"sample": False, "verified_on": "2027-01-05", "venues": [{"key": "a", "name": "A"}]})
    assert not checked.sample and checked.verified_on.isoformat() == "2027-01-05"
    with pytest.raises(ValueError):
        parse_venues({"venues": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]})


def test_the_reminder_goes_the_day_before_at_the_chosen_time():
    assert reminder_moment(START, parse_reminder_time("9:05"), JST) == datetime(2026, 12, 2, 9, 5, tzinfo=JST)
    late_evening = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)  # 23:30 in Japan: still the 3rd there
    assert reminder_moment(late_evening, parse_reminder_time("18:00"), JST) == datetime(2026, 12, 2, 18, 0, tzinfo=JST)
    for bad in ("25:00", "10", "朝", ""):
        with pytest.raises(ValueError):
            parse_reminder_time(bad)
