"""お知らせ in the console: the list, composing with a LINE-like preview and the monthly quota,
approval by a second person, editing and cancelling until a notice goes, withdrawing (取消) a
published one, resuming a held one, and each notice's page with its delivery progress.

Everyone may look; authors (and admins) compose and change notices; approvers (and admins) other
than the author approve. The domain functions in `bot.notices` write the audit entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import web
from bot.console import usage
from bot.ids import parse_id
from bot import notices
from bot.console.auth import current_actor, current_staff, require_role
from bot.console.flex_preview import render_messages
from bot.console.pages import (
    chosen, confirm_page, error_page, get_or_404, local_day_and_time, local_zone, paginate,
    word_filters,
)
from bot.db import utcnow
from bot.friends import AREAS, INTERESTS
from bot.models import BatchStatus, Delivery, DeliveryBatch, Notice, NoticeKind, NoticeStatus, StaffRole
from bot.notices import (
    EDITABLE, KINDS, URGENT_KINDS, CleanDraft, NoticeContent, NoticeDraft, NoticeError, NoticeInvalid,
    NoticeNotFound, NoticeProgress, QuotaCheck,
)
from messages.notices import alt_text, notice_messages

bp = Blueprint("notices", __name__, url_prefix="/console/notices")
EDITORS = (StaffRole.AUTHOR,)
APPROVERS = (StaffRole.APPROVER,)
PAGE_SIZE = 50
STATUS_LABELS = {**notices.STATUS_LABELS, NoticeStatus.WITHDRAWN: "取消済み"}
FILTER_ORDER = (
    NoticeStatus.AWAITING_APPROVAL, NoticeStatus.SCHEDULED, NoticeStatus.SENDING, NoticeStatus.HELD,
    NoticeStatus.SENT, NoticeStatus.WITHDRAWN, NoticeStatus.CANCELLED, NoticeStatus.EXPIRED,
)
QUOTA_SHOWN = EDITABLE | {NoticeStatus.HELD}  # not yet (fully) sent: will it fit?
POLL_AHEAD = timedelta(minutes=10)  # a scheduled notice this close to its time is watched live
SOURCES = {"console": "管理画面", "api": "連携システム（API）", "cli": "コマンド", "jma": "気象庁の情報（自動）",
           "recurring": "くり返しのお知らせ（自動作成）"}


def _notice_or_404(notice_id: int) -> Notice:
    return get_or_404(Notice, notice_id)


@bp.app_template_filter("notice_when")
def notice_when(moment: datetime | None) -> str:
    """「2026/12/01（火）09:00」 in Japan time."""
    return local_day_and_time(moment)


@bp.app_template_filter("notice_when_cell")
def notice_when_cell(moment: datetime | None) -> Markup:
    """notice_when for a narrow table cell: it may break between the day and the time."""
    text = notice_when(moment)
    day, _, clock = text.rpartition("）")
    if not day:
        return Markup("")
    return Markup('<span class="nowrap">{}）</span><wbr><span class="nowrap">{}</span>').format(day, clock)


# ---- the list ----------------------------------------------------------------------------------


@dataclass
class Counts:
    """A notice's LINE delivery in numbers, for the list."""

    targets: int
    sent: int = 0
    failed: int = 0


def delivery_counts(session: Session, notice_ids: list[int]) -> dict[int, Counts]:
    """Recipients sent and failed per notice, in one query (notices not yet planned are absent)."""
    if not notice_ids:
        return {}
    rows = session.execute(
        select(Delivery.notice_id, Delivery.targets, DeliveryBatch.status, func.sum(DeliveryBatch.recipients))
        .outerjoin(DeliveryBatch, DeliveryBatch.delivery_id == Delivery.id)
        .where(Delivery.notice_id.in_(notice_ids))
        .group_by(Delivery.notice_id, Delivery.targets, DeliveryBatch.status)
    ).all()
    counts: dict[int, Counts] = {}
    for notice_id, targets, status, recipients in rows:
        found = counts.setdefault(notice_id, Counts(targets))
        if status is BatchStatus.SENT:
            found.sent += int(recipients or 0)
        elif status in (BatchStatus.REJECTED, BatchStatus.ABANDONED):
            found.failed += int(recipients or 0)
    return counts


