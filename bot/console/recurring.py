"""くり返しのお知らせ in the console: the list, a form for a new one (weekly on chosen weekdays,
monthly on a date or on 第N曜日, excluded dates, an end date), and each one's calendar of coming
occurrences, where staff open (and edit) one occurrence, skip one, or end the series."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

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


def _form_page(errors: dict[str, str] | None = None, status: int = 200, form=None,
               record: RecurringNotice | None = None):
    return render_template(
        "console/recurring/form.html", errors=errors or {}, form=request.form if form is None else form, kinds=KINDS,
        areas=AREAS, interests=INTERESTS, frequencies=recurring.FREQUENCY_LABELS, weekdays=recurring.WEEKDAY_NAMES,
        today=datetime.now(local_zone()).date(), record=record,
    ), status


def _seen_updated_at() -> datetime | None:
    """When the rule the editor saw was last changed (a form without it, or a garbled one: no check)."""
    try:
        seen = datetime.fromisoformat(request.form.get("seen_updated_at", ""))
    except ValueError:
        return None
    return seen if seen.tzinfo is not None else None


def _record_form(record: RecurringNotice) -> MultiDict:
    """The saved rule as the form shows it, for changing it."""
    fields: list[tuple[str, str]] = [
        ("kind", record.kind), ("title", record.title), ("body", record.body), ("link", record.link_url or ""),
        ("frequency", record.frequency.value), ("week_number", str(record.week_number or "")),
        ("month_day", str(record.month_day or "")), ("send_time", record.send_time),
        ("starts_on", record.starts_on.isoformat()), ("ends_on", record.ends_on.isoformat() if record.ends_on else ""),
        ("excluded", "\n".join(record.excluded or [])),
        ("seen_updated_at", record.updated_at.isoformat()),  # a change saved meanwhile is not overwritten
    ]
    fields += [("areas", a) for a in record.areas or []] + [("interests", i) for i in record.interests or []]
    fields += [("weekdays", str(d)) for d in record.weekdays or []]
    return MultiDict(fields)


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


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit(record_id: int):
    """Show the saved rule in the form, then save the change: coming occurrences that staff have
    not edited or skipped follow the new rule; sent, sending, edited and skipped ones stay."""
    record = get_or_404(RecurringNotice, record_id)
    back = url_for("recurring.detail", record_id=record_id)
    if not record.active:
        flash("終了したくり返しのお知らせは変更できません。", "error")
        return redirect(back)
    if request.method == "GET":
        return _form_page(form=_record_form(record), record=record)
    draft, errors = _form_draft()
    session = web.db_session()
    try:
        if errors:
            raise NoticeInvalid(errors)
        change = recurring.update_recurring(session, record_id, draft, current_actor(), web.settings(), utcnow(),
                                            seen_updated_at=_seen_updated_at())
    except NoticeInvalid as exc:
        session.rollback()
        return _form_page({**exc.errors, **errors}, 422, record=record)
    except NoticeError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    session.commit()
    summary = f"これからの回を{len(change.updated)}回変更、{len(change.created)}回追加、{len(change.removed)}回削除しました。"
    if change.kept:
        summary += f"この回だけ変更した回・休みにした回・送信中の回（{len(change.kept)}回）はそのままです。"
    flash(f"くり返しのお知らせ「{draft.notice.title.strip()}」の設定を変更しました。{summary}", "success")
    return redirect(back)


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
