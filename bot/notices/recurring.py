"""Recurring notices: a rule (weekly on chosen weekdays, monthly on a date or on the Nth weekday,
with excluded dates and an end date) whose occurrences are ordinary notices.

Occurrences are created ahead of time (the next 8 weeks, or 3 months for a monthly rule) by the
scheduler's job and when staff save the rule, so staff see the coming ones and can skip (cancel)
or edit one like any notice without touching the rest. Each occurrence is sent by the ordinary
delivery (exactly once); a unique index on (rule, date) makes sure no date gets two notices,
however often or concurrently the job runs. The rule expansion (`occurrences`) is pure.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.config import Settings
from bot.db import Database
from bot.models import Notice, RecurrenceFrequency, RecurringNotice
from bot.notices.drafting import CleanDraft, NoticeDraft, _apply, create_notice, local_zone
from bot.notices.errors import NoticeError, NoticeInvalid, NoticeNotFound
from bot.notices.lifecycle import EDITABLE, cancel_notice, lock_notice

WEEKDAY_NAMES = "月火水木金土日"
LAST_WEEK = 5  # week_number 5: the last such weekday of the month
STALE_EDIT = "ほかの職員が先にこの設定を変更しました。画面を読み込み直して、最新の設定を確かめてから変更してください。"
WEEKLY_AHEAD = timedelta(weeks=8)
MONTHLY_AHEAD_MONTHS = 3
FREQUENCY_LABELS = {
    RecurrenceFrequency.WEEKLY: "毎週（曜日を選ぶ）",
    RecurrenceFrequency.MONTHLY_DAY: "毎月（日にちを選ぶ）",
    RecurrenceFrequency.MONTHLY_NTH: "毎月（第何曜日かを選ぶ）",
}


@dataclass(frozen=True)
class Rule:
    """When a recurring notice goes: the pure part of a RecurringNotice."""

    frequency: RecurrenceFrequency
    starts_on: date
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    month_day: int | None = None
    week_number: int | None = None
    ends_on: date | None = None
    excluded: frozenset[date] = field(default_factory=frozenset)

    def matches(self, day: date) -> bool:
        """Whether the rule has an occurrence on `day` (excluded dates and the end date count)."""
        if day < self.starts_on or (self.ends_on is not None and day > self.ends_on) or day in self.excluded:
            return False
        if self.frequency is RecurrenceFrequency.WEEKLY:
            return day.weekday() in self.weekdays
        if self.frequency is RecurrenceFrequency.MONTHLY_DAY:
            last = calendar.monthrange(day.year, day.month)[1]
            return self.month_day is not None and day.day == min(self.month_day, last)
        return day.weekday() in self.weekdays and _week_number_matches(day, self.week_number)


def _week_number_matches(day: date, week_number: int | None) -> bool:
    if week_number == LAST_WEEK:
        return (day + timedelta(days=7)).month != day.month
    return week_number is not None and (day.day - 1) // 7 + 1 == week_number


def occurrences(rule: Rule, first: date, last: date) -> list[date]:
    """Every date from `first` to `last` (both included) on which the rule has an occurrence."""
    return [day for day in _days(max(first, rule.starts_on), last) if rule.matches(day)]


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def horizon(rule: Rule, today: date) -> date:
    """How far ahead occurrences are created: 8 weeks for a weekly rule, 3 months for a monthly one."""
    if rule.frequency is RecurrenceFrequency.WEEKLY:
        return today + WEEKLY_AHEAD
    month = today.month - 1 + MONTHLY_AHEAD_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def describe(rule: Rule, send_time: str) -> str:
    """「毎週 月・木曜日 07:30」, 「毎月15日 09:00」 or 「毎月 第2火曜日 10:00」."""
    days = "・".join(WEEKDAY_NAMES[d] for d in sorted(rule.weekdays))
    if rule.frequency is RecurrenceFrequency.WEEKLY:
        return f"毎週 {days}曜日 {send_time}"
    if rule.frequency is RecurrenceFrequency.MONTHLY_DAY:
        return f"毎月{rule.month_day}日 {send_time}"
    week = "最終" if rule.week_number == LAST_WEEK else f"第{rule.week_number}"
    return f"毎月 {week}{days}曜日 {send_time}"


def rule_of(record: RecurringNotice) -> Rule:
    return Rule(
        frequency=record.frequency, starts_on=record.starts_on, weekdays=tuple(record.weekdays or ()),
        month_day=record.month_day, week_number=record.week_number, ends_on=record.ends_on,
        excluded=frozenset(date.fromisoformat(d) for d in record.excluded or ()),
    )


# -- what staff type -----------------------------------------------------------------------------


@dataclass
class RecurringDraft:
    """A recurring notice as staff typed it: the notice's content, and when it repeats."""

    notice: NoticeDraft
    frequency: str = RecurrenceFrequency.WEEKLY.value
    weekdays: list[int] = field(default_factory=list)
    month_day: int | None = None
    week_number: int | None = None
    send_time: str = "09:00"
    starts_on: date | None = None
    ends_on: date | None = None
    excluded: list[date] = field(default_factory=list)

    def rule(self, errors: dict[str, str]) -> Rule | None:
        """The rule, or None with the mistakes in `errors` (Japanese, by field)."""
        frequency = next((f for f in RecurrenceFrequency if f.value == self.frequency), None)
        if frequency is None:
            errors["frequency"] = "くり返し方を選んでください。"
            return None
        if frequency is not RecurrenceFrequency.MONTHLY_DAY and not self.weekdays:
            errors["weekdays"] = "曜日を1つ以上選んでください。"
        if frequency is RecurrenceFrequency.MONTHLY_NTH and len(self.weekdays) != 1:
            errors["weekdays"] = "「第何曜日」では曜日を1つだけ選んでください。"
        if frequency is RecurrenceFrequency.MONTHLY_NTH and self.week_number not in range(1, LAST_WEEK + 1):
            errors["week_number"] = "第何週かを選んでください。"
        if frequency is RecurrenceFrequency.MONTHLY_DAY and self.month_day not in range(1, 32):
            errors["month_day"] = "日にち（1〜31）を選んでください。"
        if not _is_clock(self.send_time):
            errors["send_time"] = "送る時刻を入力してください（例：07:30）。"
        if self.starts_on is None:
            errors["starts_on"] = "開始日を入力してください。"
        elif self.ends_on is not None and self.ends_on < self.starts_on:
            errors["ends_on"] = "終了日は開始日より後にしてください。"
        if errors:
            return None
        assert self.starts_on is not None
        return Rule(frequency, self.starts_on, tuple(sorted(set(self.weekdays))), self.month_day,
                    self.week_number, self.ends_on, frozenset(self.excluded))


