"""Booking a seat, cancelling, moving people up from the waitlist, and the roster.

A class never takes more people than its capacity, whatever the concurrency: every change to a
class's bookings first locks the class row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: writing
transactions begin IMMEDIATE, so writers are serialised), then counts the confirmed bookings.
A partial unique index keeps one active booking per (class, contact, participant name).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.classes import notify
from bot.classes.schedule import SignupState, lock_class, seat_count, signup_state
from bot.classes.seats import Allocation, allocate, promotions
from bot.models import BookingSource, BookingStatus, ClassBooking, ClassStatus, NotificationKind, SmartphoneClass

NAME_MAX = 50
LINE_ACTOR = "line"


class BookResult(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    FULL = "full"  # full and no waitlist: nothing booked
    ALREADY = "already"  # this person already has a booking on this class
    CLOSED = "closed"  # cancelled, started, or outside the sign-up window


@dataclass(frozen=True)
class BookingOutcome:
    result: BookResult
    booking: ClassBooking | None = None
    position: int | None = None  # place on the waitlist


class BookingInvalid(ValueError):
    """A name or phone number that cannot be used; the message is for the person typing it."""


# ---- names and phone numbers ------------------------------------------------------------------


def clean_name(raw: str) -> str:
    """The participant's name as typed, with spaces tidied; BookingInvalid when empty or too long."""
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not name:
        raise BookingInvalid("お名前を入力してください。")
    if len(name) > NAME_MAX:
        raise BookingInvalid(f"お名前は{NAME_MAX}文字までにしてください。")
    return name


def person_key(name: str) -> str:
    """What makes two spellings of one name the same person: NFKC, no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def clean_phone(raw: str | None) -> str | None:
    """A Japanese phone number tidied for the roster (None when not given); BookingInvalid when
    it is not 10 or 11 digits starting with 0. Digits alone get the usual hyphens for mobile
    numbers and Mine's 0837 area code, so Excel keeps the leading zero."""
    value = unicodedata.normalize("NFKC", raw or "").strip()
    if not value:
        return None
    value = re.sub(r"[\s()（）‐−ー―]+", "-", value).strip("-")
    digits = re.sub(r"-", "", value)
    if not digits.isdigit() or not digits.startswith("0") or len(digits) != _phone_length(digits):
        raise BookingInvalid("電話番号は、0から始まる10けたか11けたの数字で入力してください。")
    if "-" in value:
        return re.sub(r"-+", "-", value)
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if digits.startswith("0837"):
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return digits


def _phone_length(digits: str) -> int:
    """Mobile, IP and 0800 numbers have 11 digits; fixed lines and 0120 have 10."""
    return 11 if digits[:3] in ("050", "060", "070", "080", "090") or digits.startswith("0800") else 10


def _contact_key(source: BookingSource, line_user_id: str | None, phone: str | None) -> str:
    if source is BookingSource.LINE:
        assert line_user_id
        return line_user_id
    return "tel:" + re.sub(r"\D", "", phone or "")


# ---- booking ----------------------------------------------------------------------------------


def active_booking(session: Session, class_id: int, contact_key: str, participant_key: str) -> ClassBooking | None:
    return session.scalar(select(ClassBooking).where(
        ClassBooking.class_id == class_id, ClassBooking.contact_key == contact_key,
        ClassBooking.participant_key == participant_key, ClassBooking.status != BookingStatus.CANCELLED,
    ))


def waitlist_position(session: Session, booking: ClassBooking) -> int | None:
    if booking.status is not BookingStatus.WAITLISTED:
        return None
    return waitlist(session, booking.class_id).index(booking) + 1


def book_seat(
    session: Session, class_id: int, name: str, *, now: datetime, source: BookingSource = BookingSource.LINE,
    line_user_id: str | None = None, phone: str | None = None, actor: str = LINE_ACTOR, by_staff: bool = False,
) -> BookingOutcome:
    """Book one person on a class: a seat while there is one, else the waitlist when it is open.

    Staff (`by_staff`) may add people outside the sign-up window, but never beyond capacity."""
    course = lock_class(session, class_id)
    if course is None:
        return BookingOutcome(BookResult.CLOSED)
    state = signup_state(course, now)
    if state is not SignupState.OPEN and not (by_staff and state is not SignupState.CANCELLED
                                              and course.starts_at > now):
        return BookingOutcome(BookResult.CLOSED)
    name = clean_name(name)
    contact = _contact_key(source, line_user_id, phone)
    existing = active_booking(session, class_id, contact, person_key(name))
    if existing is not None:
        return BookingOutcome(BookResult.ALREADY, existing, waitlist_position(session, existing))
    seats = seat_count(session, course)
    allocation = allocate(seats, course.waitlist_open)
    if allocation is Allocation.FULL:
        return BookingOutcome(BookResult.FULL)
    confirmed = allocation is Allocation.CONFIRMED
    booking = ClassBooking(
        class_id=class_id, source=source, line_user_id=line_user_id, contact_key=contact,
        participant_name=name, participant_key=person_key(name), phone=phone,
        status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITLISTED,
        created_at=now, confirmed_at=now if confirmed else None, created_by=actor,
    )
    session.add(booking)
    session.flush()
    if confirmed:
        return BookingOutcome(BookResult.CONFIRMED, booking)
    return BookingOutcome(BookResult.WAITLISTED, booking, seats.waitlisted + 1)


