"""What residents see of a class and of a booking: the domain's rows turned into the plain
cards `messages.classes` builds from, for the LINE replies (`handlers/classes.py`) and the
pushes (`notify.py`). The domain modules themselves never build messages."""

from __future__ import annotations

from datetime import datetime

from bot.classes import LEVELS
from bot.classes.schedule import SignupState, signup_state
from bot.classes.seats import SeatCount
from bot.models import ClassBooking, SmartphoneClass
from messages.classes import BookingCard, ClassCard


def card_of(course: SmartphoneClass, seats: SeatCount, now: datetime) -> ClassCard:
    """What residents see of a class."""
    state = signup_state(course, now)
    return ClassCard(
        id=course.id, title=course.title, level=course.level, level_label=LEVELS.get(course.level, course.level),
        venue=course.venue_name, starts_at=course.starts_at, ends_at=course.ends_at, capacity=course.capacity,
        seats_left=seats.left, waitlisted=seats.waitlisted, waitlist_open=course.waitlist_open,
        signup=state.value if state is not SignupState.CANCELLED else "closed",
        signup_opens_at=course.signup_opens_at, description=course.description, sample=course.sample,
    )


def booking_card_of(booking: ClassBooking, course: SmartphoneClass, now: datetime,
                    position: int | None = None) -> BookingCard:
    """One booking as its maker sees it (`position`: the place on the waitlist)."""
    return BookingCard(id=booking.id, name=booking.participant_name, status=booking.status.value, position=position,
                       course=card_of(course, SeatCount(course.capacity, 0), now))
