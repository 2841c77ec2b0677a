"""Bearer tokens for other city systems (the mail service, the 防災 system) calling `/api/...`.

A token is shown once when issued; only its SHA-256 is stored, and a request is authenticated
by looking that digest up (no comparison of secrets character by character).

    token = api_tokens.authenticate_bearer(session, request.headers.get("Authorization"))
    if token is None:
        return jsonify(message="unauthorized"), 401
    audit.record(session, api_tokens.api_actor(token), "notice.create", target=...)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.models import ApiToken

TOKEN_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class TokenError(ValueError):
    """A token request that cannot be done; `str()` is a message for staff (Japanese)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_actor(token: ApiToken) -> str:
    """The audit log's actor for requests made with this token."""
    return f"api:{token.name}"


def find(session: Session, name: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.name == name.strip()))


def issue_token(session: Session, name: str, actor: str) -> str:
    """Create a token called `name`; returns the token itself, which is never stored."""
    name = name.strip()
    if not TOKEN_NAME_PATTERN.fullmatch(name):
        raise TokenError("名前は半角の英数字・「.」「_」「-」で、64文字までにしてください（例: mail-service）。")
    if find(session, name) is not None:
        raise TokenError(f"「{name}」という名前のトークンはすでにあります（無効にしたものも含みます）。")
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=_digest(token), created_at=utcnow(), created_by=actor[:100]))
    session.flush()
    return token


def revoke_token(session: Session, name: str) -> ApiToken:
    """Stop the token called `name` from working; raises TokenError if there is none."""
    token = find(session, name)
    if token is None:
        raise TokenError(f"「{name.strip()}」という名前のトークンはありません。")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def authenticate_bearer(session: Session, authorization_header: str | None) -> ApiToken | None:
    """The active token named by an `Authorization: Bearer ...` header, or None; notes its use."""
    scheme, _, presented = (authorization_header or "").strip().partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented or len(presented) > 200:
        return None
    digest = _digest(presented)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    token.last_used_at = utcnow()
    return token


def take_request(session: Session, token: ApiToken, now: datetime, limit: int, window: timedelta) -> timedelta:
    """Count one request of `token` in its fixed window; how long it must wait (zero: go ahead).

    One UPDATE does the counting, so concurrent requests in several workers (PostgreSQL row lock,
    SQLite's single writer) never lose a count."""
    fresh = or_(ApiToken.rate_window_start.is_(None), ApiToken.rate_window_start <= now - window)
    session.execute(
        update(ApiToken).where(ApiToken.id == token.id).values(
            rate_window_start=case((fresh, now), else_=ApiToken.rate_window_start),
            rate_window_count=case((fresh, 1), else_=ApiToken.rate_window_count + 1),
        ).execution_options(synchronize_session=False)
    )
    start, count = session.execute(
        select(ApiToken.rate_window_start, ApiToken.rate_window_count).where(ApiToken.id == token.id)).one()
    if count <= limit:
        return timedelta(0)
    return max(timedelta(seconds=1), start + window - now)


def list_all(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.name)))
