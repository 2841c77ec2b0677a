"""Keep only what the city may keep: one rule per kind of residents' data, run daily by the
scheduler (`scheduler/jobs.py`) and by `python -m bot retention run [--json]`.

A rule has a name, a default number of days (changed with `RETENTION_<NAME>_DAYS`, e.g.
`RETENTION_FAQ_ASKS_DAYS=180`), a plain description, and a function that deletes or anonymises
what is older than its cutoff and returns how many rows it changed. A feature registers its own
rule with one line, next to its code, and adds its table to docs/PRIVACY.md:

    retention.register("damage_reports", 365, "被害報告（写真・位置を含む）", purge_damage_reports)

The built-in rules are in `bot/retention/rules.py`; deleting one resident's data on request is
in `bot/retention/residents.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import ConfigError, Settings
from bot.db import Database, utcnow
from bot.logsafe import describe_failure
from bot.retention.registry import RULES, Purge, Rule, register

log = logging.getLogger(__name__)
__all__ = ["RULES", "Outcome", "Purge", "Rule", "all_rules", "days_for", "register", "run"]


def all_rules() -> list[Rule]:
    from bot.retention import rules  # noqa: F401 - the built-in rules register themselves

    return list(RULES.values())


def days_for(rule: Rule, settings: Settings) -> int:
    return settings.retention_days.get(rule.name, rule.default_days)


def check_settings(settings: Settings) -> None:
    """A RETENTION_*_DAYS naming no rule is a typo that would keep data too long: refuse it."""
    known = {rule.name for rule in all_rules()}
    unknown = sorted(set(settings.retention_days) - known)
    if unknown:
        names = ", ".join(f"RETENTION_{name.upper()}_DAYS" for name in unknown)
        raise ConfigError(f"{names}: no such retention rule (known: {', '.join(sorted(known))})")


@dataclass(frozen=True)
class Outcome:
    rule: str
    days: int
    cutoff: datetime
    rows: int
    error: str | None = None  # the failure's type and place (the rule's rows were left as they were)


def run(database: Database, settings: Settings, now: datetime | None = None) -> list[Outcome]:
    """Apply every rule, each in its own transaction (one failing rule does not stop the others)."""
    check_settings(settings)
    now = now or utcnow()
    outcomes = []
    for rule in all_rules():
        days = days_for(rule, settings)
        cutoff = now - timedelta(days=days)
        try:
            with database.transaction() as session:
                outcomes.append(Outcome(rule.name, days, cutoff, rule.purge(session, cutoff)))
        except Exception as exc:  # noqa: BLE001 - the other rules still run; the job reports it
            outcomes.append(Outcome(rule.name, days, cutoff, 0, describe_failure(exc)))
            log.error("retention rule %s failed: %s", rule.name, describe_failure(exc))
    log.info("retention: %s", ", ".join(f"{o.rule} {o.rows}" for o in outcomes))
    return outcomes
