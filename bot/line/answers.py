"""Sending each event's answer exactly once: the reply while its token lives, else a push with
the row's retry key. The answer is stored with its event (`webhook_events`) before anything is
sent, so this module only decides what to try next and records what happened.

The rules (LINE tells us nothing more than the outcome of each call):

- accepted -> sent.
- 400 `Invalid reply token` on the first attempt of a row never attempted before: the token was
  dead before we used it (expired, or a redelivered event's) -> push with the retry key.
- `Invalid reply token` after an attempt that may have reached LINE (a 5xx or timeout before, or
  a row taken over from a process that crashed while sending) -> LINE already used it for our
  reply: sent (assumed).
- 5xx, 429, timeout: try the reply again with backoff while the token is younger than
  `REPLY_WINDOW_S`; past it, push with the retry key. (The one case LINE leaves open: every
  attempt failed, the first one after processing. LINE gives no way to ask, so a push there
  can repeat the reply; an answer taken over from a dead sender is therefore always tried as a
  reply first, however late: refused means delivered.)
- a push is retried with the SAME retry key until accepted or 409 `already accepted` (= sent),
  backing off, for up to `PUSH_GIVE_UP` after the event; then failed.
- any other 4xx -> failed with the reason (sending the same again cannot help).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from linebot.v3.messaging import Message

from bot.line.gateway import (
    DUMMY_REPLY_TOKENS, LineApiError, LineGateway, LineUnavailable, RateLimited, ReplyOutcome,
)
from bot.models import AnswerStatus

log = logging.getLogger(__name__)

REPLY_WINDOW_S = 50.0  # LINE keeps a reply token about a minute; leave room for the last attempt
PUSH_GIVE_UP = timedelta(hours=24)  # LINE keeps a retry key 24 hours
MAX_REPLY_BACKOFF_S = 5.0  # the token is precious: try again soon once LINE is back
MAX_PUSH_BACKOFF_S = 60.0


@dataclass
class Outgoing:
    """One event's answer on its way to LINE."""

    event_id: str
    user_id: str | None
    reply_token: str | None
    messages: list[Message | dict[str, Any]]  # models, or their JSON form as stored with the event
    received_at: datetime
    retry_key: str
    status: AnswerStatus  # reply_pending or push_pending
    attempts: int  # reply or push attempts recorded so far
    maybe_reached: bool  # an earlier attempt (or a crashed sender) may have reached LINE


@dataclass(frozen=True)
class Sent:
    """What to record for an answer after one sending step."""

    status: AnswerStatus
    attempts: int
    next_at: datetime | None = None
    error: str | None = None
    taken_over: bool = False  # another process took the answer over: record nothing


def _always_ours() -> bool:
    return True


def send(gateway: LineGateway, out: Outgoing, now: datetime, still_ours: Callable[[], bool] = _always_ours) -> Sent:
    """Take the next step for one answer; never raises for LINE's failures. `still_ours()` is
    asked before a refused first reply turns into a push: an answer whose lease ran out while it
    was being sent may have been taken over, and the token used, by another process."""
    if out.reply_token in DUMMY_REPLY_TOKENS:
        return Sent(AnswerStatus.NONE, out.attempts)  # the LINE console's "Verify": nobody to answer
    if out.status is AnswerStatus.REPLY_PENDING and _reply_possible(out, now):
        outcome = gateway.try_reply(out.reply_token or "", out.messages)
        if outcome is ReplyOutcome.ACCEPTED:
            return Sent(AnswerStatus.SENT, out.attempts + 1)
        if outcome is ReplyOutcome.REJECTED:
            return Sent(AnswerStatus.FAILED, out.attempts + 1, error="reply rejected by LINE (4xx)")
        if outcome is ReplyOutcome.TOKEN_REFUSED and out.maybe_reached:
            log.info("reply token of event %s refused after an uncertain attempt: already delivered", out.event_id)
            return Sent(AnswerStatus.SENT, out.attempts + 1, error="assumed delivered: token used by an earlier attempt")
        if outcome is ReplyOutcome.UNAVAILABLE:
            attempts = out.attempts + 1
            delay = backoff_s(attempts, MAX_REPLY_BACKOFF_S)
            return Sent(AnswerStatus.REPLY_PENDING, attempts, next_at=now + timedelta(seconds=delay))
        if not still_ours():
            log.info("reply token of event %s used by the process that took the answer over", out.event_id)
            return Sent(out.status, out.attempts, taken_over=True)
        log.info("reply token of event %s was dead; pushing the answer instead", out.event_id)
    return _push(gateway, out, now)


def _reply_possible(out: Outgoing, now: datetime) -> bool:
    """While the token lives; and once more for an answer whose sender died mid-send (no failure
    recorded), however late: a push could repeat what the dead sender delivered."""
    if not out.reply_token or out.reply_token in DUMMY_REPLY_TOKENS:
        return False
    taken_over = out.maybe_reached and out.attempts == 0
    return taken_over or (now - out.received_at).total_seconds() < REPLY_WINDOW_S


def _push(gateway: LineGateway, out: Outgoing, now: datetime) -> Sent:
    if not out.user_id:
        return Sent(AnswerStatus.FAILED, out.attempts, error="reply impossible and no user to push to")
    attempts = out.attempts + 1
    try:
        messages = [Message.from_dict(m) if isinstance(m, dict) else m for m in out.messages]
        gateway.push(out.user_id, messages, retry_key=out.retry_key)
        return Sent(AnswerStatus.SENT, attempts)
    except (LineUnavailable, RateLimited) as exc:
        if now - out.received_at > PUSH_GIVE_UP:
            return Sent(AnswerStatus.FAILED, attempts, error=f"push still failing after 24 h (LINE {exc.status})")
        return Sent(AnswerStatus.PUSH_PENDING, attempts, next_at=now + timedelta(seconds=backoff_s(attempts, MAX_PUSH_BACKOFF_S)))
    except LineApiError as exc:
        return Sent(AnswerStatus.FAILED, attempts, error=f"push refused by LINE ({exc.status})")


def backoff_s(attempts: int, ceiling_s: float) -> float:
    """0.25 s, 0.5 s, 1 s ... up to `ceiling_s`, with jitter."""
    return min(0.25 * 2 ** max(attempts - 1, 0), ceiling_s) * (0.75 + random.random() / 2)
