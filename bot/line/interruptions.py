"""A flow put aside by a command (「スマホ教室」 typed at the area question): the resident's
conversation row keeps the flow, step and data under the PAUSED flow until 「続きから」 brings it
back, a new flow replaces it, 「やめる」 ends it, or it times out like any flow."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.models import ConversationState

PAUSED = "paused"


def put_aside(state: ConversationState, now: datetime, timeout_min: int) -> None:
    state.data = {"flow": state.flow, "step": state.step, "data": dict(state.data or {})}
    state.flow, state.step = PAUSED, PAUSED
    state.expires_at = now + timedelta(minutes=timeout_min)


def paused_flow(state: ConversationState | None) -> str | None:
    """The name of the flow `state` holds aside, or None."""
    if state is None or state.flow != PAUSED:
        return None
    return str((state.data or {}).get("flow") or "") or None


def take_back(session: Session, line_user_id: str, now: datetime, timeout_min: int) -> ConversationState | None:
    """The flow put aside, back where it was (its deadline counted from now); None if none."""
    state = session.get(ConversationState, line_user_id)
    if state is None or state.expires_at <= now or paused_flow(state) is None:
        return None
    held: dict[str, Any] = state.data
    state.flow, state.step, state.data = held["flow"], held["step"], dict(held.get("data") or {})
    state.expires_at = now + timedelta(minutes=timeout_min)
    return state