@dataclass(frozen=True)
class CancelOutcome:
    booking: ClassBooking
    promoted: list[ClassBooking]
    was_active: bool


def cancel_booking(session: Session, booking_id: int, *, actor: str, now: datetime, tz: tzinfo,
                   line_user_id: str | None = None) -> CancelOutcome | None:
    """Cancel one booking and, if it held a seat, move the first on the waitlist up (they are
    told by LINE). With `line_user_id`, only that user's own bookings can be cancelled."""
    found = session.get(ClassBooking, booking_id)
    if found is None or (line_user_id is not None and found.line_user_id != line_user_id):
        return None
    course = lock_class(session, found.class_id)
    booking = session.scalar(select(ClassBooking).where(ClassBooking.id == booking_id)
                             .execution_options(populate_existing=True))
    assert course is not None and booking is not None
    if booking.status is BookingStatus.CANCELLED:
        return CancelOutcome(booking, [], was_active=False)
    held_seat = booking.status is BookingStatus.CONFIRMED
    booking.status, booking.cancelled_at, booking.cancelled_by = BookingStatus.CANCELLED, now, actor
    session.flush()
    promoted = promote_waitlisted(session, course, now, tz) if held_seat else []
    return CancelOutcome(booking, promoted, was_active=True)


def promote_waitlisted(session: Session, course: SmartphoneClass, now: datetime, tz: tzinfo) -> list[ClassBooking]:
    """Fill free seats from the waitlist, first come first served (the class row must be
    locked). LINE participants are told by push; phoned-in ones are shown to staff to call."""
    if course.is_cancelled or course.starts_at <= now:
        return []
    count = promotions(seat_count(session, course))
    moved = waitlist(session, course.id)[:count]
    for booking in moved:
        booking.status, booking.confirmed_at, booking.promoted_at = BookingStatus.CONFIRMED, now, now
        if booking.source is BookingSource.LINE:
            notify.queue(session, booking, course, NotificationKind.PROMOTED, now, tz)
    session.flush()
    return moved


# ---- rosters and a resident's bookings --------------------------------------------------------


def waitlist(session: Session, class_id: int) -> list[ClassBooking]:
    return list(session.scalars(
        select(ClassBooking).where(ClassBooking.class_id == class_id, ClassBooking.status == BookingStatus.WAITLISTED)
        .order_by(ClassBooking.created_at, ClassBooking.id)
    ))


@dataclass(frozen=True)
class Roster:
    confirmed: list[ClassBooking]
    waitlist: list[ClassBooking]
    cancelled: list[ClassBooking]


def roster(session: Session, class_id: int) -> Roster:
    """Everyone on a class: confirmed in booking order, the waitlist in its order, cancellations."""
    bookings = list(session.scalars(
        select(ClassBooking).where(ClassBooking.class_id == class_id)
        .order_by(ClassBooking.created_at, ClassBooking.id)
    ))
    confirmed = sorted((b for b in bookings if b.status is BookingStatus.CONFIRMED),
                       key=lambda b: (b.confirmed_at or b.created_at, b.id))
    return Roster(
        confirmed=confirmed,
        waitlist=[b for b in bookings if b.status is BookingStatus.WAITLISTED],
        cancelled=[b for b in bookings if b.status is BookingStatus.CANCELLED],
    )


def bookings_of(session: Session, line_user_id: str, now: datetime) -> list[tuple[ClassBooking, SmartphoneClass]]:
    """A resident's active bookings (for themselves and family) on classes still to come."""
    rows = session.execute(
        select(ClassBooking, SmartphoneClass).join(SmartphoneClass, SmartphoneClass.id == ClassBooking.class_id)
        .where(ClassBooking.line_user_id == line_user_id, ClassBooking.status != BookingStatus.CANCELLED,
               SmartphoneClass.starts_at > now, SmartphoneClass.status == ClassStatus.SCHEDULED)
        .order_by(SmartphoneClass.starts_at, ClassBooking.id)
    ).all()
    return [(booking, course) for booking, course in rows]


def mark_attendance(session: Session, class_id: int, attended_ids: set[int], actor: str) -> int:
    """Record who came: confirmed people in `attended_ids` came, the others did not."""
    changed = 0
    for booking in roster(session, class_id).confirmed:
        came = booking.id in attended_ids
        if booking.attended is not came:
            booking.attended, booking.attendance_marked_by = came, actor
            changed += 1
    return changed
