"""Shelters: the designated places (指定緊急避難場所 / 指定避難所), their status as staff set it
(開設 / 満員 / 閉鎖, with the time and who), and the look-ups residents' answers need: the open
shelters with their own area first, the nearest open ones to a location, and, when none is
open, the nearest designated ones.

"Open" here means opened by the city: 開設 (accepting people) or 満員 (opened, but full). The
nearest-shelter answer only offers 開設 ones: a full shelter is not where to send someone."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Shelter, ShelterStatus
from messages.shelters import map_url

# The disaster types of the open-data lists (災害種別), in their usual order.
DISASTER_TYPES: dict[str, str] = {
    "flood": "洪水",
    "landslide": "崖崩れ、土石流及び地滑り",
    "storm_surge": "高潮",
    "earthquake": "地震",
    "tsunami": "津波",
    "fire": "大規模な火事",
    "inland_flood": "内水氾濫",
    "volcano": "火山現象",
}
SHORT_DISASTER_LABELS = {**DISASTER_TYPES, "landslide": "土砂災害"}
STATUS_LABELS: dict[ShelterStatus, str] = {
    ShelterStatus.OPEN: "開設",
    ShelterStatus.FULL: "満員",
    ShelterStatus.CLOSED: "閉鎖",
}
OPENED = (ShelterStatus.OPEN, ShelterStatus.FULL)
__all__ = ["map_url"]  # the link residents and the public page use
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class NearShelter:
    shelter: Shelter
    distance_m: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def all_shelters(session: Session) -> list[Shelter]:
    """Every shelter, by area and id (the console and the public page)."""
    return list(session.scalars(select(Shelter).order_by(Shelter.area, Shelter.id)))


def open_shelters(session: Session, area: str | None) -> list[Shelter]:
    """The opened shelters (開設, then 満員), those of `area` (the resident's) first."""
    opened = session.scalars(select(Shelter).where(Shelter.status.in_(OPENED))).all()
    return sorted(opened, key=lambda s: (s.area != area if area else False, s.status is ShelterStatus.FULL,
                                         s.area, s.id))


def _nearest(shelters: list[Shelter], lat: float, lon: float, limit: int) -> list[NearShelter]:
    near = [NearShelter(s, distance_m(lat, lon, s.latitude, s.longitude)) for s in shelters]
    return sorted(near, key=lambda n: (n.distance_m, n.shelter.id))[:limit]


def nearest_open_shelters(session: Session, lat: float, lon: float, limit: int = 3) -> list[NearShelter]:
    """The nearest shelters accepting people now (開設), nearest first."""
    accepting = session.scalars(select(Shelter).where(Shelter.status == ShelterStatus.OPEN)).all()
    return _nearest(list(accepting), lat, lon, limit)


def designated_shelters_near(session: Session, lat: float, lon: float, limit: int = 3) -> list[NearShelter]:
    """The nearest designated shelters whatever their status, nearest first."""
    return _nearest(all_shelters(session), lat, lon, limit)


def set_status(shelter: Shelter, status: ShelterStatus, actor: str, now: datetime) -> bool:
    """Set 開設 / 満員 / 閉鎖, recording when and by whom; False when it already was."""
    if shelter.status is status:
        return False
    shelter.status, shelter.status_at, shelter.status_by = status, now, actor
    return True


def mark_verified(shelter: Shelter, actor: str, today: date) -> None:
    """「内容を確認済みにする」: the city checked this shelter's facts today (no longer sample)."""
    shelter.verified_on, shelter.verified_by, shelter.sample = today, actor[:100], False
