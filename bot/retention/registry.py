"""The retention rules' registry (kept apart from the rules, so that they import it without a cycle)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

Purge = Callable[[Session, datetime], int]  # (session, cutoff) -> rows deleted or anonymised


@dataclass(frozen=True)
class Rule:
    name: str
    default_days: int
    description: str  # what is kept, in Japanese (the CLI and docs/PRIVACY.md use the same words)
    purge: Purge


RULES: dict[str, Rule] = {}


def register(name: str, default_days: int, description: str, purge: Purge) -> Rule:
    """Add (or replace) a retention rule; `name` is also the setting RETENTION_<NAME>_DAYS."""
    rule = Rule(name, default_days, description, purge)
    RULES[name] = rule
    return rule
