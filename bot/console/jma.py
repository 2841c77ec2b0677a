"""気象庁の自動連携 (/console/jma): the last poll and its result, the telegrams seen, and per kind
of alert what happens (send automatically, a draft for approval, nothing); admins change it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import web
from bot.console.auth import current_actor, current_staff, require_role
from bot.db import utcnow
from bot.jma import policy
from bot.jma.poll import OUTCOMES, POLL_ROW
from bot.jma.rules import AlertKind
from bot.models import AlertAction, JmaFeed, JmaPoll, JmaTelegram, StaffRole

bp = Blueprint("jma", __name__, url_prefix="/console/jma")

TELEGRAMS_SHOWN = 50


@bp.get("")
def index():
    """Show the last poll, the telegrams seen, and what each kind of alert does."""
    session = web.db_session()
    staff = current_staff()
    return render_template(
        "console/jma/index.html",
        settings=web.settings(),
        last_poll=session.get(JmaPoll, POLL_ROW),
        feeds=list(session.scalars(select(JmaFeed).order_by(JmaFeed.url))),
        telegrams=list(session.scalars(select(JmaTelegram).order_by(JmaTelegram.id.desc()).limit(TELEGRAMS_SHOWN))),
        outcomes=OUTCOMES,
        policies=policy.policies(session).values(),
        action_labels=policy.ACTION_LABELS,
        can_edit=staff is not None and staff.role is StaffRole.ADMIN,
    )


@bp.post("/settings")
@require_role(StaffRole.ADMIN)
def save_settings():
    """Store what each kind of alert does (admins)."""
    session = web.db_session()
    now, actor = utcnow(), current_actor()
    for kind in AlertKind:
        raw = request.form.get(f"action-{kind.value}", "")
        action = next((a for a in AlertAction if a.value == raw), None)
        if action is None:
            session.rollback()
            flash("設定の値が正しくありません。もう一度選んでください。", "error")
            return redirect(url_for("jma.index"))
        policy.set_policy(session, kind, action, request.form.get(f"mode-{kind.value}") == "on", actor, now)
    session.commit()
    flash("気象庁の情報の扱いを保存しました。", "success")
    return redirect(url_for("jma.index"))
