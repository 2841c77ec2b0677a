"""The event pipeline: webhook events stored on arrival, handled by this process's event worker,
answered exactly once (`bot/line/answers.py`).

`POST /callback` stores the request's events with one insert-on-conflict-do-nothing (a
redelivered event changes nothing), already claimed by this process, and answers 200; the
events it inserted go straight to this process's handler threads (in memory, no read back).
Each resident's events go to one thread (by user id), so they are handled in order; the
threads together keep the cores and, on PostgreSQL, the connections busy. Each event is
handled in ONE short transaction (SQLite's write lock is held for one event, never for a
batch) that ends with one guarded update storing "handled" and the answer together; the
answer is then sent by a sender pool and the sent ones are marked in one update per tick.
A poller thread per process takes over events whose claim expired (a dead process's, or a
failed attempt's, `FOR UPDATE SKIP LOCKED` on PostgreSQL) and answers due again.
With `WEBHOOK_PROCESSING=inline` (tests, small installs) the request runs the same code on its
own events before it answers.

Crash points (why nothing is lost and nothing is sent twice):

| crash                                   | state left                          | what happens next                           |
|-----------------------------------------|-------------------------------------|---------------------------------------------|
| before the insert commits               | nothing stored, LINE got no 200     | LINE redelivers (when enabled); else lost before we ever had it |
| after the insert, before handling       | pending, claimed by the dead process | taken over when its claim expires (`WEBHOOK_CLAIM_TTL_S`) |
| while handling, before the commit       | pending (the event's transaction rolled back) | taken over; handled once (the handler's writes were rolled back too) |
| after the commit, before the reply      | handled, reply_pending, due at claim expiry | taken over: replied if the token lives; a refused token counts as "already used" (the dead process may have sent it) |
| after the reply, before marking it sent | reply_pending                        | taken over: the reply is refused (token used) -> sent (assumed); never pushed |
| during a push                           | push_pending, same retry key        | pushed again with the same key: 409 means it arrived -> sent |

The guarded update (`status = pending AND claimed_by = this process`) makes a second handling
of one event impossible: if another process took the event over meanwhile, the update matches
nothing and the whole transaction, the handler's writes included, is rolled back.

A handler that raises rolls back its transaction: attempts+1, retried after `RETRY_AFTER_S` by
whichever process sweeps first, and after `MAX_ATTEMPTS` the event is failed with `last_error`
(a type and place, never residents' words) for staff to see (the console's 「受信の失敗」 page,
`python -m bot events failed`).
"""

from __future__ import annotations

import functools
import logging
import os
import queue
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from linebot.v3.webhooks import Event
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import logformat, metrics
from bot.db import Database, connection_lost, utcnow
from bot.line import answers
from bot.line.answers import Outgoing, Sent
from bot.line.loading import animations
from bot.line.router import Context
from bot.logsafe import describe_failure
from bot.models import AnswerStatus, EventStatus, WebhookEvent
from messages.json_form import json_form

log = logging.getLogger(__name__)

POLL_S = 0.25  # the poller's sweep for events and answers due
RECORD_S = 0.05  # how long sent answers wait to be marked together
BATCH = 50
MAX_ATTEMPTS = 3
RETRY_AFTER_S = 1.0  # a failed attempt is tried again after this, by whichever process sweeps first
HANDLERS = {"sqlite": 2, "postgresql": 6}  # handler threads per process (one writer at a time on SQLite)
# Backpressure: while this process's backlog (events stored and waiting for a handler) would take
# longer than BACKLOG_TARGET_S to handle at the rate its handlers are going, a webhook request
# (its events already stored) waits up to BACKLOG_WAIT_S for it to shrink before answering LINE.
# Behind a burst the webhook then answers in about a second at worst, well within LINE's 2 s, and
# residents' answers wait about BACKLOG_TARGET_S in the process, on a fast machine or a slow one.
# SQLite handles one event at a time per database, so a short backlog costs it nothing; PostgreSQL's
# handlers overlap their round trips and need a deeper one to stay busy (same-run bench pairs:
# SQLite 0.1 s against 0.25 s, answer p99 -12 to -38% at equal throughput; PostgreSQL 0.1 s, -7% throughput).
BACKLOG_TARGET_S = {"sqlite": 0.1, "postgresql": 0.25}
BACKLOG_MIN_PER_HANDLER = 1  # the backlog never held below this (each handler thread kept busy)
BACKLOG_WAIT_S = 1.0
SENDERS = 8  # answers sent in parallel (and loading animations)
ANSWERABLE = (AnswerStatus.REPLY_PENDING, AnswerStatus.PUSH_PENDING)
NOT_ATTEMPTED = "not attempted: waited too long in its process"
_process: str | None = None
_process_lock = threading.Lock()
_forgotten_after_fork = False  # the fork hook below is registered (once per process tree)


