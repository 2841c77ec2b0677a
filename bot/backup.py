"""`python -m bot db backup FILE`: a consistent copy of the database while everything runs.

SQLite: the online backup API (`sqlite3.Connection.backup`), page by page, consistent even with
the web server and the scheduler writing; the copy is a plain database file (restore: stop the
services, put it in place of DATABASE_URL's file, start them).
PostgreSQL: `pg_dump --format=custom` (restore with `pg_restore`, see docs/DEPLOY.md).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


def backup(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(Path(url.database or ""), target)
    else:
        _pg_dump(database_url, target)


def _sqlite_backup(source: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=1024)  # in steps: writers are never held up for long
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError("the copy failed SQLite's integrity check")
    src.close()
    dst.close()
    partial.replace(target)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as pg_dump reads it (no `+psycopg`; the password stays in the URL)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_dump(database_url: str, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={libpq_url(database_url)}"],
                   check=True, env=dict(os.environ))
    partial.replace(target)
