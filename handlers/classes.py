"""スマホ教室 in LINE: the list of classes, signing up (for oneself or a family member), and
one's bookings with 「キャンセル」.

Signing up is a flow: NAME_CHOICE (the LINE name offered) or NAME (typed, then offered back
for confirmation: 「〇〇さんでよろしいですか」) → PHONE (optional) → CONFIRM. Nothing is held until
「申し込む」 on the confirm step, so 「やめる」 (or 「もうええわ」) or a timeout leaves no half booking;
a command word typed on the way (「予約の確認」) puts the sign-up aside (「続きから」). One LINE user may book several different people on one class, each
once (one booking per class, LINE user and participant name).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from linebot.v3.messaging import Message

from bot.line import conversation
from bot.classes import booking as bookings
from bot.classes.booking import BookingInvalid, BookResult
from bot.classes.cards import booking_card_of, card_of
from bot.classes.notify import reminder_settings
from bot.classes.schedule import SignupState, listed_classes, local_zone, seat_count, signup_state
from bot.models import BookingStatus, ClassBooking, ClassStatus, SmartphoneClass
from bot.line.router import Context, Flow
from messages import classes as class_messages
from messages.classes import BookingCard, ClassCard
from messages.vocabulary import NO_PHONE_WORDS, NO_WORDS, YES_WORDS

SIGNUP_FLOW = "classes.signup"
PER_PAGE = 11  # 11 classes and a 「次の教室を見る」 bubble fit LINE's 12


class SignupStep(StrEnum):
    NAME_CHOICE = "name_choice"  # the LINE name is offered: tap, or type another name
    NAME = "name"  # waiting for a typed name
    PHONE = "phone"
    CONFIRM = "confirm"


def _tz(ctx: Context):
    return local_zone(ctx.settings.timezone)


def _int_arg(ctx: Context, name: str) -> int | None:
    raw = ctx.postback.args.get(name, "") if ctx.postback else ""
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _card(ctx: Context, course: SmartphoneClass) -> ClassCard:
    return card_of(course, seat_count(ctx.session, course), ctx.now)


def _enter(ctx: Context, step: SignupStep, data: dict[str, Any] | None = None) -> None:
    assert ctx.user_id
    conversation.enter_step(ctx.session, ctx.user_id, SIGNUP_FLOW, step, ctx.now,
                            ctx.settings.conversation_timeout_min, data)


def _signup(ctx: Context) -> tuple[dict[str, Any], SmartphoneClass] | None:
    """The sign-up in progress and its class, or None when there is none (done, timed out)."""
    state = ctx.conversation
    if state is None or state.flow != SIGNUP_FLOW:
        return None
    course = ctx.session.get(SmartphoneClass, int(state.data.get("class_id", 0)))
    return (dict(state.data), course) if course is not None else None


# ---- the list ---------------------------------------------------------------------------------


def list_classes(ctx: Context) -> list[Message]:
    """「スマホ教室」: the classes to come, soonest first, with the seats left."""
    page = _int_arg(ctx, "page") or 1
    listed, more = listed_classes(ctx.session, ctx.now, page, PER_PAGE)
    cards = [card_of(course, seats, ctx.now) for course, seats in listed]
    return class_messages.class_list(cards, _tz(ctx), page=page, more=more)


# ---- signing up -------------------------------------------------------------------------------


def apply(ctx: Context) -> list[Message]:
    """「申し込む」 on a class: offers the waitlist when it is full, then asks who takes part."""
    class_id = _int_arg(ctx, "id")
    course = ctx.session.get(SmartphoneClass, class_id) if class_id else None
    if course is None or signup_state(course, ctx.now) is not SignupState.OPEN:
        return class_messages.class_closed()
    card = _card(ctx, course)
    if card.full and not course.waitlist_open:
        return class_messages.class_full(card)
    if card.full and ctx.postback and ctx.postback.args.get("waitlist") != "1":
        return class_messages.offer_waitlist(card)
    display_name = (ctx.friend.display_name or "").strip() if ctx.friend else ""
    step = SignupStep.NAME_CHOICE if display_name else SignupStep.NAME
    _enter(ctx, step, {"class_id": course.id, "offered_name": display_name[:50]})
    return class_messages.ask_name(card, display_name[:50] or None)


def name_ok(ctx: Context) -> list[Message]:
    """「このお名前で申し込む」: the LINE name is the participant's."""
    signup = _signup(ctx)
    if signup is None or not signup[0].get("offered_name"):
        return class_messages.signup_expired()
    return _name_given(ctx, signup[0], signup[0]["offered_name"])