def _status_filter(value: str) -> NoticeStatus | None:
    return next((status for status in NoticeStatus if status.value == value), None)


SORTS = {
    "new": ("作成の新しい順", (Notice.created_at.desc(), Notice.id.desc())),
    "old": ("作成の古い順", (Notice.created_at, Notice.id)),
    "send": ("送信日時の新しい順", (Notice.due_at.desc(), Notice.id.desc())),
    "title": ("タイトル順", (Notice.title, Notice.id)),
}


def _listed(status: NoticeStatus | None, kind: str, words: str):
    query = select(Notice)
    if status is not None:
        query = query.where(Notice.status == status)
    if kind in {k.value for k in NoticeKind}:
        query = query.where(Notice.kind == NoticeKind(kind))
    return query.where(*word_filters((Notice.title, Notice.body), words))


@bp.get("")
def index():
    """List notices (newest first, or by send date or title) with their status and how many received
    them; search the title and text, filter by status and kind, page by page."""
    session = web.db_session()
    status = _status_filter(request.args.get("status", ""))
    kind, words = request.args.get("kind", ""), request.args.get("q", "").strip()
    sort = chosen("sort", list(SORTS), "new")
    page = paginate(session, _listed(status, kind, words).order_by(*SORTS[sort][1]), PAGE_SIZE)
    return render_template(
        "console/notices/list.html", notices=page.items, page=page,
        counts=delivery_counts(session, [n.id for n in page.items]), status=status, kind=kind, q=words,
        sort=sort, sorts={key: label for key, (label, _) in SORTS.items()}, filters=FILTER_ORDER,
        status_labels=STATUS_LABELS, kinds=KINDS, total=page.total, target_label=target_label,
    )


# ---- composing and editing --------------------------------------------------------------------


@dataclass
class NoticeForm:
    """The compose form's fields as the browser sends them."""

    kind: str = NoticeKind.INFO.value
    title: str = ""
    body: str = ""
    link: str = ""
    image: str = ""
    target: str = "all"  # all: every friend; segment: the areas and interests below
    areas: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    timing: str = "now"  # now, or later: at `day` `clock` (Japan time)
    day: str = ""
    clock: str = ""
    version: str = ""

    @classmethod
    def from_request(cls) -> NoticeForm:
        form = request.form
        return cls(
            kind=form.get("kind", "").strip(), title=form.get("title", ""), body=form.get("body", ""),
            link=form.get("link", "").strip(), image=form.get("image", "").strip(),
            target="segment" if form.get("target") == "segment" else "all",
            areas=form.getlist("areas"), interests=form.getlist("interests"),
            timing="later" if form.get("timing") == "later" else "now",
            day=form.get("day", "").strip(), clock=form.get("clock", "").strip(), version=form.get("version", ""),
        )

    @classmethod
    def of(cls, notice: Notice, tz: tzinfo, now: datetime) -> NoticeForm:
        """The form for editing `notice`."""
        later = notice.send_at > now
        local = notice.send_at.astimezone(tz)
        return cls(
            kind=notice.kind.value, title=notice.title, body=notice.body, link=notice.link_url or "",
            image=notice.image_url or "", target="segment" if notice.areas or notice.interests else "all",
            areas=list(notice.areas), interests=list(notice.interests), timing="later" if later else "now",
            day=local.date().isoformat() if later else "", clock=f"{local:%H:%M}" if later else "",
            version=str(notice.version),
        )

    def draft(self, now: datetime, tz: tzinfo) -> tuple[NoticeDraft, dict[str, str]]:
        """The domain draft, and the mistakes only the form can see (an unreadable date...)."""
        errors: dict[str, str] = {}
        segment = self.target == "segment"
        areas, interests = (self.areas, self.interests) if segment else ([], [])
        if segment and not areas and not interests:
            errors["areas"] = "届ける地域か対象の情報を1つ以上選んでください。全員に送るときは「すべての友だち」を選んでください。"
        send_at = self._send_at(now, tz, errors) if self.timing == "later" else None
        draft = NoticeDraft(title=self.title, body=self.body, kind=self.kind, link_url=self.link or None,
                            image_url=self.image or None, areas=list(areas), interests=list(interests),
                            send_at=send_at)
        return draft, errors

    def _send_at(self, now: datetime, tz: tzinfo, errors: dict[str, str]) -> datetime | None:
        try:
            when = datetime.combine(date.fromisoformat(self.day), time.fromisoformat(self.clock), tzinfo=tz)
        except ValueError:
            errors["send_at"] = "送信する日付と時刻を入力してください。"
            return None
        if when < now - notices.PAST_TOLERANCE:
            errors["send_at"] = "この日時はもう過ぎています。今すぐ送るときは「今すぐ送る」を選んでください。"
            return None
        return when

    def hidden_fields(self) -> list[tuple[str, str]]:
        """Every field as (name, value), to carry the form through the preview page."""
        single = [(name, getattr(self, name)) for name in
                  ("kind", "title", "body", "link", "image", "target", "timing", "day", "clock", "version")]
        return single + [("areas", a) for a in self.areas] + [("interests", i) for i in self.interests]


