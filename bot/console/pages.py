"""What every console page shares: the console's templates and static files, the error and
confirm pages, get-or-404, local time and the date filters templates use.

This module imports no console area, so any area (auth, home, notices...) may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template

from bot import web
from bot.console import csrf
from bot.ids import ID_MAX

Record = TypeVar("Record")
WEEKDAYS = "月火水木金土日"

# The console's shell: its templates, its static files (url_for('console.static', ...)) and the
# filters every template may use. Each area's pages are in its own blueprint (see register()).
bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.app_template_global("csrf_field")
def _csrf_field():
    return csrf.csrf_field()


@bp.app_template_global("csrf_token")
def _csrf_token() -> str:
    return csrf.csrf_token()


def error_page(title: str, message: str, status: int) -> tuple[str, int]:
    """A friendly Japanese error page inside the console layout."""
    return render_template("console/error.html", title=title, message=message, status=status), status


def confirm_page(title: str, message: str, confirm_label: str, cancel_url: str) -> str:
    """The page asking "よろしいですか？" before an action: a GET shows it, its form POSTs back."""
    return render_template(
        "console/confirm.html", title=title, message=message, confirm_label=confirm_label, cancel_url=cancel_url
    )


def get_or_404(model: type[Record], key: object, belongs: Callable[[Record], bool] | None = None) -> Record:
    """The row of `model` with primary key `key`; a 404 page if there is none (or it fails `belongs`)."""
    if isinstance(key, int) and not 0 < key <= ID_MAX:
        abort(404)
    found = web.db_session().get(model, key)
    if found is None or (belongs is not None and not belongs(found)):
        abort(404)
    return found


def local_zone() -> tzinfo:
    """The city's time zone (Japan), in which staff read and enter every date and time."""
    return ZoneInfo(web.settings().timezone)


@bp.app_template_filter("jst")
def format_local_time(value: datetime | None, with_seconds: bool = False) -> str:
    """A UTC datetime as local (Japan) time, e.g. 2026/04/01 09:30; empty for None."""
    if value is None:
        return ""
    local = value.astimezone(local_zone())
    return local.strftime("%Y/%m/%d %H:%M:%S" if with_seconds else "%Y/%m/%d %H:%M")


@bp.app_template_filter("jst_date")
def format_date(value: date | None) -> str:
    """A date as 2026/04/01; empty for None."""
    return value.strftime("%Y/%m/%d") if value else ""


def local_day(moment: datetime | None) -> str:
    """「2026/12/03（木）」 in local (Japan) time; empty for None."""
    if moment is None:
        return ""
    local = moment.astimezone(local_zone())
    return f"{local:%Y/%m/%d}（{WEEKDAYS[local.weekday()]}）"


def local_day_and_time(moment: datetime | None) -> str:
    """「2026/12/01（火）09:00」 in local (Japan) time; empty for None."""
    if moment is None:
        return ""
    return f"{local_day(moment)}{moment.astimezone(local_zone()):%H:%M}"
