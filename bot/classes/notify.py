"""The outbox of LINE messages owed to class participants, and the day-before reminders.

Whoever changes a booking (a cancellation that moves someone up, staff changing or cancelling a
class, the reminder job) queues a row in the same transaction, with the message frozen and a
retry key. The scheduler's job sends pending rows: it commits the attempt before calling LINE
and reuses the row's retry key on every attempt, so a crash or restart at any moment neither
drops the message nor delivers it twice (LINE answers 409 for a key it already accepted).
`dedupe_key` is unique, so the same news is never queued twice for one booking.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from linebot.v3.messaging import Message
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.classes.cards import booking_card_of
from bot.db import Database, utcnow
from bot.line.gateway import (
    RETRY_KEY_TRUSTED_FOR, LineGateway, LineUnavailable, MonthlyQuotaExceeded, RateLimited, SendRejected, new_retry_key,
)
from bot.models import (
    BookingSource, BookingStatus, ClassBooking, ClassNotification, ClassSettings, ClassStatus, Friend, FriendStatus,
    NotificationKind, NotificationStatus, SmartphoneClass,
)
from messages import classes as class_messages

log = logging.getLogger(__name__)

SETTINGS_ID = 1
DEFAULT_REMINDER_TIME = "10:00"
REMINDER_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
SEND_BATCH = 100


# ---- settings ---------------------------------------------------------------------------------


def reminder_settings(session: Session) -> ClassSettings:
    """The reminder setting (not yet saved: the defaults, 10:00 the day before, on)."""
    return session.get(ClassSettings, SETTINGS_ID) or ClassSettings(
        id=SETTINGS_ID, reminder_time=DEFAULT_REMINDER_TIME, reminders_enabled=True
    )


def parse_reminder_time(raw: str) -> time:
    match = REMINDER_TIME.match((raw or "").strip())
    if not match:
        raise ValueError("時刻は 10:00 のように、24時間の「時:分」で入力してください。")
    return time(int(match.group(1)), int(match.group(2)))


def save_reminder_settings(session: Session, reminder_time: str, enabled: bool, actor: str) -> ClassSettings:
    parsed = parse_reminder_time(reminder_time)
    row = session.get(ClassSettings, SETTINGS_ID)
    if row is None:
        row = ClassSettings(id=SETTINGS_ID)
        session.add(row)
    row.reminder_time, row.reminders_enabled, row.updated_by = f"{parsed:%H:%M}", enabled, actor
    return row


def reminder_moment(starts_at: datetime, reminder_time: time, tz: tzinfo) -> datetime:
    """When a class's reminder goes: the day before, at the chosen local time."""
    day_before = starts_at.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day_before, reminder_time, tzinfo=tz)


# ---- queueing ---------------------------------------------------------------------------------


def _dedupe_key(kind: NotificationKind, booking: ClassBooking, course: SmartphoneClass) -> str:
    if kind is NotificationKind.REMINDER:
        return f"reminder:{booking.id}:{course.starts_at:%Y%m%dT%H%M}"
    if kind is NotificationKind.CLASS_CHANGED:
        return f"changed:{booking.id}:v{course.version}"
    return f"{kind.value}:{booking.id}"


def _messages(kind: NotificationKind, card: class_messages.BookingCard, course: SmartphoneClass,
              tz: tzinfo) -> list[Message]:
    if kind is NotificationKind.REMINDER:
        return class_messages.reminder(card, tz)
    if kind is NotificationKind.PROMOTED:
        return class_messages.promoted(card, tz)
    if kind is NotificationKind.CLASS_CHANGED:
        return class_messages.class_changed(card, tz)
    return class_messages.class_cancelled(card, course.cancel_reason, tz)


def queue(session: Session, booking: ClassBooking, course: SmartphoneClass, kind: NotificationKind,
          now: datetime, tz: tzinfo) -> ClassNotification | None:
    """Queue a push to the LINE user who made `booking`; None if this news was queued before."""
    if booking.source is not BookingSource.LINE or not booking.line_user_id:
        return None
    key = _dedupe_key(kind, booking, course)
    if session.scalar(select(ClassNotification.id).where(ClassNotification.dedupe_key == key)) is not None:
        return None
    if kind is NotificationKind.CLASS_CHANGED:  # only the latest change is worth sending
        session.execute(update(ClassNotification).where(
            ClassNotification.booking_id == booking.id, ClassNotification.kind == NotificationKind.CLASS_CHANGED,
            ClassNotification.status == NotificationStatus.PENDING,
        ).values(status=NotificationStatus.SKIPPED, error="superseded by a later change"))
    messages = _messages(kind, booking_card_of(booking, course, now), course, tz)
    row = ClassNotification(
        booking_id=booking.id, kind=kind, dedupe_key=key, line_user_id=booking.line_user_id,
        messages=[m.to_dict() for m in messages], retry_key=new_retry_key(), status=NotificationStatus.PENDING,
        attempts=0, created_at=now,
    )
    session.add(row)
    return row


