"""Scheduler job for recurring notices: create their coming occurrences (registered in `scheduler.jobs`)."""

from __future__ import annotations

import logging

from bot.db import utcnow
from bot.notices import recurring

log = logging.getLogger(__name__)
POLL_MINUTES = 30


def create_recurring_notices(env) -> None:
    """Create the notices for the coming dates of every recurring notice (8 weeks / 3 months ahead)."""
    created = recurring.create_all_occurrences(env.database, env.settings, utcnow())
    if created:
        log.info("recurring notices: %d occurrences created", created)
