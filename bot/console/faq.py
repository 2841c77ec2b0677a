"""よくある質問 (FAQ) in the console: the entries (edit, publish, mark as checked, open-data CSV)
and 「未回答の質問」, the questions the bot could not answer or whose answer did not help.

Everyone may look; authors (and admins) may change things. Every change is audited, bumps the
FAQ content version (each web worker's search follows within a second) and rebuilds this
worker's search index at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from bot import audit, web
from bot.ids import parse_id
from bot.faq import entries as faq_entries
from bot.faq import questions as faq_questions
from bot.city_info import load_city_info
from bot.console.auth import current_actor, require_role
from bot.console.pages import chosen, get_or_404, local_zone, paginate_items
from bot.db import utcnow
from bot.faq.opendata import open_data_csv
from bot.faq.entries import EntryDraft, EntryInvalid, EntryOutdated
from bot.faq.live import live_index
from bot.models import FaqAsk, FaqEntryRecord, StaffRole

bp = Blueprint("faq", __name__, url_prefix="/console")
EDITORS = (StaffRole.AUTHOR,)
FILTERS = {"": "すべて", "unverified": "未確認", "sample": "見本データ", "unpublished": "非公開"}
CANDIDATES_SHOWN = 5
ENTRY_SORTS = {"id": "ID順", "updated": "更新の新しい順", "category": "分類順", "unverified": "未確認を先に"}
QUESTION_SORTS = {"count": "件数の多い順", "recent": "最後の質問の新しい順"}
QUESTIONS_PER_PAGE = 20
OPEN_GROUPS_MAX = 5000


def _entry_or_404(entry_id: str) -> FaqEntryRecord:
    return get_or_404(FaqEntryRecord, entry_id)


def _ask_or_404(ask_id: int) -> FaqAsk:
    """A resident's question still waiting for staff."""
    return get_or_404(FaqAsk, ask_id, lambda ask: ask.needs_review)


def _changed() -> None:
    """After a commit that changed entries: this worker's search sees it at once."""
    live_index().invalidate()


# ---- the entries ------------------------------------------------------------------------------


@bp.get("/faq")
def entries():
    """List the FAQ entries, with a text search and filters (unchecked, sample, unpublished)."""
    session = web.db_session()
    records = faq_entries.all_records(session)
    counts = {
        "all": len(records), "published": sum(r.published for r in records),
        "unverified": sum(r.verified_on is None for r in records), "sample": sum(r.sample for r in records),
    }
    words, shown = request.args.get("q", "").strip(), request.args.get("show", "")
    category = request.args.get("category", "")
    sort = chosen("sort", list(ENTRY_SORTS), "id")
    page = paginate_items(_sorted_entries([r for r in records if _matches(r, words, shown, category)], sort))
    return render_template(
        "console/faq/list.html", entries=page.items, page=page, counts=counts, q=words, show=shown,
        filters=FILTERS, category=category, categories=_categories(records), sort=sort, sorts=ENTRY_SORTS,
        open_questions=len(faq_questions.open_groups(session, limit=OPEN_GROUPS_MAX)),
    )


def _sorted_entries(records: list[FaqEntryRecord], sort: str) -> list[FaqEntryRecord]:
    if sort == "updated":
        return sorted(records, key=lambda r: (r.updated_at, r.id), reverse=True)
    if sort == "category":
        return sorted(records, key=lambda r: (r.category, r.id))
    if sort == "unverified":
        return sorted(records, key=lambda r: (r.verified_on is not None, r.id))
    return sorted(records, key=lambda r: r.id)


def _matches(record: FaqEntryRecord, words: str, shown: str, category: str) -> bool:
    if category and record.category != category:
        return False
    if shown == "unverified" and record.verified_on is not None:
        return False
    if shown == "sample" and not record.sample:
        return False
    if shown == "unpublished" and record.published:
        return False
    text = " ".join([record.id, record.question, record.answer, record.department, *record.alt_questions,
                     *record.keywords]).lower()
    return all(word.lower() in text for word in words.split())


def _categories(records: list[FaqEntryRecord]) -> list[str]:
    found = [r.category for r in records if r.category]
    return list(dict.fromkeys([*faq_entries.STANDARD_CATEGORIES, *found]))


