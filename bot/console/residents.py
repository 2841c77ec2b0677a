"""住民データの削除 (admins): delete everything held about one resident on their request, after a
confirm page that says how much will go; the retention periods are shown on the same page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot import retention, web
from bot.console.auth import current_actor, require_role
from bot.models import StaffRole
from bot.retention.residents import delete_resident

bp = Blueprint("residents", __name__, url_prefix="/console")


@bp.get("/residents")
@require_role(StaffRole.ADMIN)
def residents_page():
    """The form to delete one resident's data, and how long each kind of data is kept."""
    return _page()


def _page(error: str | None = None, status: int = 200, **shown: object):
    settings = web.settings()
    periods = [(rule.description, retention.days_for(rule, settings)) for rule in retention.all_rules()]
    return render_template("console/residents.html", periods=periods, error=error, **shown), status


@bp.post("/residents/delete")
@require_role(StaffRole.ADMIN)
def residents_delete():
    """First a confirm page with what would be deleted; with 「削除する」 pressed, delete it."""
    user_id, reference = request.form.get("line_user_id", "").strip(), request.form.get("ref", "").strip()
    if not user_id.startswith("U") or len(user_id) > 64:
        return _page("LINEのユーザーID（Uで始まる33文字）を入力してください。", 400, line_user_id=user_id, ref=reference)
    db = web.db_session()
    deleted = delete_resident(db, user_id, current_actor(), reference)
    if request.form.get("confirmed") != "1":
        db.rollback()  # a dry run: only the counts are shown
        return _page(line_user_id=user_id, ref=reference, preview=deleted)
    db.commit()
    flash(f"住民のデータを削除しました（{deleted.total}件）。操作履歴には件数だけが残ります。", "success")
    return redirect(url_for("residents.residents_page"))
