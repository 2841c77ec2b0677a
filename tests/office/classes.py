"""A smartphone class with people booked by phone, as staff would type them in."""

from __future__ import annotations

from datetime import timedelta

from bot.classes import booking
from bot.classes.schedule import ClassDraft, create_class
from bot.db import utcnow
from bot.models import BookingSource


def class_with_people(database, title: str, people: int, name: str = "参加者", capacity: int = 20) -> int:
    """A class in a few days with `people` phoned-in bookings (beyond `capacity`: the waitlist); its id."""
    start = utcnow() + timedelta(days=3)
    with database.transaction() as session:
        course = create_class(session, ClassDraft(title=title, level="beginner", venue_key=None, venue_name="見本会場",
                                                  starts_at=start, ends_at=start + timedelta(hours=1),
                                                  capacity=capacity), "tanaka", utcnow())
        for n in range(people):
            booking.book_seat(session, course.id, f"{name}{n:02d}", now=utcnow(), source=BookingSource.PHONE,
                              phone=f"0837-52-{n:04d}", actor="tanaka", by_staff=True)
        return course.id
