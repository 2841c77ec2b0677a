"""`python -m bot disaster ...`: disaster mode from the command line.

    python -m bot disaster on --reason "大雨警報" [--by LOGIN]
    python -m bot disaster off [--by LOGIN]
    python -m bot disaster status [--json]

`on` and `off` switch every friend's rich menu (see bot/disaster/mode.py) and are audited as
"cli" (or --by). `status --json` prints {"on": bool, "since": ISO or null, "reason", "by"}.
"""

from __future__ import annotations

import argparse

from bot.command_line import OK, actor, database_session, message, print_json, run_in_transaction
from bot.config import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `disaster` on the `python -m bot` parser."""
    sub = commands.add_parser("disaster", help="disaster mode: the disaster menu for every friend").add_subparsers(
        dest="disaster_command", required=True
    )
    on = sub.add_parser("on", help="switch disaster mode on")
    on.add_argument("--reason", required=True, help="what is happening (shown to staff)")
    on.add_argument("--by", help="your staff login name (for the audit log)")
    on.set_defaults(run=_on)
    off = sub.add_parser("off", help="switch disaster mode off: the normal menus again")
    off.add_argument("--by", help="your staff login name (for the audit log)")
    off.set_defaults(run=_off)
    status = sub.add_parser("status", help="whether disaster mode is on")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=_status)


def _switch(args: argparse.Namespace, on: bool) -> int:
    from bot.db import utcnow
    from bot.disaster import mode
    from bot.line.gateway import LineApiError, LineGateway

    def work(session, settings: Settings) -> int:
        gateway = LineGateway(settings)
        try:
            if on:
                changed = mode.enter_disaster_mode(session, gateway, reason=args.reason, actor=actor(args), now=utcnow())
            else:
                changed = mode.leave_disaster_mode(session, gateway, actor=actor(args), now=utcnow())
        finally:
            gateway.close()
        state = "on" if on else "off"
        print(f"disaster mode {state}" if changed else f"disaster mode was already {state}")
        return OK

    return run_in_transaction(work, refusals=[((mode.MenusNotPublished, LineApiError), message)])


def _on(args: argparse.Namespace) -> int:
    return _switch(args, on=True)


def _off(args: argparse.Namespace) -> int:
    return _switch(args, on=False)


def _status(args: argparse.Namespace) -> int:
    from bot.disaster import mode

    with database_session(read_only=True) as session:
        current = mode.current_mode(session)
    if args.json:
        print_json({"on": current is not None, "since": current.since.isoformat() if current else None,
                    "reason": current.reason if current else "", "by": current.by if current else ""})
    elif current is None:
        print("disaster mode is off")
    else:
        print(f"disaster mode is on since {current.since.isoformat()} ({current.reason}; by {current.by})")
    return OK
