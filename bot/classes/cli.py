"""`python -m bot classes ...`: スマホ教室 from the command line.

    python -m bot classes create --title T --venue V --at ISO-8601 --capacity N [--level L] --json
    python -m bot classes roster ID --json
    python -m bot classes list | cancel ID | add-phone ID --name N [--phone P] | reminder-time HH:MM
    python -m bot classes seed-demo

`create --json` prints {"id": ...}; `roster --json` prints {"confirmed": [...], "waitlist": [...]},
each person as {"name", "source"} with source "line" or "phone". Times without an offset are
Japan time. Every change is audited as "cli" (or --by).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.classes import LEVELS
from bot.classes.venues import load_venues
from bot.command_line import actor, fail, field_errors, print_json, refused, run_in_transaction
from bot.config import Settings
from bot.db import utcnow
from bot.models import BookingSource, SmartphoneClass

# The domain modules (bot.classes.booking, .schedule, ...) import line-bot-sdk, which takes
# seconds to import; they are imported inside the commands so that every other
# `python -m bot ...` command starts without that cost.

LEVEL_HELP = "、".join(f"{label}/{key}" for key, label in LEVELS.items())
REFUSALS = {
    "full": "the class is full and takes no waitlist",
    "already": "this person is already booked on this class",
    "closed": "the class is cancelled or has started",
}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `classes` on the `python -m bot` parser."""
    parser = commands.add_parser("classes", help="スマホ教室: create, list, rosters, cancel, demo classes")
    sub = parser.add_subparsers(dest="classes_command", required=True)

    create = sub.add_parser("create", help="create a class")
    create.add_argument("--title", required=True)
    create.add_argument("--venue", required=True,
                        help="a venue of content/classes/venues.json (key or name), or any other name")
    create.add_argument("--at", required=True, help="start, ISO 8601 (Japan time without an offset)")
    create.add_argument("--capacity", required=True, type=int)
    create.add_argument("--level", default="beginner", help=LEVEL_HELP)
    create.add_argument("--minutes", type=int, default=90, help="length of the class (default 90)")
    create.add_argument("--description", default="")
    create.add_argument("--no-waitlist", action="store_true", help="refuse sign-ups once full")
    create.add_argument("--by", help="your staff login name (for the audit log)")
    create.add_argument("--json", action="store_true", help='print {"id": ...}')
    create.set_defaults(run=_create)

    listing = sub.add_parser("list", help="classes still to come")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)

    show = sub.add_parser("roster", help="who is booked on a class")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help='print {"confirmed": [...], "waitlist": [...]}')
    show.set_defaults(run=_roster)

    cancel = sub.add_parser("cancel", help="中止: cancel a class and tell everyone booked (LINE)")
    cancel.add_argument("id", type=int)
    cancel.add_argument("--reason", default="")
    cancel.add_argument("--by")
    cancel.set_defaults(run=_cancel)

    phone = sub.add_parser("add-phone", help="add someone who phoned in")
    phone.add_argument("id", type=int)
    phone.add_argument("--name", required=True)
    phone.add_argument("--phone", default="")
    phone.add_argument("--by")
    phone.set_defaults(run=_add_phone)

    reminder = sub.add_parser("reminder-time", help="when the day-before reminder goes (HH:MM, Japan time)")
    reminder.add_argument("time")
    reminder.add_argument("--off", action="store_true", help="send no reminders")
    reminder.add_argument("--by")
    reminder.set_defaults(run=_reminder_time)

    sub.add_parser("seed-demo", help="three sample classes for the demo (once)").set_defaults(run=_seed_demo)


def _in_transaction(work: Callable[[Session, Settings], int]) -> int:
    from bot.classes.booking import BookingInvalid
    from bot.classes.changes import ClassNotFound
    from bot.classes.schedule import ClassInvalid

    return run_in_transaction(work, refusals=[((ClassInvalid,), field_errors),
                                              ((BookingInvalid, ClassNotFound, ValueError), refused)])


