"""Classes themselves: create, change, duplicate and cancel them, and what residents see.

Used by the console, the command line and the LINE handlers alike."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.classes import LEVELS
from bot.classes.seats import SeatCount
from bot.models import BookingStatus, ClassBooking, ClassStatus, SmartphoneClass

TITLE_MAX = 100
VENUE_MAX = 100
DESCRIPTION_MAX = 2000
CAPACITY_MAX = 500
DEFAULT_MINUTES = 90


class SignupState(enum.StrEnum):
    NOT_YET = "not_yet"  # the sign-up window has not opened
    OPEN = "open"
    CLOSED = "closed"  # the window closed, or the class has started
    CANCELLED = "cancelled"


class ClassInvalid(ValueError):
    """A class that cannot be saved; `errors` maps each form field to a message for staff."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ClassDraft:
    """What staff type for a class."""

    title: str
    level: str
    venue_key: str | None
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    description: str = ""
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    waitlist_open: bool = True
    errors: dict[str, str] = field(default_factory=dict, compare=False)


def validate(draft: ClassDraft, now: datetime, *, confirmed: int = 0, original: SmartphoneClass | None = None) -> None:
    """Raise ClassInvalid with every problem at once, in staff's words."""
    errors = dict(draft.errors)
    if not draft.title.strip():
        errors.setdefault("title", "教室の名前を入力してください。")
    elif len(draft.title) > TITLE_MAX:
        errors.setdefault("title", f"教室の名前は{TITLE_MAX}文字までにしてください。")
    if draft.level not in LEVELS:
        errors.setdefault("level", "内容（レベル）を選んでください。")
    if not draft.venue_name.strip():
        errors.setdefault("venue", "会場を選ぶか、入力してください。")
    elif len(draft.venue_name) > VENUE_MAX:
        errors.setdefault("venue", f"会場名は{VENUE_MAX}文字までにしてください。")
    if not 1 <= draft.capacity <= CAPACITY_MAX:
        errors.setdefault("capacity", f"定員は1人から{CAPACITY_MAX}人までの数字で入力してください。")
    elif draft.capacity < confirmed:
        errors.setdefault("capacity", f"参加が決まっている方が{confirmed}人います。定員はそれより少なくできません。")
    if len(draft.description) > DESCRIPTION_MAX:
        errors.setdefault("description", f"説明は{DESCRIPTION_MAX}文字までにしてください。")
    _check_times(draft, now, original, errors)
    if errors:
        raise ClassInvalid(errors)


def _check_times(draft: ClassDraft, now: datetime, original: SmartphoneClass | None, errors: dict[str, str]) -> None:
    moved = original is None or original.starts_at != draft.starts_at
    if moved and draft.starts_at <= now:
        errors.setdefault("starts_at", "開始の日時は、これから先の日時にしてください。")
    if draft.ends_at <= draft.starts_at:
        errors.setdefault("ends_at", "終了の時刻は、開始より後にしてください。")
    opens, closes = draft.signup_opens_at, draft.signup_closes_at
    if closes is not None and closes > draft.starts_at:
        errors.setdefault("signup_closes_at", "申し込みの締め切りは、教室の開始より前にしてください。")
    if opens is not None and closes is not None and opens >= closes:
        errors.setdefault("signup_opens_at", "申し込みの受付開始は、締め切りより前にしてください。")


def apply_draft(course: SmartphoneClass, draft: ClassDraft) -> None:
    course.title = draft.title.strip()
    course.level = draft.level
    course.venue_key = draft.venue_key
    course.venue_name = draft.venue_name.strip()
    course.starts_at, course.ends_at = draft.starts_at, draft.ends_at
    course.capacity = draft.capacity
    course.description = draft.description.strip()
    course.signup_opens_at, course.signup_closes_at = draft.signup_opens_at, draft.signup_closes_at
    course.waitlist_open = draft.waitlist_open


def create_class(session: Session, draft: ClassDraft, actor: str, now: datetime, *,
                 sample: bool = False) -> SmartphoneClass:
    validate(draft, now)
    course = SmartphoneClass(created_by=actor, created_at=now, updated_at=now, sample=sample,
                             status=ClassStatus.SCHEDULED, version=1)
    apply_draft(course, draft)
    session.add(course)
    session.flush()
    return course


