"""Disaster mode: every friend's rich menu becomes the disaster menu, and back.

Staff switch it in the console (`bot/console/disaster.py`) or with `python -m bot disaster on`,
and the JMA job may switch it on for the alerts staff chose. While it is on, the greeting and the
fallback answer say so (handlers ask `is_disaster_mode`) and the console shows it in its header.

How every friend's menu is switched, without one call per friend
-----------------------------------------------------------------
LINE shows a user their per-user menu if they have one, else the channel's default menu. We
never link menus per user ourselves, but a tab of the rich menu is a `richmenuswitch` action,
and LINE implements a tab tap as a per-user link to the alias's menu (LINE's "Switch between
tabs on rich menus" is built on per-user rich menus). So a resident who ever tapped 防災 is
linked to the 防災 menu, and changing the default alone would not reach them; re-pointing the
tab aliases would not either (the link is to the menu, not to the alias). So, to switch:

1. set the default menu to the disaster menu (on) or to the first tab (off): one call, and it
   reaches every friend without a per-user link, including friends who join later;
2. remove the per-user links with LINE's bulk unlink, 500 users a call (100,000 friends: 200
   calls). Everyone who can have a link is a friend in our database: a tab tap sends the bot a
   postback (the switch action's `data`), and the bot records a friend it did not know then
   (`handlers/richmenu.py`). After this, everyone sees the default: the menu of the mode.

The aliases are left as they are: the disaster menu's 「ふだんのメニューへ」 opens the くらし tab,
so a resident who wants the everyday menu during a disaster can still have it (that tap links
it to them until the mode next changes). Switching back works the same way in reverse.

The menus must have been published (`python -m bot richmenu publish`, which the deployment and
`make demo` run): the ids are found through the aliases. A LINE error propagates, so the caller's
transaction is rolled back and the mode stays as it was; switching again repeats every step
(each is idempotent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db import session_holds
from bot.line import richmenu
from bot.models import DisasterModeState, Friend
from bot.models.disaster import CURRENT

if TYPE_CHECKING:  # handlers ask is_disaster_mode(): this module never makes them import the gateway
    from bot.line.gateway import LineGateway

log = logging.getLogger(__name__)
UNLINK_BATCH = 500  # LINE's bulk unlink takes at most 500 users


class MenusNotPublished(Exception):
    """The aliases of the menus are not on LINE: run `python -m bot richmenu publish` first."""


@dataclass(frozen=True)
class DisasterMode:
    reason: str
    since: datetime
    by: str


_TABLE = DisasterModeState.__table__
_MODE_ROW = select(_TABLE.c.active, _TABLE.c.since).where(_TABLE.c.id == CURRENT)


def current_mode(session: Session) -> DisasterMode | None:
    """The disaster mode in force, or None on a normal day."""
    state = session.get(DisasterModeState, CURRENT)
    if state is None or not state.active or state.since is None:
        return None
    return DisasterMode(reason=state.reason, since=state.since, by=state.by)


def is_disaster_mode(session: Session) -> bool:
    """Whether the disaster mode is on (asked by many answers: a plain SELECT unless the session
    holds the mode's row, loaded or added, when `current_mode` answers)."""
    if session_holds(session, DisasterModeState, CURRENT):
        return current_mode(session) is not None
    row = session.connection().execute(_MODE_ROW).first()
    return row is not None and bool(row.active) and row.since is not None


def enter_disaster_mode(session: Session, gateway: LineGateway, *, reason: str, actor: str, now: datetime) -> bool:
    """Switch every friend to the disaster menu; False (and nothing done) if already on."""
    state = _state(session)
    if state.active:
        return False
    show_menu_of_mode(session, gateway, disaster=True)
    state.active, state.since, state.reason, state.by = True, now, reason.strip()[:200], actor[:100]
    audit.record(session, actor, "disaster.on", reason=state.reason)
    return True


def leave_disaster_mode(session: Session, gateway: LineGateway, *, actor: str, now: datetime) -> bool:
    """Give every friend the normal menu again; False (and nothing done) if the mode was off."""
    state = _state(session)
    if not state.active:
        return False
    show_menu_of_mode(session, gateway, disaster=False)
    began = state.since
    state.active, state.since, state.reason, state.by = False, now, "", actor[:100]
    audit.record(session, actor, "disaster.off", began=began.isoformat() if began else None)
    return True


def _state(session: Session) -> DisasterModeState:
    """The one row of the mode, locked for this transaction where the database can."""
    state = session.scalar(select(DisasterModeState).where(DisasterModeState.id == CURRENT).with_for_update())
    if state is None:
        state = DisasterModeState(id=CURRENT, active=False, reason="", by="")
        session.add(state)
        session.flush()
    return state


def show_menu_of_mode(session: Session, gateway: LineGateway, *, disaster: bool) -> int:
    """Make the mode's menu the default and drop every per-user link; returns the unlink calls made."""
    menus = richmenu.load_menus()
    wanted = richmenu.first_of(menus, richmenu.DISASTER_SET if disaster else richmenu.NORMAL_SET).alias
    menu_id = dict(gateway.rich_menu_aliases()).get(wanted)
    if menu_id is None:
        raise MenusNotPublished(f"rich menu alias {wanted!r} is not on LINE: run `python -m bot richmenu publish`")
    gateway.set_default_rich_menu(menu_id)
    calls = 0
    for user_ids in _friend_ids_in_batches(session, UNLINK_BATCH):
        gateway.unlink_rich_menus(user_ids)
        calls += 1
    log.info("default rich menu is now %s; per-user menus unlinked in %d calls", wanted, calls)
    return calls


def _friend_ids_in_batches(session: Session, size: int):
    """Every friend's LINE user id (blocked ones too: a link survives a block), `size` at a time."""
    after = 0
    while True:
        rows = session.execute(
            select(Friend.id, Friend.line_user_id).where(Friend.id > after).order_by(Friend.id).limit(size)
        ).all()
        if not rows:
            return
        yield [user_id for _, user_id in rows]
        after = rows[-1][0]
