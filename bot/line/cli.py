"""`python -m bot richmenu ...` and `events ...`: the rich menus under the chat and the webhook
events that failed, from the command line.

    python -m bot richmenu publish [--json]
    python -m bot richmenu render
    python -m bot events failed [--json]

`publish` makes LINE show the menus of content/richmenu (idempotent: a second run changes
nothing); the default menu is the disaster menu while disaster mode is on. `publish --json`
prints {"menus": {alias: id}, "default": id, "changes": [...]}. `render` redraws the PNGs from the
JSON files (needs Pillow and fonts-noto-cjk: a development step; the PNGs are committed).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from bot.command_line import OK, REFUSED, database_session, print_json
from bot.config import Settings
from bot.db import Database
from bot.line.failures import failed_events
from bot.models import EventStatus


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `richmenu` and `events` on the `python -m bot` parser."""
    menu = commands.add_parser("richmenu", help="the rich menus under the chat").add_subparsers(
        dest="menu_command", required=True
    )
    publish = menu.add_parser("publish", help="create, update and link the menus of content/richmenu")
    publish.add_argument("--json", action="store_true", help="print what was found and done as JSON")
    publish.set_defaults(run=_publish)
    menu.add_parser("render", help="redraw content/richmenu/*.png from the JSON files").set_defaults(run=_render)
    events = commands.add_parser("events", help="webhook events").add_subparsers(dest="events_command", required=True)
    failed = events.add_parser("failed", help="failed events and answers that could not be sent")
    failed.add_argument("--json", action="store_true", help="one JSON list")
    failed.set_defaults(run=_failed)


def _publish(args: argparse.Namespace) -> int:
    from bot.disaster import mode
    from bot.line import richmenu
    from bot.line.gateway import LineGateway

    settings = Settings.from_env()
    with database_session(read_only=True, settings=settings) as session:
        disaster = mode.is_disaster_mode(session)
    gateway = LineGateway(settings)
    try:
        published = richmenu.publish(gateway, settings.public_base_url, disaster=disaster)
    finally:
        gateway.close()
    if args.json:
        print_json({"menus": published.menu_ids, "default": published.default_id, "changes": published.changes})
    else:
        for change in published.changes or ["rich menus already up to date"]:
            print(change)
    return OK


def _render(_args: argparse.Namespace) -> int:
    from bot.line import richmenu
    from bot.line.richmenu_images import MAX_BYTES, render

    menus = richmenu.load_menus()
    for menu in menus:
        png = render(menu, menus)
        if len(png) > MAX_BYTES:
            print(f"{menu.alias}.png is {len(png)} bytes; LINE accepts at most {MAX_BYTES}")
            return REFUSED
        menu.image_path.write_bytes(png)
        print(f"wrote {menu.image_path.relative_to(richmenu.PROJECT_ROOT)} ({len(png)} bytes)")
    return OK


def _failed(args: argparse.Namespace) -> int:
    database = Database(Settings.from_env().database_url)
    try:
        found = failed_events(database)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps([asdict(f) | {"received_at": f.received_at.isoformat()} for f in found], ensure_ascii=False))
        return 0
    if not found:
        print("no failed events or answers")
    for f in found:
        what = f"event {f.status} after {f.attempts} attempts: {f.error}" if f.status == EventStatus.FAILED else (
            f"answer {f.answer_status} after {f.answer_attempts} attempts: {f.answer_error}")
        print(f"{f.received_at:%Y-%m-%d %H:%M:%S} {f.event_type:<10} {f.webhook_event_id}  {what}")
    return 0
