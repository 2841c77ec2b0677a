"""Who is using the console, and what they may do.

Permission model: every console page needs a logged-in, active staff member (checked centrally
in `guard_console_request`). Pages for some roles only use `@require_role(...)`; admins may do
everything. Viewers are read-only: any state-changing request from a viewer is refused here,
except logging in or out and changing their own password.

    from bot.console.auth import current_staff, require_role
    from bot.models import StaffRole

    @bp.get("/notices/new")
    @require_role(StaffRole.AUTHOR)
    def notice_new(): ...
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import timedelta
from functools import cache, wraps
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot import audit, web
from bot.console import csrf, nav
from bot.console.pages import error_page
from bot.staff import accounts, login_throttle
from bot.db import utcnow
from bot.models import StaffRole, StaffUser

SESSION_LIFETIME = timedelta(hours=8)
DEVICE_COOKIE = "console_device"
DEVICE_LIFETIME = timedelta(days=90)


def is_console_path(path: str) -> bool:
    return path == "/console" or path.startswith("/console/")


log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., Any])

bp = Blueprint("auth", __name__, url_prefix="/console")
PUBLIC_ENDPOINTS = frozenset({"auth.login", "console.static"})
VIEWER_WRITABLE_ENDPOINTS = frozenset({"auth.login", "auth.logout", "accounts.own_password", "faq.why"})  # faq.why only reads
LOGIN_FAILED = "ログインIDまたはパスワードが違います。もう一度入力してください。"


# ---- who is logged in ---------------------------------------------------------------------

def _load_staff() -> StaffUser | None:
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None
    expired = time.time() - float(session.get("login_at", 0)) > SESSION_LIFETIME.total_seconds()
    user = None if expired else web.db_session().get(StaffUser, staff_id)
    # The generation is bumped on the server by logout, a password change and disabling: a copied
    # cookie stops working then, even though its signature is still valid.
    if user is None or not user.active or session.get("gen") != user.session_generation:
        session.clear()
        g.console_session_ended = True
        return None
    return user


def current_staff() -> StaffUser | None:
    """The logged-in staff member for this request, or None."""
    if "console_staff" not in g:
        g.console_staff = _load_staff()
    return g.console_staff


def current_actor() -> str:
    """The audit log's actor for this request: the staff member's login name."""
    user = current_staff()
    return user.login_name if user is not None else "anonymous"


def can(user: StaffUser | None, *roles: StaffRole | str) -> bool:
    """Whether `user` has one of `roles` (admins always can; no roles: any staff member)."""
    if user is None:
        return False
    if user.role is StaffRole.ADMIN or not roles:
        return True
    return user.role in {StaffRole(role) for role in roles}


@bp.app_template_global("can")
def _template_can(*roles: StaffRole | str) -> bool:
    return can(current_staff(), *roles)


@bp.app_template_global("current_staff")
def _template_current_staff() -> StaffUser | None:
    return current_staff()


@bp.app_template_global("nav_links")
def _nav_links() -> list[nav.NavLink]:
    return nav.links(current_staff())


def forbidden() -> tuple[str, int]:
    return error_page("権限がありません", "このページを開く権限がありません。必要なときは管理者にご相談ください。", 403)


def require_role(*roles: StaffRole | str) -> Callable[[View], View]:
    """Let only staff with one of `roles` (or admins) use the view; others get a 403 page."""
    wanted = tuple(StaffRole(role) for role in roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                return redirect(url_for("auth.login"))
            if not can(user, *wanted):
                return forbidden()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


# ---- the central check --------------------------------------------------------------------

def guard_console_request() -> Any:
    """Before every request under /console: login, then CSRF, then the viewers' read-only rule."""
    if not is_console_path(request.path) or request.endpoint == "console.static":
        return None
    user = current_staff()
    if user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return _to_login()
    if csrf.needs_check() and not csrf.request_is_valid():
        log.warning("console request refused: missing or wrong CSRF token (%s %s)", request.method, request.path)
        return error_page(
            "もう一度お試しください",
            "画面を開いてから時間がたったため、操作を受け付けられませんでした。"
            "お手数ですが、ページを開き直してからもう一度お試しください。",
            400,
        )
    if user is not None and user.role is StaffRole.VIEWER and csrf.needs_check():
        if request.endpoint not in VIEWER_WRITABLE_ENDPOINTS:
            return forbidden()
    return None


