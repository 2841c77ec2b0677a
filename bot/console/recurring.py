"""くり返しのお知らせ in the console: the list, a form for a new one (weekly on chosen weekdays,
monthly on a date or on 第N曜日, excluded dates, an end date), and each one's calendar of coming
occurrences, where staff open (and edit) one occurrence, skip one, or end the series."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import web
from bot.console.auth import current_actor, require_role
from bot.console.pages import confirm_page, get_or_404, local_zone, paginate
from bot.db import utcnow
from bot.friends import AREAS, INTERESTS
from bot.models import Notice, RecurringNotice, StaffRole
from bot.notices import KINDS, NoticeDraft, NoticeError, NoticeInvalid, STATUS_LABELS
from bot.notices import recurring

bp = Blueprint("recurring", __name__, url_prefix="/console/recurring")
EDITORS = (StaffRole.AUTHOR,)
CALENDAR_MONTHS = 3


def _dates(text: str) -> tuple[list[date], bool]:
    """Dates typed one a line or separated by commas (2026-12-29, 2026/12/30); whether all were read."""
    found, ok = [], True
    for part in text.replace("、", ",").replace("\n", ",").split(","):
        part = part.strip().replace("/", "-")
        if not part:
            continue
        try:
            found.append(date.fromisoformat(part))
        except ValueError:
            ok = False
    return found, ok


def _form_draft() -> tuple[recurring.RecurringDraft, dict[str, str]]:
    form, errors = request.form, {}
    excluded, ok = _dates(form.get("excluded", ""))
    if not ok:
        errors["excluded"] = "休みにする日は 2026-12-29 のように、1行に1日ずつ入力してください。"
    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(form.get(name, "").strip()) if form.get(name, "").strip() else None
        except ValueError:
            errors[name] = "日付を正しく入力してください。"
            return None
    notice = NoticeDraft(title=form.get("title", ""), body=form.get("body", ""), kind=form.get("kind", "info"),
                         link_url=form.get("link", "").strip() or None, areas=form.getlist("areas"),
                         interests=form.getlist("interests"))
    draft = recurring.RecurringDraft(
        notice=notice, frequency=form.get("frequency", ""), weekdays=[int(d) for d in form.getlist("weekdays") if d.isdigit()],
        month_day=form.get("month_day", type=int), week_number=form.get("week_number", type=int),
        send_time=form.get("send_time", "").strip(), starts_on=day("starts_on"), ends_on=day("ends_on"),
        excluded=excluded)
    return draft, errors


def _form_page(errors: dict[str, str] | None = None, status: int = 200):
    return render_template(
        "console/recurring/form.html", errors=errors or {}, form=request.form, kinds=KINDS, areas=AREAS,
        interests=INTERESTS, frequencies=recurring.FREQUENCY_LABELS, weekdays=recurring.WEEKDAY_NAMES,
        today=datetime.now(local_zone()).date(),
    ), status


@bp.get("")
def index():
    """List recurring notices with their rule and whether they still repeat."""
    session = web.db_session()
    page = paginate(session, select(RecurringNotice).order_by(RecurringNotice.active.desc(), RecurringNotice.id.desc()))
    return render_template("console/recurring/list.html", page=page, items=page.items, kinds=KINDS,
                           describe=lambda r: recurring.describe(recurring.rule_of(r), r.send_time))


@bp.route("/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new():
    """Show the form for a recurring notice, then save it and create its coming occurrences."""
    if request.method == "GET":
        return _form_page()
    draft, errors = _form_draft()
    session = web.db_session()
    try:
        if errors:
            raise NoticeInvalid(errors)
        record = recurring.create_recurring(session, draft, current_actor(), web.settings(), utcnow())
    except NoticeInvalid as exc:
        session.rollback()
        return _form_page({**exc.errors, **errors}, 422)
    session.commit()
    flash(f"くり返しのお知らせ「{record.title}」を登録しました。これからの分を作成しました。", "success")
    return redirect(url_for("recurring.detail", record_id=record.id))


def _calendar(occurrences: list[Notice], today: date) -> list[tuple[str, list[list[tuple[date, list[Notice]]]]]]:
    """(month title, weeks of (day, occurrences that day)) for this month and the next ones."""
    by_day: dict[date, list[Notice]] = {}
    for notice in occurrences:
        if notice.occurrence_on is not None:
            by_day.setdefault(notice.occurrence_on, []).append(notice)
    months, year, month = [], today.year, today.month
    for _ in range(CALENDAR_MONTHS):
        weeks = [[(day, by_day.get(day, [])) for day in week]
                 for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)]
        months.append((f"{year}年{month}月", weeks, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@bp.get("/<int:record_id>")
def detail(record_id: int):
    """Show a recurring notice: its rule, a calendar and the list of its coming occurrences."""
    record = get_or_404(RecurringNotice, record_id)
    occurrences = recurring.occurrence_notices(web.db_session(), record_id)
    today = datetime.now(local_zone()).date()
    return render_template(
        "console/recurring/detail.html", record=record, occurrences=occurrences, kinds=KINDS,
        rule=recurring.describe(recurring.rule_of(record), record.send_time), status_labels=STATUS_LABELS,
        months=_calendar(occurrences, today), today=today, area_labels=AREAS,
        coming=[n for n in occurrences if n.occurrence_on and n.occurrence_on >= today],
    )


@bp.route("/<int:record_id>/occurrences/<int:notice_id>/skip", methods=["GET", "POST"])
@require_role(*EDITORS)
def skip(record_id: int, notice_id: int):
    """Ask, then skip one occurrence (it is not sent; the others stay as they are)."""
    notice = get_or_404(Notice, notice_id, lambda found: found.recurrence_id == record_id)
    back = url_for("recurring.detail", record_id=record_id)
    if request.method == "GET":
        return confirm_page("この回を休みにします", f"{notice.occurrence_on:%Y/%m/%d} の「{notice.title}」を送りません。"
                            "ほかの回はそのまま送ります。よろしいですか？", "この回を休みにする", back)
    session = web.db_session()
    try:
        recurring.skip_occurrence(session, notice_id, current_actor(), utcnow())
    except NoticeError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    session.commit()
    flash(f"{notice.occurrence_on:%Y/%m/%d} の回を休みにしました。", "success")
    return redirect(back)


@bp.route("/<int:record_id>/stop", methods=["GET", "POST"])
@require_role(*EDITORS)
def stop(record_id: int):
    """Ask, then end the series: occurrences not yet sent are cancelled, no new ones are made."""
    record = get_or_404(RecurringNotice, record_id)
    back = url_for("recurring.detail", record_id=record_id)
    if request.method == "GET":
        return confirm_page("くり返しを終了します", f"「{record.title}」のくり返しを終了し、まだ送っていない回をすべて中止します。"
                            "よろしいですか？", "くり返しを終了する", back)
    session = web.db_session()
    cancelled = recurring.stop_recurring(session, record_id, current_actor(), utcnow())
    session.commit()
    flash(f"くり返しを終了しました（まだ送っていない{cancelled}回を中止しました）。", "success")
    return redirect(back)