def parse_local(value: str, tz: tzinfo) -> datetime:
    """ISO 8601; without an offset it is Japan time."""
    moment = datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def venue_of(value: str) -> tuple[str | None, str]:
    """(venue key, name): a listed venue by key or name, otherwise the name as given."""
    venue = load_venues().find(value)
    return (venue.key, venue.name) if venue else (None, value.strip())


def level_of(value: str) -> str:
    by_label = {label: key for key, label in LEVELS.items()}
    return value if value in LEVELS else by_label.get(value, value)


def _create(args: argparse.Namespace) -> int:
    from bot.classes.schedule import ClassDraft, create_class, local_zone

    def work(session: Session, settings: Settings) -> int:
        starts_at = parse_local(args.at, local_zone(settings.timezone))
        venue_key, venue_name = venue_of(args.venue)
        draft = ClassDraft(title=args.title, level=level_of(args.level), venue_key=venue_key, venue_name=venue_name,
                           starts_at=starts_at, ends_at=starts_at + timedelta(minutes=args.minutes),
                           capacity=args.capacity, description=args.description, waitlist_open=not args.no_waitlist)
        course = create_class(session, draft, actor(args), utcnow())
        audit.record(session, actor(args), "classes.create", target=str(course.id), title=course.title)
        if args.json:
            print_json({"id": course.id})
        else:
            print(f"教室を登録しました。番号: {course.id}")
        return 0
    return _in_transaction(work)


def _list(args: argparse.Namespace) -> int:
    from bot.classes.schedule import local_zone, seat_counts, upcoming_classes

    def work(session: Session, settings: Settings) -> int:
        tz = local_zone(settings.timezone)
        courses = upcoming_classes(session, utcnow(), include_cancelled=True)
        counts = seat_counts(session, [c.id for c in courses])
        rows = [{"id": c.id, "title": c.title, "starts_at": c.starts_at.astimezone(tz).isoformat(),
                 "venue": c.venue_name, "capacity": c.capacity, "confirmed": counts[c.id][0],
                 "waitlist": counts[c.id][1], "status": c.status.value, "sample": c.sample} for c in courses]
        if args.json:
            print_json(rows)
        for row in [] if args.json else rows:
            print(f"{row['id']}\t{row['starts_at'][:16]}\t{row['title']}\t{row['venue']}\t"
                  f"{row['confirmed']}/{row['capacity']}（待ち{row['waitlist']}）\t{row['status']}")
        return 0
    return _in_transaction(work)


def _person(booking) -> dict[str, Any]:
    return {"name": booking.participant_name, "source": booking.source.value}


def _roster(args: argparse.Namespace) -> int:
    from bot.classes.booking import roster
    from bot.classes.changes import ClassNotFound

    def work(session: Session, _settings: Settings) -> int:
        if session.get(SmartphoneClass, args.id) is None:
            raise ClassNotFound(f"no class {args.id}")
        found = roster(session, args.id)
        result = {"confirmed": [_person(b) for b in found.confirmed], "waitlist": [_person(b) for b in found.waitlist]}
        if args.json:
            print_json(result)
            return 0
        for title, people in (("参加決定", result["confirmed"]), ("キャンセル待ち", result["waitlist"])):
            print(f"{title}（{len(people)}人）")
            for number, person in enumerate(people, 1):
                print(f"  {number}. {person['name']}（{'LINE' if person['source'] == 'line' else '電話'}）")
        return 0
    return _in_transaction(work)


def _cancel(args: argparse.Namespace) -> int:
    from bot.classes.changes import cancel_class
    from bot.classes.schedule import local_zone

    def work(session: Session, settings: Settings) -> int:
        course, queued = cancel_class(session, args.id, actor(args), args.reason, utcnow(),
                                      local_zone(settings.timezone))
        audit.record(session, actor(args), "classes.cancel", target=str(course.id), told=queued)
        print(f"教室 {course.id} を中止にしました。LINEでお知らせする方: {queued}人（スケジューラーが送信します）")
        return 0
    return _in_transaction(work)


