"""`python -m bot notice ...` and `python -m bot mail ...`: notices and e-mail subscribers from
the command line. The scheduler (`python -m scheduler`) does the sending.

    python -m bot notice send --title T --body B [--kind K] [--area A ...] [--at ISO-8601]
    python -m bot notice status ID --json

`notice status --json` prints {"status", "targets", "sent", "failed"}; status is one of
scheduled, sending, sent, held, cancelled, expired. Internal states map onto these:
承認待ち (awaiting approval) is "held", and 取消 (withdrawn after publishing) is "cancelled"
with `sent` still counting who received it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot import audit
from bot.command_line import actor, fail, field_errors, message, print_json, run_in_transaction
from bot.config import Settings
from bot.db import utcnow
from bot.friends import AREAS, INTERESTS
from bot.models import MailSubscriber, NoticeStatus
from bot.notices.drafting import NoticeDraft, create_notice, local_zone, update_notice
from bot.notices.errors import NoticeError, NoticeInvalid
from bot.notices.lifecycle import STATUS_LABELS, approve_notice, cancel_notice, progress, resume_notice, withdraw_notice
from bot.notices.reading import get_notice, list_notices
from bot.notices.targeting import KINDS

KIND_HELP = "、".join(f"{label}/{kind.value}" for kind, label in KINDS.items())
AREA_HELP = "、".join(f"{label}/{code}" for code, label in AREAS.items())
INTEREST_HELP = "、".join(f"{label}/{code}" for code, label in INTERESTS.items())


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `notice` and `mail` on the `python -m bot` parser."""
    notice = commands.add_parser("notice", help="notices: send, status, approve, cancel, withdraw")
    sub = notice.add_subparsers(dest="notice_command", required=True)

    send = sub.add_parser("send", help="create a notice (sent now or --at a later time by the scheduler)")
    _content_options(send, required=True)
    send.set_defaults(run=_send)

    edit = sub.add_parser("edit", help="change a notice that has not gone yet")
    edit.add_argument("id", type=int)
    _content_options(edit, required=False)
    edit.set_defaults(run=_edit)

    status = sub.add_parser("status", help="where a notice's delivery stands")
    status.add_argument("id", type=int)
    status.add_argument("--json", action="store_true", help='print {"status", "targets", "sent", "failed"}')
    status.set_defaults(run=_status)

    listing = sub.add_parser("list", help="recent notices")
    listing.add_argument("--status", choices=[s.value for s in NoticeStatus], action="append", default=[])
    listing.set_defaults(run=_list)

    for name, run, helptext in (("approve", _approve, "approve an urgent notice (a second person)"),
                                ("cancel", _cancel, "stop a notice before it goes, or the rest of a held one"),
                                ("resume", _resume, "try a held delivery again")):
        action = sub.add_parser(name, help=helptext)
        action.add_argument("id", type=int)
        action.add_argument("--by", required=name == "approve", help="your staff login name")
        action.set_defaults(run=run)
    withdraw = sub.add_parser("withdraw", help="取消: withdraw a published notice, with the correction")
    withdraw.add_argument("id", type=int)
    withdraw.add_argument("--reason", required=True, help="the correction shown on the feeds")
    withdraw.add_argument("--by", help="your staff login name")
    withdraw.set_defaults(run=_withdraw)

    mail = commands.add_parser("mail", help="e-mail subscribers for notices")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    subscribe = mail_sub.add_parser("subscribe", help="add a subscriber (every area unless --area)")
    subscribe.add_argument("email")
    subscribe.add_argument("--area", action="extend", nargs="+", default=[], help=AREA_HELP)
    subscribe.set_defaults(run=_mail_subscribe)
    unsubscribe = mail_sub.add_parser("unsubscribe", help="stop e-mail to an address")
    unsubscribe.add_argument("email")
    unsubscribe.set_defaults(run=_mail_unsubscribe)
    mail_sub.add_parser("list", help="active subscribers").set_defaults(run=_mail_list)


def _content_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--title", required=required)
    parser.add_argument("--body", required=required)
    parser.add_argument("--kind", default="お知らせ" if required else None, help=KIND_HELP)
    parser.add_argument("--area", action="extend", nargs="+", default=None, help=f"{AREA_HELP} (default: all)")
    parser.add_argument("--interest", action="extend", nargs="+", default=None, help=INTEREST_HELP)
    parser.add_argument("--link", help="a web page with more")
    parser.add_argument("--image", help="an https:// image URL")
    parser.add_argument("--at", help="send time, ISO 8601 (Japan time without an offset); default now")
    parser.add_argument("--by", help="your staff login name (for the audit log)")


def _in_transaction(work: Callable[[Any, Settings], int]) -> int:
    return run_in_transaction(work, refusals=[((NoticeInvalid,), field_errors), ((NoticeError,), message)])


