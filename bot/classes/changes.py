"""Changing and cancelling a class, with what that means for the people booked on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.classes import notify
from bot.classes.booking import promote_waitlisted
from bot.classes.schedule import ClassDraft, apply_draft, lock_class, seat_count, validate
from bot.models import BookingStatus, ClassBooking, ClassStatus, NotificationKind, SmartphoneClass


class ClassNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ChangeOutcome:
    course: SmartphoneClass
    told: int  # LINE participants who will be told of the new date, time or venue
    promoted: list[ClassBooking]  # moved up because the capacity grew


def _active_bookings(session: Session, class_id: int) -> list[ClassBooking]:
    return list(session.scalars(select(ClassBooking).where(
        ClassBooking.class_id == class_id, ClassBooking.status != BookingStatus.CANCELLED).order_by(ClassBooking.id)))


def update_class(session: Session, class_id: int, draft: ClassDraft, actor: str, now: datetime,
                 tz: tzinfo) -> ChangeOutcome:
    """Save staff's changes. A new date, time or venue is pushed to LINE participants; a larger
    capacity moves people up from the waitlist; a capacity below the confirmed count is refused."""
    course = lock_class(session, class_id)
    if course is None or course.is_cancelled:
        raise ClassNotFound(class_id)
    seats = seat_count(session, course)
    validate(draft, now, confirmed=seats.confirmed, original=course)
    moved = (course.starts_at, course.ends_at, course.venue_name) != (draft.starts_at, draft.ends_at,
                                                                      draft.venue_name.strip())
    apply_draft(course, draft)
    course.updated_at = now
    told = 0
    if moved:
        course.version += 1
        for booking in _active_bookings(session, class_id):
            told += notify.queue(session, booking, course, NotificationKind.CLASS_CHANGED, now, tz) is not None
    session.flush()
    promoted = promote_waitlisted(session, course, now, tz)
    return ChangeOutcome(course, told, promoted)


def cancel_class(session: Session, class_id: int, actor: str, reason: str | None, now: datetime,
                 tz: tzinfo) -> tuple[SmartphoneClass, int]:
    """中止: the class is cancelled and every LINE participant (confirmed or waiting) gets one
    push; returns the class and how many pushes were queued. Cancelling twice changes nothing."""
    course = lock_class(session, class_id)
    if course is None:
        raise ClassNotFound(class_id)
    if course.is_cancelled:
        return course, 0
    course.status = ClassStatus.CANCELLED
    course.cancelled_at, course.cancelled_by = now, actor
    course.cancel_reason = (reason or "").strip()[:500] or None
    queued = 0
    for booking in _active_bookings(session, class_id):
        queued += notify.queue(session, booking, course, NotificationKind.CLASS_CANCELLED, now, tz) is not None
    return course, queued