def _add_phone(args: argparse.Namespace) -> int:
    from bot.classes.booking import BookResult, book_seat, clean_phone

    def work(session: Session, _settings: Settings) -> int:
        phone = clean_phone(args.phone)
        outcome = book_seat(session, args.id, args.name, now=utcnow(), source=BookingSource.PHONE, phone=phone,
                            actor=actor(args), by_staff=True)
        if outcome.booking is None or outcome.result is BookResult.ALREADY:
            return fail(f"refused: {REFUSALS[outcome.result.value]}")
        audit.record(session, actor(args), "classes.add_participant", target=str(args.id),
                     booking=outcome.booking.id, result=outcome.result.value)
        print(f"{outcome.booking.participant_name}: {outcome.result.value}")
        return 0
    return _in_transaction(work)


def _reminder_time(args: argparse.Namespace) -> int:
    from bot.classes.notify import save_reminder_settings

    def work(session: Session, _settings: Settings) -> int:
        row = save_reminder_settings(session, args.time, not args.off, actor(args))
        audit.record(session, actor(args), "classes.settings", reminder_time=row.reminder_time,
                     enabled=row.reminders_enabled)
        print(f"リマインダー: 前日 {row.reminder_time}（{'送信する' if row.reminders_enabled else '送信しない'}）")
        return 0
    return _in_transaction(work)


# ---- demo -------------------------------------------------------------------------------------

DEMO_CLASSES = [
    ("はじめてのスマホ教室", "beginner", "mito-shisho", 7, (10, 0), 10,
     "（見本）電源の入れ方、電話のかけ方、文字の入力から、ゆっくり練習します。スマホをお持ちでない方は、お申し込みのときにご相談ください。"),
    ("LINEの使い方教室", "line", "honcho", 14, (13, 30), 12,
     "（見本）友だちの追加、メッセージや写真の送り方、美祢市のLINE公式アカウントの使い方を練習します。"),
    ("マイナポータルを使ってみよう", "mynumber", "shuho-shisho", 21, (10, 0), 8,
     "（見本）マイナンバーカードをスマホで読み取って、マイナポータルにログインする練習をします。カードと暗証番号をお持ちください。"),
]


def seed_demo(session: Session, now: datetime, tz: tzinfo) -> list[SmartphoneClass]:
    """Three sample upcoming classes, marked as sample; nothing if sample classes are still ahead."""
    from bot.classes.schedule import ClassDraft, create_class

    ahead = session.scalar(select(SmartphoneClass.id).where(SmartphoneClass.sample.is_(True),
                                                            SmartphoneClass.starts_at > now).limit(1))
    if ahead is not None:
        return []
    venues = load_venues(session)
    created = []
    for title, level, venue_key, days, (hour, minute), capacity, description in DEMO_CLASSES:
        day = (now.astimezone(tz) + timedelta(days=days)).date()
        starts_at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        venue = venues.get(venue_key)
        draft = ClassDraft(title=title, level=level, venue_key=venue_key, venue_name=venue.name if venue else venue_key,
                           starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90), capacity=capacity,
                           description=description)
        created.append(create_class(session, draft, audit.CLI_ACTOR, now, sample=True))
    return created


def _seed_demo(_args: argparse.Namespace) -> int:
    from bot.classes.schedule import local_zone

    def work(session: Session, settings: Settings) -> int:
        created = seed_demo(session, utcnow(), local_zone(settings.timezone))
        if created:
            audit.record(session, audit.CLI_ACTOR, "classes.seed_demo", ids=[c.id for c in created])
        print(f"見本のスマホ教室: {len(created)}件 登録しました" if created else "見本のスマホ教室は登録済みです")
        return 0
    return _in_transaction(work)