def queue_reminders(database: Database, tz: tzinfo, now: datetime | None = None) -> int:
    """Queue the day-before reminder of every confirmed LINE booking whose time has come.

    Runs often; each booking's reminder is queued once (its dedupe key), only while the class
    is still ahead, and not for people who booked after the reminder time (their booking
    message just told them). Cancelled bookings and classes get none."""
    now = now or utcnow()
    queued = 0
    with database.transaction() as session:
        settings = reminder_settings(session)
        if not settings.reminders_enabled:
            return 0
        at = parse_reminder_time(settings.reminder_time)
        courses = session.scalars(select(SmartphoneClass).where(
            SmartphoneClass.status == ClassStatus.SCHEDULED, SmartphoneClass.starts_at > now,
            SmartphoneClass.starts_at <= now + timedelta(days=2),
        ))
        for course in courses:
            moment = reminder_moment(course.starts_at, at, tz)
            if now < moment:
                continue
            bookings = session.scalars(select(ClassBooking).where(
                ClassBooking.class_id == course.id, ClassBooking.status == BookingStatus.CONFIRMED,
                ClassBooking.source == BookingSource.LINE, ClassBooking.confirmed_at <= moment,
            ).order_by(ClassBooking.id))
            queued += sum(queue(session, b, course, NotificationKind.REMINDER, now, tz) is not None for b in bookings)
    if queued:
        log.info("class reminders: %d queued", queued)
    return queued


def outbox_counts(session: Session, class_id: int) -> dict[NotificationStatus, int]:
    """How many of a class's LINE messages are sent, waiting, skipped or refused (for staff)."""
    rows = session.execute(
        select(ClassNotification.status, func.count())
        .join(ClassBooking, ClassBooking.id == ClassNotification.booking_id)
        .where(ClassBooking.class_id == class_id).group_by(ClassNotification.status)
    ).all()
    return {status: count for status, count in rows}


# ---- sending ----------------------------------------------------------------------------------


@dataclass
class SendSummary:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    stopped: str | None = None  # why the pass stopped early (LINE down, rate limit, quota)


def _still_wanted(session: Session, row: ClassNotification, now: datetime) -> str | None:
    """Why the news is no longer true (None: send it)."""
    booking = session.get(ClassBooking, row.booking_id)
    course = session.get(SmartphoneClass, booking.class_id) if booking else None
    if booking is None or course is None:
        return "booking gone"
    friend = session.scalar(select(Friend).where(Friend.line_user_id == row.line_user_id))
    if friend is not None and friend.status is FriendStatus.BLOCKED:
        return "the user blocked the account"
    if row.kind is NotificationKind.CLASS_CANCELLED:
        return None
    if course.is_cancelled:
        return "class cancelled"
    if course.starts_at <= now:
        return "class already started"
    if booking.status is BookingStatus.CANCELLED:
        return "booking cancelled"
    needs_seat = row.kind in (NotificationKind.REMINDER, NotificationKind.PROMOTED)
    if needs_seat and booking.status is not BookingStatus.CONFIRMED:
        return "booking not confirmed"
    return None


def _begin_attempt(database: Database, row_id: int, now: datetime) -> tuple[str, list[Message], str] | None:
    """Record the attempt (committed before LINE is called); None when there is nothing to send."""
    with database.transaction() as session:
        row = session.scalar(select(ClassNotification).where(ClassNotification.id == row_id).with_for_update())
        if row is None or row.status is not NotificationStatus.PENDING:
            return None
        if row.first_attempt_at is not None and now - row.first_attempt_at > RETRY_KEY_TRUSTED_FOR:
            row.status, row.error = NotificationStatus.ABANDONED, "retry key expired before LINE confirmed it"
            return None
        reason = _still_wanted(session, row, now)
        if reason is not None:
            row.status, row.error = NotificationStatus.SKIPPED, reason
            return None
        row.attempts += 1
        row.first_attempt_at = row.first_attempt_at or now
        return row.line_user_id, [Message.from_dict(m) for m in row.messages], row.retry_key


def _finish(database: Database, row_id: int, status: NotificationStatus, *, request_id: str | None = None,
            error: str | None = None, now: datetime | None = None) -> None:
    with database.transaction() as session:
        row = session.get(ClassNotification, row_id)
        if row is None:
            return
        row.status = status
        row.error = error
        if status is NotificationStatus.SENT:
            row.sent_at, row.request_id = now or utcnow(), request_id


def _note_error(database: Database, row_id: int, error: str) -> None:
    with database.transaction() as session:
        row = session.get(ClassNotification, row_id)
        if row is not None:
            row.error = error[:500]


def send_pending(database: Database, gateway: LineGateway, *, limit: int = SEND_BATCH,
                 keep_going: Callable[[], bool] = lambda: True, clock: Callable[[], datetime] = utcnow) -> SendSummary:
    """Send queued class messages, oldest first, each with its own retry key."""
    summary = SendSummary()
    with database.read_sessions() as session:
        ids = list(session.scalars(select(ClassNotification.id).where(
            ClassNotification.status == NotificationStatus.PENDING).order_by(ClassNotification.id).limit(limit)))
    for row_id in ids:
        if not keep_going():
            summary.stopped = "shutting down"
            break
        attempt = _begin_attempt(database, row_id, clock())
        if attempt is None:
            summary.skipped += 1
            continue
        user_id, messages, retry_key = attempt
        try:
            result = gateway.push(user_id, messages, retry_key=retry_key)
        except SendRejected as exc:
            _finish(database, row_id, NotificationStatus.FAILED, error=f"LINE {exc.status}: {exc.message}"[:500])
            summary.failed += 1
        except (RateLimited, MonthlyQuotaExceeded, LineUnavailable) as exc:
            _note_error(database, row_id, f"LINE {exc.status}: {exc.message}")
            summary.stopped = type(exc).__name__
            log.warning("class messages: stopped for now (%s); pending ones are retried with the same key",
                        summary.stopped)
            break
        else:
            _finish(database, row_id, NotificationStatus.SENT, request_id=result.request_id, now=clock())
            summary.sent += 1
    return summary
