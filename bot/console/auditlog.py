"""The audit log page (admins): every recorded action, newest first, in Japanese words (what was
done, the details' names and values, local time), filtered by person or kind of action, paged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Blueprint, render_template, request

from bot import audit, web
from bot.console.auth import require_role
from bot.console.pages import format_local_time
from bot.friends import AREAS, INTERESTS
from bot.ids import parse_page
from bot.models import StaffRole
from bot.models.staff import ROLE_LABELS
from bot.notices.lifecycle import STATUS_LABELS
from bot.notices.targeting import KINDS

bp = Blueprint("auditlog", __name__, url_prefix="/console")

DETAIL_LABELS = {
    "address": "接続元", "areas": "地域", "interests": "対象の情報", "kind": "種類", "title": "タイトル",
    "send_at": "送信日時", "status": "状態", "version": "版", "reason": "理由", "role": "権限",
    "channel": "送信先", "told": "お知らせした人数", "booking": "申し込み番号", "question": "質問",
    "phrasing": "住民の言葉", "verified_on": "確認日", "reminder_time": "前日のお知らせの時刻",
    "questions_handled": "対応した質問", "unsent_recipients": "送らなかった人数", "added": "追加",
    "updated": "更新", "unchanged": "変更なし", "ids": "番号", "promoted": "繰り上げた人数",
    "attended": "出席", "people": "人数", "enabled": "有効", "from_question": "元の質問",
    "display_name": "表示名", "refusals": "お断りした数", "result": "結果",
}
ALL_AREAS = "全地域"


def _names(table: dict[str, str]) -> Callable[[Any], str]:
    def show(value: Any) -> str:
        values = value if isinstance(value, list) else [value]
        return "・".join(table.get(str(v), str(v)) for v in values) if values else ALL_AREAS

    return show


def _moment(value: Any) -> str:
    try:
        return format_local_time(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


VALUE_WORDS: dict[str, Callable[[Any], str]] = {
    "areas": _names(AREAS),
    "interests": _names(INTERESTS),
    "kind": _names({k.value: label for k, label in KINDS.items()}),
    "status": _names({s.value: label for s, label in STATUS_LABELS.items()}),
    "role": _names({r.value: label for r, label in ROLE_LABELS.items()}),
    "send_at": _moment,
}


def detail_words(key: str, value: Any) -> str:
    """One detail as staff read it: 「地域: 美東」, 「送信日時: 2026/12/01 09:00」."""
    if key in VALUE_WORDS:
        shown = VALUE_WORDS[key](value)
    elif isinstance(value, bool):
        shown = "はい" if value else "いいえ"
    elif isinstance(value, list):
        shown = "、".join(str(v) for v in value) or "なし"
    elif isinstance(value, (date, datetime)):
        shown = str(value)
    else:
        shown = "" if value is None else str(value)
    return f"{DETAIL_LABELS.get(key, key)}: {shown}"


def action_choices() -> list[tuple[str, str]]:
    """The filter's choices: each group of actions, then each action, in words."""
    choices = [("", "すべての操作")]
    for group, label in audit.ACTION_GROUPS.items():
        choices.append((f"{group}.", f"{label}（すべて）"))
        choices += [(code, f"　{words}") for code, words in audit.ACTION_LABELS.items() if code.startswith(f"{group}.")]
    return choices


@bp.get("/audit")
@require_role(StaffRole.ADMIN)
def audit_log():
    """Show who did what and when, in words, filtered by person or kind of action."""
    actor = request.args.get("actor", "").strip()[:100]
    action = request.args.get("action", "").strip()[:64]
    result = audit.search(web.db_session(), actor=actor, action=action, page=parse_page(request.args.get("page")))
    return render_template(
        "console/audit.html", result=result, actor=actor, action=action, choices=action_choices(),
        action_label=audit.action_label, detail_words=detail_words,
    )