def process_id() -> str:
    """`host:pid:random` of this process (a new one after a fork; no getpid() per call)."""
    global _process, _forgotten_after_fork
    found = _process
    if found is None:
        with _process_lock:  # the first requests of a process come at once: one id for all of them
            if not _forgotten_after_fork:
                os.register_at_fork(after_in_child=_forget_process_id)
                _forgotten_after_fork = True
            if _process is None:
                _process = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
            found = _process
    return found


def _forget_process_id() -> None:
    global _process
    _process = None


@dataclass
class Job:
    """A stored, claimed, pending event on its way to a handler thread."""

    event_id: str
    user_id: str | None
    event_type: str
    event: Event
    occurred_at: datetime
    received_at: datetime
    attempts: int


# ---- storing ----------------------------------------------------------------------------------


def row_of(raw: dict[str, Any], owner: str, now: datetime, claim_until: datetime) -> tuple[dict[str, Any], Event] | None:
    """The `webhook_events` row for one raw event and the parsed event, or None (logged) when it
    is not stored."""
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
    }, event


def store(database: Database, raw_events: Sequence[dict[str, Any]], owner: str, ttl_s: float) -> list[Job]:
    """Store the events (one statement, duplicates ignored); the pending ones this call inserted,
    oldest first (a redelivered copy of a stored event is not handled again)."""
    now = utcnow()
    parsed = [found for raw in raw_events if (found := row_of(raw, owner, now, now + timedelta(seconds=ttl_s)))]
    if not parsed:
        return []
    for attempt in range(2):  # a second time when the connection was lost (a database restart)
        try:
            with database.urgent_engine.begin() as connection:
                inserted = set(connection.execute(_insert_statement(database), [row for row, _ in parsed]).scalars())
            break
        except Exception as error:
            if attempt or not connection_lost(error):
                raise
    jobs = [Job(row["webhook_event_id"], row["line_user_id"], row["event_type"], event, row["occurred_at"], now, 0)
            for row, event in parsed if row["webhook_event_id"] in inserted and row["status"] is EventStatus.PENDING]
    return sorted(jobs, key=lambda job: job.occurred_at)


@functools.cache
def _insert_statement(database: Database) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the inserted ids (built once: SQLAlchemy caches
    its compiled form; executed with the rows as parameters)."""
    insert = sqlite.insert if database.engine.dialect.name == "sqlite" else postgresql.insert
    return (insert(WebhookEvent).on_conflict_do_nothing(index_elements=["webhook_event_id"])
            .returning(WebhookEvent.webhook_event_id))


@functools.cache
def _guarded_update(columns: tuple[str, ...]) -> Any:
    """UPDATE the given columns of one event WHERE it is still pending and claimed by `g_owner`
    (one statement per set of columns, compiled once)."""
    table = WebhookEvent.__table__
    return (
        update(table)
        .where(table.c.webhook_event_id == bindparam("g_id"), table.c.status == EventStatus.PENDING,
               table.c.claimed_by == bindparam("g_owner"))
        .values({name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns})
    )


def _user_id(event: Event) -> str | None:
    source = getattr(event, "source", None)
    return getattr(source, "user_id", None) if source is not None else None


class _TakenOver(Exception):
    """The event is no longer this process's to handle (another process took it over)."""


# ---- the pipeline -----------------------------------------------------------------------------


