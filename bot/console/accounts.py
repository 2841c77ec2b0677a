"""Staff account pages: admins list, create, change and disable accounts; everyone can
change their own password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot import audit, web
from bot.console.auth import current_actor, current_staff, refresh_session_fingerprint, require_role
from bot.console.pages import confirm_page, get_or_404
from bot.models import StaffRole, StaffUser
from bot.staff import accounts

bp = Blueprint("accounts", __name__, url_prefix="/console")


def _passwords_from_form() -> str:
    password = request.form.get("password", "")
    if password != request.form.get("password_confirm", ""):
        raise accounts.AccountError("確認用のパスワードが一致しません。同じパスワードを2回入力してください。")
    accounts.check_password(password)
    return password


@bp.get("/staff")
@require_role(StaffRole.ADMIN)
def staff_list():
    """List every staff account with its role and last login."""
    users = accounts.list_all(web.db_session())
    return render_template("console/staff_list.html", users=users, roles_help=list(StaffRole))


@bp.route("/staff/new", methods=["GET", "POST"])
@require_role(StaffRole.ADMIN)
def staff_new():
    """Show the form for a new staff account and create it."""
    form: dict[str, Any] = {"login_name": "", "display_name": "", "role": StaffRole.VIEWER.value}
    error = None
    if request.method == "POST":
        form = {key: request.form.get(key, "").strip() for key in form}
        try:
            user = _create_account(form)
        except accounts.AccountError as exc:
            error = str(exc)
        else:
            flash(f"アカウント「{user.login_name}」（{user.display_name}）を作成しました。", "success")
            return redirect(url_for("accounts.staff_list"))
    return render_template("console/staff_new.html", form=form, roles=list(StaffRole), error=error), (
        400 if error else 200
    )


def _create_account(form: dict[str, Any]) -> StaffUser:
    db = web.db_session()
    role = accounts.parse_role(form["role"])
    user = accounts.create(db, form["login_name"], form["display_name"], role, _passwords_from_form())
    audit.record(db, current_actor(), "staff.create", target=user.login_name, role=role.value)
    db.commit()
    return user


@bp.get("/staff/<int:staff_id>")
@require_role(StaffRole.ADMIN)
def staff_edit(staff_id: int):
    """Show one account: change its role or password, disable or enable it."""
    user = get_or_404(StaffUser, staff_id)
    return render_template("console/staff_edit.html", user=user, roles=list(StaffRole))


def _apply(user: StaffUser, change, action: str, done_message: str, **details: Any):
    """Run `change()`, record it, and go back to the account page with a message."""
    db = web.db_session()
    try:
        change()
    except accounts.AccountError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        audit.record(db, current_actor(), action, target=user.login_name, **details)
        db.commit()
        flash(done_message, "success")
    return redirect(url_for("accounts.staff_edit", staff_id=user.id))


@bp.post("/staff/<int:staff_id>/role")
@require_role(StaffRole.ADMIN)
def staff_role(staff_id: int):
    """Change an account's role."""
    user = get_or_404(StaffUser, staff_id)
    try:
        role = accounts.parse_role(request.form.get("role", ""))
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.staff_edit", staff_id=user.id))
    old = user.role
    return _apply(
        user, lambda: accounts.set_role(web.db_session(), user, role), "staff.role",
        f"権限を「{role.label}」に変更しました。", old=old.value, new=role.value,
    )


@bp.post("/staff/<int:staff_id>/password")
@require_role(StaffRole.ADMIN)
def staff_password(staff_id: int):
    """Set a new password for an account (for a staff member who forgot theirs)."""
    user = get_or_404(StaffUser, staff_id)
    return _apply(
        user, lambda: accounts.set_password(user, _passwords_from_form()), "staff.set_password",
        "パスワードを再設定しました。新しいパスワードを本人にお伝えください。",
    )


@bp.route("/staff/<int:staff_id>/disable", methods=["GET", "POST"])
@require_role(StaffRole.ADMIN)
def staff_disable(staff_id: int):
    """Ask for confirmation, then disable an account so it can no longer log in."""
    user = get_or_404(StaffUser, staff_id)
    if request.method == "GET":
        return confirm_page(
            "アカウントを無効にします",
            f"「{user.display_name}」（{user.login_name}）はログインできなくなります。よろしいですか？",
            "無効にする",
            url_for("accounts.staff_edit", staff_id=user.id),
        )
    if user.id == current_staff().id:
        flash("ご自分のアカウントは無効にできません。", "error")
        return redirect(url_for("accounts.staff_edit", staff_id=user.id))
    return _apply(
        user, lambda: accounts.disable(web.db_session(), user), "staff.disable",
        "アカウントを無効にしました。",
    )


@bp.post("/staff/<int:staff_id>/enable")
@require_role(StaffRole.ADMIN)
def staff_enable(staff_id: int):
    """Let a disabled account log in again."""
    user = get_or_404(StaffUser, staff_id)
    return _apply(user, lambda: accounts.enable(user), "staff.enable", "アカウントを有効にしました。")


@bp.route("/account/password", methods=["GET", "POST"])
def own_password():
    """Let the logged-in staff member change their own password."""
    user = current_staff()
    error = None
    if request.method == "POST":
        try:
            _change_own_password(user)
        except accounts.AccountError as exc:
            error = str(exc)
        else:
            flash("パスワードを変更しました。", "success")
            return redirect(url_for("home.dashboard"))
    return render_template("console/own_password.html", error=error), (400 if error else 200)


def _change_own_password(user: StaffUser) -> None:
    if not accounts.verify_password(user.password_hash, request.form.get("current_password", "")):
        raise accounts.AccountError("現在のパスワードが違います。")
    accounts.set_password(user, _passwords_from_form())
    db = web.db_session()
    audit.record(db, user.login_name, "staff.change_own_password", target=user.login_name)
    db.commit()
    refresh_session_fingerprint(user)
