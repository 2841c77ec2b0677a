"""スマホ教室 in the console: classes (create, edit, duplicate, cancel), each class's roster
(people who phoned in, attendance, cancellations, CSV for Excel), venues and the reminder time.

Everyone may look; authors (and admins) may change things. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, web
from bot.ids import parse_id
from bot.classes import LEVELS
from bot.classes import booking as bookings
from bot.classes.booking import BookingInvalid, BookResult
from bot.classes.changes import ClassNotFound, cancel_class, update_class
from bot.classes.notify import outbox_counts, reminder_settings, save_reminder_settings
from bot.classes.roster_csv import roster_csv
from bot.classes.schedule import ClassDraft, ClassInvalid, create_class, draft_of, seat_counts, signup_state
from bot.classes.venues import load_venues
from bot.console.auth import current_actor, require_role
from bot.console.pages import chosen, confirm_page, get_or_404, local_day, local_zone, paginate, word_filters
from bot.db import utcnow
from bot.models import (
    BookingSource, BookingStatus, ClassBooking, ClassStatus, NotificationStatus, SmartphoneClass, StaffRole,
)

bp = Blueprint("classes", __name__, url_prefix="/console/classes")
EDITORS = (StaffRole.AUTHOR,)
OTHER_VENUE = "_other"
SIGNUP_LABELS = {"not_yet": "受付前", "open": "受付中", "closed": "受付終了", "cancelled": "中止"}
OUTBOX_LABELS = {
    NotificationStatus.SENT: "送信済み", NotificationStatus.PENDING: "送信待ち", NotificationStatus.FAILED: "送信できず",
    NotificationStatus.ABANDONED: "確認できず", NotificationStatus.SKIPPED: "不要になり送らず",
}
RESULT_MESSAGES = {
    BookResult.CONFIRMED: "「{name}」さんを参加者に追加しました。",
    BookResult.WAITLISTED: "満席のため、「{name}」さんをキャンセル待ち（{position}番目）に追加しました。",
    BookResult.FULL: "満席で、キャンセル待ちも受け付けていないため追加できません。定員を増やすか、キャンセル待ちを受け付けてください。",
    BookResult.ALREADY: "「{name}」さんは、同じ電話番号でもう申し込まれています。",
    BookResult.CLOSED: "この教室は中止か、もう始まっているため追加できません。",
}


def _course_or_404(class_id: int) -> SmartphoneClass:
    return get_or_404(SmartphoneClass, class_id)


@bp.app_template_filter("class_day")
def class_day(moment: datetime | None) -> str:
    """「2026/12/03（木）」 in Japan time."""
    return local_day(moment)


@bp.app_template_filter("class_hours")
def class_hours(course: SmartphoneClass) -> str:
    tz = local_zone()
    return f"{course.starts_at.astimezone(tz):%H:%M}〜{course.ends_at.astimezone(tz):%H:%M}"


def _recorded(session: Session, action: str, class_id: int, done: str, **details: object) -> Response:
    """Write `action` on class `class_id` to the audit log, commit, and go back to the class saying `done`."""
    audit.record(session, current_actor(), action, target=str(class_id), **details)
    session.commit()
    flash(done, "success")
    return redirect(url_for("classes.detail", class_id=class_id))


# ---- the class list and settings ---------------------------------------------------------------


@bp.get("")
def index():
    """List classes still to come (or all, with past and cancelled ones) with their seats."""
    session, now = web.db_session(), utcnow()
    show_all = request.args.get("all") == "1"
    query = select(SmartphoneClass).order_by(SmartphoneClass.starts_at.desc(), SmartphoneClass.id.desc())
    if not show_all:
        query = select(SmartphoneClass).where(
            SmartphoneClass.starts_at > now, SmartphoneClass.status == ClassStatus.SCHEDULED
        ).order_by(SmartphoneClass.starts_at, SmartphoneClass.id)
    page = paginate(session, query)
    courses = page.items
    return render_template(
        "console/classes/list.html", courses=courses, page=page,
        counts=seat_counts(session, [c.id for c in courses]),
        states={c.id: signup_state(c, now).value for c in courses}, signup_labels=SIGNUP_LABELS, levels=LEVELS,
        show_all=show_all, settings=reminder_settings(session), venues=load_venues(web.db_session()),
    )


PARTICIPANT_STATUSES = {"": "参加決定とキャンセル待ち", "confirmed": "参加決定", "waitlisted": "キャンセル待ち",
                        "cancelled": "キャンセル", "all": "すべて"}
PARTICIPANT_SORTS = {
    "class": ("教室の新しい順", (SmartphoneClass.starts_at.desc(), ClassBooking.created_at, ClassBooking.id)),
    "name": ("お名前順", (ClassBooking.participant_key, ClassBooking.id)),
    "booked": ("申込日時の新しい順", (ClassBooking.created_at.desc(), ClassBooking.id.desc())),
}


@bp.get("/participants")
def participants():
    """List everyone booked on any class: search by name or phone, filter by status, class and how
    they applied, sort by class, name or booking time, page by page."""
    session = web.db_session()
    words, status = request.args.get("q", "").strip(), chosen("status", list(PARTICIPANT_STATUSES), "")
    source, class_id = chosen("source", ["", "line", "phone"], ""), request.args.get("class_id", type=int)
    sort = chosen("sort", list(PARTICIPANT_SORTS), "class")
    query = select(ClassBooking, SmartphoneClass).join(SmartphoneClass, SmartphoneClass.id == ClassBooking.class_id)
    if status == "":
        query = query.where(ClassBooking.status != BookingStatus.CANCELLED)
    elif status != "all":
        query = query.where(ClassBooking.status == BookingStatus(status))
    if source:
        query = query.where(ClassBooking.source == BookingSource(source))
    if class_id:
        query = query.where(ClassBooking.class_id == class_id)
    query = query.where(*word_filters((ClassBooking.participant_name, ClassBooking.phone), words))
    page = paginate(session, query.order_by(*PARTICIPANT_SORTS[sort][1]), rows=True)
    return render_template(
        "console/classes/participants.html", rows=page.items, page=page, q=words, status=status, source=source,
        class_id=class_id, sort=sort, statuses=PARTICIPANT_STATUSES,
        sorts={key: label for key, (label, _) in PARTICIPANT_SORTS.items()},
        course=session.get(SmartphoneClass, class_id) if class_id else None,
    )


@bp.post("/settings")
@require_role(*EDITORS)
def save_settings():
    """Save when the day-before reminder goes out."""
    session = web.db_session()
    try:
        row = save_reminder_settings(session, request.form.get("reminder_time", ""),
                                     request.form.get("reminders_enabled") == "1", current_actor())
    except ValueError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("classes.index"))
    audit.record(session, current_actor(), "classes.settings", reminder_time=row.reminder_time,
                 enabled=row.reminders_enabled)
    session.commit()
    state = f"前日の {row.reminder_time} に送ります" if row.reminders_enabled else "送りません"
    flash(f"リマインダーの設定を保存しました（{state}）。", "success")
    return redirect(url_for("classes.index"))


@bp.get("/venues")
def venues():
    """Show the venue list (sample data until the city checks it)."""
    return render_template("console/classes/venues.html", venues=load_venues(web.db_session()))


# ---- creating and changing a class --------------------------------------------------------------


@dataclass
class ClassForm:
    """The class form's fields as strings, as the browser sends them."""

    title: str = ""
    level: str = "beginner"
    venue: str = ""
    venue_other: str = ""
    day: str = ""
    start: str = "10:00"
    end: str = "11:30"
    capacity: str = "10"
    description: str = ""
    opens_day: str = ""
    opens_time: str = ""
    closes_day: str = ""
    closes_time: str = ""
    waitlist_open: bool = True

    @classmethod
    def from_request(cls) -> ClassForm:
        form = request.form
        fields = {name: form.get(name, "").strip() for name in cls.__dataclass_fields__ if name != "waitlist_open"}
        return cls(**fields, waitlist_open=form.get("waitlist_open") == "1")

    @classmethod
    def of(cls, draft: ClassDraft, tz: tzinfo, *, keep_day: bool = True) -> ClassForm:
        def day(moment: datetime | None) -> str:
            return moment.astimezone(tz).date().isoformat() if moment else ""

        def clock(moment: datetime | None) -> str:
            return f"{moment.astimezone(tz):%H:%M}" if moment else ""

        listed = load_venues(web.db_session()).get(draft.venue_key)
        return cls(
            title=draft.title, level=draft.level, venue=listed.key if listed else OTHER_VENUE,
            venue_other="" if listed else draft.venue_name, day=day(draft.starts_at) if keep_day else "",
            start=clock(draft.starts_at), end=clock(draft.ends_at), capacity=str(draft.capacity),
            description=draft.description,
            opens_day=day(draft.signup_opens_at) if keep_day else "", opens_time=clock(draft.signup_opens_at),
            closes_day=day(draft.signup_closes_at) if keep_day else "", closes_time=clock(draft.signup_closes_at),
            waitlist_open=draft.waitlist_open,
        )

    def draft(self, tz: tzinfo) -> ClassDraft:
        """The draft; fields that cannot be read are reported with the validation errors."""
        errors: dict[str, str] = {}
        starts_at = _moment(self.day, self.start, tz, errors, "starts_at", "開催日と開始時刻を入力してください。")
        ends_at = _moment(self.day, self.end, tz, errors, "ends_at", "終了時刻を入力してください。")
        opens = _optional_moment(self.opens_day, self.opens_time or "09:00", tz, errors, "signup_opens_at")
        closes = _optional_moment(self.closes_day, self.closes_time or "17:00", tz, errors, "signup_closes_at")
        try:
            capacity = int(self.capacity)
        except ValueError:
            capacity = 0
        listed = load_venues(web.db_session()).get(self.venue) if self.venue != OTHER_VENUE else None
        placeholder = datetime(2000, 1, 1, tzinfo=tz)
        return ClassDraft(
            title=self.title, level=self.level, venue_key=listed.key if listed else None,
            venue_name=listed.name if listed else self.venue_other, starts_at=starts_at or placeholder,
            ends_at=ends_at or (starts_at or placeholder) + timedelta(minutes=90), capacity=capacity,
            description=self.description, signup_opens_at=opens, signup_closes_at=closes,
            waitlist_open=self.waitlist_open, errors=errors,
        )


