"""API token pages (admins): issue a token for another city system, list and revoke them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from bot import audit, web
from bot.staff import api_tokens
from bot.console import bp
from bot.console.auth import current_actor, require_role
from bot.models import ApiToken, StaffRole


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
    db = web.db_session()
    token = db.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if request.method == "GET":
        return render_template(
            "console/confirm.html",
            title="APIトークンを無効にします",
            message=f"「{token.name}」を使っているシステムは、お知らせの登録などができなくなります。よろしいですか？",
            confirm_label="無効にする",
            cancel_url=url_for("console.token_list"),
        )
    api_tokens.revoke_token(db, token.name)
    audit.record(db, current_actor(), "apitoken.revoke", target=token.name)
    db.commit()
    flash(f"APIトークン「{token.name}」を無効にしました。", "success")
    return redirect(url_for("console.token_list"))
