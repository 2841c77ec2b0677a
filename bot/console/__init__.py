"""The staff console (`/console`): Japanese pages for city staff, behind a login.

Every URL under /console needs a logged-in staff member (except the login page and static
files) and every state-changing request needs the CSRF token: both are enforced here, before
any view runs, so a page added later by another feature is protected without doing anything.
Each area of the console is one blueprint under /console, listed in `register()`; a feature
adds its blueprint there and shows its page in the navigation with one line in
`bot/console/nav.py`. What pages share (error and confirm pages, get-or-404, local time and
the date filters, the templates and static files) is in `bot/console/pages.py`.
"""

from __future__ import annotations

from flask import Flask, request


def register(app: Flask) -> None:
    """Add the console to the app: its pages, the login and CSRF checks, the session lifetime."""
    from bot.console import (
        accounts, auditlog, auth, city, classes, damage, disaster, events, faq, home, jma, notices, pages,
        procedures, recurring, residents, shelters, tokens,
    )

    app.permanent_session_lifetime = auth.SESSION_LIFETIME
    for blueprint in (
        pages.bp,  # templates, static files and the filters every page uses
        auth.bp,  # ログイン, ログアウト
        home.bp,  # ホーム (/console)
        notices.bp,  # お知らせ, under /console/notices
        recurring.bp,  # くり返しのお知らせ, under /console/recurring
        faq.bp,  # よくある質問 (/console/faq) and 未回答の質問 (/console/faq-questions)
        classes.bp,  # スマホ教室, under /console/classes
        procedures.bp,  # くらしの手続きガイド, under /console/procedures
        city.bp,  # 市の基本情報 (contact, venues), under /console/city
        disaster.bp,  # 災害モード (/console/disaster)
        jma.bp,  # 気象庁の自動連携 (/console/jma)
        shelters.bp,  # 避難所, under /console/shelters
        damage.bp,  # 被害の報告, under /console/damage
        accounts.bp,  # 職員アカウント (/console/staff) and one's own password (/console/account)
        tokens.bp,  # APIトークン (/console/tokens)
        auditlog.bp,  # 操作履歴 (/console/audit)
        residents.bp,  # 住民データの削除 (/console/residents)
        events.bp,  # 受信の失敗 (/console/events/failed)
    ):
        app.register_blueprint(blueprint)
    app.before_request(auth.guard_console_request)
    app.register_error_handler(404, _console_not_found)


def _console_not_found(error):
    """A Japanese "page not found" under /console; elsewhere Flask's usual answer."""
    from bot.console.auth import is_console_path
    from bot.console.pages import error_page

    if not is_console_path(request.path):
        return error

    return error_page("ページが見つかりません", "お探しのページは見つかりませんでした。メニューから開き直してください。", 404)
