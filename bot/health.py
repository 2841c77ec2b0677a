"""Health check for the load balancer and the demo."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Tell a load balancer whether this worker can reach its database."""
    try:
        with current_app.extensions["db"].read_sessions() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")
