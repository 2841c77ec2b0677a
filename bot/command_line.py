"""What every `python -m bot ...` command shares: one database session for the command, who is
acting (for the audit log), printing JSON, the exit codes, and printing a refusal.

Each feature's commands are in its own package (`bot/<feature>/cli.py`, with
`add_commands(subparsers)`); `bot/cli.py` lists them. A command is a function of the parsed
arguments that returns an exit code:

    def _cancel(args):
        def work(session, settings):
            ...
            return OK
        return run_in_transaction(work, refusals=[((ClassNotFound,), refused)])
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from bot import audit
from bot.config import Settings

OK = 0
REFUSED = 1  # the command could not do what was asked: bad input, or a rule of the domain said no
CONFIG_ERROR = 2  # the environment's settings are missing or wrong

Explain = Callable[[Exception], Iterable[str]]
Refusals = Sequence[tuple[tuple[type[Exception], ...], Explain]]


@contextmanager
def database_session(read_only: bool = False, settings: Settings | None = None) -> Iterator[Session]:
    """A session on the configured database for one command: committed at the end (rolled back on
    an error), or `read_only` (which never holds SQLite's write lock)."""
    from bot.db import Database

    database = Database((settings or Settings.from_env()).database_url)
    try:
        if read_only:
            with database.read_sessions() as session:
                yield session
        else:
            with database.transaction() as session:
                yield session
    finally:
        database.dispose()


def run_in_transaction(work: Callable[[Session, Settings], int], refusals: Refusals = ()) -> int:
    """`work(session, settings)` in one transaction, its exit code. An exception of a type named in
    `refusals` rolls the work back, prints what its `Explain` says to stderr and exits REFUSED."""
    settings = Settings.from_env()
    refused_types = tuple(kind for kinds, _ in refusals for kind in kinds)
    try:
        with database_session(settings=settings) as session:
            return work(session, settings)
    except refused_types as exc:
        explain = next(explain for kinds, explain in refusals if isinstance(exc, kinds))
        for line in explain(exc):
            print(line, file=sys.stderr)
        return REFUSED


def field_errors(exc: Exception) -> list[str]:
    """One line a field for a validation error carrying `errors` ({field: message})."""
    return [f"{name}: {message}" for name, message in getattr(exc, "errors", {}).items()]


def message(exc: Exception) -> list[str]:
    return [str(exc)]


def refused(exc: Exception) -> list[str]:
    return [f"refused: {exc}"]


def fail(text: str) -> int:
    """Print `text` to stderr; the exit code REFUSED."""
    print(text, file=sys.stderr)
    return REFUSED


def actor(args: argparse.Namespace) -> str:
    """Who the audit log names: `--by LOGIN` if given, else "cli"."""
    return args.by.strip() if getattr(args, "by", None) else audit.CLI_ACTOR


def print_json(value: Any) -> None:
    """One line of JSON on stdout (Japanese text as is, not escaped)."""
    print(json.dumps(value, ensure_ascii=False))
