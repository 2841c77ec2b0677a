"""受信の失敗 (admins): webhook events whose handling failed after its retries and answers that
could not be sent, newest first. Read-only: what happened, never residents' words (the same list
as `python -m bot events failed`)."""

from __future__ import annotations

from flask import Blueprint, render_template

from bot import web
from bot.console.auth import require_role
from bot.line.failures import failed_events
from bot.models import EventStatus, StaffRole

bp = Blueprint("events", __name__, url_prefix="/console")

EVENT_TYPE_LABELS = {
    "message": "メッセージ", "postback": "ボタン", "follow": "友だち追加", "unfollow": "ブロック",
}


@bp.get("/events/failed")
@require_role(StaffRole.ADMIN)
def failed():
    """The failed events and answers (up to 200)."""
    return render_template("console/events_failed.html", failures=failed_events(web.database()),
                           event_failed=EventStatus.FAILED, type_labels=EVENT_TYPE_LABELS)