def _is_clock(text: str) -> bool:
    try:
        time.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 5


# -- stored rules and their occurrences ----------------------------------------------------------


def create_recurring(session: Session, draft: RecurringDraft, actor: str, settings: Settings,
                     now: datetime) -> RecurringNotice:
    """Check and store a recurring notice, and create its coming occurrences at once."""
    clean, rule = _checked(draft, settings, now)
    record = RecurringNotice(
        kind=clean.kind.value, title=clean.title, body=clean.body, link_url=clean.link_url,
        areas=list(clean.areas), interests=list(clean.interests), frequency=rule.frequency,
        weekdays=list(rule.weekdays), month_day=rule.month_day, week_number=rule.week_number,
        send_time=draft.send_time, starts_on=rule.starts_on, ends_on=rule.ends_on,
        excluded=sorted(d.isoformat() for d in rule.excluded), created_by=actor[:100], created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    audit.record(session, actor, "recurring.create", target=str(record.id), title=record.title,
                 rule=describe(rule, record.send_time))
    create_occurrences(session, record, settings, now)
    return record


def _checked(draft: RecurringDraft, settings: Settings, now: datetime) -> tuple[CleanDraft, Rule]:
    """The clean content and the rule, or NoticeInvalid with every mistake (creating and editing)."""
    errors: dict[str, str] = {}
    rule = draft.rule(errors)
    probe = NoticeDraft(**{**draft.notice.__dict__, "send_at": None})
    clean = None
    try:
        clean = probe.validate(now, local_zone(settings))
    except NoticeInvalid as exc:
        errors = {**exc.errors, **errors}
    if errors or rule is None or clean is None:
        raise NoticeInvalid(errors)
    return clean, rule


@dataclass
class RuleChange:
    """What saving a changed rule did to its occurrences (dates, for staff and the audit log)."""

    updated: list[date] = field(default_factory=list)  # untouched by staff: now match the new rule
    removed: list[date] = field(default_factory=list)  # untouched by staff, no longer on the rule
    created: list[date] = field(default_factory=list)  # new dates of the rule
    kept: list[date] = field(default_factory=list)  # coming ones edited or skipped by staff, or already going


def update_recurring(session: Session, record_id: int, draft: RecurringDraft, actor: str, settings: Settings,
                     now: datetime, seen_updated_at: datetime | None = None) -> RuleChange:
    """Change a saved rule (content, pattern, excluded dates, end date) and its coming occurrences.

    Occurrences sent, sending, held, due already, skipped or edited by staff one by one keep their
    own state. The others (created ahead and untouched: version 1, not yet due) follow the rule:
    they get the new content and send time, are deleted when their date is no longer on the rule,
    and the rule's new dates get an occurrence. Each occurrence is locked before it is changed, so
    the delivery, which locks it to start sending, sees either the old or the new one, never both.
    `seen_updated_at`: the rule's `updated_at` when the editor opened it; if someone changed the
    rule since, nothing is saved (NoticeError), so one person's change never silently undoes another's.
    """
    record = session.scalar(select(RecurringNotice).where(RecurringNotice.id == record_id).with_for_update())
    if record is None:
        raise NoticeNotFound(record_id)
    if not record.active:
        raise NoticeError("終了したくり返しのお知らせは変更できません。")
    if seen_updated_at is not None and record.updated_at != seen_updated_at:
        raise NoticeError(STALE_EDIT)
    clean, rule = _checked(draft, settings, now)
    before = describe(rule_of(record), record.send_time)
    record.kind, record.title, record.body, record.link_url = clean.kind.value, clean.title, clean.body, clean.link_url
    record.areas, record.interests = list(clean.areas), list(clean.interests)
    record.frequency, record.weekdays = rule.frequency, list(rule.weekdays)
    record.month_day, record.week_number, record.send_time = rule.month_day, rule.week_number, draft.send_time
    record.starts_on, record.ends_on = rule.starts_on, rule.ends_on
    record.excluded, record.updated_at = sorted(d.isoformat() for d in rule.excluded), now
    tz, change = local_zone(settings), RuleChange()
    today = now.astimezone(tz).date()
    for found in occurrence_notices(session, record_id):
        notice = lock_notice(session, found.id)
        day = notice.occurrence_on
        if day is None or notice.status not in EDITABLE or notice.version > 1 or notice.due_at <= now:
            if day is not None and day >= today:
                change.kept.append(day)
            continue
        send_at = send_moment(record, day, tz)
        if not rule.matches(day) or send_at <= now:
            session.delete(notice)
            change.removed.append(day)
            continue
        fresh = NoticeDraft(title=clean.title, body=clean.body, kind=clean.kind.value, link_url=clean.link_url,
                            areas=list(clean.areas), interests=list(clean.interests), send_at=send_at)
        if _refresh(notice, fresh.validate(now, tz), settings, now):
            change.updated.append(day)
    session.flush()
    have = set(session.scalars(select(Notice.occurrence_on).where(Notice.recurrence_id == record_id)))
    create_occurrences(session, record, settings, now)
    session.flush()
    change.created = sorted(set(session.scalars(select(Notice.occurrence_on).where(
        Notice.recurrence_id == record_id))) - have)
    audit.record(session, actor, "recurring.update", target=str(record.id), title=record.title, before=before,
                 rule=describe(rule, record.send_time), updated=len(change.updated),
                 removed=[d.isoformat() for d in change.removed], created=[d.isoformat() for d in change.created],
                 kept=[d.isoformat() for d in change.kept])
    return change


def _refresh(notice: Notice, clean: CleanDraft, settings: Settings, now: datetime) -> bool:
    """Give an untouched occurrence the rule's new content; whether anything changed. Its version
    stays 1 (it is still the rule's, not staff's own), and an approval stands if nothing changed."""
    same = (notice.kind, notice.title, notice.body, notice.link_url, list(notice.areas), list(notice.interests),
            notice.send_at) == (clean.kind, clean.title, clean.body, clean.link_url, list(clean.areas),
                                list(clean.interests), clean.send_at)
    if same:
        return False
    _apply(notice, clean, settings)
    notice.updated_at = now
    return True


def create_occurrences(session: Session, record: RecurringNotice, settings: Settings, now: datetime) -> int:
    """Create the notices for the rule's coming dates that have none yet; returns how many."""
    if not record.active:
        return 0
    tz = local_zone(settings)
    rule, today = rule_of(record), now.astimezone(tz).date()
    have = set(session.scalars(select(Notice.occurrence_on).where(Notice.recurrence_id == record.id)))
    created = 0
    for day in occurrences(rule, today, horizon(rule, today)):
        send_at = send_moment(record, day, tz)
        if day in have or send_at <= now:
            continue
        created += _create_one(session, record, day, send_at, settings, now)
    return created


def send_moment(record: RecurringNotice, day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.fromisoformat(record.send_time), tzinfo=tz)


def _create_one(session: Session, record: RecurringNotice, day: date, send_at: datetime, settings: Settings,
                now: datetime) -> int:
    draft = NoticeDraft(title=record.title, body=record.body, kind=record.kind, link_url=record.link_url,
                        areas=list(record.areas), interests=list(record.interests), send_at=send_at)
    try:
        with session.begin_nested():  # another process creating the same date loses only this one
            notice = create_notice(session, draft, f"recurring:{record.id}", settings, now, source="recurring")
            notice.recurrence_id, notice.occurrence_on = record.id, day
            session.flush()
    except IntegrityError:
        return 0
    return 1


def create_all_occurrences(database: Database, settings: Settings, now: datetime) -> int:
    """The scheduler's job: coming occurrences for every active rule, one transaction per rule."""
    with database.read_sessions() as session:
        ids = list(session.scalars(select(RecurringNotice.id).where(RecurringNotice.active.is_(True))))
    created = 0
    for record_id in ids:
        with database.transaction() as session:
            # Locked: a rule being changed is read after the change, never as it was before.
            record = session.scalar(select(RecurringNotice).where(RecurringNotice.id == record_id).with_for_update())
            if record is not None and record.active:
                created += create_occurrences(session, record, settings, now)
    return created


def occurrence_notices(session: Session, record_id: int) -> list[Notice]:
    """Every occurrence of the rule, by date."""
    return list(session.scalars(select(Notice).where(Notice.recurrence_id == record_id)
                                .order_by(Notice.occurrence_on, Notice.id)))


def skip_occurrence(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """Skip one occurrence: it is cancelled (and stays, so it is never created again)."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.recurrence_id is None:
        raise NoticeNotFound(notice_id)
    if notice.status not in EDITABLE:
        raise NoticeError("送信済みや中止したお知らせは休みにできません。")
    return cancel_notice(session, notice_id, actor, now)


def stop_recurring(session: Session, record_id: int, actor: str, now: datetime) -> int:
    """End the series: no new occurrences, and those not yet sent are cancelled; returns how many."""
    record = session.get(RecurringNotice, record_id)
    if record is None:
        raise NoticeNotFound(record_id)
    record.active, record.stopped_at, record.stopped_by = False, now, actor[:100]
    cancelled = 0
    for notice in occurrence_notices(session, record_id):
        if notice.status in EDITABLE:
            cancel_notice(session, notice.id, actor, now)
            cancelled += 1
    audit.record(session, actor, "recurring.stop", target=str(record_id), cancelled=cancelled)
    return cancelled