def check(form: NoticeForm, now: datetime, tz: tzinfo) -> tuple[CleanDraft | None, dict[str, str]]:
    """The clean draft, or every mistake by field (the form's own messages win)."""
    draft, errors = form.draft(now, tz)
    try:
        clean = draft.validate(now, tz)
    except NoticeInvalid as exc:
        return None, {**exc.errors, **errors}
    return (None, errors) if errors else (clean, {})


def _form_page(form: NoticeForm, notice: Notice | None = None, errors: dict[str, str] | None = None,
               status: int = 200, copied_from: Notice | None = None):
    return render_template(
        "console/notices/form.html", form=form, notice=notice, errors=errors or {}, copied_from=copied_from,
        kinds=KINDS, urgent_kinds=[k.value for k in URGENT_KINDS], areas=AREAS, interests=INTERESTS,
        approval_required=web.settings().notice_approval_required,
    ), status


def _preview_page(form: NoticeForm, clean: CleanDraft, notice: Notice | None):
    """The notice as a phone will show it, what it will use of the monthly quota, and the send button."""
    session = web.db_session()
    content = NoticeContent(
        id=notice.id if notice else 0, kind=clean.kind.value, kind_label=KINDS[clean.kind], title=clean.title,
        body=clean.body, link_url=clean.link_url, image_url=clean.image_url,
        area_labels=tuple(AREAS[a] for a in clean.areas), published_at=clean.send_at,
    )
    needed = notices.estimate_recipients(session, clean.areas, clean.interests)
    messages = [m.to_dict() for m in notice_messages(content, local_zone())]
    return render_template(
        "console/notices/preview.html", form=form, clean=clean, notice=notice, kinds=KINDS,
        phone=render_messages(messages), message_count=len(messages), alt=alt_text(content),
        target=target_label(clean.areas, clean.interests), quota=notices.quota_check(web.gateway(), needed),
        needs_approval=web.settings().notice_approval_required and clean.kind in URGENT_KINDS,
        send_now=form.timing == "now",
    )


def target_label(areas: list[str], interests: list[str]) -> str:
    """「すべての友だち」, or the areas and the interests a notice goes to."""
    if not areas and not interests:
        return "すべての友だち"
    parts = ["・".join(AREAS.get(a, a) for a in areas) if areas else "全地域"]
    if interests:
        parts.append("・".join(INTERESTS.get(i, i) for i in interests))
    return "／".join(parts)


def _compose_step(form: NoticeForm, notice: Notice | None):
    """One step of 入力 → 確認 (preview) → 送信/予約: `action` says which button was pressed."""
    action = request.form.get("action", "preview")
    if action == "back":
        return _form_page(form, notice)
    now, tz = utcnow(), local_zone()
    clean, errors = check(form, now, tz)
    if clean is None:
        return _form_page(form, notice, errors, 422)
    if action != "save":
        return _preview_page(form, clean, notice)
    return _save(form, notice, now, tz)


