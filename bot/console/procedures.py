"""くらしの手続きガイド in the console (/console/procedures): the life events with their
questions, the procedures, the online links (each with its sample marking and 確認日, edited
and marked checked by authors), the import from `content/procedures/`, and the lookup of a
resident's saved checklist by its short number (what the counter page shows)."""

from __future__ import annotations

from typing import Any

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import audit, web
from bot.console import content_forms as forms
from bot.console.auth import current_actor, require_role
from bot.console.content_forms import EditPage, Field
from bot.db import utcnow
from bot.models import LifeEvent, OnlineProcedure, Procedure
from bot.procedures import guide
from bot.procedures.content import import_content
from bot.procedures.tree import TreeInvalid, parse_tree

bp = Blueprint("procedures", __name__, url_prefix="/console/procedures")


def _tree_from_yaml(values: dict[str, Any]) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(values["tree"] or "")
    except yaml.YAMLError as exc:
        raise ValueError("質問と手続きの書き方（YAML）に誤りがあります。字下げを確かめてください。") from exc
    known = frozenset(web.db_session().scalars(select(Procedure.key)))
    try:
        tree = parse_tree(raw, known)
    except TreeInvalid as exc:
        raise ValueError(str(exc)) from exc
    from bot.procedures.tree import tree_data

    return {**values, "tree": tree_data(tree)}


def _show_tree(name: str, value: Any) -> Any:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False) if name == "tree" else value


def _index_url() -> str:
    return url_for("procedures.index")


PROCEDURE_PAGE = EditPage(
    "手続き", [
        Field("name", "手続きの名前", required=True, max_length=60),
        Field("counter", "窓口", hint="例：本庁 市民課、美東総合支所、秋芳総合支所"),
        Field("bring", "持ち物", "textarea", max_length=500),
        Field("deadline", "期限", hint="例：住み始めてから14日以内"),
        Field("fee", "手数料"),
        Field("online_label", "オンラインの名前", hint="例：マイナポータル（ない手続きは空）", max_length=40),
        Field("online_url", "オンラインのアドレス", "url", max_length=500),
        Field("online_unverified", "アドレスは未確認（住民に「市で確認中」と表示）", "checkbox"),
        Field("note", "ひとこと", "textarea", max_length=300),
    ], "procedures.edit", _index_url, "くらしの手続きガイド")
EVENT_PAGE = EditPage(
    "ライフイベント", [
        Field("label", "名前（ボタンの表示）", required=True, max_length=20),
        Field("tree", "質問と手続き（YAML）", "yaml", required=True,
              hint="questions：1〜4個の質問（key、text、choices、必要なら when）。procedures：手続きのキーと、その条件 when。"),
    ], "procedures.event_edit", _index_url, "くらしの手続きガイド", clean=_tree_from_yaml, show=_show_tree)
ONLINE_PAGE = EditPage(
    "オンライン手続き", [
        Field("name", "名前", required=True, max_length=60),
        Field("category", "分野", required=True, max_length=40),
        Field("url", "アドレス", "url", required=True, max_length=500),
        Field("needs_card", "マイナンバーカードが必要", "checkbox"),
        Field("url_unverified", "アドレスは未確認（住民に「市で確認中」と表示）", "checkbox"),
        Field("note", "説明", "textarea", max_length=300),
    ], "procedures.online_edit", _index_url, "くらしの手続きガイド")
KINDS = {"items": (Procedure, PROCEDURE_PAGE), "events": (LifeEvent, EVENT_PAGE), "online": (OnlineProcedure, ONLINE_PAGE)}


@bp.get("")
def index():
    """List the life events, procedures and online links, with the short-number search."""
    session = web.db_session()
    events = guide.events(session) if guide.imported(session) else []
    procedures = list(session.scalars(select(Procedure).order_by(Procedure.key)))
    online = list(session.scalars(select(OnlineProcedure).order_by(OnlineProcedure.position)))
    return render_template("console/procedures/index.html", events=events, procedures=procedures, online=online,
                           imported=guide.imported(session))


@bp.post("/import")
@require_role(*forms.EDITORS)
def import_files():
    """「ファイルから取り込む」: adds what content/procedures/ has and the database lacks."""
    session = web.db_session()
    counts = import_content(session, utcnow(), only_new=True)
    audit.record(session, current_actor(), "procedures.import", events=counts.events, procedures=counts.procedures,
                 online=counts.online, only_new=True)
    session.commit()
    flash(f"取り込みました（ライフイベント{counts.events}件、手続き{counts.procedures}件、オンライン{counts.online}件）。",
          "success")
    return redirect(_index_url())


def _row(kind: str, key: str):
    if kind not in KINDS:
        abort(404)
    model, page = KINDS[kind]
    record = web.db_session().get(model, key)
    if record is None:
        abort(404)
    return record, page


def _urls(kind: str, key: str) -> tuple[str, str]:
    return (url_for("procedures.edit", kind=kind, key=key), url_for("procedures.verify", kind=kind, key=key))


@bp.get("/<kind>/<key>")
def edit(kind: str, key: str):
    """Show one procedure, life event or online link for editing."""
    record, page = _row(kind, key)
    return forms.render(page, record, action_url=_urls(kind, key)[0], verify_url=_urls(kind, key)[1])


@bp.post("/<kind>/<key>")
@require_role(*forms.EDITORS)
def save(kind: str, key: str):
    """Save one procedure, life event or online link."""
    record, page = _row(kind, key)
    return forms.save(page, record, key, *_urls(kind, key))


@bp.post("/<kind>/<key>/verify")
@require_role(*forms.EDITORS)
def verify(kind: str, key: str):
    """Mark one procedure, life event or online link as checked by the city."""
    record, page = _row(kind, key)
    return forms.verify(page, record, key)


@bp.get("/lookup")
def lookup():
    """The checklist a resident shows at the counter, found by its short number."""
    code = guide.normalise_code(request.args.get("code", ""))
    session = web.db_session()
    saved = guide.find_saved(session, code, utcnow()) if code else None
    found = guide.saved_checklist(session, saved) if saved is not None else None
    return render_template("console/procedures/lookup.html", code=code, saved=saved, found=found), \
        200 if found or not code else 404
