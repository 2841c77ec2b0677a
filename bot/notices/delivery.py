"""Delivering notices to LINE exactly once, even across crashes, restarts and a stale scheduler.

1. **Plan** (one transaction): when a notice falls due, its recipients are resolved from the
   friends table (following, in its areas, with its interests), the messages are built and
   frozen, and the delivery is written as batches: one broadcast for "every friend", else
   multicasts of at most 500 user ids. Each batch row carries its own retry key (a UUID). The
   notice moves from scheduled to sending in the same transaction, guarded by its status, so
   two schedulers can never plan one notice twice (and `deliveries.notice_id` is unique).
   A crash during planning rolls it back: nothing was sent, planning starts again.
2. **Send**: each pending batch is marked as attempted (committed), then sent with *its stored
   retry key*, then marked sent. A crash anywhere leaves the batch pending; the next attempt
   repeats the call with the same key and LINE either delivers it (the first call never
   arrived) or answers 409 "already accepted" (it did), which counts as sent. So nobody gets
   a second copy and nobody is skipped. 5xx and timeouts are retried with the same key (by the
   gateway, then by the next pass); a rate-limit 429 is waited out; the monthly quota holds the
   delivery (送信保留) with the reason; any other 4xx holds it too and is retried only when
   staff resume it.
3. **Claim**: a sender claims the delivery (`claimed_by`, `claim_expires_at`) and renews the claim
   in the same transaction that marks a few batches attempted; it sends nothing once the claim
   has expired. A stale scheduler (paused past its lease, still running) therefore stops at its
   next chunk, and the calls it may have in flight carry retry keys the new sender uses too,
   so LINE accepts each batch once whoever sends it. The claim saves double work; the retry
   keys are what make duplicates impossible.

LINE keeps a retry key for 24 hours. A batch that was attempted, never confirmed, and whose
first attempt is older than `RETRY_KEY_TRUSTED_FOR` is not resent (it may have arrived): it is
marked abandoned and counted as failed for staff to see. Batches never attempted can go any time.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from linebot.v3.messaging import Message
from sqlalchemy import bindparam, case, func, insert, literal, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot import metrics
from bot.config import Settings
from bot.db import Database, UtcDateTime, utcnow
from bot.lease import process_identity
from bot.line.gateway import (
    MULTICAST_MAX_RECIPIENTS, RETRY_KEY_TRUSTED_FOR, LineApiError, LineGateway, MonthlyQuotaExceeded, RateLimited,
    SendRejected,
)
from bot.models import (
    BatchStatus, Delivery, DeliveryBatch, DeliveryMode, DeliveryStatus, Friend, FriendStatus, Notice,
    NoticeStatus,
)
from bot.notices.drafting import local_zone
from bot.notices.reading import content_of
from bot.notices.targeting import most_urgent_first, resolve_recipients
from messages.notices import notice_messages

log = logging.getLogger(__name__)

RATE_LIMIT_WAIT_MAX_S = 120.0  # a pass waits out 429s this long, then the next pass continues
ABANDONED_REASON = "再送すると二重に届くおそれがあるため送信しませんでした（再送キーの有効期限切れ）。"
INSERT_CHUNK = 20  # batch rows per INSERT while planning
KeepGoing = Callable[[], bool]


# -- planning ------------------------------------------------------------------------------------


def plan_batches(user_ids: Iterable[str], size: int = MULTICAST_MAX_RECIPIENTS) -> Iterator[list[str]]:
    """User ids in batches of at most `size`, in order, each id once."""
    seen: set[str] = set()
    batch: list[str] = []
    for user_id in user_ids:
        if user_id in seen:
            continue
        seen.add(user_id)
        batch.append(user_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def is_broadcast(notice: Notice) -> bool:
    """Every friend, whatever their settings: the broadcast API."""
    return not notice.areas and not notice.interests


def start_due_notices(database: Database, settings: Settings, now: datetime | None = None) -> list[int]:
    """Plan every due notice (most urgent first) and expire those overdue past the grace period.
    Returns the ids of the notices planned."""
    now = now or utcnow()
    with database.transaction() as session:
        due = session.execute(
            select(Notice.id, Notice.kind).where(Notice.status == NoticeStatus.SCHEDULED, Notice.due_at <= now)
        ).all()
    planned = []
    for notice_id in most_urgent_first(due):
        with database.transaction() as session:
            notice = session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update())
            if notice is None or notice.status is not NoticeStatus.SCHEDULED or notice.due_at > now:
                continue  # edited, cancelled or planned by someone else meanwhile
            if notice.due_at < now - timedelta(minutes=settings.notice_grace_min):
                expire(session, notice, now, settings)
                continue
            plan_delivery(session, notice, now, settings)
            planned.append(notice_id)
    return planned


def expire(session: Session, notice: Notice, now: datetime, settings: Settings) -> None:
    late = int((now - notice.due_at).total_seconds() // 60)
    notice.status = NoticeStatus.EXPIRED
    notice.status_reason = (
        f"送信時刻を{late}分過ぎていました（スケジューラが止まっていた可能性があります）。"
        f"猶予の{settings.notice_grace_min}分を超えたため送信していません。必要なら内容を確認して作り直してください。"
    )
    notice.updated_at = now
    log.warning("notice %s expired: due %s, %d minutes late", notice.id, notice.due_at.isoformat(), late)


def plan_delivery(session: Session, notice: Notice, now: datetime, settings: Settings) -> Delivery:
    """Resolve recipients, freeze the messages and write the batches with their retry keys."""
    notice.status, notice.published_at, notice.updated_at = NoticeStatus.SENDING, now, now
    messages = notice_messages(content_of(notice), local_zone(settings))
    mode = DeliveryMode.BROADCAST if is_broadcast(notice) else DeliveryMode.MULTICAST
    delivery = Delivery(notice_id=notice.id, mode=mode, status=DeliveryStatus.SENDING,
                        messages=[m.to_dict() for m in messages], planned_at=now)
    session.add(delivery)
    session.flush()
    if mode is DeliveryMode.BROADCAST:
        targets = session.scalar(select(func.count()).select_from(Friend).where(
            Friend.status == FriendStatus.FOLLOWING)) or 0
        _insert_batches(session, delivery.id, [[]], first_seq=0, recipients=[targets])
    else:
        targets, seq, chunk = 0, 0, []
        for batch in plan_batches(resolve_recipients(session, notice.areas, notice.interests)):
            chunk.append(batch)
            targets += len(batch)
            if len(chunk) == INSERT_CHUNK:
                _insert_batches(session, delivery.id, chunk, first_seq=seq)
                seq, chunk = seq + len(chunk), []
        if chunk:
            _insert_batches(session, delivery.id, chunk, first_seq=seq)
    delivery.targets = targets
    if targets == 0 and mode is DeliveryMode.MULTICAST:
        _finish(session, delivery, notice, now)
    log.info("notice %s planned: %s to %d recipients", notice.id, mode.value, targets)
    return delivery


def _insert_batches(session: Session, delivery_id: int, batches: list[list[str]], first_seq: int,
                    recipients: list[int] | None = None) -> None:
    rows = [
        {
            "delivery_id": delivery_id, "seq": first_seq + i, "user_ids": batch,
            "recipients": recipients[i] if recipients else len(batch),
            "retry_key": str(uuid.uuid4()), "status": BatchStatus.PENDING, "attempts": 0,
        }
        for i, batch in enumerate(batches)
    ]
    session.execute(insert(DeliveryBatch), rows)


# -- sending -------------------------------------------------------------------------------------


@dataclass
class PassResult:
    """What one sending pass over a delivery did."""

    delivery_id: int
    sent_batches: int = 0
    outcome: str = "stopped"  # done, held, unavailable, stopped, lost_claim, not_claimed


def deliver_pending(database: Database, gateway: LineGateway, settings: Settings,
                    holder: str | None = None, keep_going: KeepGoing = lambda: True) -> list[PassResult]:
    """One pass over every delivery that still has batches to send, most urgent first."""
    holder = holder or process_identity()
    with database.transaction() as session:
        rows = session.execute(
            select(Delivery.id, Notice.kind).join(Notice, Notice.id == Delivery.notice_id)
            .where(Delivery.status == DeliveryStatus.SENDING)
        ).all()
    results = []
    for delivery_id in most_urgent_first(rows):
        if not keep_going():
            break
        results.append(send_delivery(database, gateway, settings, delivery_id, holder, keep_going))
    return results


def send_delivery(database: Database, gateway: LineGateway, settings: Settings, delivery_id: int,
                  holder: str, keep_going: KeepGoing = lambda: True) -> PassResult:
    """Claim a delivery and send its pending batches, `delivery_concurrency` calls at a time."""
    if not claim(database, delivery_id, holder, utcnow(), settings.delivery_claim_ttl_s):
        return PassResult(delivery_id, outcome="not_claimed")
    with database.transaction() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        mode, messages = delivery.mode, [Message.from_dict(m) for m in delivery.messages]
        pending = list(session.scalars(select(DeliveryBatch.id).where(
            DeliveryBatch.delivery_id == delivery_id, DeliveryBatch.status == BatchStatus.PENDING,
        ).order_by(DeliveryBatch.seq)))
    sender = _Sender(database, gateway, settings, delivery_id, mode, messages, holder, keep_going)
    try:
        sender.run(pending)
    finally:
        outcome = sender.outcome or _finish_if_complete(database, delivery_id)
        release(database, delivery_id, holder)
    return PassResult(delivery_id, sender.sent, outcome)


def claim(database: Database, delivery_id: int, holder: str, now: datetime, ttl_s: float) -> bool:
    """Take the delivery for `holder` unless another sender's claim is still valid."""
    with database.transaction() as session:
        taken = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.SENDING,
                   or_(Delivery.claimed_by.is_(None), Delivery.claimed_by == holder,
                       Delivery.claim_expires_at < now))
            .values(claimed_by=holder, claim_expires_at=now + timedelta(seconds=ttl_s))
        )
        return taken.rowcount == 1


