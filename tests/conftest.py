"""Fixtures for the whole suite: a real database (SQLite file; PostgreSQL too when
TEST_DATABASE_URL is set), the LINE emulator over HTTP, the bot served on a real port, and staff
accounts with a test client logged in as one of them."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import quote

import pytest
from sqlalchemy import inspect, text
from werkzeug.serving import make_server

from bot import create_app, migrate
from bot.config import Settings
from bot.db import Base, Database, make_engine
from bot.friends import AREAS
from bot.line.gateway import LineGateway
from bot.staff import accounts as staff
from scheduler import damage_jobs
from scheduler.jobs import JobEnvironment
from tests.support import notices as notice_support
from tests.support.console import FAST_HASHER, StaffLogin, create_staff, log_in
from tests.support.processes import TEST_ACCESS_TOKEN, TEST_CHANNEL_SECRET
from tests.support.sim import SimClient

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the session: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        migrate.upgrade(url)
        yield url
        return
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL variant skipped")
    from bot.config import normalise_database_url

    server_url = normalise_database_url(server_url)
    schema = f"t_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_engine(server_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clean_database(database_url: str) -> Iterator[str]:
    """The session database, emptied after the test."""
    yield database_url
    engine = make_engine(database_url)
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in existing:
                conn.execute(table.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def emulator() -> Iterator[object]:
    from emulator.server import EmulatorServer

    server = EmulatorServer(channel_secret=TEST_CHANNEL_SECRET, access_token=TEST_ACCESS_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sim(emulator: object) -> Iterator[SimClient]:
    client = SimClient(emulator.url)  # type: ignore[attr-defined]
    client.reset()
    yield client
    client.reset()


def make_settings(database_url: str, line_api_base: str | None, **overrides: object) -> Settings:
    settings = Settings.from_env(
        {
            "APP_ENV": "test",
            "LINE_CHANNEL_SECRET": TEST_CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TEST_ACCESS_TOKEN,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
        }
    )
    return settings.with_overrides(**{"line_api_base": line_api_base, "line_timeout_s": 5.0, **overrides})


@pytest.fixture
def settings(clean_database: str, emulator: object) -> Settings:
    return make_settings(clean_database, emulator.url)  # type: ignore[attr-defined]


@pytest.fixture
def app(settings: Settings):
    application = create_app({"settings": settings})
    yield application
    application.extensions["event_pipeline"].stop()  # its poller must not outlive the test's database
    application.extensions["gateway"].close()
    application.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class ServedApp:
    def __init__(self, app) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> ServedApp:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)


@pytest.fixture
def bot_server(app, emulator, sim) -> Iterator[ServedApp]:
    """The bot on a real port, with the emulator sending its webhooks there."""
    served = ServedApp(app).start()
    emulator.webhook_url = f"{served.url}/callback"
    yield served
    served.stop()


@pytest.fixture
def database(app) -> Database:
    """The test's database, as the app uses it (for writing test data through the domain code)."""
    return app.extensions["db"]


@pytest.fixture
def db_session(app):
    """A read-only session for assertions (it never holds SQLite's write lock)."""
    with app.extensions["db"].read_sessions() as session:
        yield session


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id in every test (tests/console/test_passwords.py undoes it for the real cost)."""
    monkeypatch.setattr(staff, "_hasher", lambda: FAST_HASHER)


@pytest.fixture
def make_staff(settings: Settings) -> Callable[..., StaffLogin]:
    """make_staff(login_name, role="admin", ...) -> StaffLogin, in this test's database."""

    def make(login_name: str, role: str = "admin", **kwargs) -> StaffLogin:
        return create_staff(settings.database_url, login_name, role, **kwargs)

    return make


@pytest.fixture
def login_as(client, make_staff) -> Callable[..., StaffLogin]:
    """login_as(role) -> StaffLogin: create an account with that role and log `client` in."""

    def login(role: str = "admin", login_name: str | None = None) -> StaffLogin:
        account = make_staff(login_name or f"{role}-user", role)
        response = log_in(client, account.login_name, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return account

    return login


# -- notices: the domain's gateway, friends in bulk, scheduler processes (tests/support/notices.py)


@pytest.fixture
def gateway(app):
    return app.extensions["gateway"]


@pytest.fixture
def friends(sim, database) -> Callable[..., list[str]]:
    """`friends(n, area=..., interests=...)`: n users following in the emulator and in the database."""

    def make(count: int, area: str | None = None, interests: Sequence[str] = ()) -> list[str]:
        user_ids = notice_support.bulk_users(sim, count)
        notice_support.add_friends(database, user_ids, area, interests)
        return user_ids

    return make


@pytest.fixture
def schedulers(clean_database, emulator, tmp_path) -> Iterator[notice_support.SchedulerProcesses]:
    processes = notice_support.SchedulerProcesses(clean_database, emulator.url, tmp_path)
    yield processes
    processes.stop_all()


# -- residents who follow the account; the scheduler's damage-photo job (shelters, damage reports)


@pytest.fixture
def resident(bot_server, sim) -> Callable[..., str]:
    """resident(area=None) -> user id: a friend who followed (and set their area, if given)."""

    def follow(area: str | None = None) -> str:
        user = sim.new_user("美祢 花子")
        sim.follow(user)
        if area is None:
            sim.tap(user, "あとで")
        else:
            sim.tap(user, f"{AREAS[area]}地域")
            sim.tap(user, "完了")
        return user

    return follow


@pytest.fixture
def run_photo_job(settings, database) -> Callable[[], None]:
    """One run of the scheduler's `fetch_damage_photos` job, through a real gateway to the emulator."""
    gateway = LineGateway(settings, sleep=lambda _seconds: None)  # retries without waiting

    def run() -> None:
        damage_jobs.fetch_damage_photos(JobEnvironment(settings=settings, database=database, gateway=gateway))

    yield run
    gateway.close()
