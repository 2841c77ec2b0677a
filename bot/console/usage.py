"""The dashboard's figures, from what the database records: follows and blocks (friend_events),
LINE messages the deliveries and class messages sent, residents' FAQ questions and feedback,
notices and their reach, e-mail, class seats. Each function is one or two grouped queries over an
indexed time column; days are counted in Japan time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.classes.schedule import seat_counts
from bot.models import (
    BatchStatus, ClassNotification, ClassStatus, Delivery, DeliveryBatch, FaqAsk, FaqFeedback, Friend, FriendEvent,
    FriendStatus, MailSend, MailSendStatus, MailSubscriber, Notice, NotificationStatus,
    SmartphoneClass,
)

NO_AREA = ""  # friends who have not chosen an area
TOP_UNANSWERED = 10
NOTICES_SHOWN = 100
CLASSES_SHOWN = 30
CLASSES_AHEAD = timedelta(days=90)


@dataclass(frozen=True)
class Window:
    """The period the dashboard shows: local dates `first`..`last`, as UTC moments [start, end)."""

    first: date
    last: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=self.tz)


def utc_hour(session: Session, column: Any) -> Any:
    """SQL for the UTC hour of a timestamp column as 'YYYY-MM-DD HH': cheap to group by (SQLite
    stores the text, so a prefix), and turned into local days in Python (`to_local_days`)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.substr(column, 1, 13)


def to_local_days(rows: Any, tz: tzinfo) -> dict[tuple[Any, ...], int]:
    """{(local day 'YYYY-MM-DD', *rest): count} from rows of (UTC hour, *rest, count)."""
    found: dict[tuple[Any, ...], int] = defaultdict(int)
    days: dict[str, str] = {}  # a year has 8,760 hours but far more rows
    for hour, *rest, count in rows:
        day = days.get(hour)
        if day is None:
            moment = datetime(int(hour[:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]), tzinfo=UTC)
            day = days[hour] = moment.astimezone(tz).date().isoformat()
        found[(day, *rest)] += int(count or 0)
    return dict(found)


def fixed_offset(window: Window) -> timedelta | None:
    """The zone's UTC offset if it is the same at every day boundary of the window (Japan has no
    summer time), else None: then days can be counted by the database with one shift."""
    offsets = {datetime.combine(window.first + timedelta(days=n), time(), tzinfo=window.tz).utcoffset()
               for n in range((window.last - window.first).days + 2)}
    return offsets.pop() if len(offsets) == 1 else None


def local_day(session: Session, column: Any, offset: timedelta) -> Any:
    """SQL for the local day 'YYYY-MM-DD' of a UTC timestamp column, in a zone `offset` from UTC."""
    minutes = int(offset.total_seconds() // 60)
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column) + func.make_interval(0, 0, 0, 0, 0, minutes), "YYYY-MM-DD")
    return func.date(column, f"{minutes:+d} minutes")


def friend_changes(session: Session, window: Window, now: datetime) -> dict[tuple[str, str, str], int]:
    """{(local day, area, 'follow'|'unfollow'): count} in the window; the area as friends have it now."""
    offset = fixed_offset(window)
    if offset is not None:  # grouped by local day in the database: a few hundred rows for a year
        day = local_day(session, FriendEvent.at, offset)
        found: dict[tuple[str, str, str], int] = defaultdict(int)
        for d, area, kind, count in session.execute(
                select(day, Friend.area, FriendEvent.kind, func.count())
                .join(Friend, Friend.id == FriendEvent.friend_id)
                .where(FriendEvent.at >= window.start, FriendEvent.at < window.end)
                .group_by(day, Friend.area, FriendEvent.kind)):
            found[(d, area or NO_AREA, kind.value)] += count
        return dict(found)
    return friend_changes_by_hour(session, window)


def friend_changes_by_hour(session: Session, window: Window) -> dict[tuple[str, str, str], int]:
    """friend_changes grouped by UTC hour and turned into local days in Python (any zone)."""
    hour = utc_hour(session, FriendEvent.at)
    rows = session.execute(
        select(hour, Friend.area, FriendEvent.kind, func.count())
        .join(Friend, Friend.id == FriendEvent.friend_id)
        .where(FriendEvent.at >= window.start, FriendEvent.at < window.end)
        .group_by(hour, Friend.area, FriendEvent.kind)
    ).all()
    days = to_local_days(rows, window.tz)
    found: dict[tuple[str, str, str], int] = defaultdict(int)
    for (d, area, kind), count in days.items():
        found[(d, area or NO_AREA, kind.value)] += count
    return dict(found)