def _moment(day: str, clock: str, tz: tzinfo, errors: dict[str, str], field: str, message: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=tz)
    except ValueError:
        errors[field] = message
        return None


def _optional_moment(day: str, clock: str, tz: tzinfo, errors: dict[str, str], field: str) -> datetime | None:
    if not day:
        return None
    return _moment(day, clock, tz, errors, field, "日付と時刻を正しく入力してください。")


def _form_page(template_form: ClassForm, *, course: SmartphoneClass | None = None, errors: dict[str, str] | None = None,
               copied_from: SmartphoneClass | None = None, status: int = 200):
    return render_template(
        "console/classes/form.html", form=template_form, course=course, errors=errors or {}, levels=LEVELS,
        venues=load_venues(web.db_session()), other_venue=OTHER_VENUE, copied_from=copied_from,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new():
    """Show the form for a new class (or a copy of one, with `?from=ID`) and create it."""
    if request.method == "GET":
        source = web.db_session().get(SmartphoneClass, parse_id(request.args.get("from")) or 0)
        if source is None:
            return _form_page(ClassForm())
        return _form_page(ClassForm.of(draft_of(source), local_zone(), keep_day=False), copied_from=source)
    form = ClassForm.from_request()
    session = web.db_session()
    try:
        course = create_class(session, form.draft(local_zone()), current_actor(), utcnow())
    except ClassInvalid as exc:
        session.rollback()
        return _form_page(form, errors=exc.errors, status=400)
    return _recorded(session, "classes.create", course.id, f"教室「{course.title}」を作成しました。", title=course.title)


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit(class_id: int):
    """Show a class's form and save changes (participants are told of a new date or venue)."""
    course = _course_or_404(class_id)
    if course.is_cancelled:
        flash("中止した教室は変更できません。", "error")
        return redirect(url_for("classes.detail", class_id=class_id))
    if request.method == "GET":
        return _form_page(ClassForm.of(draft_of(course), local_zone()), course=course)
    form = ClassForm.from_request()
    session = web.db_session()
    try:
        outcome = update_class(session, class_id, form.draft(local_zone()), current_actor(), utcnow(), local_zone())
    except ClassInvalid as exc:
        session.rollback()
        return _form_page(form, course=course, errors=exc.errors, status=400)
    except ClassNotFound:
        abort(404)
    audit.record(session, current_actor(), "classes.update", target=str(class_id), told=outcome.told,
                 promoted=[b.id for b in outcome.promoted])
    session.commit()
    flash("変更を保存しました。" + (f"LINEで申し込んだ{outcome.told}件に、変更をお知らせします。" if outcome.told else ""),
          "success")
    _flash_promoted(outcome.promoted)
    return redirect(url_for("classes.detail", class_id=class_id))


@bp.route("/<int:class_id>/cancel", methods=["GET", "POST"])
@require_role(*EDITORS)
def cancel(class_id: int):
    """Ask for a reason and confirmation, then cancel (中止) a class and tell everyone booked."""
    course = _course_or_404(class_id)
    if request.method == "GET":
        confirmed, waiting = seat_counts(web.db_session(), [class_id])[class_id]
        return render_template("console/classes/cancel.html", course=course, people=confirmed + waiting)
    session = web.db_session()
    reason = request.form.get("reason", "")
    course, queued = cancel_class(session, class_id, current_actor(), reason, utcnow(), local_zone())
    return _recorded(session, "classes.cancel", class_id, f"教室を中止にしました。LINEで申し込んだ{queued}件に、"
                     "中止をお知らせします。電話で申し込んだ方には、お電話でお知らせください。", told=queued)


# ---- one class and its roster -------------------------------------------------------------------


@bp.get("/<int:class_id>")
def detail(class_id: int):
    """Show a class, its roster and waitlist, and the forms to add people and mark attendance."""
    course = _course_or_404(class_id)
    session = web.db_session()
    found = bookings.roster(session, class_id)
    counts = outbox_counts(session, class_id)
    outbox = [(label, counts[status]) for status, label in OUTBOX_LABELS.items() if counts.get(status)]
    return render_template(
        "console/classes/detail.html", course=course, roster=found, levels=LEVELS, outbox=outbox,
        signup=SIGNUP_LABELS[signup_state(course, utcnow()).value], started=course.starts_at <= utcnow(),
    )


@bp.post("/<int:class_id>/participants")
@require_role(*EDITORS)
def add_participant(class_id: int):
    """Add someone who phoned in (name and phone; no LINE account)."""
    _course_or_404(class_id)
    session = web.db_session()
    try:
        name = bookings.clean_name(request.form.get("name", ""))
        phone = bookings.clean_phone(request.form.get("phone", ""))
        outcome = bookings.book_seat(session, class_id, name, now=utcnow(), source=BookingSource.PHONE, phone=phone,
                                     actor=current_actor(), by_staff=True)
    except BookingInvalid as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("classes.detail", class_id=class_id) + "#add-participant")
    message = RESULT_MESSAGES[outcome.result].format(name=name, position=outcome.position)
    if outcome.booking is None or outcome.result is BookResult.ALREADY:
        session.rollback()
        flash(message, "error")
        return redirect(url_for("classes.detail", class_id=class_id) + "#add-participant")
    return _recorded(session, "classes.add_participant", class_id, message, booking=outcome.booking.id,
                     result=outcome.result.value)


