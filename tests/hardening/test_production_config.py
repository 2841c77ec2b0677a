"""Item 7: the production configuration refuses to start without each required value and with
each weak one, naming the variable; production ignores LINE_API_BASE; absolute URLs come from
PUBLIC_BASE_URL, never from the request's Host header."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import create_app
from bot.config import ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "APP_ENV": "production",
    "LINE_CHANNEL_SECRET": "0f3c9a7b5e1d4c2a8b6f0e9d7c5a3b1e",
    "LINE_CHANNEL_ACCESS_TOKEN": "pG7x2QmN9vR4tL8kW1sZ6cH3jF5bD0yA",
    "SECRET_KEY": "Vq3kR9xLmT2pW7sN4bY8cF1hJ6dG5aZ0eU",
    "DATABASE_URL": "postgresql://city@db.internal/mine",
    "PUBLIC_BASE_URL": "https://line.city.example.jp",
}
REQUIRED = ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL"]
WEAK = [
    ("SECRET_KEY", "a"),
    ("SECRET_KEY", "development-secret-key-not-for-production"),
    ("SECRET_KEY", "k" * 40),
    ("SECRET_KEY", "short-but-varied-9Xq"),
    ("PUBLIC_BASE_URL", "http://line.city.example.jp"),
    ("PUBLIC_BASE_URL", "https://127.0.0.1:8000"),
    ("PUBLIC_BASE_URL", "line.city.example.jp"),
    ("LINE_CHANNEL_SECRET", "development-channel-secret"),
    ("LINE_CHANNEL_ACCESS_TOKEN", "development-access-token"),
    ("TRUSTED_PROXIES", "not-an-address"),
]
CASES = [(name, {k: v for k, v in PRODUCTION.items() if k != name}) for name in REQUIRED] + [
    (name, dict(PRODUCTION, **{name: value})) for name, value in WEAK]


def start_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    """The web app's start as gunicorn does it (`bot:create_app()`), in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in ("LINE_API_BASE",)}
    return subprocess.run([sys.executable, "-c", "from bot import create_app; create_app()"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("variable", "env"), CASES, ids=[f"{n}-{i}" for i, (n, _e) in enumerate(CASES)])
def test_production_refuses_a_missing_or_weak_value_naming_it(variable, env):
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env(env)


@pytest.mark.slow
def test_the_real_start_up_refuses_each_case_and_starts_with_good_values():
    for variable, env in CASES[:len(REQUIRED)] + CASES[len(REQUIRED)::3]:
        started = start_production(env)
        assert started.returncode != 0 and variable in started.stderr, (variable, started.stderr[-300:])
    good = Settings.from_env(PRODUCTION)
    assert good.public_base_url == "https://line.city.example.jp" and good.is_production


def test_production_ignores_line_api_base():
    assert Settings.from_env(dict(PRODUCTION, LINE_API_BASE="http://127.0.0.1:8001")).line_api_base is None
    assert Settings.from_env({"APP_ENV": "test", "LINE_API_BASE": "http://127.0.0.1:8001"}).line_api_base


def test_the_feed_never_builds_its_self_link_from_the_host_header(settings):
    app = create_app({"settings": settings.with_overrides(public_base_url="https://line.city.example.jp")})
    try:
        client = app.test_client()
        body = client.get("/feeds/notices.atom?area=mito", headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body
        assert 'href="https://line.city.example.jp/feeds/notices.atom?area=mito"' in body
    finally:
        app.extensions["gateway"].close()
        app.extensions["db"].dispose()
