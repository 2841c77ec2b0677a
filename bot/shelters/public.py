"""The public shelter status for the city's website and residents' phones, with no login:
`/shelters` (plain HTML, no script) and `/shelters.json`."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, make_response, render_template

from bot import web
from bot.db import utcnow
from bot.friends import AREAS
from bot.models import Shelter, ShelterStatus
from bot.shelters import SHORT_DISASTER_LABELS, STATUS_LABELS, all_shelters, map_url

bp = Blueprint("shelters_public", __name__, template_folder="templates")
SAMPLE_NOTE = "見本データです。実際の避難所ではありません（市で未確認）。"


def _zone() -> tzinfo:
    return ZoneInfo(web.settings().timezone)


def _local(moment: datetime | None, tz: tzinfo | None = None) -> str | None:
    return moment.astimezone(tz or _zone()).isoformat(timespec="seconds") if moment else None


def shelter_json(shelter: Shelter, tz: tzinfo) -> dict[str, Any]:
    """One shelter as the website's JSON shows it (times in `tz`, Japan time)."""
    return {
        "id": shelter.id, "name": shelter.name, "address": shelter.address, "area": shelter.area,
        "area_label": AREAS.get(shelter.area, ""), "latitude": shelter.latitude, "longitude": shelter.longitude,
        "emergency_site": shelter.emergency_site, "evacuation_shelter": shelter.evacuation_shelter,
        "disaster_types": list(shelter.disaster_types or []), "capacity": shelter.capacity,
        "status": str(shelter.status), "status_label": STATUS_LABELS[shelter.status],
        "status_at": _local(shelter.status_at, tz),
        "sample": shelter.sample, "verified_on": shelter.verified_on.isoformat() if shelter.verified_on else None,
        "map_url": map_url(shelter.latitude, shelter.longitude),
    }


@bp.get("/shelters.json")
def status_json():
    """Every shelter and its status (開設 / 満員 / 閉鎖), for the city's website."""
    shelters = all_shelters(web.db_session())
    response = jsonify({"generated_at": _local(utcnow()), "shelters": [shelter_json(s, _zone()) for s in shelters]})
    response.headers["Cache-Control"] = "public, max-age=30"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/shelters")
def status_page():
    """The shelters' status for residents: opened ones first, by area, readable on a phone."""
    shelters = all_shelters(web.db_session())
    order = {ShelterStatus.OPEN: 0, ShelterStatus.FULL: 1, ShelterStatus.CLOSED: 2}
    listed = sorted(shelters, key=lambda s: (order[s.status], s.area, s.id))
    response = make_response(render_template(
        "shelters/public.html", shelters=listed, areas=AREAS, labels=STATUS_LABELS, disaster_labels=SHORT_DISASTER_LABELS,
        opened=sum(s.status is not ShelterStatus.CLOSED for s in shelters), any_sample=any(s.sample for s in shelters),
        sample_note=SAMPLE_NOTE, map_url=map_url, generated_at=_local(utcnow()),
        local=lambda moment: _local(moment)[:16].replace("T", " ") if moment else "",
    ))
    response.headers["Cache-Control"] = "public, max-age=30"
    return response