def _send(args: argparse.Namespace) -> int:
    def work(session, settings: Settings) -> int:
        draft = NoticeDraft(title=args.title, body=args.body, kind=args.kind, link_url=args.link,
                            image_url=args.image, areas=args.area or [], interests=args.interest or [],
                            send_at=args.at)
        notice = create_notice(session, draft, actor(args), settings, utcnow(), source="cli")
        when = notice.send_at.astimezone(local_zone(settings)).strftime("%Y-%m-%d %H:%M")
        print(f"お知らせを登録しました（{STATUS_LABELS[notice.status]}、送信 {when}）。番号: {notice.id}")
        return 0
    return _in_transaction(work)


def _edit(args: argparse.Namespace) -> int:
    def work(session, settings: Settings) -> int:
        notice = get_notice(session, args.id)
        draft = NoticeDraft(
            title=args.title if args.title is not None else notice.title,
            body=args.body if args.body is not None else notice.body,
            kind=args.kind or notice.kind.value,
            link_url=args.link if args.link is not None else notice.link_url,
            image_url=args.image if args.image is not None else notice.image_url,
            areas=args.area if args.area is not None else notice.areas,
            interests=args.interest if args.interest is not None else notice.interests,
            send_at=args.at if args.at is not None else max(notice.send_at, utcnow()),
        )
        notice = update_notice(session, args.id, draft, actor(args), settings, utcnow())
        print(f"お知らせ {notice.id} を変更しました（{STATUS_LABELS[notice.status]}）。")
        return 0
    return _in_transaction(work)


def _status(args: argparse.Namespace) -> int:
    def work(session, _settings: Settings) -> int:
        state = progress(session, args.id)
        if args.json:
            print_json(state.as_json())
            return 0
        print(f"お知らせ {state.notice_id}: {state.status_label}（{state.public_status}）")
        print(f"対象 {state.targets}人 / 送信済み {state.sent} / 失敗 {state.failed} / 未送信 {state.pending}"
              f" / 中止 {state.cancelled}（{state.fraction:.0%}）")
        if state.reason:
            print(f"理由: {state.reason}")
        return 0
    return _in_transaction(work)


def _list(args: argparse.Namespace) -> int:
    def work(session, settings: Settings) -> int:
        tz = local_zone(settings)
        for notice in list_notices(session, [NoticeStatus(s) for s in args.status]):
            when = notice.send_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            print(f"{notice.id}\t{STATUS_LABELS[notice.status]}\t{when}\t{KINDS[notice.kind]}\t{notice.title}")
        return 0
    return _in_transaction(work)


def _approve(args: argparse.Namespace) -> int:
    return _change(args, lambda session: approve_notice(session, args.id, actor(args), utcnow()))


def _cancel(args: argparse.Namespace) -> int:
    return _change(args, lambda session: cancel_notice(session, args.id, actor(args), utcnow()))


def _resume(args: argparse.Namespace) -> int:
    return _change(args, lambda session: resume_notice(session, args.id, actor(args), utcnow()))


def _withdraw(args: argparse.Namespace) -> int:
    return _change(args, lambda session: withdraw_notice(session, args.id, actor(args), args.reason, utcnow()))


def _change(args: argparse.Namespace, action: Callable[[Any], Any]) -> int:
    def work(session, _settings: Settings) -> int:
        notice = action(session)
        print(f"お知らせ {notice.id}: {STATUS_LABELS[notice.status]}")
        return 0
    return _in_transaction(work)


def _mail_subscribe(args: argparse.Namespace) -> int:
    from bot.notices.mail import SubscriptionError, subscribe

    def work(session, _settings: Settings) -> int:
        try:
            subscriber = subscribe(session, args.email, args.area, audit.CLI_ACTOR, utcnow())
        except SubscriptionError as exc:
            return fail(str(exc))
        areas = "、".join(AREAS[a] for a in subscriber.areas) or "全地域"
        print(f"{subscriber.email} を登録しました（{areas}）。")
        return 0
    return _in_transaction(work)


def _mail_unsubscribe(args: argparse.Namespace) -> int:
    from bot.notices.mail import unsubscribe

    def work(session, _settings: Settings) -> int:
        subscriber = session.scalar(select(MailSubscriber).where(MailSubscriber.email == args.email.strip()))
        if subscriber is None or unsubscribe(session, subscriber.unsubscribe_token, utcnow(),
                                             actor=audit.CLI_ACTOR) is None:
            return fail("登録されていないか、すでに停止しています。")
        print(f"{subscriber.email} への配信を停止しました。")
        return 0
    return _in_transaction(work)


def _mail_list(_args: argparse.Namespace) -> int:
    def work(session, _settings: Settings) -> int:
        for subscriber in session.scalars(select(MailSubscriber).where(MailSubscriber.unsubscribed_at.is_(None))
                                          .order_by(MailSubscriber.id)):
            print(f"{subscriber.email}\t{'、'.join(AREAS[a] for a in subscriber.areas) or '全地域'}")
        return 0
    return _in_transaction(work)
