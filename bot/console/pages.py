"""What every console page shares: the console's templates and static files, the error and
confirm pages, get-or-404, local time and the date filters templates use, and the lists'
pagination (`paginate`, `paginate_items`, `list_url` and the `console/_pager.html` partial).

This module imports no console area, so any area (auth, home, notices...) may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request, url_for
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from bot import web
from bot.console import csrf
from bot.ids import ID_MAX, parse_page

Record = TypeVar("Record")
WEEKDAYS = "月火水木金土日"
PAGE_SIZE = 50

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


# ---- lists: pagination, search and sorting that survive paging ---------------------------------


@dataclass(frozen=True)
class Page(Generic[Record]):
    """One page of a list: its rows, and where it stands (`console/_pager.html` shows it)."""

    items: list[Record]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.number * self.size, self.total)

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to show: the first, the last and those near this one (None: a gap)."""
        wanted = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        shown: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if shown and shown[-1] is not None and number - shown[-1] > 1:  # type: ignore[operator]
                shown.append(None)
            shown.append(number)
        return shown


def requested_page() -> int:
    return parse_page(request.args.get("page"))


def paginate(session: Session, query: Select[Any], size: int = PAGE_SIZE, rows: bool = False) -> Page[Any]:
    """The requested page (`?page=`) of an ordered query: one COUNT and one LIMIT/OFFSET query.
    Its items are the first column's objects, or whole rows (tuples) with `rows=True`."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(requested_page(), max(1, -(-total // size)))
    window = query.offset((number - 1) * size).limit(size)
    items = list(session.execute(window).all()) if rows else list(session.scalars(window))
    return Page(items, total, number, size)


def paginate_items(items: Sequence[Record], size: int = PAGE_SIZE) -> Page[Record]:
    """The requested page of a list already filtered in Python."""
    number = min(requested_page(), max(1, -(-len(items) // size)))
    return Page(list(items[(number - 1) * size:number * size]), len(items), number, size)


def chosen(name: str, choices: Sequence[str], default: str) -> str:
    """The `?name=` value when it is one of `choices` (a sort order, a filter), else `default`."""
    value = request.args.get(name, default)
    return value if value in choices else default


@bp.app_template_global("list_url")
def list_url(**changes: object) -> str:
    """This list's URL with its search, filters and sort kept and `changes` applied; any change
    other than the page goes back to page 1. A None value drops the argument."""
    args = request.args.to_dict(flat=False)
    if "page" not in changes:
        args.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            args.pop(name, None)
        else:
            args[name] = [str(value)]
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def word_filters(columns: Sequence[Any], words: str, most: int = 5) -> list[ColumnElement[bool]]:
    """WHERE clauses for a search box: each word (up to `most`) in at least one of `columns`."""
    clauses = []
    for word in words.split()[:most]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return clauses
