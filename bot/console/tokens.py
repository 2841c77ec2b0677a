"""API token pages (admins): issue a token for another city system, list and revoke them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot import audit, web
from bot.console.auth import current_actor, require_role
from bot.console.pages import confirm_page, get_or_404
from bot.models import ApiToken, StaffRole
from bot.staff import api_tokens

bp = Blueprint("tokens", __name__, url_prefix="/console")


@bp.get("/tokens")
@require_role(StaffRole.ADMIN)
def token_list():
    """List the API tokens and show the form to issue a new one."""
    return _list_page()


def _list_page(error: str | None = None, name: str = "", status: int = 200):
    tokens = api_tokens.list_all(web.db_session())
    return render_template("console/tokens.html", tokens=tokens, error=error, name=name), status


@bp.post("/tokens")
@require_role(StaffRole.ADMIN)
def token_issue():
    """Issue a token and show it once (it cannot be shown again)."""
    name = request.form.get("name", "").strip()
    db = web.db_session()
    try:
        token = api_tokens.issue_token(db, name, current_actor())
    except api_tokens.TokenError as exc:
        db.rollback()
        return _list_page(str(exc), name, 400)
    audit.record(db, current_actor(), "apitoken.issue", target=name)
    db.commit()
    body = render_template("console/token_issued.html", name=name, token=token)
    return body, 200, {"Cache-Control": "no-store"}


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@require_role(StaffRole.ADMIN)
def token_revoke(token_id: int):
    """Ask for confirmation, then revoke a token so the system using it is refused."""
    token = get_or_404(ApiToken, token_id)
    if request.method == "GET":
        return confirm_page(
            "APIトークンを無効にします",
            f"「{token.name}」を使っているシステムは、お知らせの登録などができなくなります。よろしいですか？",
            "無効にする",
            url_for("tokens.token_list"),
        )
    db = web.db_session()
    api_tokens.revoke_token(db, token.name)
    audit.record(db, current_actor(), "apitoken.revoke", target=token.name)
    db.commit()
    flash(f"APIトークン「{token.name}」を無効にしました。", "success")
    return redirect(url_for("tokens.token_list"))