def friend_counts(session: Session) -> dict[str, int]:
    """Friends following and blocking the account now."""
    rows = session.execute(select(Friend.status, func.count()).group_by(Friend.status)).all()
    counts = {status: count for status, count in rows}
    return {"following": counts.get(FriendStatus.FOLLOWING, 0), "blocked": counts.get(FriendStatus.BLOCKED, 0)}


def following_by_area(session: Session) -> dict[str, int]:
    rows = session.execute(select(Friend.area, func.count()).where(Friend.status == FriendStatus.FOLLOWING)
                           .group_by(Friend.area)).all()
    return {area or NO_AREA: count for area, count in rows}


def messages_by_day(session: Session, window: Window, now: datetime) -> dict[str, int]:
    """LINE messages sent (one per recipient, as LINE counts them) per local day: notice deliveries
    and class messages (replies are free and not counted)."""
    counts: Counter[str] = Counter()
    hour = utc_hour(session, DeliveryBatch.sent_at)
    batches = session.execute(
        select(hour, func.sum(DeliveryBatch.recipients))
        .where(DeliveryBatch.sent_at >= window.start, DeliveryBatch.sent_at < window.end,
               DeliveryBatch.status == BatchStatus.SENT).group_by(hour))
    hour = utc_hour(session, ClassNotification.sent_at)
    pushes = session.execute(
        select(hour, func.count()).where(ClassNotification.sent_at >= window.start,
                                         ClassNotification.sent_at < window.end,
                                         ClassNotification.status == NotificationStatus.SENT).group_by(hour))
    for rows in (batches, pushes):
        for (day,), count in to_local_days(rows, window.tz).items():
            counts[day] += count
    return dict(counts)


def faq_by_day(session: Session, window: Window, now: datetime) -> dict[tuple[str, str], int]:
    """{(local day, decision): questions}; decision is answer, suggest or none."""
    offset = fixed_offset(window)
    if offset is not None:  # grouped by local day in the database (Japan: always)
        day = local_day(session, FaqAsk.asked_at, offset)
        rows = session.execute(
            select(day, FaqAsk.decision, func.count())
            .where(FaqAsk.asked_at >= window.start, FaqAsk.asked_at < window.end).group_by(day, FaqAsk.decision)
        ).all()
        return {(d, decision): count for d, decision, count in rows}
    return faq_by_hour(session, window)


def faq_by_hour(session: Session, window: Window) -> dict[tuple[str, str], int]:
    """faq_by_day grouped by UTC hour and turned into local days in Python (any zone)."""
    hour = utc_hour(session, FaqAsk.asked_at)
    rows = session.execute(
        select(hour, FaqAsk.decision, func.count())
        .where(FaqAsk.asked_at >= window.start, FaqAsk.asked_at < window.end).group_by(hour, FaqAsk.decision)
    ).all()
    return to_local_days(rows, window.tz)  # type: ignore[return-value]


def faq_feedback(session: Session, window: Window) -> tuple[int, int]:
    """(解決した, 解決しない) votes in the window."""
    rows = session.execute(select(FaqFeedback.resolved, func.count())
                           .where(FaqFeedback.at >= window.start, FaqFeedback.at < window.end)
                           .group_by(FaqFeedback.resolved)).all()
    votes = {resolved: count for resolved, count in rows}
    return votes.get(True, 0), votes.get(False, 0)


def top_unanswered(session: Session, window: Window) -> list[tuple[str, int]]:
    """The questions most often left unanswered in the window: (a wording residents used, count)."""
    unanswered = (FaqAsk.decision == "none") | FaqAsk.no_match
    rows = session.execute(
        select(func.max(FaqAsk.question), func.count())
        .where(FaqAsk.asked_at >= window.start, FaqAsk.asked_at < window.end, unanswered)
        .group_by(FaqAsk.normalised).order_by(func.count().desc(), func.max(FaqAsk.question))
        .limit(TOP_UNANSWERED)
    ).all()
    return [(question, count) for question, count in rows]


