"""Multi-step chat state kept in the database, with a timeout after which it is forgotten."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db import session_holds
from bot.models import ConversationState

_TABLE = ConversationState.__table__
# Most events come from residents in no flow: one plain SELECT says so without the ORM's load.
_HAS_STATE = select(_TABLE.c.line_user_id).where(_TABLE.c.line_user_id == bindparam("user_id"))


def active_state(session: Session, line_user_id: str, now: datetime) -> ConversationState | None:
    """The user's current flow and step, or None when there is none or it timed out."""
    state = _stored_state(session, line_user_id)
    if state is None:
        return None
    if state.expires_at <= now:
        session.delete(state)
        return None
    return state


def _stored_state(session: Session, line_user_id: str) -> ConversationState | None:
    """`session.get` of the user's state; when the session holds no state of this user (loaded,
    changed, deleted or added), a plain SELECT first answers the usual "none"."""
    if not session_holds(session, ConversationState, line_user_id) and session.connection().execute(_HAS_STATE, {"user_id": line_user_id}).first() is None:
        return None
    return session.get(ConversationState, line_user_id)


def enter_step(
    session: Session,
    line_user_id: str,
    flow: str,
    step: StrEnum,
    now: datetime,
    timeout_min: int,
    data: dict[str, Any] | None = None,
) -> ConversationState:
    """Put the user at `step` of `flow` (keeping earlier data unless `data` replaces it).

    Asking the same step again (after an answer the step could not use) keeps the deadline:
    only moving on to another step gives the resident a new `timeout_min`."""
    state = _stored_state(session, line_user_id)
    if state is not None and state in session.deleted:  # timed out a moment ago (`active_state`)
        session.flush()
        state = None
    expires = now + timedelta(minutes=timeout_min)
    if state is None:
        state = ConversationState(line_user_id=line_user_id, flow=flow, step=str(step), data=data or {}, expires_at=expires)
        session.add(state)
        return state
    if state.flow != flow:
        state.data = {}
    if state.flow != flow or state.step != str(step) or state.expires_at <= now:
        state.expires_at = expires
    state.flow, state.step = flow, str(step)
    if data is not None:
        state.data = dict(data)
    return state


def leave_flow(session: Session, line_user_id: str) -> bool:
    """Forget the user's flow; returns whether there was one."""
    state = session.get(ConversationState, line_user_id)
    if state is None:
        return False
    session.delete(state)
    return True
