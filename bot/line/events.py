"""The event pipeline: webhook events stored on arrival, handled by this process's event worker,
answered exactly once (`bot/line/answers.py`).

`POST /callback` stores the request's events with one insert-on-conflict-do-nothing (a
redelivered event changes nothing), already claimed by this process, and answers 200. The
worker (one thread per web process, started on the first request, woken by the webhook,
polling every `POLL_S` otherwise) claims pending events that are its own or whose claim expired,
handles a batch in ONE transaction with a SAVEPOINT per event, stores each answer with its
event, commits, sends the replies, and marks the batch's answers sent in one update. With
`WEBHOOK_PROCESSING=inline` (tests, small installs) the request runs the same code on its own
events before it answers.

Crash points (why nothing is lost and nothing is sent twice):

| crash                                   | state left                          | what happens next                           |
|-----------------------------------------|-------------------------------------|---------------------------------------------|
| before the insert commits               | nothing stored, LINE got no 200     | LINE redelivers (when enabled); else lost before we ever had it |
| after the insert, before handling       | pending, claimed by the dead process | taken over when its claim expires (`WEBHOOK_CLAIM_TTL_S`) |
| while handling, before the commit       | pending (the batch rolled back)     | taken over; handled once (the handlers' writes were rolled back too) |
| after the commit, before the reply      | handled, reply_pending, due at claim expiry | taken over: replied if the token lives; a refused token counts as "already used" (the dead process may have sent it) |
| after the reply, before marking it sent | reply_pending                        | taken over: the reply is refused (token used) -> sent (assumed); never pushed |
| during a push                           | push_pending, same retry key        | pushed again with the same key: 409 means it arrived -> sent |

A handler that raises rolls back only its savepoint: attempts+1, and after `MAX_ATTEMPTS` the
event is failed with `last_error` (a type and place, never residents' words) for staff to see
(`python -m bot events failed`).
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from linebot.v3.messaging import Message
from linebot.v3.webhooks import Event
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import logformat, metrics
from bot.db import Database, utcnow
from bot.line import answers
from bot.line.answers import Outgoing, Sent
from bot.line.loading import animations
from bot.line.router import Context
from bot.logsafe import describe_failure
from bot.models import AnswerStatus, EventStatus, WebhookEvent

log = logging.getLogger(__name__)

POLL_S = 0.25
BATCH = 50
MAX_ATTEMPTS = 3
SENDERS = 4  # replies of a batch sent in parallel (and loading animations)
ANSWERABLE = (AnswerStatus.REPLY_PENDING, AnswerStatus.PUSH_PENDING)
_process: tuple[int, str] | None = None


def process_id() -> str:
    """`host:pid:random` of this process (a new one after a fork)."""
    global _process
    if _process is None or _process[0] != os.getpid():
        _process = (os.getpid(), f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}")
    return _process[1]


# ---- storing ----------------------------------------------------------------------------------


def row_of(raw: dict[str, Any], owner: str, now: datetime, claim_until: datetime) -> dict[str, Any] | None:
    """The `webhook_events` row for one raw event, or None (logged) when it is not stored."""
    event_type = str(raw.get("type", "?"))[:32].encode("unicode_escape").decode("ascii")
    event_id = raw.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 64:
        log.warning("skipping %s event without webhookEventId", event_type)
        return None
    try:
        if not Event.get_discriminator_value(raw):
            log.info("ignoring unknown event type %s", event_type)
            return None
        event = Event.from_dict(raw)
    except Exception:  # noqa: BLE001 - a malformed event must not cost the others
        # The exception text quotes the event (residents' words): never log it.
        log.warning("skipping malformed %s event", event_type)
        return None
    standby = getattr(event, "mode", "active") == "standby"
    timestamp = raw.get("timestamp")
    occurred = datetime.fromtimestamp(timestamp / 1000, UTC) if isinstance(timestamp, int) else now
    return {
        "webhook_event_id": event_id, "event_type": event.type[:32], "line_user_id": _user_id(event),
        "occurred_at": occurred, "received_at": now, "payload": raw,
        "status": EventStatus.IGNORED if standby else EventStatus.PENDING, "attempts": 0,
        "claimed_by": owner, "claim_until": claim_until, "last_error": None, "handled_at": None,
        "answer": None, "answer_status": AnswerStatus.NONE, "answer_attempts": 0, "answer_retry_key": None,
        "answer_next_at": None, "answered_at": None, "answer_error": None,
    }


def store(database: Database, raw_events: Sequence[dict[str, Any]], owner: str, ttl_s: float) -> list[str]:
    """Store the events (one statement, duplicates ignored); the ids of the storable ones."""
    now = utcnow()
    rows = [row for raw in raw_events if (row := row_of(raw, owner, now, now + timedelta(seconds=ttl_s)))]
    if not rows:
        return []
    insert = sqlite.insert if database.engine.dialect.name == "sqlite" else postgresql.insert
    statement = insert(WebhookEvent).values(rows).on_conflict_do_nothing(index_elements=["webhook_event_id"])
    with database.engine.begin() as connection:
        connection.execute(statement)
    return [row["webhook_event_id"] for row in rows]


def _user_id(event: Event) -> str | None:
    source = getattr(event, "source", None)
    return getattr(source, "user_id", None) if source is not None else None


# ---- the pipeline -----------------------------------------------------------------------------


class EventPipeline:
    """Claims, handles and answers stored events for one app in one process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        ext = app.extensions
        self.settings, self.database, self.gateway, self.router = ext["settings"], ext["db"], ext["gateway"], ext["router"]
        self._lock = threading.Lock()
        self._started_pid: int | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._senders: ThreadPoolExecutor | None = None

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.webhook_claim_ttl_s)

    # -- entry points ------------------------------------------------------------------------

    def accept(self, raw_events: Sequence[dict[str, Any]]) -> None:
        """Store a webhook request's events; handle them now (inline) or wake the worker."""
        ids = store(self.database, raw_events, process_id(), self.settings.webhook_claim_ttl_s)
        if self.settings.webhook_processing == "inline":
            self.run_inline(ids)
        elif ids:
            self.ensure_worker()
            self._wake.set()

    def run_inline(self, ids: list[str]) -> None:
        """The request's own events, each retried up to MAX_ATTEMPTS, then any answers due."""
        for _ in range(MAX_ATTEMPTS):
            if not ids or self.handle_batch(ids) == 0:
                break
        self.send_due_answers()

    def run_pass(self) -> None:
        """Everything claimable now, batch after batch, then the answers due."""
        while self.handle_batch() >= BATCH:
            pass
        self.send_due_answers()

    # -- handling ----------------------------------------------------------------------------

    def handle_batch(self, ids: list[str] | None = None) -> int:
        """Claim up to BATCH pending events, handle them in one transaction, send the replies."""
        owner, started = process_id(), utcnow()
        claimed = self._claim(owner, started, ids)
        if not claimed:
            return 0
        names = self._display_names(claimed)
        outgoing: list[Outgoing] = []
        late: list[int] = []
        with self.database.transaction() as session:
            rows = session.scalars(
                select(WebhookEvent)
                .where(WebhookEvent.webhook_event_id.in_(claimed), WebhookEvent.claimed_by == owner,
                       WebhookEvent.status == EventStatus.PENDING)
                .order_by(WebhookEvent.occurred_at)
            ).all()
            for row in rows:
                late.extend(self._animate_if_late(row))
                answer = self._handle_one(session, row, names.get(row.line_user_id or ""))
                if answer is not None:
                    outgoing.append(answer)
        self.send(outgoing)
        for handle in late:
            animations.cancel(handle)
        return len(claimed)

    def _claim(self, owner: str, now: datetime, ids: list[str] | None) -> list[str]:
        with self.database.transaction() as session:
            query = (
                select(WebhookEvent.webhook_event_id)
                .where(WebhookEvent.status == EventStatus.PENDING,
                       or_(WebhookEvent.claimed_by == owner, WebhookEvent.claim_until < now))
                .order_by(WebhookEvent.occurred_at).limit(BATCH).with_for_update(skip_locked=True)
            )
            if ids is not None:
                query = query.where(WebhookEvent.webhook_event_id.in_(ids))
            claimed = list(session.scalars(query))
            if claimed:
                session.execute(
                    update(WebhookEvent).where(WebhookEvent.webhook_event_id.in_(claimed))
                    .values(claimed_by=owner, claim_until=now + self.ttl)
                )
        return claimed

    def _display_names(self, claimed: list[str]) -> dict[str, str | None]:
        """LINE display names of new friends, fetched before the transaction (no lock held)."""
        with self.database.read_sessions() as session:
            users = set(session.scalars(
                select(WebhookEvent.line_user_id)
                .where(WebhookEvent.webhook_event_id.in_(claimed), WebhookEvent.event_type == "follow")
            ))
        found = [user for user in users if user]
        return dict(zip(found, self._map(self.gateway.display_name, found)))

    def _handle_one(self, session: Session, row: WebhookEvent, display_name: str | None) -> Outgoing | None:
        now = utcnow()
        logformat.bind(event_id=row.webhook_event_id)
        try:
            with session.begin_nested():
                event = Event.from_dict(row.payload)
                ctx = Context(event=event, session=session, settings=self.settings, now=now,
                              user_id=row.line_user_id, lookup_display_name=lambda _uid: display_name)
                messages = self.router.dispatch(ctx)
                row.attempts += 1
                row.status, row.handled_at, row.last_error = EventStatus.HANDLED, now, None
                metrics.webhook_event(row.event_type, "handled")
                return self._store_answer(row, event, messages, now)
        except Exception as exc:  # noqa: BLE001 - one event's bug must not cost the batch
            row.attempts += 1
            row.last_error = describe_failure(exc)[:300]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = EventStatus.FAILED
            metrics.webhook_event(row.event_type, "failed" if row.status is EventStatus.FAILED else "error")
            log.error("handling %s event %s failed (attempt %d): %s", row.event_type, row.webhook_event_id,
                      row.attempts, row.last_error)
            return None

    def _store_answer(self, row: WebhookEvent, event: Event, messages: list[Message], now: datetime) -> Outgoing | None:
        token = getattr(event, "reply_token", None)
        if not messages or (not token and not row.line_user_id):
            return None
        row.answer = [message.to_dict() for message in messages]
        row.answer_status, row.answer_retry_key = AnswerStatus.REPLY_PENDING, str(uuid.uuid4())
        row.answer_next_at = now + self.ttl  # due for another process only if this one dies
        return Outgoing(row.webhook_event_id, row.line_user_id, token, messages, row.received_at,
                        row.answer_retry_key, AnswerStatus.REPLY_PENDING, attempts=0, maybe_reached=False)

    def _animate_if_late(self, row: WebhookEvent) -> list[int]:
        """The '...' animation if this resident's answer is not sent `loading_after_s` after arrival."""
        if row.event_type not in ("message", "postback") or not row.line_user_id:
            return []
        waited = (utcnow() - row.received_at).total_seconds()
        show = functools.partial(self.gateway.show_loading, row.line_user_id)
        return [animations.start_after(max(self.settings.loading_after_s - waited, 0.0), show)]

    # -- answers -----------------------------------------------------------------------------

    def send(self, outgoing: list[Outgoing]) -> None:
        """Send the answers (in parallel), then record them: the sent ones in one update."""
        if not outgoing:
            return
        now = utcnow()
        results = list(self._map(lambda out: answers.send(self.gateway, out, now), outgoing))
        self._record(list(zip(outgoing, results)))

    def _record(self, done: list[tuple[Outgoing, Sent]]) -> None:
        now = utcnow()
        sent = [out.event_id for out, result in done if result.status is AnswerStatus.SENT and not result.error]
        metrics.answers_recorded(now, [(out.received_at, str(result.status)) for out, result in done])
        with self.database.transaction() as session:
            if sent:
                session.execute(
                    update(WebhookEvent).where(WebhookEvent.webhook_event_id.in_(sent))
                    .values(answer_status=AnswerStatus.SENT, answered_at=now, answer_next_at=None,
                            answer_attempts=WebhookEvent.answer_attempts + 1)
                )
            for out, result in done:
                if out.event_id in sent:
                    continue
                if result.status is AnswerStatus.FAILED:
                    log.error("answer to event %s failed: %s", out.event_id, result.error)
                session.execute(
                    update(WebhookEvent).where(WebhookEvent.webhook_event_id == out.event_id).values(
                        answer_status=result.status, answer_attempts=result.attempts, answer_next_at=result.next_at,
                        answer_error=result.error, answered_at=now if result.status is AnswerStatus.SENT else None,
                    )
                )

    def send_due_answers(self) -> None:
        """Answers whose earlier attempt failed, or whose sender died: claimed, then sent."""
        now = utcnow()
        with self.database.read_sessions() as session:
            due = session.scalar(select(WebhookEvent.webhook_event_id).where(*_due(now)).limit(1))
        if due is None:
            return
        with self.database.transaction() as session:
            rows = session.scalars(
                select(WebhookEvent).where(*_due(now)).order_by(WebhookEvent.received_at)
                .limit(BATCH).with_for_update(skip_locked=True)
            ).all()
            outgoing = [_outgoing_of(row) for row in rows]
            for row in rows:  # the answer's lease: due again only if this process dies
                row.claimed_by, row.answer_next_at = process_id(), now + self.ttl
        self.send(outgoing)

    # -- the worker thread -------------------------------------------------------------------

    def ensure_worker(self) -> None:
        """Start this process's worker thread (after gunicorn's fork: on the first request)."""
        if self._started_pid == os.getpid():
            return
        with self._lock:
            if self._started_pid == os.getpid():
                return
            self._senders = None  # a pool inherited through a fork has no threads
            thread = threading.Thread(target=self._run, name="event-worker", daemon=True)
            thread.start()
            self._started_pid = os.getpid()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        log.info("event worker %s started", process_id())
        while not self._stop.is_set():
            self._wake.wait(POLL_S)
            self._wake.clear()
            try:
                with self.app.app_context():
                    self.run_pass()
            except Exception as exc:  # noqa: BLE001 - the worker must outlive a database hiccup
                log.error("event worker pass failed: %s", describe_failure(exc))
                self._stop.wait(1.0)

    def _map(self, call: Callable[[Any], Any], items: Any) -> list[Any]:
        """`call` on every item: in parallel in the worker, in order in an inline request."""
        if self.settings.webhook_processing == "inline" or len(items) < 2:
            return [call(item) for item in items]
        return list(self._pool().map(call, items))

    def _pool(self) -> ThreadPoolExecutor:
        if self._senders is None:
            with self._lock:
                if self._senders is None:
                    self._senders = ThreadPoolExecutor(SENDERS, thread_name_prefix="answer-sender")
        return self._senders


def _due(now: datetime) -> tuple[Any, ...]:
    return (WebhookEvent.answer_status.in_(ANSWERABLE), WebhookEvent.answer_next_at <= now)


def _outgoing_of(row: WebhookEvent) -> Outgoing:
    """A stored answer, sent again: any earlier reply attempt may have reached LINE."""
    messages = [Message.from_dict(message) for message in row.answer or []]
    token = row.payload.get("replyToken") if isinstance(row.payload, dict) else None
    return Outgoing(row.webhook_event_id, row.line_user_id, token, messages, row.received_at, row.answer_retry_key or "",
                    row.answer_status, attempts=row.answer_attempts, maybe_reached=True)


def pipeline(app: Flask) -> EventPipeline:
    return app.extensions["event_pipeline"]


