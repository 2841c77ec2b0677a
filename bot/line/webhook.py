"""`POST /callback`: the LINE webhook. Verify, parse, dedupe, dispatch, reply, answer 200.

The raw body holds residents' words and is never logged; neither are tokens."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, jsonify, request
from linebot.v3.webhooks import Event, FollowEvent, MessageEvent, PostbackEvent
from sqlalchemy.exc import IntegrityError

from bot import friends, web
from bot.line import conversation
from bot.db import utcnow
from bot.line.gateway import LineApiError
from bot.models import ProcessedEvent
from bot.line.router import Context
from bot.logsafe import describe_failure
from bot.line.signature import is_valid

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback():
    """Receive events from LINE and answer each resident."""
    raw = request.get_data(cache=False)
    if not is_valid(web.settings().channel_secret, raw, request.headers.get("X-Line-Signature")):
        log.warning("webhook rejected: missing or invalid signature")
        return jsonify(message="invalid signature"), 400
    raw_events = _raw_events(raw)
    if raw_events is None:
        log.warning("webhook rejected: body is not a LINE webhook payload")
        return jsonify(message="malformed body"), 400
    for raw_event in sorted(raw_events, key=_timestamp):
        event = _parse_event(raw_event)
        if event is not None:
            _handle(event)
    return jsonify({})


def _raw_events(raw: bytes) -> list[dict[str, Any]] | None:
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return None
    return [e for e in payload["events"] if isinstance(e, dict)]


def _timestamp(raw_event: dict[str, Any]) -> int:
    value = raw_event.get("timestamp")
    return value if isinstance(value, int) else 0


def _parse_event(raw_event: dict[str, Any]) -> Event | None:
    event_type = str(raw_event.get("type", "?"))[:32]
    if not isinstance(raw_event.get("webhookEventId"), str):
        log.warning("skipping %s event without webhookEventId", event_type)
        return None
    try:
        if not Event.get_discriminator_value(raw_event):
            log.info("ignoring unknown event type %s", event_type)
            return None
        return Event.from_dict(raw_event)
    except Exception:  # noqa: BLE001 - a malformed event must not cost the others
        # The exception text quotes the event (residents' words): never log it.
        log.warning("skipping malformed %s event", event_type)
    return None


def _handle(event: Event) -> None:
    """Process one event exactly once; its failure does not affect the other events."""
    event_id = event.webhook_event_id
    user_id = getattr(event.source, "user_id", None) if event.source else None
    settings, database, gateway = web.settings(), web.database(), web.gateway()
    display_name = gateway.display_name(user_id) if isinstance(event, FollowEvent) and user_id else None
    try:
        with database.transaction() as session:
            if session.get(ProcessedEvent, event_id) is not None:
                log.info("event %s already handled", event_id)
                return
            session.add(ProcessedEvent(webhook_event_id=event_id, event_type=event.type))
            session.flush()
            if getattr(event, "mode", "active") == "standby":
                return
            now = utcnow()
            ctx = Context(
                event=event,
                session=session,
                settings=settings,
                now=now,
                user_id=user_id,
                friend=friends.get_friend(session, user_id) if user_id else None,
                conversation=conversation.active_state(session, user_id, now) if user_id else None,
                lookup_display_name=lambda _uid: display_name,
            )
            slow_capable = isinstance(event, MessageEvent | PostbackEvent)
            with gateway.loading_while_slow(user_id if slow_capable else None, settings.loading_after_s):
                messages = web.router().dispatch(ctx)
    except IntegrityError:
        log.info("event %s handled by another worker", event_id)
        return
    except Exception as exc:  # noqa: BLE001
        log.error("handling %s event %s failed (%s); it stays unprocessed", event.type, event_id, describe_failure(exc))
        return
    try:
        gateway.reply(getattr(event, "reply_token", None), user_id, messages)
    except LineApiError as exc:
        log.error("answer to event %s not sent: LINE %s", event_id, exc.status)