def lock_class(session: Session, class_id: int) -> SmartphoneClass | None:
    """The class row, locked until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE;
    SQLite: every writing transaction already holds the database's write lock)."""
    return session.scalar(
        select(SmartphoneClass).where(SmartphoneClass.id == class_id).with_for_update().execution_options(
            populate_existing=True
        )
    )


def draft_of(course: SmartphoneClass) -> ClassDraft:
    """The class as a draft: for the edit form, and for 複製 (the copy gets a new date)."""
    return ClassDraft(
        title=course.title, level=course.level, venue_key=course.venue_key, venue_name=course.venue_name,
        starts_at=course.starts_at, ends_at=course.ends_at, capacity=course.capacity,
        description=course.description, signup_opens_at=course.signup_opens_at,
        signup_closes_at=course.signup_closes_at, waitlist_open=course.waitlist_open,
    )


def moved_by(draft: ClassDraft, days: int) -> ClassDraft:
    """The same class `days` later (sign-up window included)."""
    shift = timedelta(days=days)

    def later(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment + shift

    return replace(draft, starts_at=draft.starts_at + shift, ends_at=draft.ends_at + shift,
                   signup_opens_at=later(draft.signup_opens_at), signup_closes_at=later(draft.signup_closes_at))


def signup_state(course: SmartphoneClass, now: datetime) -> SignupState:
    if course.is_cancelled:
        return SignupState.CANCELLED
    if course.starts_at <= now or (course.signup_closes_at is not None and course.signup_closes_at <= now):
        return SignupState.CLOSED
    if course.signup_opens_at is not None and course.signup_opens_at > now:
        return SignupState.NOT_YET
    return SignupState.OPEN


def seat_counts(session: Session, class_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(confirmed, waitlisted) for each class id."""
    if not class_ids:
        return {}
    rows = session.execute(
        select(ClassBooking.class_id, ClassBooking.status, func.count())
        .where(ClassBooking.class_id.in_(class_ids), ClassBooking.status != BookingStatus.CANCELLED)
        .group_by(ClassBooking.class_id, ClassBooking.status)
    ).all()
    counts = {class_id: [0, 0] for class_id in class_ids}
    for class_id, status, count in rows:
        counts[class_id][0 if status is BookingStatus.CONFIRMED else 1] = count
    return {class_id: (c, w) for class_id, (c, w) in counts.items()}


def seat_count(session: Session, course: SmartphoneClass) -> SeatCount:
    confirmed, waitlisted = seat_counts(session, [course.id])[course.id]
    return SeatCount(course.capacity, confirmed, waitlisted)


def upcoming_classes(session: Session, now: datetime, *, limit: int | None = None, offset: int = 0,
                     include_cancelled: bool = False) -> list[SmartphoneClass]:
    """Classes that have not started yet, soonest first."""
    query = select(SmartphoneClass).where(SmartphoneClass.starts_at > now)
    if not include_cancelled:
        query = query.where(SmartphoneClass.status == ClassStatus.SCHEDULED)
    query = query.order_by(SmartphoneClass.starts_at, SmartphoneClass.id).offset(offset)
    return list(session.scalars(query.limit(limit) if limit else query))


def count_upcoming(session: Session, now: datetime) -> int:
    return session.scalar(
        select(func.count()).select_from(SmartphoneClass)
        .where(SmartphoneClass.starts_at > now, SmartphoneClass.status == ClassStatus.SCHEDULED)
    ) or 0


def listed_classes(session: Session, now: datetime, page: int,
                   per_page: int) -> tuple[list[tuple[SmartphoneClass, SeatCount]], int]:
    """One page of the classes residents see, each with its seats, and how many come after it."""
    offset = (max(page, 1) - 1) * per_page
    courses = upcoming_classes(session, now, limit=per_page, offset=offset)
    counts = seat_counts(session, [c.id for c in courses])
    listed = [(c, SeatCount(c.capacity, *counts[c.id])) for c in courses]
    return listed, max(count_upcoming(session, now) - offset - len(listed), 0)


def local_zone(timezone: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(timezone)
