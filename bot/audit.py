"""The audit log: every staff action (console, API, command line) is recorded here.

    from bot import audit
    audit.record(session, actor, "notice.publish", target=str(notice.id), channel="line")

`actor` is a staff login name, "api:<token name>" (see `api_tokens.api_actor`) or "cli".
Details must be JSON-serialisable and never hold a password or a token: keys that look like
one are refused with ValueError so that the mistake shows up in tests, not in the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import AuditEntry

CLI_ACTOR = "cli"

# What each action means, as staff read it in the audit log (a feature adding an action adds a line).
ACTION_LABELS = {
    "staff.login": "ログイン",
    "staff.login_failed": "ログインに失敗",
    "staff.logout": "ログアウト",
    "staff.create": "職員アカウントを作成",
    "staff.role": "権限を変更",
    "staff.set_password": "パスワードを再設定",
    "staff.change_own_password": "自分のパスワードを変更",
    "staff.disable": "アカウントを無効に",
    "staff.enable": "アカウントを有効に",
    "staff.demo_account": "デモ用アカウントを用意",
    "apitoken.issue": "APIトークンを発行",
    "apitoken.revoke": "APIトークンを無効に",
    "notice.create": "お知らせを作成",
    "notice.update": "お知らせを編集",
    "notice.approve": "お知らせを承認",
    "notice.cancel": "お知らせの送信を中止",
    "notice.publish": "お知らせを配信",
    "notice.resume": "お知らせの送信を再開",
    "notice.withdraw": "お知らせを取り消し",
    "mail.subscribe": "メール配信に登録",
    "mail.unsubscribe": "メール配信を停止",
    "classes.create": "スマホ教室を作成",
    "classes.update": "スマホ教室を編集",
    "classes.cancel": "スマホ教室を中止",
    "classes.add_participant": "参加者を追加（電話受付）",
    "classes.cancel_booking": "申し込みを取り消し",
    "classes.attendance": "出欠を記録",
    "classes.export": "名簿をダウンロード",
    "classes.settings": "スマホ教室の設定を変更",
    "classes.seed_demo": "見本の教室を用意",
    "faq.create": "FAQを作成",
    "faq.update": "FAQを編集",
    "faq.verify": "FAQの内容を確認済みに",
    "faq.import": "FAQを取り込み",
    "faq.attach_question": "住民の質問をFAQに追加",
    "faq.dismiss_question": "住民の質問を対応不要に",
}
# The groups of the filter (an action's code starts with the group's code and a dot).
ACTION_GROUPS = {
    "staff": "職員アカウント・ログイン",
    "apitoken": "APIトークン",
    "notice": "お知らせ",
    "mail": "メール配信",
    "classes": "スマホ教室",
    "faq": "よくある質問",
}


def action_label(action: str) -> str:
    """「お知らせを作成」 for "notice.create"; an action without a label shows its code."""
    return ACTION_LABELS.get(action, action)
SECRET_KEY_PATTERN = re.compile(r"pass(word|wd)?|secret|^token$|_token$|^authorization$|^credentials?$", re.I)
PAGE_SIZE = 50


def record(session: Session, actor: str, action: str, target: str = "", **details: Any) -> AuditEntry:
    """Add an audit entry to `session` (committed with the caller's transaction)."""
    secret_keys = [key for key in details if SECRET_KEY_PATTERN.search(key)]
    if secret_keys:
        raise ValueError(f"audit details must not hold secrets: {', '.join(sorted(secret_keys))}")
    entry = AuditEntry(at=utcnow(), actor=actor[:100], action=action[:64], target=str(target)[:200], details=details)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def search(session: Session, actor: str = "", action: str = "", page: int = 1, per_page: int = PAGE_SIZE) -> AuditPage:
    """Entries newest first; `actor` matches exactly, `action` matches a prefix ("staff." finds all)."""
    query = select(AuditEntry)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return AuditPage(list(entries), page, pages, total)