def name_change(ctx: Context) -> list[Message]:
    """「名前を変える」: someone else (a family member) takes part; asks for their name."""
    signup = _signup(ctx)
    if signup is None:
        return class_messages.signup_expired()
    _enter(ctx, SignupStep.NAME)
    return class_messages.ask_name_again()


def name_choice_typed(ctx: Context) -> list[Message]:
    """Text while a name is offered: 「はい」 takes it, 「いいえ」 asks for the name, anything else
    is another name, offered back for confirmation."""
    signup = _signup(ctx)
    if signup is None:
        return class_messages.signup_expired()
    data = signup[0]
    if ctx.text in YES_WORDS and data.get("offered_name"):
        return _name_given(ctx, data, data["offered_name"])
    if ctx.text in NO_WORDS:
        return name_change(ctx)
    return _offer_typed_name(ctx, data)


def name_typed(ctx: Context) -> list[Message]:
    """The participant's name, typed: offered back for confirmation, never used as it comes."""
    signup = _signup(ctx)
    if signup is None:
        return class_messages.signup_expired()
    if ctx.text in YES_WORDS or ctx.text in NO_WORDS:
        return class_messages.ask_name_again()
    return _offer_typed_name(ctx, signup[0])


def _offer_typed_name(ctx: Context, data: dict[str, Any]) -> list[Message]:
    try:
        name = bookings.clean_name(ctx.text or "")
    except BookingInvalid:
        _enter(ctx, SignupStep.NAME)
        return class_messages.ask_name_again()
    _enter(ctx, SignupStep.NAME_CHOICE, {**data, "offered_name": name, "typed_name": True})
    return class_messages.confirm_typed_name(name)


def _name_given(ctx: Context, data: dict[str, Any], raw_name: str) -> list[Message]:
    try:
        name = bookings.clean_name(raw_name)
    except BookingInvalid:
        _enter(ctx, SignupStep.NAME)
        return class_messages.ask_name_again()
    _enter(ctx, SignupStep.PHONE, {**data, "name": name})
    return class_messages.ask_phone(name)


def no_phone(ctx: Context) -> list[Message]:
    """「電話番号なしで進む」."""
    signup = _signup(ctx)
    if signup is None or "name" not in signup[0]:
        return class_messages.signup_expired()
    return _phone_given(ctx, *signup, phone=None)


def phone_typed(ctx: Context) -> list[Message]:
    """A phone number typed (or 「なし」)."""
    signup = _signup(ctx)
    if signup is None or "name" not in signup[0]:
        return class_messages.signup_expired()
    if ctx.text in NO_PHONE_WORDS:
        return _phone_given(ctx, *signup, phone=None)
    try:
        phone = bookings.clean_phone(ctx.text)
    except BookingInvalid:
        phone = None
    if phone is None:
        return class_messages.ask_phone(signup[0]["name"], again=True)
    return _phone_given(ctx, *signup, phone=phone)


def _phone_given(ctx: Context, data: dict[str, Any], course: SmartphoneClass, phone: str | None) -> list[Message]:
    card = _card(ctx, course)
    _enter(ctx, SignupStep.CONFIRM, {**data, "phone": phone})
    return class_messages.confirm(card, data["name"], phone, card.full, _tz(ctx))


def confirm_typed(ctx: Context) -> list[Message]:
    """Text on the confirm step: 「はい」 books, anything else shows the buttons again."""
    signup = _signup(ctx)
    if signup is None:
        return class_messages.signup_expired()
    if ctx.text in YES_WORDS:
        return _book(ctx, *signup)
    card = _card(ctx, signup[1])
    return class_messages.confirm_again(card, card.full)


def book(ctx: Context) -> list[Message]:
    """「申し込む」 on the confirm step: takes a seat, or a place on the waitlist."""
    signup = _signup(ctx)
    if signup is None or signup[1].id != _int_arg(ctx, "id") or "name" not in signup[0]:
        return class_messages.signup_expired()
    return _book(ctx, *signup)