class EventPipeline:
    """Handles and answers stored events for one app in one process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        ext = app.extensions
        self.settings, self.database, self.gateway, self.router = ext["settings"], ext["db"], ext["gateway"], ext["router"]
        self._lock = threading.Lock()
        self._started_pid: int | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._senders: ThreadPoolExecutor | None = None  # answers due again (retries, pushes)
        self._first: ThreadPoolExecutor | None = None  # first replies: never behind a push's backoff
        self._queues: list[queue.SimpleQueue[Job]] = []
        self._in_flight: set[str] = set()  # queued or being handled in this process
        self._backlog_shrank = threading.Condition()
        self._behind = 0  # webhook requests waiting for the backlog to shrink
        self._pace = HandlingPace(BACKLOG_TARGET_S.get(self.database.engine.dialect.name, 0.25))
        self._sending: set[str] = set()  # first replies queued or being sent in this process
        self._sent: list[tuple[Outgoing, Sent]] = []  # answers sent, not yet recorded
        self._sent_lock = threading.Lock()

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.webhook_claim_ttl_s)

    # -- entry points ------------------------------------------------------------------------

    def accept(self, raw_events: Sequence[dict[str, Any]]) -> None:
        """Store a webhook request's events; handle them now (inline) or pass them to the handlers."""
        jobs = store(self.database, raw_events, process_id(), self.settings.webhook_claim_ttl_s)
        if self.settings.webhook_processing == "inline":
            self.run_inline(jobs)
        elif jobs:
            self.ensure_worker()
            self._enqueue(jobs)
            self._wait_while_behind()

    def run_inline(self, jobs: list[Job]) -> None:
        """The request's own events in order, each tried up to MAX_ATTEMPTS, then any answers due."""
        for job in jobs:
            late = self._animate_if_late(job)
            for _ in range(MAX_ATTEMPTS):
                handled, answer = self.handle(job)
                if handled:
                    if answer is not None:
                        self.send([answer])
                    break
            if late is not None:
                animations.cancel(late)
        self.send_due_answers()

    # -- handling ----------------------------------------------------------------------------

    def handle(self, job: Job, lost_connection_retried: bool = False) -> tuple[bool, Outgoing | None]:
        """One event in one transaction: the handler's work and, in one guarded update, the event
        handled with its answer. (False, None) when the handler raised (the attempt recorded).
        A transaction whose database connection was lost is tried again at once, uncounted."""
        owner, now = process_id(), utcnow()
        logformat.bind(event_id=job.event_id)
        name = self.gateway.display_name(job.user_id) if job.event_type == "follow" and job.user_id else None
        try:
            with self.database.transaction() as session:
                ctx = Context(event=job.event, session=session, settings=self.settings, now=now,
                              user_id=job.user_id, lookup_display_name=lambda _uid: name)
                answer = self._answer_of(job, self.router.dispatch(ctx), now)
                values: dict[str, Any] = {"status": EventStatus.HANDLED, "attempts": job.attempts + 1,
                                          "handled_at": now, "last_error": None}
                if answer is not None:
                    values |= {"answer": answer.messages, "answer_status": AnswerStatus.REPLY_PENDING,
                               "answer_retry_key": answer.retry_key,
                               "answer_next_at": now + self.ttl}  # due for another process only if this one dies
                if self._guarded(session, job, owner, values) != 1:
                    raise _TakenOver
        except _TakenOver:
            log.info("event %s was taken over by another process", job.event_id)
            return True, None
        except Exception as exc:  # noqa: BLE001 - one event's bug must not cost the others
            if connection_lost(exc) and not lost_connection_retried:
                return self.handle(job, lost_connection_retried=True)
            self._record_failure(job, owner, exc)
            return False, None
        metrics.webhook_event(job.event_type, "handled")
        return True, answer

    def _answer_of(self, job: Job, messages: list[Any], now: datetime) -> Outgoing | None:
        token = getattr(job.event, "reply_token", None)
        if not messages or (not token and not job.user_id):
            return None
        bodies = [json_form(message) for message in messages]  # what is stored is what is sent
        return Outgoing(job.event_id, job.user_id, token, bodies, job.received_at, str(uuid.uuid4()),
                        AnswerStatus.REPLY_PENDING, attempts=0, maybe_reached=False)

    @staticmethod
    def _guarded(session: Session, job: Job, owner: str, values: dict[str, Any]) -> int:
        """Update the event if it is still pending and ours; how many rows matched (0 or 1)."""
        params = {f"v_{name}": value for name, value in values.items()}
        return session.execute(_guarded_update(tuple(values)), params | {"g_id": job.event_id, "g_owner": owner}).rowcount

    def _record_failure(self, job: Job, owner: str, exc: Exception) -> None:
        job.attempts += 1
        error = describe_failure(exc)[:300]
        status = EventStatus.FAILED if job.attempts >= MAX_ATTEMPTS else EventStatus.PENDING
        metrics.webhook_event(job.event_type, "failed" if status is EventStatus.FAILED else "error")
        log.error("handling %s event %s failed (attempt %d): %s", job.event_type, job.event_id, job.attempts, error)
        with self.database.transaction() as session:
            self._guarded(session, job, owner, {
                "attempts": job.attempts, "last_error": error, "status": status,
                "claim_until": utcnow() + timedelta(seconds=RETRY_AFTER_S)})

    def _animate_if_late(self, job: Job) -> int | None:
        """The '...' animation if this resident's answer is not sent `loading_after_s` after arrival."""
        if job.event_type not in ("message", "postback") or not job.user_id:
            return None
        waited = (utcnow() - job.received_at).total_seconds()
        show = functools.partial(self.gateway.show_loading, job.user_id)
        return animations.start_after(max(self.settings.loading_after_s - waited, 0.0), show)

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
        done = [(out, result) for out, result in done if not result.taken_over]
        sent = [out.event_id for out, result in done if result.status is AnswerStatus.SENT and not result.error]
        metrics.answers_recorded(now, [(out.received_at, str(result.status)) for out, result in done])
        table = WebhookEvent.__table__  # plain Core updates: no ORM objects to keep in step
        with self.database.transaction() as session:
            connection = session.connection()
            if sent:
                connection.execute(
                    update(table).where(table.c.webhook_event_id.in_(sent))
                    .values(answer_status=AnswerStatus.SENT, answered_at=now, answer_next_at=None,
                            answer_attempts=table.c.answer_attempts + 1)
                )
            for out, result in done:
                if out.event_id in sent:
                    continue
                if result.status is AnswerStatus.FAILED:
                    log.error("answer to event %s failed: %s", out.event_id, result.error)
                connection.execute(  # only while the answer is still this process's: never over a taker's newer state
                    update(table).where(table.c.webhook_event_id == out.event_id,
                                        table.c.claimed_by == process_id(),
                                        table.c.answer_status.in_(ANSWERABLE)).values(
                        answer_status=result.status, answer_attempts=result.attempts, answer_next_at=result.next_at,
                        answer_error=result.error, answered_at=now if result.status is AnswerStatus.SENT else None,
                    )
                )

    def send_due_answers(self) -> None:
        """Answers whose earlier attempt failed, or whose sender died: claimed, then sent."""
        now = utcnow()
        if not self._any(_due(now)):
            return
        with self.database.transaction() as session:
            rows = session.scalars(
                select(WebhookEvent).where(*_due(now)).order_by(WebhookEvent.received_at)
                .limit(BATCH).with_for_update(skip_locked=True)
            ).all()
            with self._sent_lock:  # an answer this process is still sending, or has sent and not yet recorded
                outgoing = [_outgoing_of(row) for row in rows if row.webhook_event_id not in self._sending
                            and all(out.event_id != row.webhook_event_id for out, _ in self._sent)]
            sending_now = {out.event_id for out in outgoing}
            for row in rows:  # the answer's lease (renewed for those still on their way here)
                row.claimed_by, row.answer_next_at = process_id(), now + self.ttl
                if row.webhook_event_id in sending_now and row.answer_error == NOT_ATTEMPTED:
                    # From now on an attempt may reach LINE. If this lease runs out while the reply
                    # is on its way, the next taker must read a refused token as used, not as dead
                    # (it would push a second copy).
                    row.answer_error = None
        self.send(outgoing)

    def _any(self, conditions: tuple[Any, ...]) -> bool:
        """Whether any event matches, read without a lock (an idle process takes none)."""
        with self.database.read_sessions() as session:
            return session.scalar(select(WebhookEvent.webhook_event_id).where(*conditions).limit(1)) is not None

    # -- taking over -------------------------------------------------------------------------

    def take_over(self) -> None:
        """Pending events whose claim expired (a dead process's, a failed attempt's): claimed by
        this process and queued for its handlers."""
        now = utcnow()
        if not self._any(_expired(now)):
            return
        with self.database.transaction() as session:
            rows = session.execute(
                select(WebhookEvent.webhook_event_id, WebhookEvent.line_user_id, WebhookEvent.event_type,
                       WebhookEvent.payload, WebhookEvent.occurred_at, WebhookEvent.received_at, WebhookEvent.attempts)
                .where(*_expired(now)).order_by(WebhookEvent.occurred_at).limit(BATCH).with_for_update(skip_locked=True)
            ).all()
            if rows:
                session.execute(
                    update(WebhookEvent).where(WebhookEvent.webhook_event_id.in_([row[0] for row in rows]))
                    .values(claimed_by=process_id(), claim_until=now + self.ttl)
                )
        jobs = []
        for event_id, user_id, event_type, payload, occurred_at, received_at, attempts in rows:
            if event_id in self._in_flight:
                continue  # still queued here: the claim was only renewed
            try:
                event = Event.from_dict(payload)
            except Exception as exc:  # noqa: BLE001 - stored, so it parsed once; a model change?
                self._record_failure(Job(event_id, user_id, event_type, None, occurred_at, received_at,  # type: ignore[arg-type]
                                         MAX_ATTEMPTS - 1), process_id(), exc)
                continue
            jobs.append(Job(event_id, user_id, event_type, event, occurred_at, received_at, attempts))
        self._enqueue(jobs)

    # -- the threads -------------------------------------------------------------------------

    def ensure_worker(self) -> None:
        """Start this process's threads (after gunicorn's fork: on the first request)."""
        if self._started_pid == os.getpid():
            return
        with self._lock:
            if self._started_pid == os.getpid():
                return
            self._senders = self._first = None  # a pool inherited through a fork has no threads
            self._in_flight, self._sending, self._sent = set(), set(), []
            count = HANDLERS.get(self.database.engine.dialect.name, 4)
            self._queues = [queue.SimpleQueue() for _ in range(count)]
            for number, jobs in enumerate(self._queues):
                threading.Thread(target=self._handle_jobs, args=(jobs,), name=f"event-handler-{number}",
                                 daemon=True).start()
            threading.Thread(target=self._run, name="event-poller", daemon=True).start()
            self._started_pid = os.getpid()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _enqueue(self, jobs: list[Job]) -> None:
        """Each resident's events to one handler thread, in order."""
        for job in jobs:
            self._in_flight.add(job.event_id)
            self._queues[hash(job.user_id) % len(self._queues)].put(job)

    def _backlog_limit(self) -> int:
        return self._pace.backlog_limit(len(self._queues))

    def _wait_while_behind(self) -> None:
        if len(self._in_flight) <= self._backlog_limit():
            return
        deadline = time.monotonic() + BACKLOG_WAIT_S
        with self._backlog_shrank:
            self._behind += 1  # before the check: a handler that finishes after it will wake us
            try:
                while len(self._in_flight) > self._backlog_limit() and (left := deadline - time.monotonic()) > 0:
                    self._backlog_shrank.wait(left)
            finally:
                self._behind -= 1

    def _handle_jobs(self, jobs: queue.SimpleQueue[Job]) -> None:
        with self.app.app_context():
            while not self._stop.is_set():
                job = jobs.get()
                late = self._animate_if_late(job)
                send_by = utcnow() + self.ttl / 2  # the answer's lease is stored from about now
                answer = None
                try:
                    _, answer = self.handle(job)
                except Exception as exc:  # noqa: BLE001 - e.g. the database away: taken over when the claim expires
                    log.error("event %s not handled: %s", job.event_id, describe_failure(exc))
                finally:
                    self._in_flight.discard(job.event_id)
                    self._pace.handled()
                    if self._behind:  # no lock, no wake-up per event when the webhook is not waiting
                        with self._backlog_shrank:
                            self._backlog_shrank.notify_all()
                if answer is None:
                    if late is not None:
                        animations.cancel(late)
                    continue
                self._sending.add(answer.event_id)
                self._first_replies().submit(self._send_one, answer, late, send_by)

    def _send_one(self, answer: Outgoing, late: int | None, send_by: datetime) -> None:
        """The first attempt, unless the answer waited here so long that its lease (stored with
        it, `ttl` after handling) could end while it is sent: then it is left to whichever process
        takes it next, marked as never attempted (a refused token then means dead, not used)."""
        now = utcnow()
        if now > send_by:
            result = Sent(AnswerStatus.REPLY_PENDING, 0, next_at=now, error=NOT_ATTEMPTED)
        else:
            result = answers.send(self.gateway, answer, now, functools.partial(self._still_ours, answer.event_id))
        if late is not None:
            animations.cancel(late)
        with self._sent_lock:
            self._sent.append((answer, result))
            self._sending.discard(answer.event_id)
        self._wake.set()

    def _still_ours(self, event_id: str) -> bool:
        """Whether this process still holds the answer (no one took it over)."""
        with self.database.read_sessions() as session:
            owner = session.scalar(select(WebhookEvent.claimed_by).where(WebhookEvent.webhook_event_id == event_id))
        return owner == process_id()

    def _record_sent(self) -> None:
        with self._sent_lock:
            done, self._sent = self._sent, []
        if done:
            try:
                self._record(done)
            except Exception:
                with self._sent_lock:  # the database away: try again on the next tick
                    self._sent = done + self._sent
                raise

    def _run(self) -> None:
        log.info("event worker %s started", process_id())
        next_sweep, lost_before = 0.0, False
        with self.app.app_context():
            while not self._stop.is_set():
                self._wake.wait(POLL_S)
                self._stop.wait(RECORD_S)  # let a few more answers join this update
                self._wake.clear()
                try:
                    self._record_sent()
                    if (now := time.monotonic()) >= next_sweep:
                        next_sweep = now + POLL_S
                        self.take_over()
                        self.send_due_answers()
                    lost_before = False
                except Exception as exc:  # noqa: BLE001 - the worker must outlive a database hiccup
                    if connection_lost(exc) and not lost_before:  # the pool has new connections: go on at once
                        log.warning("event worker pass: database connection lost, trying again")
                        lost_before = True
                        self._wake.set()
                        continue
                    log.error("event worker pass failed: %s", describe_failure(exc))  # e.g. the database down
                    self._stop.wait(1.0)

    def _map(self, call: Callable[[Any], Any], items: Any) -> list[Any]:
        """`call` on every item: in parallel in the worker, in order in an inline request."""
        if self.settings.webhook_processing == "inline" or len(items) < 2:
            return [call(item) for item in items]
        return list(self._pool().map(call, items))

    def _first_replies(self) -> ThreadPoolExecutor:
        return self._executor("_first", "answer-first")

    def _pool(self) -> ThreadPoolExecutor:
        return self._executor("_senders", "answer-sender")

    def _executor(self, attribute: str, prefix: str) -> ThreadPoolExecutor:
        """This process's pool in `attribute`, created on first use (SENDERS threads)."""
        if getattr(self, attribute) is None:
            with self._lock:
                if getattr(self, attribute) is None:
                    setattr(self, attribute, ThreadPoolExecutor(SENDERS, thread_name_prefix=prefix))
        return getattr(self, attribute)