@bp.route("/<int:class_id>/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@require_role(*EDITORS)
def cancel_booking(class_id: int, booking_id: int):
    """Ask for confirmation, then cancel one person's booking (the waitlist moves up)."""
    course = _course_or_404(class_id)
    booking = get_or_404(ClassBooking, booking_id, lambda found: found.class_id == class_id)
    if request.method == "GET":
        return confirm_page(
            "申し込みをキャンセルします",
            f"「{booking.participant_name}」さんの「{course.title}」（{class_day(course.starts_at)}）の"
            "申し込みをキャンセルします。キャンセル待ちの方がいれば、先頭の方が繰り上がります。よろしいですか？",
            "キャンセルする", url_for("classes.detail", class_id=class_id),
        )
    session = web.db_session()
    outcome = bookings.cancel_booking(session, booking_id, actor=current_actor(), now=utcnow(), tz=local_zone())
    if outcome is not None and outcome.was_active:
        audit.record(session, current_actor(), "classes.cancel_booking", target=str(class_id), booking=booking_id,
                     promoted=[b.id for b in outcome.promoted])
        flash(f"「{booking.participant_name}」さんの申し込みをキャンセルしました。", "success")
        _flash_promoted(outcome.promoted)
    session.commit()
    return redirect(url_for("classes.detail", class_id=class_id))


def _flash_promoted(promoted: list[ClassBooking]) -> None:
    for person in promoted:
        if person.source is BookingSource.LINE:
            flash(f"キャンセル待ちの「{person.participant_name}」さんが繰り上がりました（LINEでお知らせします）。", "info")
        else:
            phone = f"（{person.phone}）" if person.phone else ""
            flash(f"キャンセル待ちの「{person.participant_name}」さん{phone}が繰り上がりました。"
                  "電話で申し込んだ方なので、お電話でお知らせください。", "info")


@bp.post("/<int:class_id>/attendance")
@require_role(*EDITORS)
def attendance(class_id: int):
    """Save who came (checked) and who did not (unchecked)."""
    _course_or_404(class_id)
    session = web.db_session()
    attended = {int(v) for v in request.form.getlist("attended") if v.isdigit()}
    changed = bookings.mark_attendance(session, class_id, attended, current_actor())
    return _recorded(session, "classes.attendance", class_id, f"出欠を保存しました（出席 {len(attended)}人）。",
                     attended=len(attended), changed=changed)


@bp.get("/<int:class_id>/roster/print")
def roster_print(class_id: int):
    """The roster for the door: one A4 page with names, phone numbers and attendance boxes."""
    course = _course_or_404(class_id)
    found = bookings.roster(web.db_session(), class_id)
    return render_template("console/classes/roster_print.html", course=course, roster=found, levels=LEVELS,
                           blank_rows=max(0, min(course.capacity, 20) - len(found.confirmed)),
                           now_local=local_day(utcnow()))


@bp.get("/<int:class_id>/roster.csv")
def roster_download(class_id: int):
    """Download the roster as CSV for Excel (UTF-8 with BOM, CRLF)."""
    course = _course_or_404(class_id)
    session = web.db_session()
    found = bookings.roster(session, class_id)
    body = roster_csv(course, found.confirmed, found.waitlist, local_zone())
    audit.record(session, current_actor(), "classes.export", target=str(class_id),
                 people=len(found.confirmed) + len(found.waitlist))
    session.commit()
    local = course.starts_at.astimezone(local_zone())
    filename = f"スマホ教室名簿_{local:%Y%m%d}_{course.id}.csv"
    disposition = f"attachment; filename=\"class-{course.id}-roster.csv\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition,
                                                        "Cache-Control": "no-store"})