def _to_login() -> Any:
    if g.pop("console_session_ended", False):
        flash("ログインの有効期限が切れました。もう一度ログインしてください。", "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=safe_next(target)))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a console page on this site, else None (no open redirects)."""
    if not target or "\\" in target or ".." in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not is_console_path(parts.path):
        return None
    if parts.path.startswith(url_for("auth.login")):
        return None
    return target


# ---- login and logout ---------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign a staff member in."""
    if request.method == "GET":
        if current_staff() is not None:
            return redirect(safe_next(request.args.get("next")) or url_for("home.dashboard"))
        return _login_form()
    return _attempt_login(request.form.get("login_name", ""), request.form.get("password", ""))


def _login_form(error: str | None = None, status: int = 200, login_name: str = "") -> tuple[str, int]:
    next_url = safe_next(request.values.get("next"))
    return render_template("console/login.html", error=error, next_url=next_url, login_name=login_name), status


def _attempt_login(raw_name: str, password: str) -> Any:
    name = accounts.normalise_login_name(raw_name)[:64]
    address = client_address()
    device = _is_trusted_device(name)
    db = web.db_session()
    now = utcnow()
    wait = login_throttle.wait_time(db, name, address, now, trusted_device=device)
    if wait > timedelta(0):
        log.warning("console login throttled: login=%r address=%s", name, address)
        return _throttled(wait)
    user = accounts.authenticate(db, name, password) if name and password else None
    if user is None:
        login_throttle.record_failure(db, name, address, now, trusted_device=device)
        audit.record(db, "anonymous", "staff.login_failed", target=name, address=address)
        db.commit()
        log.warning("console login failed: login=%r address=%s", name, address)
        return _login_form(LOGIN_FAILED, 200, login_name=name)
    login_throttle.record_success(db, name, address, trusted_device=device)
    audit.record(db, user.login_name, "staff.login", target=user.login_name, address=address)
    db.commit()
    _start_session(user)
    log.info("console login: login=%r address=%s", user.login_name, address)
    response = redirect(safe_next(request.form.get("next")) or url_for("home.dashboard"))
    _remember_device(response, user.login_name)
    return response


# ---- where the request comes from ------------------------------------------------------------

def client_address() -> str:
    """The client's address: the peer's, or (only when the peer is one of TRUSTED_PROXIES) the
    nearest address in X-Forwarded-For that is not a trusted proxy. Anyone else's header is ignored."""
    trusted = _trusted_networks(web.settings().trusted_proxies)
    peer = request.remote_addr or "unknown"
    if not _is_in(peer, trusted):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_in(hop, trusted):
            return hop[:64]
    return peer


@cache
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _is_in(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


# ---- trusted devices: where this staff member logged in before -------------------------------

def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(web.settings().secret_key, salt="console-trusted-device")


def _is_trusted_device(login_name: str) -> bool:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie or not login_name:
        return False
    try:
        return _device_signer().loads(cookie, max_age=DEVICE_LIFETIME.total_seconds()) == login_name
    except BadSignature:
        return False


def _remember_device(response: Response, login_name: str) -> None:
    response.set_cookie(DEVICE_COOKIE, _device_signer().dumps(login_name), max_age=int(DEVICE_LIFETIME.total_seconds()),
                        path=url_for("home.dashboard"), secure=web.settings().is_production, httponly=True,
                        samesite="Lax")


def _throttled(wait: timedelta) -> tuple[str, int, dict[str, str]]:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    message = (
        "ログインの失敗が続いたため、しばらくログインできません。"
        f"約{minutes}分たってから、もう一度お試しください。"
    )
    body, status = _login_form(message, 429)
    return body, status, {"Retry-After": str(math.ceil(wait.total_seconds()))}


def _start_session(user: StaffUser) -> None:
    """A fresh session (never one an attacker could have planted) for `user`."""
    session.clear()
    session.permanent = True
    session["staff_id"] = user.id
    session["login_at"] = time.time()
    session["gen"] = user.session_generation
    csrf.csrf_token()
    g.console_staff = user


@bp.post("/logout")
def logout():
    """Sign the staff member out and go back to the login page."""
    db = web.db_session()
    user = current_staff()
    if user is not None:
        accounts.end_sessions(user)  # also a copy of this cookie made before logging out
    audit.record(db, current_actor(), "staff.logout", target=current_actor())
    db.commit()
    session.clear()
    flash("ログアウトしました。", "success")
    return redirect(url_for("auth.login"))


def refresh_session_fingerprint(user: StaffUser) -> None:
    """Keep this browser logged in after the user changed their own password (others end)."""
    session["gen"] = user.session_generation
