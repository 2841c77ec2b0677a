"""The Mine City LINE official account: the web application (webhook, console, feeds)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g

from bot import logformat
from bot.config import Settings
from bot.db import Database
from bot.headers import security_headers
from bot.ids import BoundedIntConverter
from bot.logsafe import install_log_escaping


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the web application: settings, database, LINE gateway, router and blueprints."""
    from bot.line.sdk import load_v3_only

    load_v3_only()  # before the first import of the SDK below
    from bot import console, health
    from bot.line import webhook
    from bot.line.events import EventPipeline
    from bot.line.gateway import LineGateway
    from bot.routes import build_router
    from bot.notices import feeds
    from bot.notices import mail
    from bot.notices import api as notice_api
    from bot.procedures import web as procedures_web
    from bot.notices import public as public_notices
    from bot.shelters import public as shelters_public

    overrides = dict(overrides or {})
    settings: Settings = overrides.pop("settings", None) or Settings.from_env()
    if overrides:
        settings = settings.with_overrides(**overrides)

    app = Flask(__name__)
    # Before any blueprint adds a rule: `<int:...>` everywhere means an id of ours (404 beyond 2^63-1).
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.webhook_max_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_production,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    configure_logging(settings)
    logformat.install_request_ids(app)

    database = Database(settings.database_url)
    app.extensions["settings"] = settings
    app.extensions["db"] = database
    app.extensions["gateway"] = LineGateway(settings)
    app.extensions["router"] = build_router()
    app.extensions["event_pipeline"] = pipeline = EventPipeline(app)

    @app.before_request
    def _start_event_worker() -> None:
        # On the first request of each process (after gunicorn's fork; a health check will do),
        # so that events a killed process left behind are taken over even before new ones come.
        if settings.webhook_processing == "worker":
            pipeline.ensure_worker()

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    app.after_request(security_headers(settings.is_production))
    app.register_blueprint(health.bp)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(notice_api.bp)
    app.register_blueprint(mail.bp)
    app.register_blueprint(procedures_web.bp)
    app.register_blueprint(public_notices.bp)
    app.register_blueprint(shelters_public.bp)
    console.register(app)
    return app


def configure_logging(settings: Settings) -> None:
    """Plain, structured-enough log lines; residents' words and tokens are never passed in, and
    control characters in what is logged are escaped (one log call, one line: see bot.logsafe)."""
    install_log_escaping()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    # The SDK's and urllib3's debug logs can contain request bodies and tokens.
    for noisy in ("linebot", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logformat.use_format(settings.log_format)
