"""市の基本情報 in the console (/console/city): the contact the bot gives residents (name,
phone, opening hours) and the スマホ教室 venues, each with its sample marking and 確認日, edited
and marked checked by authors; until imported, the files in content/ are what the bot uses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import audit, web
from bot.city_info import MAIN_CONTACT, import_city_contact, load_city_info
from bot.classes.venues import import_venues
from bot.console import content_forms as forms
from bot.console.auth import current_actor, require_role
from bot.console.content_forms import EditPage, Field
from bot.db import utcnow
from bot.friends import AREAS
from bot.models import CityContact, ClassVenue

bp = Blueprint("city", __name__, url_prefix="/console/city")


def _index_url() -> str:
    return url_for("city.index")


def _clean_venue(values: dict[str, Any]) -> dict[str, Any]:
    area = values.get("area") or None
    if area is not None and area not in AREAS:
        raise ValueError(f"地域は {'、'.join(AREAS)} のどれか（空でも可）にしてください。")
    return {**values, "area": area}


CONTACT_PAGE = EditPage("市の問い合わせ先", [
    Field("name", "名前", required=True, max_length=100, hint="例：美祢市役所（代表）"),
    Field("phone", "電話番号", max_length=40),
    Field("hours", "受付時間", hint="例：平日 8:30〜17:15（土日・祝日・年末年始を除く）"),
], "city.contact_edit", _index_url, "市の基本情報")
VENUE_FIELDS = [
    Field("name", "会場名", required=True, max_length=100),
    Field("area", "地域（mine・mito・shuho、または空）", max_length=16),
    Field("note", "メモ", "textarea", max_length=300),
]
VENUE_PAGE = EditPage("スマホ教室の会場", VENUE_FIELDS, "city.venue_edit", _index_url, "市の基本情報", clean=_clean_venue)
NEW_VENUE_PAGE = EditPage("スマホ教室の会場（新規）", [Field("key", "キー（半角英数字と-）", required=True, max_length=64),
                                                  *VENUE_FIELDS], "city.venue_create", _index_url, "市の基本情報",
                          clean=_clean_venue)


@bp.get("")
def index():
    """The city's contact and the class venues, with their sample marking and 確認日."""
    session = web.db_session()
    contact = session.get(CityContact, MAIN_CONTACT)
    venues = list(session.scalars(select(ClassVenue).order_by(ClassVenue.position, ClassVenue.key)))
    return render_template("console/city/index.html", contact=contact, file_contact=load_city_info().contact,
                           venues=venues, areas=AREAS)


@bp.post("/import")
@require_role(*forms.EDITORS)
def import_files():
    """「ファイルから取り込む」: the contact and venues the database does not have yet."""
    session = web.db_session()
    contacts = import_city_contact(session, utcnow(), only_new=True)
    venues = import_venues(session, utcnow(), only_new=True)
    audit.record(session, current_actor(), "city.import", contacts=contacts, venues=venues, only_new=True)
    session.commit()
    flash(f"取り込みました（問い合わせ先{contacts}件、会場{venues}件）。", "success")
    return redirect(_index_url())


def _contact() -> CityContact:
    record = web.db_session().get(CityContact, MAIN_CONTACT)
    if record is None:
        abort(404)
    return record


def _contact_urls() -> tuple[str, str]:
    return url_for("city.contact"), url_for("city.verify_contact")


@bp.get("/contact")
def contact():
    """Show the contact the bot gives residents when it cannot answer."""
    return forms.render(CONTACT_PAGE, _contact(), action_url=_contact_urls()[0], verify_url=_contact_urls()[1])


@bp.post("/contact")
@require_role(*forms.EDITORS)
def save_contact():
    """Save the contact."""
    return forms.save(CONTACT_PAGE, _contact(), MAIN_CONTACT, *_contact_urls())


@bp.post("/contact/verify")
@require_role(*forms.EDITORS)
def verify_contact():
    """Mark the contact as checked by the city."""
    return forms.verify(CONTACT_PAGE, _contact(), MAIN_CONTACT)


def _venue(key: str) -> ClassVenue:
    record = web.db_session().get(ClassVenue, key)
    if record is None:
        abort(404)
    return record


@bp.route("/venues/new", methods=["GET", "POST"])
@require_role(*forms.EDITORS)
def new_venue():
    """Add a venue (marked sample until checked)."""
    record = ClassVenue(key="", name="", area=None, note="", sample=True, position=100)
    url = url_for("city.new_venue")
    if request.method == "GET":
        return forms.render(NEW_VENUE_PAGE, record, action_url=url)
    key = request.form.get("key", "").strip()
    if key and web.db_session().get(ClassVenue, key) is not None:
        return forms.render(NEW_VENUE_PAGE, record, forms.form_values(NEW_VENUE_PAGE),
                            {"key": "このキーの会場はもうあります。"}, url, status=400)
    return forms.save(NEW_VENUE_PAGE, record, key, url, "", is_new=True)


def _venue_urls(key: str) -> tuple[str, str]:
    return url_for("city.venue", key=key), url_for("city.verify_venue", key=key)


@bp.get("/venues/<key>")
def venue(key: str):
    """Show one venue."""
    return forms.render(VENUE_PAGE, _venue(key), action_url=_venue_urls(key)[0], verify_url=_venue_urls(key)[1])


@bp.post("/venues/<key>")
@require_role(*forms.EDITORS)
def save_venue(key: str):
    """Save one venue."""
    return forms.save(VENUE_PAGE, _venue(key), key, *_venue_urls(key))


@bp.post("/venues/<key>/verify")
@require_role(*forms.EDITORS)
def verify_venue(key: str):
    """Mark one venue as checked by the city."""
    return forms.verify(VENUE_PAGE, _venue(key), key)
