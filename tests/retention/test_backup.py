"""`python -m bot db backup FILE` and the restore docs/DEPLOY.md describes, both tried: SQLite's
online backup while a writer runs, and pg_dump / pg_restore into a new PostgreSQL database."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading

import pytest
from sqlalchemy import func, select, text

from bot import backup, migrate
from bot.config import normalise_database_url
from bot.db import Database, make_engine
from bot.models import AuditEntry
from tests.support.processes import run_cli


def write_entries(database: Database, n: int, stop: threading.Event | None = None) -> None:
    for i in range(n):
        if stop is not None and stop.is_set():
            return
        with database.transaction() as session:
            session.add(AuditEntry(actor="test", action=f"row.{i}"))


def test_sqlite_backup_while_writing_restores_to_a_working_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate.upgrade(url)
    live = Database(url)
    write_entries(live, 200)
    stop = threading.Event()
    writer = threading.Thread(target=write_entries, args=(live, 10_000, stop))
    writer.start()
    try:
        result = run_cli(url, "db", "backup", str(tmp_path / "copy.sqlite3"))
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    shutil.copy(tmp_path / "copy.sqlite3", tmp_path / "restored.sqlite3")  # the restore: the file put in place
    restored = Database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    with restored.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) >= 200
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    migrate.upgrade(restored.url)  # already at head: nothing to do, no error
    live.dispose()
    restored.dispose()


def test_pg_dump_and_pg_restore_give_back_every_row(tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL backup not tried")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    admin = make_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
    names = [f"bk_{secrets.token_hex(4)}", f"rs_{secrets.token_hex(4)}"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    source_url, restored_url = (str(admin.url.set(database=name).render_as_string(hide_password=False)) for name in names)
    try:
        migrate.upgrade(source_url)
        source = Database(source_url)
        write_entries(source, 50)
        source.dispose()
        dump = tmp_path / "mine-line.dump"
        assert run_cli(source_url, "db", "backup", str(dump)).returncode == 0
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={backup.libpq_url(restored_url)}",
                        str(dump)], check=True)
        restored = Database(restored_url)
        with restored.read_sessions() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == 50
        restored.dispose()
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
