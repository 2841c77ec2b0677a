"""Database engine, sessions and the declarative base shared by every model.

SQLite (the embedded default) is shared by the web server, the scheduler and command-line tools
at the same time: WAL mode lets readers run beside one writer, every transaction starts with
BEGIN IMMEDIATE (read-only sessions: DEFERRED) so two writers queue instead of failing with
"database is locked" when a reader tries to upgrade.

Writers queue in two steps (`SqliteWriterGate`): the threads of one process take turns on a
process-wide gate (the webhook's insert, marked `SQLITE_URGENT_OPTION`, alternates with the
others), so only one thread per process asks SQLite for the lock; that thread retries BEGIN
IMMEDIATE after 1, 2 and 5 ms, again and again. SQLite's own busy handler sleeps up to 100 ms
between tries, so under load one process could take the lock again and again while the other
slept (the webhook's answer then took seconds).
"""

from __future__ import annotations

import enum
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_BEGIN_OPTION = "sqlite_begin"
SQLITE_URGENT_OPTION = "sqlite_urgent"  # this write goes first among the process's writers
SQLITE_RETRY_MS = 8  # SQLite's busy handler tries at 0, 1, 3 and 8 ms, then we ask again
GATE_PATIENCE_S = 2.0  # a writer waits this long for its turn, then asks SQLite directly
# A PostgreSQL connection that waited in the pool this long is pinged before use (a server restart
# or a firewall may have ended it); one in steady use is not: a ping per checkout was ~4% of the
# web workers' CPU under load. A connection lost while in use fails its statement, SQLAlchemy then
# discards every pooled connection of that age, and the callers retry (`connection_lost`).
PING_IDLE_S = 10.0

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def value_enum(enum_class: type[enum.Enum], length: int) -> Enum:
    """A StrEnum stored as its value in a plain string column (no database enum type)."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}


def utcnow() -> datetime:
    return datetime.now(UTC)


def session_holds(session: Session, model: type, key: Any) -> bool:
    """Whether `session` has `model`'s row `key` loaded (maybe changed or deleted) or a new
    `model` object not yet flushed: then only the ORM's answer agrees with what the session
    will write, and a plain SELECT, cheaper on a hot path, would not."""
    return (session.identity_key(model, key) in session.identity_map
            or any(isinstance(item, model) for item in session.new))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings this project relies on for `url`'s backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, **kwargs)
        _ping_when_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **kwargs,
    )

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    gate = SqliteWriterGate()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        options = connection.get_execution_options()
        mode = options.get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
        if mode != "IMMEDIATE":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        gate.enter(connection.info, urgent=bool(options.get(SQLITE_URGENT_OPTION)))
        try:
            _begin_immediate(connection)
        except BaseException:
            gate.leave(connection.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(connection: Any) -> None:
        gate.leave(connection.info)

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        gate.leave(record.info)  # a transaction ended without commit or rollback events (pool reset)

    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has been idle PING_IDLE_S or more."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_IDLE_S:
            return  # a new connection, or one in steady use
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as error:
            raise exc.DisconnectionError("idle connection lost") from error  # the pool takes a new one


def connection_lost(error: BaseException) -> bool:
    """Whether `error` is a statement that failed because its database connection was lost (the
    pool has discarded it; trying again takes a new connection)."""
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated


def _begin_immediate(connection: Any) -> None:
    """BEGIN IMMEDIATE, asking again every few milliseconds while another process holds the
    write lock (up to the busy timeout): SQLite's busy handler, given a few milliseconds per
    try, retries after 1, 2 and 5 ms instead of sleeping up to 100 ms between tries."""
    raw = connection.connection.dbapi_connection
    raw.execute(f"PRAGMA busy_timeout={SQLITE_RETRY_MS}")
    try:
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class Database:
    """An engine and its session factory; one per process (app, scheduler, command)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Read-only work (pages, reports, tests) must not hold SQLite's write lock.
        self.read_sessions = sessionmaker(
            self.engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"}), expire_on_commit=False
        )
        # Short writes that someone waits for (the webhook's insert) take turns with the others on SQLite.
        self.urgent_engine = self.engine.execution_options(**{SQLITE_URGENT_OPTION: True})

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


class SqliteWriterGate:
    """One writing transaction at a time per process (see the module's text). Urgent writes and
    the others take turns while both wait: the webhook's insert never waits behind more than one
    event's handling, and handling is never starved by a stream of inserts.

    Held from BEGIN to COMMIT/ROLLBACK on one connection (marked in the connection's `info`).
    The gate only orders writers; SQLite's lock keeps them apart. So a writer that has waited
    GATE_PATIENCE_S goes on without it: a long transaction, a thread that begins a second write
    while it holds the gate, or a connection lost mid-transaction cannot stall the others.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # One condition per kind, so that leaving wakes one writer whose turn it is, not all.
        self._turn = {True: threading.Condition(self._lock), False: threading.Condition(self._lock)}
        self._held = False
        self._waiting = {True: 0, False: 0}  # urgent, other
        self._last_urgent = False

    def _may_enter(self, urgent: bool) -> bool:
        if self._held:
            return False
        other_waits = self._waiting[not urgent] > 0
        return not other_waits or self._last_urgent != urgent

    def _wake_next(self) -> None:
        """With the lock held and the gate free: wake one writer of the kind whose turn it is."""
        kind = (not self._last_urgent) if self._waiting[not self._last_urgent] else self._last_urgent
        if self._waiting[kind]:
            self._turn[kind].notify()

    def enter(self, info: dict[str, Any], urgent: bool = False) -> None:
        if info.get(self):
            return  # this connection already holds it
        deadline = time.monotonic() + GATE_PATIENCE_S
        with self._lock:
            self._waiting[urgent] += 1
            try:
                while not self._may_enter(urgent):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._turn[urgent].wait(left)
            finally:
                self._waiting[urgent] -= 1
            if not self._may_enter(urgent):
                # Waited too long: a long transaction, or a holder that never said it ended (a
                # connection invalidated mid-transaction). Go on without the gate; SQLite's own
                # lock still lets one writer in at a time.
                if not self._held:
                    self._wake_next()
                return
            self._held, self._last_urgent = True, urgent
        info[self] = True

    def leave(self, info: dict[str, Any]) -> None:
        if not info.pop(self, False):
            return
        with self._lock:
            self._held = False
            self._wake_next()
