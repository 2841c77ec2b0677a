"""災害モード (/console/disaster): staff switch every friend's rich menu to the disaster menu and back.

Admins and 承認者 may switch; every switch asks for confirmation and is audited (by
`bot/disaster/mode.py`). While the mode is on, every console page shows it in its header.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot import web
from bot.console.auth import current_actor, require_role
from bot.console.pages import confirm_page, error_page
from bot.db import utcnow
from bot.disaster import mode
from bot.line.gateway import LineApiError
from bot.models import StaffRole

bp = Blueprint("disaster", __name__, url_prefix="/console/disaster")
SWITCHERS = (StaffRole.APPROVER,)  # and admins, who may do everything


@bp.app_template_global("disaster_mode")
def _disaster_mode() -> mode.DisasterMode | None:
    return mode.current_mode(web.db_session())


@bp.get("")
@require_role(*SWITCHERS)
def status():
    """Show whether disaster mode is on, and the button that switches it."""
    return render_template("console/disaster.html", current=mode.current_mode(web.db_session()))


@bp.route("/on", methods=["GET", "POST"])
@require_role(*SWITCHERS)
def switch_on():
    """Ask for confirmation, then give every friend the disaster menu."""
    reason = (request.args.get("reason") or "").strip()
    if not reason:
        flash("災害モードにする理由を入力してください（例：大雨警報）。", "error")
        return redirect(url_for("disaster.status"))
    if request.method == "GET":
        return confirm_page(
            "災害モードにします",
            f"理由：{reason}。すべての友だちのメニューが災害時メニューに切り替わり、"
            "あいさつや案内にも災害対応中であることが表示されます。よろしいですか？",
            "災害モードにする",
            url_for("disaster.status"),
        )
    return _switch(lambda db, gateway: mode.enter_disaster_mode(
        db, gateway, reason=reason, actor=current_actor(), now=utcnow()),
        "災害モードにしました。すべての友だちのメニューを災害時メニューに切り替えました。",
        "すでに災害モードです。")


@bp.route("/off", methods=["GET", "POST"])
@require_role(*SWITCHERS)
def switch_off():
    """Ask for confirmation, then give every friend the normal menu again."""
    if request.method == "GET":
        return confirm_page(
            "通常モードに戻します",
            "すべての友だちのメニューが、ふだんのメニューに戻ります。よろしいですか？",
            "通常モードに戻す",
            url_for("disaster.status"),
        )
    return _switch(lambda db, gateway: mode.leave_disaster_mode(db, gateway, actor=current_actor(), now=utcnow()),
                   "通常モードに戻しました。すべての友だちのメニューを、ふだんのメニューに戻しました。",
                   "すでに通常モードです。")


def _switch(change, done: str, unchanged: str):
    db = web.db_session()
    try:
        changed = change(db, web.gateway())
    except (mode.MenusNotPublished, LineApiError):
        db.rollback()
        return error_page("切り替えられませんでした",
                          "LINEのメニューを切り替えられませんでした。モードは変わっていません。"
                          "しばらくしてからもう一度お試しください。続くときはシステムの管理者にご連絡ください。", 502)
    db.commit()
    flash(done if changed else unchanged, "success" if changed else "info")
    return redirect(url_for("disaster.status"))