def _save(form: NoticeForm, notice: Notice | None, now: datetime, tz: tzinfo):
    session, settings = web.db_session(), web.settings()
    draft, _ = form.draft(now, tz)
    try:
        if notice is None:
            saved = notices.create_notice(session, draft, current_actor(), settings, now)
        else:
            version = int(form.version) if form.version.isdigit() else None
            saved = notices.update_notice(session, notice.id, draft, current_actor(), settings, now, version)
    except NoticeInvalid as exc:
        session.rollback()
        return _form_page(form, notice, exc.errors, 422)
    except NoticeError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("notices.detail", notice_id=notice.id) if notice else url_for("notices.index"))
    session.commit()
    flash(_saved_message(saved, now, edited=notice is not None), "success")
    return redirect(url_for("notices.detail", notice_id=saved.id))


def _saved_message(notice: Notice, now: datetime, edited: bool) -> str:
    done = f"「{notice.title}」の変更を保存しました。" if edited else f"「{notice.title}」を保存しました。"
    if notice.status is NoticeStatus.AWAITING_APPROVAL:
        return done + "承認者の承認を待っています（承認されるまで送信されません）。"
    if notice.due_at <= now + timedelta(minutes=1):
        return done + "まもなく送信が始まります。"
    return done + f"{notice_when(notice.due_at)} に送信します。"


@bp.route("/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new():
    """Show the compose form (empty, or a copy of notice `?from=ID`), then the LINE preview with the
    quota, then create the notice."""
    if request.method == "GET":
        source = web.db_session().get(Notice, parse_id(request.args.get("from")) or 0)
        if source is None:
            return _form_page(NoticeForm())
        copied = replace(NoticeForm.of(source, local_zone(), utcnow()), timing="now", day="", clock="", version="")
        return _form_page(copied, copied_from=source)
    return _compose_step(NoticeForm.from_request(), None)


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@require_role(*EDITORS)
def edit(notice_id: int):
    """Change a notice that has not gone yet (form, preview, save)."""
    notice = _notice_or_404(notice_id)
    if notice.status not in EDITABLE:
        flash(f"{STATUS_LABELS[notice.status]}のお知らせは編集できません。", "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    if request.method == "GET":
        return _form_page(NoticeForm.of(notice, local_zone(), utcnow()), notice)
    return _compose_step(NoticeForm.from_request(), notice)


# ---- one notice ---------------------------------------------------------------------------------


def progress_json(state: NoticeProgress) -> dict[str, Any]:
    """What the detail page's progress bar reads every second or two."""
    settled = state.sent + state.failed
    return {
        **state.as_json(),
        "state": state.status.value,
        "label": STATUS_LABELS[state.status],
        "pending": state.pending,
        "settled": settled,
        "planned": state.planned,
        "fraction": round(state.fraction, 4),
        "percent": int(state.fraction * 100),
        "reason": state.reason,
        "live": state.status in (NoticeStatus.SCHEDULED, NoticeStatus.SENDING),
        # <progress max value>: empty until planned; full for a delivery with no one to send to
        "bar_max": max(state.targets, 1),
        "bar_value": (settled if state.targets else 1) if state.planned else 0,
    }


def _shown_content(notice: Notice) -> NoticeContent:
    """The notice as LINE shows it, with the time it went (or will go)."""
    return replace(notices.content_of(notice), published_at=notice.published_at or notice.due_at)


@bp.get("/<int:notice_id>")
def detail(notice_id: int):
    """Show a notice: its status and delivery progress, the LINE preview, and what staff may do."""
    session, now = web.db_session(), utcnow()
    notice = _notice_or_404(notice_id)
    state = notices.progress(session, notice_id)
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id))
    if delivery is not None:  # what was actually sent, frozen at send time
        messages = list(delivery.messages)
    else:
        messages = [m.to_dict() for m in notice_messages(_shown_content(notice), local_zone())]
    quota: QuotaCheck | None = None
    if notice.status in QUOTA_SHOWN:
        quota = notices.quota_check(web.gateway(), notices.recipients_needed(session, notice))
    live = notice.status is NoticeStatus.SENDING or (
        notice.status is NoticeStatus.SCHEDULED and notice.due_at <= now + POLL_AHEAD)
    staff = current_staff()
    return render_template(
        "console/notices/detail.html", notice=notice, state=state,
        mail=usage.mail_counts(session, [notice_id]).get(notice_id), mail_failures=usage.mail_failures(session, notice_id),
        progress=progress_json(state), live=live,
        phone=render_messages(messages), message_count=len(messages),
        alt=messages[0].get("altText") if messages else "", quota=quota,
        kinds=KINDS, status_labels=STATUS_LABELS, sources=SOURCES, now=now,
        target=target_label(notice.areas, notice.interests),
        editable=notice.status in EDITABLE, own=staff is not None and staff.login_name == notice.created_by,
        withdrawable=notice.published_at is not None and notice.status is not NoticeStatus.WITHDRAWN,
    )


