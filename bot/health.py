"""What the platform asks a web process: `/readyz` (load balancers), `/healthz` (monitoring and
the demo) and `/metrics` (Prometheus, behind a token or an allowed network).

- `/readyz`: 200 when this process's database answers, else 503. A load balancer sends LINE's
  webhooks only to ready machines; the scheduler's state does not matter for that (webhooks
  are answered without it), so it is not part of readiness.
- `/healthz`: the same 200/503 for the database, and says whether a scheduler holds a fresh
  lease (`"status": "degraded"`, `"scheduler": "none"` when none does: notices and class
  reminders are not going out). Alert on it, or on `mine_line_scheduler_lease_seconds_left`.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select, text

from bot import metrics, web
from bot.db import utcnow
from bot.models import SchedulerLease

bp = Blueprint("health", __name__)
SCHEDULER_LEASE = "scheduler"


def _lease_left_s() -> float | None:
    """Seconds left on the scheduler's lease; None when no scheduler holds one. Raises when the
    database does not answer."""
    with current_app.extensions["db"].read_sessions() as session:
        session.execute(text("SELECT 1"))
        expires = session.scalar(select(SchedulerLease.expires_at).where(SchedulerLease.name == SCHEDULER_LEASE))
    left = (expires - utcnow()).total_seconds() if expires else 0.0
    return left if left > 0 else None


@bp.get("/healthz")
def healthz():
    """Whether the database answers and a scheduler holds a fresh lease."""
    try:
        left = _lease_left_s()
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        return jsonify(status="error", database="unreachable", scheduler="unknown"), 503
    if left is None:
        return jsonify(status="degraded", database="ok", scheduler="none")
    return jsonify(status="ok", database="ok", scheduler="ok", scheduler_lease_s=round(left, 1))


@bp.get("/readyz")
def readyz():
    """Whether this process can take requests (its database answers)."""
    try:
        _lease_left_s()
    except Exception:  # noqa: BLE001
        return jsonify(ready=False, database="unreachable"), 503
    return jsonify(ready=True, database="ok")


@bp.get("/metrics")
def metrics_page():
    """The Prometheus metrics, for a scraper with the token or from an allowed network."""
    if not _may_scrape():
        return jsonify(message="forbidden"), 403
    return Response(metrics.exposition(web.database()), content_type=metrics.CONTENT_TYPE)


def _may_scrape() -> bool:
    settings = web.settings()
    given = request.headers.get("Authorization", "")
    if settings.metrics_token and hmac.compare_digest(given.encode(), f"Bearer {settings.metrics_token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.metrics_allow)
