"""One typed settings object, read from the environment when the app, the scheduler or a
command starts (never at import time)."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from ipaddress import ip_network
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "mine-line.sqlite3"
DEFAULT_DEMO_LOGIN_FILE = PROJECT_ROOT / "var" / "demo-login.txt"

# Development values are only ever used when APP_ENV is "development" or "test"; production
# refuses to start without real values (and refuses these ones).
DEVELOPMENT_DEFAULTS = {
    "LINE_CHANNEL_SECRET": "development-channel-secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "development-access-token",
    "SECRET_KEY": "development-secret-key-not-for-production",
}
REQUIRED_IN_PRODUCTION = (
    "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL",
)
DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY_MIN_DISTINCT = 12  # `secrets.token_urlsafe(32)` has ~35 distinct characters; "aaaa..." has 1


class ConfigError(RuntimeError):
    """Raised at start-up when the environment cannot run the service safely."""


@dataclass(frozen=True)
class Settings:
    env: str
    channel_secret: str
    channel_access_token: str
    line_api_base: str | None
    database_url: str
    secret_key: str
    webhook_max_bytes: int = 1_000_000
    loading_after_s: float = 0.8
    line_timeout_s: float = 10.0
    line_max_attempts: int = 5
    conversation_timeout_min: int = 30
    notice_grace_min: int = 60
    notice_approval_required: bool = False  # 避難情報 and 気象・災害 need a second person's approval
    notice_poll_s: float = 3.0
    delivery_claim_ttl_s: float = 30.0
    delivery_concurrency: int = 4
    scheduler_lease_ttl_s: float = 30.0  # one scheduler runs the jobs; another takes over this long after it stops
    webhook_processing: str = "worker"  # worker: answer 200 at once, a thread per process handles; inline: in the request
    webhook_claim_ttl_s: float = 30.0  # a crashed process's events and answers are taken over after this
    smtp_host: str = ""  # empty: the e-mail channel is off
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_tls: str = "none"  # none, starttls or ssl
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    public_base_url: str = DEVELOPMENT_BASE_URL
    timezone: str = "Asia/Tokyo"
    # Automatic alerts from JMA (bot/jma/): on by default in production (and in `make demo`).
    jma_enabled: bool = False
    jma_feeds: tuple[str, ...] = ()
    jma_long_feeds: tuple[str, ...] = ()
    jma_city_code: str = "3521300"
    jma_poll_s: float = 60.0
    jma_min_intensity: str = "3"
    log_format: str = "text"  # text, or json: one JSON object per line (LOG_FORMAT)
    metrics_token: str = field(default="", repr=False)  # GET /metrics with "Authorization: Bearer <it>"
    metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")  # networks that may scrape without it
    retention_days: Mapping[str, int] = field(default_factory=dict)  # RETENTION_<RULE>_DAYS (bot/retention.py)
    trusted_proxies: tuple[str, ...] = ()  # addresses/networks whose X-Forwarded-For is believed
    api_rate_limit: int = 30  # POST /api/notices per token per API_RATE_WINDOW_S
    api_rate_window_s: int = 60

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env_vars = os.environ if environ is None else environ
        app_env = env_vars.get("APP_ENV", "production").strip().lower()
        if app_env not in ("production", "development", "test"):
            raise ConfigError(f"APP_ENV must be production, development or test, not {app_env!r}")

        if app_env == "production":
            missing = [name for name in REQUIRED_IN_PRODUCTION if not env_vars.get(name, "").strip()]
            if missing:
                raise ConfigError(f"{', '.join(missing)} not set; production needs them (see README.md)")

        def value(name: str) -> str:
            raw = env_vars.get(name, "").strip()
            if raw:
                if app_env == "production" and raw == DEVELOPMENT_DEFAULTS.get(name):
                    raise ConfigError(f"{name} still has the development value; set a real one")
                return raw
            return "" if app_env == "production" else DEVELOPMENT_DEFAULTS.get(name, "")

        database_url = value("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
        if app_env == "production":
            check_production_values(env_vars)
        return cls(
            env=app_env,
            channel_secret=value("LINE_CHANNEL_SECRET"),
            channel_access_token=value("LINE_CHANNEL_ACCESS_TOKEN"),
            # Production talks to LINE itself: a stand-in API base is for the emulator only.
            line_api_base=None if app_env == "production" else env_vars.get("LINE_API_BASE", "").strip().rstrip("/") or None,
            database_url=normalise_database_url(database_url),
            secret_key=value("SECRET_KEY"),
            webhook_max_bytes=int(env_vars.get("WEBHOOK_MAX_BYTES", 1_000_000)),
            notice_grace_min=int(env_vars.get("NOTICE_GRACE_MINUTES", 60)),
            notice_approval_required=env_vars.get("NOTICE_APPROVAL_REQUIRED", "").strip().lower() in TRUTHY,
            notice_poll_s=float(env_vars.get("NOTICE_POLL_SECONDS", 3.0)),
            delivery_claim_ttl_s=float(env_vars.get("DELIVERY_CLAIM_TTL_S", 30.0)),
            delivery_concurrency=int(env_vars.get("DELIVERY_CONCURRENCY", 4)),
            scheduler_lease_ttl_s=float(env_vars.get("SCHEDULER_LEASE_TTL_S", "30")),
            webhook_processing=webhook_processing(env_vars, app_env),
            webhook_claim_ttl_s=float(env_vars.get("WEBHOOK_CLAIM_TTL_S", 30.0)),
            **smtp_settings(env_vars),
            public_base_url=(env_vars.get("PUBLIC_BASE_URL", "").strip() or DEVELOPMENT_BASE_URL).rstrip("/"),
            trusted_proxies=trusted_proxies(env_vars),
            api_rate_limit=int(env_vars.get("API_RATE_LIMIT", 30)),
            api_rate_window_s=int(env_vars.get("API_RATE_WINDOW_S", 60)),
            **jma_settings(env_vars, app_env),
            **watch_settings(env_vars),
        )


TRUTHY = ("1", "true", "yes", "on")


def check_production_values(env_vars: Mapping[str, str]) -> None:
    """Refuse values that are set but unsafe in production, naming the variable to fix."""
    key = env_vars.get("SECRET_KEY", "").strip()
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        raise ConfigError(
            f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    base = urlsplit(env_vars.get("PUBLIC_BASE_URL", "").strip())
    if base.scheme != "https" or not base.hostname or base.hostname in ("127.0.0.1", "localhost") \
            or base.query or base.fragment:
        raise ConfigError("PUBLIC_BASE_URL must be the service's public https:// address, e.g. https://line.city.mine.lg.jp")


def trusted_proxies(env_vars: Mapping[str, str]) -> tuple[str, ...]:
    """TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For is believed (none by default)."""
    entries = tuple(entry.strip() for entry in env_vars.get("TRUSTED_PROXIES", "").split(",") if entry.strip())
    for entry in entries:
        try:
            ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(f"TRUSTED_PROXIES: {entry!r} is not an address or network, e.g. 10.0.0.0/8") from None
    return entries
SMTP_TLS_MODES = ("none", "starttls", "ssl")


WEBHOOK_PROCESSING_MODES = ("worker", "inline")


def webhook_processing(env_vars: Mapping[str, str], app_env: str) -> str:
    """`worker` (production, demo) or `inline` (the default for tests: the request handles its events)."""
    mode = env_vars.get("WEBHOOK_PROCESSING", "").strip().lower() or ("inline" if app_env == "test" else "worker")
    if mode not in WEBHOOK_PROCESSING_MODES:
        raise ConfigError(f"WEBHOOK_PROCESSING must be worker or inline, not {mode!r}")
    return mode


LOG_FORMATS = ("text", "json")
RETENTION_VARIABLE = re.compile(r"^RETENTION_([A-Z0-9_]+)_DAYS$")


def watch_settings(env_vars: Mapping[str, str]) -> dict[str, Any]:
    """Logs, metrics and retention: LOG_FORMAT, METRICS_TOKEN, METRICS_ALLOW, RETENTION_*_DAYS."""
    log_format = env_vars.get("LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    allow = tuple(part.strip() for part in env_vars.get("METRICS_ALLOW", "127.0.0.1/32,::1/128").split(",") if part.strip())
    for network in allow:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ConfigError(f"METRICS_ALLOW: {network!r} is not a network (write 10.0.0.0/8, 192.0.2.7)") from None
    retention: dict[str, int] = {}
    for name, raw in env_vars.items():
        match = RETENTION_VARIABLE.match(name)
        if match:
            if not raw.strip().isdigit() or int(raw) < 1:
                raise ConfigError(f"{name} must be a whole number of days (1 or more), not {raw!r}")
            retention[match.group(1).lower()] = int(raw)
    return {"log_format": log_format, "metrics_token": env_vars.get("METRICS_TOKEN", "").strip(),
            "metrics_allow": allow, "retention_days": retention}


def smtp_settings(env_vars: Mapping[str, str]) -> dict[str, Any]:
    """The e-mail channel's settings; SMTP_HOST empty turns the channel off."""
    host = env_vars.get("SMTP_HOST", "").strip()
    tls = env_vars.get("SMTP_TLS", "none").strip().lower() or "none"
    if tls not in SMTP_TLS_MODES:
        raise ConfigError(f"SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, not {tls!r}")
    sender = env_vars.get("SMTP_FROM", "").strip()
    if host and not sender:
        raise ConfigError("SMTP_FROM not set; e-mail needs a sender address when SMTP_HOST is set")
    default_port = {"ssl": 465, "starttls": 587}.get(tls, 25)
    return {
        "smtp_host": host,
        "smtp_port": int(env_vars.get("SMTP_PORT", "").strip() or default_port),
        "smtp_from": sender,
        "smtp_tls": tls,
        "smtp_user": env_vars.get("SMTP_USER", "").strip(),
        "smtp_password": env_vars.get("SMTP_PASSWORD", ""),
    }


