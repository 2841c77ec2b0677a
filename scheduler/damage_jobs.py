"""Scheduler job for damage reports: fetch the photos residents sent from LINE's content API
(the webhook only keeps each photo's message id). Registered in `scheduler.jobs`; every few
seconds, and at once after a restart."""

from __future__ import annotations

import logging

from bot.damage.photos import fetch_pending_photos

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0


def fetch_damage_photos(env) -> None:
    """Store the photos of damage reports that are still 「写真を取得中」."""
    summary = fetch_pending_photos(env.database, env.gateway)
    if summary.stored or summary.given_up or summary.retrying:
        log.info("damage photos: %d stored, %d given up, %d to retry", summary.stored, summary.given_up,
                 summary.retrying)
