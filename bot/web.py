"""Small accessors for what `create_app` put on the application, for views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, g
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.db import Database
    from bot.line.gateway import LineGateway


def settings() -> Settings:
    return current_app.extensions["settings"]


def database() -> Database:
    return current_app.extensions["db"]


def gateway() -> LineGateway:
    return current_app.extensions["gateway"]


def db_session() -> Session:
    """The request's session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def router():
    return current_app.extensions["router"]
