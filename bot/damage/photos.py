"""Fetching the photos of damage reports from LINE (the content API), after the reply: the
webhook's handlers never call LINE, so a report keeps the photo's message id ("pending") and the
scheduler's job `fetch_damage_photos` calls this every few seconds. A failure is retried on the
next run; LINE keeps a photo for a limited time, so after a few failures (or a 404) the report
says the photo could not be fetched."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from bot.damage import PHOTO_MAX_BYTES
from bot.db import Database
from bot.line.gateway import LineApiError, SendRejected
from bot.models import DamageReport, PhotoState

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BATCH = 20
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


class ContentSource(Protocol):
    def message_content(self, message_id: str, max_bytes: int) -> tuple[bytes, str] | None: ...


@dataclass(frozen=True)
class FetchSummary:
    stored: int = 0
    given_up: int = 0
    retrying: int = 0


def fetch_pending_photos(database: Database, gateway: ContentSource, limit: int = BATCH) -> FetchSummary:
    """Download the photos still pending, one transaction each; the counts of what happened."""
    with database.read_sessions() as session:
        pending = list(session.scalars(
            select(DamageReport.id).where(DamageReport.photo_state == PhotoState.PENDING)
            .order_by(DamageReport.id).limit(limit)))
    stored = given_up = retrying = 0
    for report_id in pending:
        outcome = _fetch_one(database, gateway, report_id)
        stored += outcome == PhotoState.STORED
        given_up += outcome in (PhotoState.UNAVAILABLE, PhotoState.TOO_LARGE)
        retrying += outcome == PhotoState.PENDING
    return FetchSummary(stored, given_up, retrying)


def _fetch_one(database: Database, gateway: ContentSource, report_id: int) -> PhotoState | None:
    with database.read_sessions() as session:
        message_id = session.scalar(select(DamageReport.photo_message_id).where(DamageReport.id == report_id))
    if not message_id:
        return None
    found, outcome = None, PhotoState.PENDING
    try:
        found = gateway.message_content(message_id, PHOTO_MAX_BYTES)
        outcome = PhotoState.STORED if found is not None else PhotoState.TOO_LARGE
    except SendRejected as exc:  # 404: LINE no longer has it (or never had it)
        log.warning("damage report %d: LINE refused the photo (%d)", report_id, exc.status)
        outcome = PhotoState.UNAVAILABLE
    except LineApiError as exc:
        log.warning("damage report %d: photo not fetched yet (LINE %d)", report_id, exc.status)
    with database.transaction() as session:
        report = session.get(DamageReport, report_id)
        if report is None or report.photo_state is not PhotoState.PENDING:
            return None
        report.photo_attempts += 1
        if outcome is PhotoState.PENDING and report.photo_attempts >= MAX_ATTEMPTS:
            outcome = PhotoState.UNAVAILABLE
        if found is not None:
            data, content_type = found
            report.photo, report.photo_type = data, content_type if content_type in IMAGE_TYPES else "image/jpeg"
        report.photo_state = outcome
        return outcome