JMA_FEED_BASE = "https://www.data.jma.go.jp/developer/xml/feed/"
JMA_DEFAULT_FEEDS = (JMA_FEED_BASE + "extra.xml", JMA_FEED_BASE + "eqvol.xml")
JMA_DEFAULT_LONG_FEEDS = (JMA_FEED_BASE + "extra_l.xml", JMA_FEED_BASE + "eqvol_l.xml")
JMA_INTENSITIES = ("1", "2", "3", "4", "5-", "5+", "6-", "6+", "7")


def jma_settings(env_vars: Mapping[str, str], app_env: str) -> dict[str, Any]:
    """JMA_*: which Atom feeds to poll, for which city, how often, from which seismic intensity."""
    def urls(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if name not in env_vars:
            return default
        return tuple(url.strip() for url in env_vars[name].split(",") if url.strip())

    enabled = env_vars.get("JMA_ENABLED", "").strip().lower()
    intensity = env_vars.get("JMA_MIN_INTENSITY", "3").strip().replace("弱", "-").replace("強", "+") or "3"
    if intensity not in JMA_INTENSITIES:
        raise ConfigError(f"JMA_MIN_INTENSITY must be one of {', '.join(JMA_INTENSITIES)}, not {intensity!r}")
    poll_s = float(env_vars.get("JMA_POLL_SECONDS", "").strip() or 60)
    if poll_s <= 0:
        raise ConfigError("JMA_POLL_SECONDS must be more than 0")
    return {
        "jma_enabled": enabled in TRUTHY if enabled else app_env == "production",
        "jma_feeds": urls("JMA_FEEDS", JMA_DEFAULT_FEEDS),
        "jma_long_feeds": urls("JMA_LONG_FEEDS", JMA_DEFAULT_LONG_FEEDS),
        "jma_city_code": env_vars.get("JMA_CITY_CODE", "").strip() or "3521300",
        "jma_poll_s": poll_s,
        "jma_min_intensity": intensity,
    }


def demo_login_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where `make demo` keeps the demo console login (DEMO_LOGIN_FILE overrides it, for tests).

    Not a `Settings` field: the demo launcher prints it from a process that has no settings of
    its own (it builds its children's environment)."""
    env_vars = os.environ if environ is None else environ
    return Path(env_vars.get("DEMO_LOGIN_FILE") or DEFAULT_DEMO_LOGIN_FILE)


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` URLs hosting platforms hand out, and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
