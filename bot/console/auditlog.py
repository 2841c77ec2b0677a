"""The audit log page (admins): every recorded action, newest first, filtered and paged."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bot import audit, web
from bot.console.auth import require_role
from bot.models import StaffRole

bp = Blueprint("auditlog", __name__, url_prefix="/console")

# Japanese names for the actions staff see most; other actions show their code only.
ACTION_LABELS = {
    "staff.login": "ログイン",
    "staff.login_failed": "ログイン失敗",
    "staff.logout": "ログアウト",
    "staff.create": "アカウント作成",
    "staff.role": "権限の変更",
    "staff.set_password": "パスワード再設定",
    "staff.change_own_password": "パスワード変更",
    "staff.disable": "アカウント無効化",
    "staff.enable": "アカウント有効化",
    "staff.demo_account": "デモ用アカウント",
    "apitoken.issue": "APIトークン発行",
    "apitoken.revoke": "APIトークン無効化",
}


@bp.get("/audit")
@require_role(StaffRole.ADMIN)
def audit_log():
    """Show who did what and when, filtered by person or action."""
    actor = request.args.get("actor", "").strip()
    action = request.args.get("action", "").strip()
    page = request.args.get("page", 1, type=int) or 1
    result = audit.search(web.db_session(), actor=actor, action=action, page=page)
    return render_template(
        "console/audit.html", result=result, actor=actor, action=action, action_labels=ACTION_LABELS
    )
