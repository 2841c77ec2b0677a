"""Residents sign up for スマホ教室 in LINE, end to end: the real SDK, the emulator over HTTP,
the bot on a real port and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db import utcnow
from bot.models import BookingStatus, ClassBooking, ConversationState
from tests.classes.conftest import sign_up


def bookings(db_session, class_id: int) -> list[ClassBooking]:
    db_session.rollback()  # a fresh snapshot
    return list(db_session.scalars(select(ClassBooking).where(ClassBooking.class_id == class_id)
                                   .order_by(ClassBooking.id)))


def follow(sim, name: str = "美祢 花子") -> str:
    user = sim.new_user(name)
    sim.follow(user)
    sim.tap(user, "あとで")  # leave the area question for later
    return user


def carousel(sim, user: str) -> dict:
    message = sim.inbox(user)[-1]["message"]
    assert message["type"] == "flex" and message["contents"]["type"] == "carousel"
    return message


def test_the_list_shows_upcoming_classes_with_seats_left(bot_server, sim, make_class):
    make_class("LINEの使い方教室", days=3, capacity=10)
    make_class("はじめてのスマホ教室", days=10, capacity=5, level="beginner", venue="本庁")
    user = follow(sim)
    assert sim.text(user, "スマホ教室") == 200
    message = carousel(sim, user)
    bubbles = message["contents"]["contents"]
    assert len(bubbles) == 2
    assert "LINEの使い方教室" in message["altText"] and "残り 10席" in message["altText"]
    assert message["altText"].index("LINEの使い方教室") < message["altText"].index("はじめてのスマホ教室")
    footer = bubbles[0]["footer"]["contents"][0]["action"]
    assert footer["label"] == "申し込む" and footer["data"].startswith("action=classes.apply")
    assert "申し込む" in sim.texts(user)[-2]

    assert sim.postback(user, "action=classes") == 200  # the rich-menu tile
    assert carousel(sim, user)["altText"] == message["altText"]


def test_no_classes_says_so_politely(bot_server, sim):
    user = follow(sim)
    sim.text(user, "スマホ教室")
    assert "受け付けているスマホ教室はありません" in sim.texts(user)[-1]


def test_sign_up_with_the_line_name_and_no_phone(bot_server, sim, make_class, db_session):
    class_id = make_class(capacity=10)
    user = follow(sim, "美祢 花子")
    assert sim.postback(user, f"action=classes.apply&id={class_id}") == 200
    assert "「美祢 花子」さんでよろしいですか" in sim.texts(user)[-1]
    assert [a["label"] for a in sim.last_quick_replies(user)] == ["このお名前で申し込む", "名前を変える", "やめる"]
    assert bookings(db_session, class_id) == []  # nothing held while asking
    sim.tap(user, "このお名前で申し込む")
    assert "電話番号を送ってください" in sim.texts(user)[-1]
    sim.tap(user, "電話番号なしで進む")
    confirm = sim.texts(user)[-1]
    assert "この内容で申し込みますか" in confirm and "美祢 花子 さん" in confirm and "電話番号：なし" in confirm
    assert [a["label"] for a in sim.last_quick_replies(user)] == ["申し込む", "やめる"]
    assert bookings(db_session, class_id) == []  # still nothing held before the last tap
    sim.tap(user, "申し込む")
    done = sim.texts(user)[-1]
    assert "参加が決まりました" in done and "LINEの使い方教室" in done and "美東総合支所" in done
    [booking] = bookings(db_session, class_id)
    assert (booking.participant_name, booking.status, booking.source, booking.line_user_id) == (
        "美祢 花子", BookingStatus.CONFIRMED, "line", user)
    assert db_session.get(ConversationState, user) is None


def test_a_family_member_signs_up_someone_else_with_a_phone_number(bot_server, sim, make_class, db_session):
    class_id = make_class()
    user = follow(sim, "美祢 次郎")
    sign_up(sim, user, class_id)  # himself
    sim.tap(user, "申し込む")
    sign_up(sim, user, class_id, name="美祢　ハル", phone="０８３７５２１１１１")  # his mother, full-width digits
    assert "0837-52-1111" in sim.texts(user)[-1]
    sim.tap(user, "申し込む")
    names = [(b.participant_name, b.phone) for b in bookings(db_session, class_id)]
    assert names == [("美祢 次郎", None), ("美祢 ハル", "0837-52-1111")]


def test_the_same_person_cannot_book_twice(bot_server, sim, make_class, db_session):
    class_id = make_class()
    user = follow(sim, "秋芳 一郎")
    sign_up(sim, user, class_id)
    sim.tap(user, "申し込む")
    sign_up(sim, user, class_id, name="秋芳一郎")  # the same name, spaced differently
    sim.tap(user, "申し込む")
    assert "もう申し込んでいます" in sim.texts(user)[-1]
    assert len(bookings(db_session, class_id)) == 1
    assert sim.postback(user, f"action=classes.book&id={class_id}") == 200  # an old button tapped again
    assert "もう終わっています" in sim.texts(user)[-1]
    assert len(bookings(db_session, class_id)) == 1


def test_a_wrong_phone_number_is_asked_again(bot_server, sim, make_class):
    class_id = make_class()
    user = follow(sim)
    sim.postback(user, f"action=classes.apply&id={class_id}")
    sim.tap(user, "このお名前で申し込む")
    sim.text(user, "123")
    assert "10けたか11けた" in sim.texts(user)[-1]
    sim.text(user, "090-1234-5678")
    assert "電話番号：090-1234-5678" in sim.texts(user)[-1]


def test_yameru_at_every_step_leaves_no_booking(bot_server, sim, make_class, db_session):
    class_id = make_class()
    user = follow(sim)
    steps = [
        [],
        ["このお名前で申し込む"],
        ["名前を変える"],
        ["このお名前で申し込む", "電話番号なしで進む"],
    ]
    for taps in steps:
        sim.postback(user, f"action=classes.apply&id={class_id}")
        for label in taps:
            sim.tap(user, label)
        sim.tap(user, "やめる")
        assert "申し込みをやめました" in sim.texts(user)[-1]
        db_session.rollback()
        assert db_session.get(ConversationState, user) is None
    sim.postback(user, f"action=classes.apply&id={class_id}")
    sim.text(user, "やめる")  # typed works too
    assert "申し込みをやめました" in sim.texts(user)[-1]
    assert bookings(db_session, class_id) == []


def test_an_abandoned_sign_up_times_out_without_a_booking(bot_server, sim, make_class, db_session, database):
    class_id = make_class()
    user = follow(sim)
    sign_up(sim, user, class_id)
    with database.transaction() as session:  # half an hour and more goes by
        session.get(ConversationState, user).expires_at = utcnow() - timedelta(seconds=1)
    sim.tap(user, "申し込む")
    assert "時間がたったか" in sim.texts(user)[-1]
    assert bookings(db_session, class_id) == []


def test_a_full_class_offers_the_waitlist(bot_server, sim, make_class, db_session):
    class_id = make_class(capacity=1)
    first, second = follow(sim, "一番 さん"), follow(sim, "二番 さん")
    sign_up(sim, first, class_id)
    sim.tap(first, "申し込む")
    sim.text(second, "スマホ教室")
    card = carousel(sim, second)["contents"]["contents"][0]
    assert "満席" in str(card) and card["footer"]["contents"][0]["action"]["label"] == "キャンセル待ちで申し込む"
    sim.postback(second, f"action=classes.apply&id={class_id}")  # a 「申し込む」 from before it filled up
    assert "満席です" in sim.texts(second)[-1]
    sim.tap(second, "キャンセル待ちで申し込む")
    sim.tap(second, "このお名前で申し込む")
    sim.tap(second, "電話番号なしで進む")
    assert "キャンセル待ちでの申し込みになります" in sim.texts(second)[-1]
    sim.tap(second, "キャンセル待ちで申し込む")
    assert "キャンセル待ちで受け付けました（1番目）" in sim.texts(second)[-1]
    assert [b.status for b in bookings(db_session, class_id)] == [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]


def test_a_full_class_without_waitlist_takes_nobody_more(bot_server, sim, make_class, db_session):
    class_id = make_class(capacity=1, waitlist_open=False)
    first, second = follow(sim), follow(sim)
    sign_up(sim, first, class_id)
    sign_up(sim, second, class_id)  # both at the confirm step; one seat
    sim.tap(first, "申し込む")
    sim.tap(second, "申し込む")
    assert "満席になりました" in sim.texts(second)[-1]
    assert len(bookings(db_session, class_id)) == 1


def test_my_bookings_lists_them_and_cancels_one(bot_server, sim, make_class, db_session):
    class_id = make_class("防災アプリ教室", level="bousai")
    user = follow(sim, "美東 太郎")
    sim.text(user, "予約の確認")
    assert "お申し込み中のスマホ教室はありません" in sim.texts(user)[-1]
    sign_up(sim, user, class_id)
    sim.tap(user, "申し込む")
    sim.tap(user, "予約の確認")
    message = carousel(sim, user)
    assert "防災アプリ教室" in message["altText"] and "参加決定" in message["altText"]
    cancel = message["contents"]["contents"][0]["footer"]["contents"][0]["action"]
    assert cancel["label"] == "この予約をキャンセル"
    sim.postback(user, cancel["data"])
    assert "キャンセルしますか" in sim.texts(user)[-1]
    sim.tap(user, "キャンセルしない")
    assert bookings(db_session, class_id)[0].status is BookingStatus.CONFIRMED
    sim.postback(user, cancel["data"])
    sim.tap(user, "キャンセルする")
    assert "キャンセルしました" in sim.texts(user)[-1]
    assert bookings(db_session, class_id)[0].status is BookingStatus.CANCELLED
    sim.postback(user, cancel["data"].replace("classes.cancel", "classes.cancel_ok"))  # tapped again
    assert "見つかりませんでした" in sim.texts(user)[-1]


def test_nobody_cancels_someone_elses_booking(bot_server, sim, make_class, db_session):
    class_id = make_class()
    owner, other = follow(sim), follow(sim)
    sign_up(sim, owner, class_id)
    sim.tap(owner, "申し込む")
    booking_id = bookings(db_session, class_id)[0].id
    sim.postback(other, f"action=classes.cancel_ok&booking={booking_id}")
    assert "見つかりませんでした" in sim.texts(other)[-1]
    assert bookings(db_session, class_id)[0].status is BookingStatus.CONFIRMED


def test_typing_a_command_during_sign_up_puts_it_aside_and_it_resumes(bot_server, sim, make_class, db_session):
    class_id = make_class()
    user = follow(sim)
    sim.postback(user, f"action=classes.apply&id={class_id}")
    sim.tap(user, "名前を変える")
    sim.text(user, "予約の確認")  # not a name: the command answers
    texts = sim.texts(user)
    assert "スマホ教室の申し込みは、いったん中断しました" in texts[-2]
    assert "お申し込み中のスマホ教室はありません" in texts[-1]
    assert sim.last_quick_replies(user)[0]["label"] == "続きから"
    sim.tap(user, "続きから")
    assert "参加する方のお名前を送ってください" in sim.texts(user)[-1]
    sim.text(user, "美祢 ハル")
    assert "「美祢 ハル」さんでよろしいですか" in sim.texts(user)[-1]
    sim.tap(user, "いいえ")
    assert "お名前を送ってください" in sim.texts(user)[-1]
    sim.text(user, "美祢 ハナ")
    sim.tap(user, "はい")
    sim.tap(user, "電話番号なしで進む")
    sim.tap(user, "申し込む")
    assert [b.participant_name for b in bookings(db_session, class_id)] == ["美祢 ハナ"]


def test_giving_up_at_the_name_step_never_becomes_a_name(bot_server, sim, make_class, db_session):
    class_id = make_class()
    user = follow(sim)
    sim.postback(user, f"action=classes.apply&id={class_id}")
    sim.tap(user, "名前を変える")
    sim.text(user, "もうええわ")
    assert "申し込みをやめました" in sim.texts(user)[-1]
    db_session.rollback()
    assert db_session.get(ConversationState, user) is None
    sim.postback(user, f"action=classes.apply&id={class_id}")
    sim.text(user, "もうええわ")  # at the offered LINE name too
    assert "申し込みをやめました" in sim.texts(user)[-1]
    assert bookings(db_session, class_id) == []