def _book(ctx: Context, data: dict[str, Any], course: SmartphoneClass) -> list[Message]:
    assert ctx.user_id
    if "name" not in data:
        return class_messages.signup_expired()
    outcome = bookings.book_seat(ctx.session, course.id, data["name"], now=ctx.now, line_user_id=ctx.user_id,
                                 phone=data.get("phone"))
    conversation.leave_flow(ctx.session, ctx.user_id)
    card = _card(ctx, course)
    if outcome.result is BookResult.CLOSED:
        return class_messages.class_closed()
    if outcome.result is BookResult.FULL:
        return class_messages.class_full(card)
    if outcome.result is BookResult.ALREADY:
        return class_messages.already_booked(data["name"])
    position = outcome.position if outcome.result is BookResult.WAITLISTED else None
    reminder = reminder_settings(ctx.session).reminders_enabled
    return class_messages.booked(card, data["name"], data.get("phone"), position, _tz(ctx), reminder=reminder)


def stop(ctx: Context) -> list[Message]:
    """「やめる」 during sign-up: nothing was booked."""
    assert ctx.user_id
    conversation.leave_flow(ctx.session, ctx.user_id)
    return class_messages.signup_stopped()


def resume(ctx: Context) -> list[Message]:
    """「続きから」: the question of the step the resident left."""
    signup = _signup(ctx)
    if signup is None or ctx.conversation is None:
        return class_messages.signup_expired()
    data, course = signup
    step, card = ctx.conversation.step, _card(ctx, course)
    if step == SignupStep.NAME_CHOICE and data.get("typed_name"):
        return class_messages.confirm_typed_name(data["offered_name"])
    if step == SignupStep.NAME_CHOICE:
        return class_messages.ask_name(card, data.get("offered_name") or None)
    if step == SignupStep.PHONE and "name" in data:
        return class_messages.ask_phone(data["name"])
    if step == SignupStep.CONFIRM and "name" in data:
        return class_messages.confirm(card, data["name"], data.get("phone"), card.full, _tz(ctx))
    return class_messages.ask_name_again()


# ---- one's bookings ---------------------------------------------------------------------------


def _booking_card(ctx: Context, booking: ClassBooking, course: SmartphoneClass) -> BookingCard:
    return booking_card_of(booking, course, ctx.now, bookings.waitlist_position(ctx.session, booking))


def my_bookings(ctx: Context) -> list[Message]:
    """「予約の確認」: the resident's bookings (theirs and their family's), each with 「キャンセル」."""
    assert ctx.user_id
    found = bookings.bookings_of(ctx.session, ctx.user_id, ctx.now)
    return class_messages.my_bookings([_booking_card(ctx, b, c) for b, c in found], _tz(ctx))


def _own_booking(ctx: Context) -> tuple[ClassBooking, SmartphoneClass] | None:
    booking_id = _int_arg(ctx, "booking")
    booking = ctx.session.get(ClassBooking, booking_id) if booking_id else None
    if booking is None or booking.line_user_id != ctx.user_id or booking.status is BookingStatus.CANCELLED:
        return None
    course = ctx.session.get(SmartphoneClass, booking.class_id)
    if course is None or course.status is ClassStatus.CANCELLED or course.starts_at <= ctx.now:
        return None
    return booking, course


def ask_cancel(ctx: Context) -> list[Message]:
    """「キャンセル」 on a booking: asks once more before cancelling."""
    own = _own_booking(ctx)
    if own is None:
        return class_messages.booking_not_found()
    return class_messages.ask_cancel(_booking_card(ctx, *own), _tz(ctx))


def cancel(ctx: Context) -> list[Message]:
    """「キャンセルする」: cancels the booking; the first on the waitlist moves up and is told."""
    own = _own_booking(ctx)
    if own is None:
        return class_messages.booking_not_found()
    card = _booking_card(ctx, *own)
    bookings.cancel_booking(ctx.session, own[0].id, actor=bookings.LINE_ACTOR, now=ctx.now, tz=_tz(ctx),
                            line_user_id=ctx.user_id)
    return class_messages.booking_cancelled(card, _tz(ctx))


def keep(ctx: Context) -> list[Message]:
    """「キャンセルしない」."""
    return class_messages.booking_kept()


SIGNUP = Flow(
    name=SIGNUP_FLOW,
    steps={
        SignupStep.NAME_CHOICE: name_choice_typed,
        SignupStep.NAME: name_typed,
        SignupStep.PHONE: phone_typed,
        SignupStep.CONFIRM: confirm_typed,
    },
    cancel=stop,
    resume=resume,
)