def release(database: Database, delivery_id: int, holder: str) -> None:
    with database.transaction() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.claimed_by == holder)
                        .values(claimed_by=None, claim_expires_at=None))


@dataclass(frozen=True)
class _Batch:
    id: int
    user_ids: list[str]
    retry_key: str


@dataclass(frozen=True)
class _Answer:
    """What LINE said to one batch: `kind` is sent, quota, rejected, unavailable, skipped or error."""

    kind: str
    request_id: str | None = None
    error: LineApiError | Exception | None = None


BATCHES = DeliveryBatch.__table__
DELIVERIES = Delivery.__table__
_mark_sent = (
    BATCHES.update()
    .where(BATCHES.c.id == bindparam("batch_id"), BATCHES.c.status == BatchStatus.PENDING)
    .values(status=BatchStatus.SENT, sent_at=bindparam("now"), sent_by=bindparam("holder"),
            request_id=bindparam("request_id"), error=None)
)


class _Sender:
    """One sending pass over a delivery. This thread does the bookkeeping, a few transactions for
    several batches; worker threads only make the LINE calls. A batch is marked attempted, in a
    committed transaction, before its call starts."""

    def __init__(self, database: Database, gateway: LineGateway, settings: Settings, delivery_id: int,
                 mode: DeliveryMode, messages: list[Message], holder: str, keep_going: KeepGoing) -> None:
        self.database, self.gateway, self.settings = database, gateway, settings
        self.delivery_id, self.mode, self.messages = delivery_id, mode, messages
        self.holder, self.keep_going = holder, keep_going
        self.workers = max(1, settings.delivery_concurrency)
        self.stop = threading.Event()
        self.outcome: str | None = None
        self.sent = 0
        self._conn: Connection

    def end(self, outcome: str) -> None:
        self.outcome = self.outcome or outcome
        self.stop.set()

    def run(self, pending: list[int]) -> None:
        with self.database.engine.connect() as conn:  # one connection for the pass's bookkeeping
            self._conn = conn
            self._run(pending)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self._conn.begin():
            yield self._conn

    def _run(self, pending: list[int]) -> None:
        queue = list(reversed(pending))
        in_flight: dict[Future[_Answer], _Batch] = {}
        answered: list[tuple[_Batch, _Answer]] = []
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="delivery") as pool:
            while queue or in_flight:
                if queue and len(in_flight) < 2 * self.workers and not self.stop.is_set():
                    if not self.keep_going():
                        self.end("stopped")
                    else:
                        chunk = [queue.pop() for _ in range(min(self.workers, len(queue)))]
                        for batch in self._begin(chunk):
                            in_flight[pool.submit(self._call, batch)] = batch
                        continue
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                answered += [(in_flight.pop(future), future.result()) for future in done]
                if len(answered) >= self.workers or not in_flight or self.stop.is_set():
                    self._record(answered)
                    answered = []
        if answered:
            self._record(answered)

    def _begin(self, chunk: list[int]) -> list[_Batch]:
        """Renew the claim and mark the chunk attempted (committed); returns what may be sent."""
        now = utcnow()
        with self._transaction() as conn:  # Core, one connection: this runs for every few batches
            if not self._renew(conn, now):
                self.end("lost_claim")
                return []
            rows = conn.execute(select(
                BATCHES.c.id, BATCHES.c.user_ids, BATCHES.c.retry_key, BATCHES.c.first_attempt_at,
            ).where(BATCHES.c.id.in_(chunk), BATCHES.c.status == BatchStatus.PENDING)).all()
            stale = [r.id for r in rows if r.first_attempt_at and now - r.first_attempt_at > RETRY_KEY_TRUSTED_FOR]
            if stale:
                conn.execute(BATCHES.update().where(BATCHES.c.id.in_(stale)).values(
                    status=BatchStatus.ABANDONED, error=ABANDONED_REASON))
            batches = [_Batch(r.id, list(r.user_ids or []), r.retry_key) for r in rows if r.id not in stale]
            if batches:
                conn.execute(BATCHES.update().where(BATCHES.c.id.in_([b.id for b in batches])).values(
                    attempts=BATCHES.c.attempts + 1, last_attempt_at=now,
                    first_attempt_at=func.coalesce(BATCHES.c.first_attempt_at, literal(now, UtcDateTime()))))
        order = {batch_id: i for i, batch_id in enumerate(chunk)}
        return sorted(batches, key=lambda b: order[b.id])

    def _renew(self, conn: Connection, now: datetime) -> bool:
        """Extend our claim; False once it expired (even if nobody took it: we were too slow)."""
        return conn.execute(
            DELIVERIES.update()
            .where(DELIVERIES.c.id == self.delivery_id, DELIVERIES.c.claimed_by == self.holder,
                   DELIVERIES.c.claim_expires_at >= now, DELIVERIES.c.status == DeliveryStatus.SENDING)
            .values(claim_expires_at=now + timedelta(seconds=self.settings.delivery_claim_ttl_s))
        ).rowcount == 1

    def _call(self, batch: _Batch) -> _Answer:
        """Send one batch with its stored retry key; rate limits are waited out here."""
        pause, waited = 0.25, 0.0
        while not self.stop.is_set() and self.keep_going():
            try:
                if self.mode is DeliveryMode.BROADCAST:
                    answer = self.gateway.broadcast(self.messages, retry_key=batch.retry_key)
                else:
                    answer = self.gateway.multicast(batch.user_ids, self.messages, retry_key=batch.retry_key)
                return _Answer("sent", answer.request_id)
            except RateLimited as exc:
                if waited >= RATE_LIMIT_WAIT_MAX_S:
                    return _Answer("unavailable", error=exc)
                time.sleep(pause)  # LINE gives no Retry-After; its limits are per second
                waited, pause = waited + pause, min(pause * 2, 5.0)
            except MonthlyQuotaExceeded as exc:
                return _Answer("quota", error=exc)
            except SendRejected as exc:
                return _Answer("rejected", error=exc)
            except LineApiError as exc:  # LineUnavailable: the next pass retries with the same key
                return _Answer("unavailable", error=exc)
            except Exception as exc:  # noqa: BLE001 - e.g. the connection pool closed at shutdown
                return _Answer("error", error=exc)
        return _Answer("skipped")

    def _record(self, answered: list[tuple[_Batch, _Answer]]) -> None:
        """Write what LINE answered, in one transaction; hold the delivery on a definite refusal."""
        now = utcnow()
        metrics.delivery_batches(answer.kind for _, answer in answered)
        by_kind: dict[str, list[tuple[_Batch, _Answer]]] = {}
        for batch, answer in answered:
            by_kind.setdefault(answer.kind, []).append((batch, answer))
        refused = by_kind.get("rejected", []) + by_kind.get("quota", [])
        reason = self._hold_reason(refused[0][1]) if refused else None
        with self._transaction() as conn:
            sent = by_kind.get("sent", [])
            if sent:
                conn.execute(_mark_sent, [{"batch_id": b.id, "now": now, "holder": self.holder,
                                           "request_id": (a.request_id or "")[:64] or None} for b, a in sent])
                self.sent += len(sent)
            skipped = [b.id for b, _ in by_kind.get("skipped", [])]
            if skipped:  # never called: as if never attempted
                conn.execute(BATCHES.update().where(BATCHES.c.id.in_(skipped)).values(
                    attempts=BATCHES.c.attempts - 1,
                    first_attempt_at=case((BATCHES.c.attempts <= 1, None), else_=BATCHES.c.first_attempt_at)))
            for batch, answer in by_kind.get("unavailable", []) + by_kind.get("error", []):
                conn.execute(BATCHES.update().where(BATCHES.c.id == batch.id).values(
                    error=_describe(answer.error)[:1000]))
            for batch, answer in refused:  # LINE answered "no": this key was not accepted
                values = {"first_attempt_at": None, "error": _describe(answer.error)[:1000]}
                if answer.kind == "rejected":
                    values["status"] = BatchStatus.REJECTED
                conn.execute(BATCHES.update().where(BATCHES.c.id == batch.id,
                                                    BATCHES.c.status == BatchStatus.PENDING).values(**values))
            if reason is not None:
                self._hold(conn, now, reason)
        trouble = by_kind.get("unavailable", []) + by_kind.get("error", [])
        if trouble:
            log.warning("delivery %s: LINE unavailable (%s); the next pass resends with the same keys",
                        self.delivery_id, _describe(trouble[0][1].error))
            self.end("unavailable")

    def _hold_reason(self, answer: _Answer) -> str:
        if answer.kind == "quota":
            return _quota_reason(self.gateway)
        error = answer.error
        return (f"LINEが送信を受け付けませんでした（{getattr(error, 'status', '?')}: "
                f"{getattr(error, 'message', error)}）。内容や設定を確認してから再開してください。")

    def _hold(self, conn: Connection, now: datetime, reason: str) -> None:
        """送信保留: stop sending; staff see the reason and resume or cancel."""
        held = conn.execute(
            DELIVERIES.update().where(DELIVERIES.c.id == self.delivery_id,
                                      DELIVERIES.c.status == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.HELD, hold_reason=reason, claimed_by=None, claim_expires_at=None)
        ).rowcount
        if held:
            notices = Notice.__table__
            notice_id = select(DELIVERIES.c.notice_id).where(DELIVERIES.c.id == self.delivery_id).scalar_subquery()
            conn.execute(notices.update().where(notices.c.id == notice_id,
                                                notices.c.status == NoticeStatus.SENDING)
                         .values(status=NoticeStatus.HELD, status_reason=reason, updated_at=now))
            log.warning("delivery %s held: %s", self.delivery_id, reason)
        self.end("held")


