"""One resident's data: anonymised after they block the account (a retention rule), or deleted
on their request (`python -m bot residents delete LINE_USER_ID`, or 管理者 in the console).

The audit entry of a deletion keeps only the counts and the staff's reference for the request
(受付番号), never the LINE user id nor anything that was deleted."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, select
from sqlalchemy.orm import Session

from bot import audit
from bot.db import utcnow
from bot.models import (
    BookingStatus, ClassBooking, ClassNotification, ConversationState, DamageReport, DeliveryBatch, Friend,
    FriendEvent, SavedChecklist, WebhookEvent,
)

ANONYMISED_NAME = "（削除済み）"
DELETED_BY = "deletion"
AUDIT_ACTION = "resident.delete"


def anonymise_friend(session: Session, friend: Friend) -> None:
    """Keep the row for the counts (followed, blocked, when); nothing that names the person."""
    friend.display_name, friend.area, friend.interests = "", None, []
    friend.line_user_id = f"anon-{secrets.token_hex(16)}"


def anonymise_bookings(session: Session, bookings: Sequence[ClassBooking]) -> int:
    """Names, phone numbers and LINE ids out of bookings; a seat still held is given up."""
    now = utcnow()
    for booking in bookings:
        if booking.status is not BookingStatus.CANCELLED:
            booking.status, booking.cancelled_at, booking.cancelled_by = BookingStatus.CANCELLED, now, DELETED_BY
        booking.participant_name, booking.phone, booking.line_user_id = ANONYMISED_NAME, None, None
        booking.contact_key = booking.participant_key = f"deleted:{booking.id}"
    return len(bookings)


@dataclass(frozen=True)
class Deleted:
    """What was deleted or anonymised for one resident, by kind (counts only)."""

    friend: int = 0
    webhook_events: int = 0
    conversation_states: int = 0
    class_bookings: int = 0
    class_notifications: int = 0
    delivery_batches: int = 0
    saved_checklists: int = 0
    damage_reports: int = 0

    @property
    def total(self) -> int:
        return sum(vars(self).values())


def delete_resident(session: Session, line_user_id: str, actor: str, reference: str = "") -> Deleted:
    """Delete (or anonymise where counts must stay) everything held about one LINE user."""
    user = line_user_id.strip()
    if not user:
        raise ValueError("LINE user id is empty")
    friend = session.scalar(select(Friend).where(Friend.line_user_id == user))
    if friend is not None:
        session.execute(delete(FriendEvent).where(FriendEvent.friend_id == friend.id))
        session.delete(friend)
    events = session.execute(delete(WebhookEvent).where(WebhookEvent.line_user_id == user)).rowcount
    states = session.execute(delete(ConversationState).where(ConversationState.line_user_id == user)).rowcount
    pushes = session.execute(delete(ClassNotification).where(ClassNotification.line_user_id == user)).rowcount
    checklists = session.execute(delete(SavedChecklist).where(SavedChecklist.line_user_id == user)).rowcount
    reports = session.execute(delete(DamageReport).where(DamageReport.line_user_id == user)).rowcount
    bookings = anonymise_bookings(session, session.scalars(
        select(ClassBooking).where(ClassBooking.line_user_id == user)).all())
    batches = 0
    for batch in session.scalars(select(DeliveryBatch).where(cast(DeliveryBatch.user_ids, String).contains(f'"{user}"'))):
        batch.user_ids = [other for other in batch.user_ids if other != user]
        batches += 1
    deleted = Deleted(int(friend is not None), events, states, bookings, pushes, batches, checklists, reports)
    audit.record(session, actor, AUDIT_ACTION, target=reference[:200], **vars(deleted))
    return deleted
