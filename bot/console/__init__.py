"""The staff console (`/console`): Japanese pages for city staff, behind a login.

Every URL under /console needs a logged-in staff member (except the login page and static
files) and every state-changing request needs the CSRF token: both are enforced here, before
any view runs, so a page added later by another feature is protected without doing anything.
Features add pages either to this blueprint or to their own blueprint under /console, and
show them in the navigation with one line in `bot/console/nav.py`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, request

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

SESSION_LIFETIME = timedelta(hours=8)


def is_console_path(path: str) -> bool:
    return path == "/console" or path.startswith("/console/")


def register(app: Flask) -> None:
    """Add the console to the app: its pages, the login and CSRF checks, the session lifetime."""
    from bot.console import accounts, auditlog, auth, classes, faq, tokens  # noqa: F401  (registers the views)
    from bot.console import home as views  # noqa: F401  (registers the views)
    from bot.console import notices

    app.permanent_session_lifetime = SESSION_LIFETIME
    app.register_blueprint(bp)
    app.register_blueprint(notices.bp)  # お知らせ, under /console/notices
    app.register_blueprint(classes.bp)  # スマホ教室, under /console/classes
    app.register_blueprint(faq.bp)  # よくある質問 (/console/faq) and 未回答の質問 (/console/faq-questions)
    app.before_request(auth.guard_console_request)
    app.register_error_handler(404, _console_not_found)


def _console_not_found(error):
    """A Japanese "page not found" under /console; elsewhere Flask's usual answer."""
    if not is_console_path(request.path):
        return error
    from bot.console.home import error_page

    return error_page("ページが見つかりません", "お探しのページは見つかりませんでした。メニューから開き直してください。", 404)
