"""Every console URL needs a login; pages need the right role; viewers cannot change anything."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint

from bot import create_app
from bot.console import auth
from bot.console.auth import require_role
from bot.models import StaffRole
from tests.support.console import csrf_for, log_in, post_form

PUBLIC_ENDPOINTS = {"auth.login", "console.static"}
DUMMY_BY_CONVERTER = {"int": "1", "float": "1.0", "uuid": "00000000-0000-0000-0000-000000000000"}


def _dummy_url(rule) -> str:
    """The rule's path with a harmless value for each URL parameter."""

    def value(match: re.Match) -> str:
        return DUMMY_BY_CONVERTER.get(match.group(1) or "", "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule.rule)


def console_rules(app):
    return [
        rule for rule in app.url_map.iter_rules()
        if (rule.rule == "/console" or rule.rule.startswith("/console/")) and rule.endpoint not in PUBLIC_ENDPOINTS
    ]


def test_every_console_url_redirects_anonymous_visitors_to_the_login_page(app, client):
    rules = console_rules(app)
    assert len(rules) >= 10  # the walk really covers the console (and pages added later)
    for rule in rules:
        url = _dummy_url(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, f"{method} {url} -> {response.status_code}"
            assert response.headers["Location"].startswith("/console/login"), f"{method} {url}"


def test_anonymous_get_keeps_the_page_to_return_to(client):
    response = client.get("/console/audit?page=2")
    assert response.headers["Location"] == "/console/login?next=/console/audit?page%3D2"


def test_unknown_console_urls_also_need_a_login_and_then_say_not_found_in_japanese(client, login_as):
    assert client.get("/console/no-such-page").status_code == 302
    login_as("viewer")
    response = client.get("/console/no-such-page")
    assert response.status_code == 404 and "ページが見つかりません" in response.get_data(as_text=True)


ADMIN_PAGES = ["/console/staff", "/console/staff/new", "/console/staff/1", "/console/staff/1/disable",
               "/console/tokens", "/console/tokens/1/revoke", "/console/audit"]


@pytest.mark.parametrize("role", ["viewer", "author", "approver"])
def test_admin_pages_answer_403_in_japanese_to_other_roles(client, login_as, role):
    login_as(role)
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "権限がありません" in response.get_data(as_text=True)
    response = post_form(client, "/console/staff/new", {"login_name": "intruder", "role": "admin",
                                                         "password": "x" * 12, "password_confirm": "x" * 12})
    assert response.status_code == 403
    assert "intruder" not in client.get("/console").get_data(as_text=True)


def test_admins_open_every_admin_page(client, login_as):
    account = login_as("admin")
    for path in ADMIN_PAGES:
        path = path.replace("/1", f"/{account.id}") if "staff" in path else path
        response = client.get(path)
        assert response.status_code in (200, 404), path  # no token 1 yet: a Japanese 404


def test_navigation_shows_only_what_the_role_may_open(client, login_as):
    login_as("viewer")
    page = client.get("/console").get_data(as_text=True)
    assert "ホーム" in page and "閲覧者" in page
    assert "職員アカウント" not in page and "操作履歴" not in page and "APIトークン" not in page
    client.post("/console/logout", data={"csrf_token": csrf_for(client, "/console")})
    login_as("admin")
    page = client.get("/console").get_data(as_text=True)
    assert "職員アカウント" in page and "操作履歴" in page and "APIトークン" in page


def test_a_nav_item_for_a_page_not_built_yet_is_hidden(client, login_as, monkeypatch):
    from bot.console import nav

    monkeypatch.setattr(nav, "NAV", [*nav.NAV, nav.NavItem("reports.index", "利用状況レポート", nav.EVERYONE, 50)])
    login_as("viewer")
    assert "利用状況レポート" not in client.get("/console").get_data(as_text=True)


@pytest.fixture
def app_with_feature_pages(settings):
    """The app plus a page another feature might add under /console, in its own blueprint."""
    app = create_app({"settings": settings})
    feature = Blueprint("feature", __name__, url_prefix="/console/feature")

    @feature.route("/write", methods=["GET", "POST"])
    def write():
        return "written"

    @feature.post("/authors")
    @require_role(StaffRole.AUTHOR)
    def authors_only():
        return "authored"

    api = Blueprint("feature_api", __name__)

    @api.post("/api/feature")
    def api_write():
        return "api ok"

    app.register_blueprint(feature)
    app.register_blueprint(api)
    yield app
    app.extensions["gateway"].close()
    app.extensions["db"].dispose()


def test_other_blueprints_under_console_are_guarded_too(app_with_feature_pages, make_staff):
    client = app_with_feature_pages.test_client()
    assert client.get("/console/feature/write").status_code == 302
    assert client.post("/console/feature/write").status_code == 302
    viewer = make_staff("viewer1", "viewer")
    log_in(client, viewer.login_name)
    assert client.get("/console/feature/write").get_data(as_text=True) == "written"
    response = post_form(client, "/console/feature/write")
    assert response.status_code == 403 and "権限がありません" in response.get_data(as_text=True)
    author = make_staff("author1", "author")
    log_in(client, author.login_name)
    assert post_form(client, "/console/feature/write").get_data(as_text=True) == "written"
    assert post_form(client, "/console/feature/authors").get_data(as_text=True) == "authored"


def test_api_and_webhook_are_outside_the_console_checks(app_with_feature_pages):
    client = app_with_feature_pages.test_client()
    assert client.post("/api/feature").get_data(as_text=True) == "api ok"
    response = client.post("/callback", data=b"{}", headers={"X-Line-Signature": "bad"})
    assert response.status_code == 400 and response.is_json  # the webhook's own signature check


def test_next_only_leads_to_console_pages(app):
    with app.test_request_context():
        assert auth.safe_next("/console/staff?x=1") == "/console/staff?x=1"
        assert auth.safe_next("/console") == "/console"
        for bad in ["//evil.example/console", "https://evil.example/console", "/callback", "/consolex",
                    "/console/../callback", "\\\\evil.example/console", "/console/login", "javascript:alert(1)",
                    "/console/\nSet-Cookie:x", "", None]:
            assert auth.safe_next(bad) is None, bad


def test_login_follows_next_but_never_off_site(client, make_staff):
    account = make_staff("sato", "viewer")
    response = log_in(client, "sato", account.password, next="/console/account/password")
    assert response.headers["Location"] == "/console/account/password"
    client.post("/console/logout", data={"csrf_token": csrf_for(client, "/console")})
    response = log_in(client, "sato", account.password, next="https://evil.example/")
    assert response.headers["Location"] == "/console"
