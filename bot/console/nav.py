"""The console's navigation: ONE registry, in display order.

A feature adds its page with one line in NAV, naming the view's endpoint, its Japanese label,
the roles that see it (admins always do; `EVERYONE` for all staff) and its position:

    NavItem("notices.index", "お知らせ", EVERYONE, 20),

An item whose endpoint is not registered in the app is simply not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from bot.models import StaffRole, StaffUser

EVERYONE: tuple[StaffRole, ...] = tuple(StaffRole)
ADMINS: tuple[StaffRole, ...] = (StaffRole.ADMIN,)


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: tuple[StaffRole, ...]
    order: int


NAV: list[NavItem] = [
    NavItem("home.dashboard", "ホーム", EVERYONE, 0),
    NavItem("notices.index", "お知らせ", EVERYONE, 20),
    NavItem("recurring.index", "くり返しのお知らせ", EVERYONE, 21),
    NavItem("jma.index", "気象庁の自動連携", EVERYONE, 25),
    NavItem("faq.entries", "よくある質問", EVERYONE, 30),
    NavItem("faq.questions", "未回答の質問", EVERYONE, 31),
    NavItem("classes.index", "スマホ教室", EVERYONE, 40),
    NavItem("procedures.index", "手続きガイド", EVERYONE, 50),
    NavItem("city.index", "市の基本情報", EVERYONE, 60),
    NavItem("disaster.status", "災害モード", (StaffRole.APPROVER,), 12),
    NavItem("shelters.index", "避難所", EVERYONE, 50),
    NavItem("damage.index", "被害の報告", EVERYONE, 51),
    NavItem("accounts.staff_list", "職員アカウント", ADMINS, 900),
    NavItem("tokens.token_list", "APIトークン", ADMINS, 910),
    NavItem("auditlog.audit_log", "操作履歴", ADMINS, 920),
    NavItem("residents.residents_page", "住民データの削除", ADMINS, 930),
    NavItem("events.failed", "受信の失敗", ADMINS, 915),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def visible_items(staff: StaffUser | None) -> list[NavItem]:
    """The items this staff member may open, in order."""
    if staff is None:
        return []
    known = current_app.view_functions
    allowed = [
        item for item in NAV
        if item.endpoint in known and (staff.role is StaffRole.ADMIN or staff.role in item.roles)
    ]
    return sorted(allowed, key=lambda item: item.order)


def _is_current(url: str) -> bool:
    """The item for this page or one below it (/console/staff/3 belongs to /console/staff)."""
    path = request.path.rstrip("/") or "/"
    return path == url or (url != url_for("home.dashboard") and path.startswith(url + "/"))


def links(staff: StaffUser | None) -> list[NavLink]:
    urls = [(item, url_for(item.endpoint)) for item in visible_items(staff)]
    return [NavLink(item.label, url, _is_current(url)) for item, url in urls]
