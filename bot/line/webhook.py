"""`POST /callback`: the LINE webhook. Verify, parse, store the events, answer 200.

The events are handled and answered by this process's event worker (`bot/line/events.py`), or
in the request with `WEBHOOK_PROCESSING=inline`. The raw body holds residents' words and is
never logged; neither are tokens."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from bot import metrics, web
from bot.line.events import pipeline
from bot.line.signature import is_valid

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback():
    """Receive events from LINE; every resident gets one answer."""
    raw = request.get_data(cache=False)
    if not is_valid(web.settings().channel_secret, raw, request.headers.get("X-Line-Signature")):
        log.warning("webhook rejected: missing or invalid signature")
        metrics.webhook_event("request", "invalid_signature")
        return jsonify(message="invalid signature"), 400
    raw_events = _raw_events(raw)
    if raw_events is None:
        log.warning("webhook rejected: body is not a LINE webhook payload")
        metrics.webhook_event("request", "malformed")
        return jsonify(message="malformed body"), 400
    pipeline(current_app).accept(raw_events)
    return jsonify({})


def _raw_events(raw: bytes) -> list[dict[str, Any]] | None:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return None
    return [e for e in payload["events"] if isinstance(e, dict)]