def _describe(error: BaseException | None) -> str:
    if isinstance(error, LineApiError):
        return f"LINE {error.status}: {error.message}"
    return type(error).__name__ if error is not None else ""


def _quota_reason(gateway: LineGateway) -> str:
    try:
        remaining = gateway.quota().remaining
    except LineApiError:
        remaining = None
    left = "" if remaining is None else f"（残り{remaining}通）"
    return (f"LINEの今月の送信可能数を超えるため送信を保留しました{left}。"
            "来月になるか上限を増やしてから再開してください。")


def _finish_if_complete(database: Database, delivery_id: int) -> str:
    """Mark the delivery done when no batch is pending; else leave it for the next pass."""
    with database.transaction() as session:
        delivery = session.scalar(select(Delivery).where(Delivery.id == delivery_id).with_for_update())
        if delivery is None or delivery.status is not DeliveryStatus.SENDING:
            return "stopped"
        pending = session.scalar(select(func.count()).select_from(DeliveryBatch).where(
            DeliveryBatch.delivery_id == delivery_id, DeliveryBatch.status == BatchStatus.PENDING))
        if pending:
            return "stopped"
        notice = session.get(Notice, delivery.notice_id)
        assert notice is not None
        _finish(session, delivery, notice, utcnow())
        return "done"


def _finish(session: Session, delivery: Delivery, notice: Notice, now: datetime) -> None:
    delivery.status, delivery.finished_at = DeliveryStatus.DONE, now
    delivery.claimed_by = delivery.claim_expires_at = None
    if notice.status is NoticeStatus.SENDING:
        notice.status, notice.finished_at, notice.updated_at = NoticeStatus.SENT, now, now
    log.info("notice %s delivered", notice.id)


def run_deliveries(database: Database, gateway: LineGateway, settings: Settings,
                   keep_going: KeepGoing = lambda: True, holder: str | None = None) -> list[PassResult]:
    """What the scheduler does every few seconds: plan due notices, then send what is pending."""
    start_due_notices(database, settings)
    return deliver_pending(database, gateway, settings, holder=holder, keep_going=keep_going)