class HandlingPace:
    """How fast this process's handlers are going: a moving average of the time between two
    handled events (all threads together), and from it the backlog they clear in
    BACKLOG_TARGET_S. Updated without a lock: a lost update only delays the average a little."""

    SMOOTHING = 0.05  # each handled event moves the average this much (about the last 20 events)
    LONGEST_GAP_S = 1.0  # an idle pause counts as this long: a quiet minute is not "slow"

    def __init__(self, target_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.target_s = target_s
        self._clock = clock
        self._last = clock()
        self.interval = self.LONGEST_GAP_S  # no pace measured yet: assume slow, hold the backlog low

    def handled(self) -> None:
        now = self._clock()
        gap, self._last = min(now - self._last, self.LONGEST_GAP_S), now
        self.interval += (gap - self.interval) * self.SMOOTHING

    def backlog_limit(self, handlers: int) -> int:
        """How many events may wait in this process before a webhook holds its answer."""
        return max(BACKLOG_MIN_PER_HANDLER * handlers, int(self.target_s / max(self.interval, 1e-4)))


def _due(now: datetime) -> tuple[Any, ...]:
    return (WebhookEvent.answer_status.in_(ANSWERABLE), WebhookEvent.answer_next_at <= now)


def _expired(now: datetime) -> tuple[Any, ...]:
    return (WebhookEvent.status == EventStatus.PENDING, WebhookEvent.claim_until < now)


def _outgoing_of(row: WebhookEvent) -> Outgoing:
    """A stored answer, sent again: any earlier reply attempt may have reached LINE (unless its
    process recorded that it never tried)."""
    token = row.payload.get("replyToken") if isinstance(row.payload, dict) else None
    return Outgoing(row.webhook_event_id, row.line_user_id, token, list(row.answer or []), row.received_at,
                    row.answer_retry_key or "", row.answer_status, attempts=row.answer_attempts,
                    maybe_reached=row.answer_error != NOT_ATTEMPTED)


def pipeline(app: Flask) -> EventPipeline:
    return app.extensions["event_pipeline"]
