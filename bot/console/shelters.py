"""避難所 in the console: every shelter with its status (開設 / 満員 / 閉鎖, when and by whom),
the form to edit its facts, and 「内容を確認済みにする」 for the sample content.

Everyone may look; authors (and admins) may change things. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot import audit, shelters, web
from bot.console.auth import current_actor, require_role
from bot.console.pages import get_or_404, local_zone
from bot.db import utcnow
from bot.friends import AREAS
from bot.models import Shelter, ShelterStatus, StaffRole
from bot.shelters import records
from bot.shelters.records import ShelterDraft, ShelterInvalid

bp = Blueprint("shelters", __name__, url_prefix="/console")
EDITORS = (StaffRole.AUTHOR,)


def _shelter_or_404(shelter_id: str) -> Shelter:
    return get_or_404(Shelter, shelter_id)


@bp.get("/shelters")
def index():
    """List every shelter with its status and the buttons to open, mark full or close it."""
    listed = shelters.all_shelters(web.db_session())
    counts = {status: sum(s.status is status for s in listed) for status in ShelterStatus}
    return render_template("console/shelters/list.html", shelters=listed, counts=counts, areas=AREAS,
                           labels=shelters.STATUS_LABELS, statuses=list(ShelterStatus),
                           any_sample=any(s.sample for s in listed))


@bp.post("/shelters/<shelter_id>/status")
@require_role(*EDITORS)
def set_status(shelter_id: str):
    """Set a shelter to 開設, 満員 or 閉鎖 (residents see it at once)."""
    shelter, session = _shelter_or_404(shelter_id), web.db_session()
    try:
        status = ShelterStatus(request.form.get("status", ""))
    except ValueError:
        flash("状態を選んでください。", "error")
        return redirect(url_for("shelters.index"))
    if shelters.set_status(shelter, status, current_actor(), utcnow()):
        audit.record(session, current_actor(), "shelter.status", target=shelter.id, status=str(status))
        session.commit()
        flash(f"{shelter.name} を「{shelters.STATUS_LABELS[status]}」にしました。LINEと公開ページにすぐ反映されます。",
              "success")
    else:
        flash(f"{shelter.name} はすでに「{shelters.STATUS_LABELS[status]}」です。", "info")
    back_to_edit = request.form.get("back") == "edit"
    return redirect(url_for("shelters.edit", shelter_id=shelter.id) if back_to_edit else url_for("shelters.index"))


@dataclass
class ShelterForm:
    """The edit form's fields as the browser sends them."""

    name: str = ""
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    area: str = ""
    emergency_site: bool = False
    evacuation_shelter: bool = False
    disaster_types: tuple[str, ...] = ()
    capacity: str = ""
    phone: str = ""
    note: str = ""

    @classmethod
    def from_request(cls) -> ShelterForm:
        text = {name: request.form.get(name, "") for name in
                ("name", "address", "latitude", "longitude", "area", "capacity", "phone", "note")}
        return cls(**text, emergency_site=request.form.get("emergency_site") == "1",
                   evacuation_shelter=request.form.get("evacuation_shelter") == "1",
                   disaster_types=tuple(request.form.getlist("disaster_types")))

    @classmethod
    def of(cls, shelter: Shelter) -> ShelterForm:
        return cls(shelter.name, shelter.address, f"{shelter.latitude}", f"{shelter.longitude}", shelter.area,
                   shelter.emergency_site, shelter.evacuation_shelter, tuple(shelter.disaster_types or ()),
                   "" if shelter.capacity is None else str(shelter.capacity), shelter.phone, shelter.note)

    def draft(self) -> ShelterDraft:
        errors: dict[str, str] = {}
        numbers: dict[str, float | int | None] = {}
        for name, whole in (("latitude", False), ("longitude", False), ("capacity", True)):
            try:
                numbers[name] = records.parse_number(getattr(self, name), name, whole)
            except ShelterInvalid as exc:
                errors.update(exc.errors)
        for name in ("latitude", "longitude"):
            if numbers.get(name) is None and name not in errors:
                errors[name] = "数で入力してください。"
        if errors:
            raise ShelterInvalid(errors)
        return records.validate(ShelterDraft(
            self.name, self.address, float(numbers["latitude"] or 0), float(numbers["longitude"] or 0), self.area,
            self.emergency_site, self.evacuation_shelter, list(self.disaster_types),
            int(numbers["capacity"]) if numbers["capacity"] is not None else None, self.phone, self.note))


def _form_page(shelter: Shelter, form: ShelterForm, errors: dict[str, str] | None = None, status: int = 200):
    return render_template("console/shelters/form.html", shelter=shelter, form=form, errors=errors or {}, areas=AREAS,
                           disaster_types=shelters.DISASTER_TYPES, labels=shelters.STATUS_LABELS,
                           statuses=list(ShelterStatus), map_url=shelters.map_url), status


@bp.get("/shelters/<shelter_id>")
def edit(shelter_id: str):
    """Show one shelter: its status, its facts (editable by authors) and whether the city checked them."""
    shelter = _shelter_or_404(shelter_id)
    return _form_page(shelter, ShelterForm.of(shelter))


@bp.post("/shelters/<shelter_id>")
@require_role(*EDITORS)
def save(shelter_id: str):
    """Save staff's changes to a shelter's facts."""
    shelter, form, session = _shelter_or_404(shelter_id), ShelterForm.from_request(), web.db_session()
    try:
        changed = records.apply(shelter, form.draft(), utcnow())
    except ShelterInvalid as exc:
        session.rollback()
        return _form_page(shelter, form, exc.errors, 400)
    if not changed:
        flash("変更はありませんでした。", "info")
    else:
        audit.record(session, current_actor(), "shelter.update", target=shelter.id, name=shelter.name)
        session.commit()
        flash("変更を保存しました。LINEと公開ページにすぐ反映されます。", "success")
    return redirect(url_for("shelters.edit", shelter_id=shelter.id))


@bp.post("/shelters/<shelter_id>/verify")
@require_role(*EDITORS)
def verify(shelter_id: str):
    """「内容を確認済みにする」: record that the city checked this shelter's facts today."""
    shelter, session = _shelter_or_404(shelter_id), web.db_session()
    today = datetime.now(local_zone()).date()
    shelters.mark_verified(shelter, current_actor(), today)
    audit.record(session, current_actor(), "shelter.verify", target=shelter.id, verified_on=today.isoformat())
    session.commit()
    flash(f"{shelter.name} を確認済みにしました（確認日：{today:%Y/%m/%d}）。", "success")
    return redirect(url_for("shelters.edit", shelter_id=shelter.id))