@dataclass
class EntryForm:
    """The entry form's fields as the browser sends them."""

    question: str = ""
    answer: str = ""
    category: str = ""
    department: str = ""
    url: str = ""
    alt_questions: str = ""
    keywords: str = ""
    published: bool = True
    revision: str = ""

    @classmethod
    def from_request(cls) -> EntryForm:
        fields = {name: request.form.get(name, "") for name in cls.__dataclass_fields__ if name != "published"}
        return cls(**fields, published=request.form.get("published") == "1")

    @classmethod
    def of(cls, record: FaqEntryRecord) -> EntryForm:
        return cls(record.question, record.answer, record.category, record.department, record.url,
                   "\n".join(record.alt_questions or []), "、".join(record.keywords or []), record.published,
                   str(record.revision))

    def draft(self) -> EntryDraft:
        return EntryDraft(self.question, self.answer, self.category, self.department, self.url,
                          faq_entries.split_items(self.keywords), faq_entries.split_items(self.alt_questions),
                          self.published)


def _form_page(form: EntryForm, entry: FaqEntryRecord | None = None, errors: dict[str, str] | None = None,
               from_ask: FaqAsk | None = None, status: int = 200):
    session = web.db_session()
    return render_template(
        "console/faq/form.html", form=form, entry=entry, errors=errors or {}, from_ask=from_ask,
        categories=_categories(faq_entries.all_records(session)),
        votes=faq_questions.feedback_counts(session, entry.id) if entry else (0, 0),
        answer_max=faq_entries.ANSWER_MAX,
    ), status


@bp.route("/faq/new", methods=["GET", "POST"])
@require_role(*EDITORS)
def new_entry():
    """Show the form for a new entry (from a resident's question with `?from_ask=ID`) and create it."""
    session = web.db_session()
    from_ask = session.get(FaqAsk, parse_id(request.values.get("from_ask")) or 0)
    if request.method == "GET":
        return _form_page(EntryForm(question=from_ask.question if from_ask else ""), from_ask=from_ask)
    form = EntryForm.from_request()
    try:
        entry = faq_entries.create_entry(session, form.draft(), utcnow())
    except EntryInvalid as exc:
        session.rollback()
        return _form_page(form, errors=exc.errors, from_ask=from_ask, status=400)
    handled = 0
    if from_ask is not None and from_ask.needs_review:
        handled = faq_questions.close_group(session, from_ask, faq_questions.ReviewAction.CREATED, current_actor(),
                                            entry.id)
    audit.record(session, current_actor(), "faq.create", target=entry.id, question=entry.question,
                 from_question=from_ask.id if from_ask else None, questions_handled=handled)
    session.commit()
    _changed()
    flash(f"{entry.id}「{entry.question}」を作成しました。" + ("LINEで答えられるようになりました。" if entry.published else ""),
          "success")
    return redirect(url_for("faq.edit_entry", entry_id=entry.id))


@bp.get("/faq/<entry_id>")
def edit_entry(entry_id: str):
    """Show one entry: its form, how residents see it in LINE, its 「解決した」/「解決しない」 counts."""
    entry = _entry_or_404(entry_id)
    return _form_page(EntryForm.of(entry), entry)


@bp.post("/faq/<entry_id>")
@require_role(*EDITORS)
def save_entry(entry_id: str):
    """Save staff's changes to an entry (refused if someone else saved it since the form opened)."""
    entry, form, session = _entry_or_404(entry_id), EntryForm.from_request(), web.db_session()
    revision = int(form.revision) if form.revision.isdigit() else None
    try:
        changed = faq_entries.update_entry(session, entry, form.draft(), revision, utcnow())
    except EntryInvalid as exc:
        session.rollback()
        return _form_page(form, entry, errors=exc.errors, status=400)
    except EntryOutdated:
        session.rollback()
        flash("ほかの職員がこのFAQを先に変更しました。最新の内容を表示しています。もう一度変更してください。", "error")
        return redirect(url_for("faq.edit_entry", entry_id=entry.id))
    if not changed:
        flash("変更はありませんでした。", "info")
        return redirect(url_for("faq.edit_entry", entry_id=entry.id))
    audit.record(session, current_actor(), "faq.update", target=entry.id, question=entry.question,
                 published=entry.published)
    session.commit()
    _changed()
    flash("変更を保存しました。LINEの回答にすぐ反映されます。", "success")
    return redirect(url_for("faq.edit_entry", entry_id=entry.id))


@bp.post("/faq/<entry_id>/verify")
@require_role(*EDITORS)
def verify_entry(entry_id: str):
    """「内容を確認済みにする」: record that the city checked this entry today."""
    entry, session = _entry_or_404(entry_id), web.db_session()
    today = datetime.now(local_zone()).date()
    faq_entries.mark_verified(session, entry, current_actor(), today)
    audit.record(session, current_actor(), "faq.verify", target=entry.id, verified_on=today.isoformat())
    session.commit()
    flash(f"{entry.id} を確認済みにしました（確認日：{today:%Y/%m/%d}）。", "success")
    return redirect(url_for("faq.edit_entry", entry_id=entry.id))