@bp.get("/<int:notice_id>/progress.json")
def progress(notice_id: int):
    """The delivery's numbers as JSON, for the progress bar."""
    try:
        state = notices.progress(web.db_session(), notice_id)
    except NoticeNotFound:
        return jsonify(message="お知らせが見つかりません。"), 404
    response = jsonify(progress_json(state))
    response.headers["Cache-Control"] = "no-store"
    return response


def _act(notice_id: int, change: Callable[[Session, datetime], Notice], done: str):
    """Run one domain change (it writes the audit entry), commit, and go back to the notice."""
    session = web.db_session()
    try:
        notice = change(session, utcnow())
    except NoticeNotFound:
        abort(404)
    except NoticeError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    session.commit()
    flash(done.format(title=notice.title, when=notice_when(notice.due_at)), "success")
    return redirect(url_for("notices.detail", notice_id=notice_id))


@bp.post("/<int:notice_id>/approve")
@require_role(*APPROVERS)
def approve(notice_id: int):
    """Approve an urgent notice someone else wrote; it goes at its send time (or now)."""
    notice = _notice_or_404(notice_id)
    if notice.created_by == current_actor():
        return error_page("承認できません", "ご自身が作成したお知らせは承認できません。ほかの承認者に承認を依頼してください。", 403)
    return _act(notice_id, lambda session, now: notices.approve_notice(session, notice_id, current_actor(), now),
                "「{title}」を承認しました。{when} に送信します。")


@bp.route("/<int:notice_id>/cancel", methods=["GET", "POST"])
@require_role(*EDITORS)
def cancel(notice_id: int):
    """Ask for confirmation, then stop a notice before it goes (or the rest of a held delivery)."""
    notice = _notice_or_404(notice_id)
    if request.method == "GET":
        if notice.status is NoticeStatus.HELD:
            message = (f"送信保留中の「{notice.title}」の、まだ届いていない方への送信を中止します。"
                       "すでに届いた方の分はそのまま残ります。よろしいですか？")
        else:
            message = f"「{notice.title}」の送信を中止します。中止したお知らせは送信されません。よろしいですか？"
        return confirm_page("お知らせの送信を中止します", message, "送信を中止する",
                            url_for("notices.detail", notice_id=notice_id))
    return _act(notice_id, lambda session, now: notices.cancel_notice(session, notice_id, current_actor(), now),
                "「{title}」の送信を中止しました。")


@bp.route("/<int:notice_id>/withdraw", methods=["GET", "POST"])
@require_role(*EDITORS)
def withdraw(notice_id: int):
    """Ask for the reason, then withdraw (取消) a published notice; the feeds show the correction."""
    notice = _notice_or_404(notice_id)
    if request.method == "GET":
        return render_template("console/notices/withdraw.html", notice=notice, reason="", errors={})
    reason = request.form.get("reason", "")
    session = web.db_session()
    try:
        notices.withdraw_notice(session, notice_id, current_actor(), reason, utcnow())
    except NoticeInvalid as exc:
        session.rollback()
        return render_template("console/notices/withdraw.html", notice=notice, reason=reason,
                               errors=exc.errors), 422
    except NoticeError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("notices.detail", notice_id=notice_id))
    session.commit()
    flash(f"「{notice.title}」を取り消しました。ホームページなどには取消の表示と理由が出ます。", "success")
    return redirect(url_for("notices.detail", notice_id=notice_id))


@bp.post("/<int:notice_id>/resume")
@require_role(*EDITORS)
def resume(notice_id: int):
    """Send the rest of a held notice (after the quota renewed or the problem was fixed)."""
    _notice_or_404(notice_id)
    return _act(notice_id, lambda session, now: notices.resume_notice(session, notice_id, current_actor(), now),
                "「{title}」の送信を再開しました。まもなく残りの方へ送信します。")