@dataclass
class NoticeReach:
    notice: Notice
    targets: int = 0
    sent: int = 0
    failed: int = 0
    mail: dict[str, int] | None = None


def notices_sent(session: Session, window: Window) -> list[NoticeReach]:
    """Notices published in the window (newest first) with LINE recipients reached and e-mails."""
    notices = list(session.scalars(
        select(Notice).where(Notice.published_at >= window.start, Notice.published_at < window.end)
        .order_by(Notice.published_at.desc(), Notice.id.desc()).limit(NOTICES_SHOWN)))
    reach = {n.id: NoticeReach(n) for n in notices}
    if not reach:
        return []
    for notice_id, targets, status, recipients in session.execute(
            select(Delivery.notice_id, Delivery.targets, DeliveryBatch.status, func.sum(DeliveryBatch.recipients))
            .outerjoin(DeliveryBatch, DeliveryBatch.delivery_id == Delivery.id)
            .where(Delivery.notice_id.in_(list(reach)))
            .group_by(Delivery.notice_id, Delivery.targets, DeliveryBatch.status)):
        found = reach[notice_id]
        found.targets = targets
        if status is BatchStatus.SENT:
            found.sent += int(recipients or 0)
        elif status in (BatchStatus.REJECTED, BatchStatus.ABANDONED):
            found.failed += int(recipients or 0)
    for notice_id, counts in mail_counts(session, list(reach)).items():
        reach[notice_id].mail = counts
    return list(reach.values())


def mail_counts(session: Session, notice_ids: list[int]) -> dict[int, dict[str, int]]:
    """{notice id: {sent, failed, pending, cancelled}} of its e-mails."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: {s.value: 0 for s in MailSendStatus})
    for notice_id, status, count in session.execute(
            select(MailSend.notice_id, MailSend.status, func.count()).where(MailSend.notice_id.in_(notice_ids))
            .group_by(MailSend.notice_id, MailSend.status)):
        found[notice_id][status.value] = count
    return dict(found)


def mail_failures(session: Session, notice_id: int) -> list[tuple[str, int]]:
    """Why e-mails of a notice failed (or are being retried): (reason, how many)."""
    rows = session.execute(
        select(MailSend.error, func.count()).where(MailSend.notice_id == notice_id, MailSend.error.is_not(None))
        .group_by(MailSend.error).order_by(func.count().desc()).limit(20)).all()
    return [(error, count) for error, count in rows]


def mail_subscribers(session: Session) -> tuple[int, dict[str, int]]:
    """(active subscribers, {area code or '' for every area: subscribers who receive that area})."""
    by_area: Counter[str] = Counter()
    total = 0
    for (areas,) in session.execute(select(MailSubscriber.areas).where(MailSubscriber.unsubscribed_at.is_(None))):
        total += 1
        for area in areas or [NO_AREA]:
            by_area[area] += 1
    return total, dict(by_area)


@dataclass(frozen=True)
class ClassFill:
    course: SmartphoneClass
    confirmed: int
    waiting: int

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.course.capacity) if self.course.capacity else 0


def class_fill(session: Session, window: Window, now: datetime) -> list[ClassFill]:
    """Classes from the window's start to three months ahead (not cancelled), with seats taken."""
    courses = list(session.scalars(
        select(SmartphoneClass).where(SmartphoneClass.starts_at >= window.start,
                                      SmartphoneClass.starts_at < now + CLASSES_AHEAD,
                                      SmartphoneClass.status == ClassStatus.SCHEDULED)
        .order_by(SmartphoneClass.starts_at, SmartphoneClass.id).limit(CLASSES_SHOWN)))
    seats = seat_counts(session, [c.id for c in courses])
    return [ClassFill(c, *seats[c.id]) for c in courses]


def sent_this_month(session: Session, now: datetime, tz: tzinfo) -> tuple[Window, dict[str, int]]:
    """This calendar month (local) and the LINE messages recorded per day in it so far."""
    today = now.astimezone(tz).date()
    month = Window(today.replace(day=1), today, tz)
    return month, messages_by_day(session, month, now)


def answered_share(counts: dict[str, int]) -> dict[str, int]:
    """Percentages of answer / suggest / none (rounded, of all questions)."""
    total = sum(counts.values())
    return {key: round(100 * counts.get(key, 0) / total) if total else 0 for key in ("answer", "suggest", "none")}

