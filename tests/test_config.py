import pytest

from bot.config import PROJECT_ROOT, ConfigError, Settings, demo_login_file, normalise_database_url

PRODUCTION = {
    "APP_ENV": "production",
    "LINE_CHANNEL_SECRET": "real-secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "real-token",
    "SECRET_KEY": "Vq3kR9xLmT2pW7sN4bY8cF1hJ6dG5aZ0eU",
    "DATABASE_URL": "postgres://city@db/mine",
    "PUBLIC_BASE_URL": "https://line.city.example.jp",
}


def test_production_reads_everything_from_the_environment():
    settings = Settings.from_env(PRODUCTION)
    assert settings.is_production
    assert settings.database_url == "postgresql+psycopg://city@db/mine"
    assert settings.line_api_base is None  # the SDK's own LINE hosts


@pytest.mark.parametrize("missing", ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SECRET_KEY", "DATABASE_URL"])
def test_production_without_a_secret_fails_naming_the_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        Settings.from_env(env)


def test_production_is_the_default_mode():
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        Settings.from_env({})


def test_development_values_never_reach_production():
    env = dict(PRODUCTION, SECRET_KEY="development-secret-key-not-for-production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env(env)


def test_development_has_working_defaults_and_sqlite():
    settings = Settings.from_env({"APP_ENV": "development"})
    assert settings.channel_secret and settings.secret_key
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith(".sqlite3")


def test_unknown_mode_is_refused():
    with pytest.raises(ConfigError, match="APP_ENV"):
        Settings.from_env({"APP_ENV": "prod"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///var/x.sqlite3", "sqlite:///var/x.sqlite3"),
    ],
)
def test_database_urls_are_normalised(given, expected):
    assert normalise_database_url(given) == expected


def test_create_app_reads_nothing_at_import():
    import importlib

    import bot

    importlib.reload(bot)  # importing must not read the environment or open connections


def test_scheduler_lease_and_demo_login_are_read_here(tmp_path):
    assert Settings.from_env({"APP_ENV": "test"}).scheduler_lease_ttl_s == 30.0
    assert Settings.from_env({"APP_ENV": "test", "SCHEDULER_LEASE_TTL_S": "2"}).scheduler_lease_ttl_s == 2.0
    assert demo_login_file({}) == PROJECT_ROOT / "var" / "demo-login.txt"
    assert demo_login_file({"DEMO_LOGIN_FILE": str(tmp_path / "login.txt")}) == tmp_path / "login.txt"