@bp.get("/faq/export.csv")
def export_csv():
    """Download the open-data CSV of the published entries (UTF-8 with BOM, for Excel)."""
    records = faq_entries.all_records(web.db_session())
    body = open_data_csv(records, load_city_info(), local_zone())
    name = f"faq-{load_city_info().municipality_code}-{datetime.now(local_zone()):%Y%m%d}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


# ---- 未回答の質問 ---------------------------------------------------------------------------


@bp.get("/faq-questions")
def questions():
    """List questions the bot could not answer, or whose answer did not help, with counts; search
    them, sort by count or by the latest, page by page."""
    session = web.db_session()
    words, sort = request.args.get("q", "").strip(), chosen("sort", list(QUESTION_SORTS), "count")
    groups = [g for g in faq_questions.open_groups(session, limit=OPEN_GROUPS_MAX)
              if all(word.lower() in g.question.lower() for word in words.split())]
    if sort == "recent":
        groups.sort(key=lambda g: g.last_asked, reverse=True)
    page = paginate_items(groups, QUESTIONS_PER_PAGE)
    records = faq_entries.all_records(session)
    return render_template(
        "console/faq/questions.html", groups=page.items, page=page, q=words, sort=sort, sorts=QUESTION_SORTS,
        entries=records, handled=faq_questions.recently_handled(session),
        candidates={g.ask_id: _candidates(g.question) for g in page.items}, labels=faq_questions.REVIEW_LABELS,
        contact=load_city_info(web.db_session()).contact,
    )


def _candidates(question: str) -> list[str]:
    """The entries the search finds closest: the likely ones to attach the question to."""
    return [hit.entry_id for hit in live_index().search(question).hits[:CANDIDATES_SHOWN]]


@bp.post("/faq-questions/<int:ask_id>/attach")
@require_role(*EDITORS)
def attach_question(ask_id: int):
    """Add the question (as staff edited it) to an entry as another phrasing; the group is handled."""
    ask, session = _ask_or_404(ask_id), web.db_session()
    entry = session.get(FaqEntryRecord, request.form.get("entry_id", "").strip())
    phrasing = request.form.get("phrasing", "").strip() or ask.question
    if entry is None:
        flash("追加先のFAQを選んでください。", "error")
        return redirect(url_for("faq.questions"))
    try:
        added = faq_entries.add_phrasing(session, entry, phrasing, utcnow())
    except EntryInvalid as exc:
        session.rollback()
        flash(" ".join(exc.errors.values()), "error")
        return redirect(url_for("faq.questions"))
    handled = faq_questions.close_group(session, ask, faq_questions.ReviewAction.ATTACHED, current_actor(), entry.id)
    audit.record(session, current_actor(), "faq.attach_question", target=entry.id, phrasing=phrasing,
                 question_id=ask.id, questions_handled=handled)
    session.commit()
    _changed()
    note = "" if added else "（同じ聞き方はもう登録されていました）"
    flash(f"「{phrasing}」を {entry.id}「{entry.question}」の別の聞き方に追加しました{note}。", "success")
    return redirect(url_for("faq.questions"))


@bp.post("/faq-questions/<int:ask_id>/dismiss")
@require_role(*EDITORS)
def dismiss_question(ask_id: int):
    """Take a question off the list without changing the FAQ (greetings, unrelated messages)."""
    ask, session = _ask_or_404(ask_id), web.db_session()
    handled = faq_questions.close_group(session, ask, faq_questions.ReviewAction.DISMISSED, current_actor())
    audit.record(session, current_actor(), "faq.dismiss_question", target=f"question:{ask.id}",
                 questions_handled=handled)
    session.commit()
    flash(f"「{ask.question}」を一覧から外しました（{handled}件）。", "success")
    return redirect(url_for("faq.questions"))



# ---- 「なぜこの結果？」: what the search made of a question ------------------------------------


@bp.get("/faq-questions/<int:ask_id>/why")
def why_question(ask_id: int):
    """For a resident's question on the list: which entries matched and why."""
    ask = _ask_or_404(ask_id)
    return _why_page(ask.question, ask=ask)


@bp.route("/faq-why", methods=["GET", "POST"])
def why():
    """Try any question (sent in the form body, so it never lands in an access log)."""
    question = request.form.get("q", "").strip() if request.method == "POST" else ""
    return _why_page(question)


def _why_page(question: str, ask: FaqAsk | None = None):
    explanation = live_index().index().explain(question) if question else None
    titles = {record.id: record.question for record in faq_entries.all_records(web.db_session())}
    return render_template("console/faq/why.html", question=question, ask=ask, explanation=explanation,
                           titles=titles, decision_labels=WHY_DECISIONS)


WHY_DECISIONS = {"answer": "この回答を送ります", "suggest": "「もしかして」で候補を出します", "none": "答えられないと伝えます"}
