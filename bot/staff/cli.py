"""`python -m bot staff ...` and `python -m bot apitoken ...`: accounts and tokens from a shell.

Passwords are read from standard input (without echo on a terminal, one line from a pipe), never
from arguments, which other users of the machine can see. Every change is audited as "cli".
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.command_line import database_session, fail, refused, run_in_transaction
from bot.config import Settings, demo_login_file

DEMO_LOGIN = "demo"


def read_password(prompt: str = "Password: ") -> str:
    """The new password: typed twice without echo on a terminal, or one line from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(prompt)
    if getpass.getpass("Repeat the password: ") != password:
        raise ValueError("the two passwords differ")
    return password


def _new_password() -> str | None:
    from bot.staff.accounts import MIN_PASSWORD_LENGTH

    try:
        password = read_password()
    except ValueError as exc:
        fail(f"refused: {exc}")
        return None
    if len(password) < MIN_PASSWORD_LENGTH:
        fail(f"refused: the password is too weak; use at least {MIN_PASSWORD_LENGTH} characters")
        return None
    return password


def _staff_create(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import accounts as staff

    password = _new_password()
    if password is None:
        return 1
    try:
        role = staff.parse_role(args.role)
        with database_session() as session:
            user = staff.create(session, args.name, args.display_name or args.name, role, password)
            audit.record(session, audit.CLI_ACTOR, "staff.create", target=user.login_name, role=role.value)
    except staff.AccountError as exc:
        return fail(f"refused: {exc}")
    print(f"created {user.login_name} ({role.value})")
    return 0


def _staff_list(_args: argparse.Namespace) -> int:
    from bot.staff import accounts as staff

    def line(user) -> str:
        state = "active" if user.active else "disabled"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "never"
        return f"{user.login_name}\t{user.role.value}\t{state}\tlast login: {last}\t{user.display_name}"
    none_yet = "no staff accounts yet: python -m bot staff create --name NAME --role admin"
    return _print_rows(staff.list_all, line, none_yet)


def _print_rows(load: Callable[[Session], list[Any]], line: Callable[[Any], str], none_yet: str) -> int:
    """One line a row of `load(session)`, or `none_yet` when there are none."""
    with database_session() as session:
        rows = load(session)
        for row in rows:
            print(line(row))
    if not rows:
        print(none_yet)
    return 0


def _staff_disable(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import accounts as staff

    def work(session: Session, _settings: Settings) -> int:
        user = staff.find(session, args.name)
        if user is None:
            raise staff.AccountError(f"no staff account named {args.name!r}")
        staff.disable(session, user)
        audit.record(session, audit.CLI_ACTOR, "staff.disable", target=user.login_name)
        print(f"disabled {args.name}")
        return 0
    return run_in_transaction(work, refusals=[((staff.AccountError,), refused)])


def _staff_set_password(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import accounts as staff

    password = _new_password()
    if password is None:
        return 1
    with database_session() as session:
        user = staff.find(session, args.name)
        if user is None:
            return fail(f"no staff account named {args.name!r}")
        staff.set_password(user, password)
        audit.record(session, audit.CLI_ACTOR, "staff.set_password", target=user.login_name)
    print(f"password changed for {args.name}")
    return 0


def demo_password(path: Path) -> str:
    """The demo account's password: made at the first run, then the same every time."""
    if path.exists():
        return path.read_text(encoding="utf-8").split()[-1]
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(f"{DEMO_LOGIN} {password}\n", encoding="utf-8")
    return password


def _staff_demo_account(_args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import accounts as staff
    from bot.models import StaffRole

    if Settings.from_env().is_production:
        return fail("refused: the demo account is never created in production")
    password = demo_password(demo_login_file())
    with database_session() as session:
        user = staff.find(session, DEMO_LOGIN)
        if user is None:
            user = staff.create(session, DEMO_LOGIN, "デモ管理者", StaffRole.ADMIN, password)
        else:
            staff.set_password(user, password)
            user.role, user.active = StaffRole.ADMIN, True
        audit.record(session, audit.CLI_ACTOR, "staff.demo_account", target=DEMO_LOGIN)
    print(f"demo console login: {DEMO_LOGIN} / {password}")
    return 0


def demo_banner_lines() -> list[str]:
    """The console login line for the demo banner (empty if the demo account was not made)."""
    path = demo_login_file()
    if not path.exists():
        return []
    login, _, password = path.read_text(encoding="utf-8").strip().partition(" ")
    return [f"  Console login (demo only):            {login} / {password}"]


def _apitoken_create(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import api_tokens

    try:
        with database_session() as session:
            token = api_tokens.issue_token(session, args.name, audit.CLI_ACTOR)
            audit.record(session, audit.CLI_ACTOR, "apitoken.issue", target=args.name.strip())
    except api_tokens.TokenError as exc:
        return fail(f"refused: {exc}")
    print(f"API token {args.name.strip()!r} issued. It is shown only now; store it safely:")
    print(token)
    return 0


def _apitoken_list(_args: argparse.Namespace) -> int:
    from bot.staff import api_tokens

    def line(token) -> str:
        state = f"revoked {token.revoked_at.isoformat(timespec='minutes')}" if token.revoked_at else "active"
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
        return f"{token.name}\t{state}\tlast used: {used}\tby {token.created_by}"
    return _print_rows(api_tokens.list_all, line, "no API tokens yet: python -m bot apitoken create --name NAME")


def _apitoken_revoke(args: argparse.Namespace) -> int:
    from bot import audit
    from bot.staff import api_tokens

    def work(session: Session, _settings: Settings) -> int:
        api_tokens.revoke_token(session, args.name)
        audit.record(session, audit.CLI_ACTOR, "apitoken.revoke", target=args.name.strip())
        print(f"revoked {args.name.strip()}")
        return 0
    return run_in_transaction(work, refusals=[((api_tokens.TokenError,), refused)])


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `staff` and `apitoken` to `python -m bot`."""
    staff = commands.add_parser("staff", help="console staff accounts").add_subparsers(dest="staff_command", required=True)
    create = staff.add_parser("create", help="create an account (password read from stdin)")
    create.add_argument("--name", required=True, help="login name")
    create.add_argument("--role", required=True, choices=["admin", "author", "approver", "viewer"])
    create.add_argument("--display-name", help="name shown in the console (default: the login name)")
    create.set_defaults(run=_staff_create)
    staff.add_parser("list", help="list accounts").set_defaults(run=_staff_list)
    disable = staff.add_parser("disable", help="stop an account from logging in")
    disable.add_argument("name")
    disable.set_defaults(run=_staff_disable)
    set_password = staff.add_parser("set-password", help="set a new password (read from stdin)")
    set_password.add_argument("name")
    set_password.set_defaults(run=_staff_set_password)
    staff.add_parser("demo-account", help="the demo's admin login (never in production)").set_defaults(
        run=_staff_demo_account
    )

    tokens = commands.add_parser("apitoken", help="API tokens for other systems").add_subparsers(
        dest="apitoken_command", required=True
    )
    issue = tokens.add_parser("create", help="issue a token and print it once (last line)")
    issue.add_argument("--name", required=True)
    issue.set_defaults(run=_apitoken_create)
    tokens.add_parser("list", help="list tokens").set_defaults(run=_apitoken_list)
    revoke = tokens.add_parser("revoke", help="stop a token from working")
    revoke.add_argument("name")
    revoke.set_defaults(run=_apitoken_revoke)
