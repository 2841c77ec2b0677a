"""Fixtures for damage reports: the scheduler's photo job run against the emulator with the real
SDK, and a resident going through the report in LINE."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.line.gateway import LineGateway
from scheduler import damage_jobs
from scheduler.jobs import JobEnvironment
from tests.shelters.conftest import resident, send_location, send_photo  # noqa: F401 - fixtures shared

__all__ = ["resident"]


@pytest.fixture
def run_photo_job(settings, database) -> Callable[[], None]:
    """One run of the scheduler's `fetch_damage_photos` job, through a real gateway to the emulator."""
    gateway = LineGateway(settings, sleep=lambda _seconds: None)  # retries without waiting

    def run() -> None:
        damage_jobs.fetch_damage_photos(JobEnvironment(settings=settings, database=database, gateway=gateway))

    yield run
    gateway.close()


def report_damage(sim, user: str, category: str = "倒木", photo: bytes | None = None,
                  location: tuple[float, float, str] | None = None, description: str = "道路に木が倒れています") -> str:
    """Go through the whole report in LINE; the last text the resident received (the receipt)."""
    sim.text(user, "被害を報告")
    sim.tap(user, category)
    if photo is not None:
        assert send_photo(sim, user, photo) == 200
    else:
        sim.tap(user, "写真なし")
    if location is not None:
        latitude, longitude, title = location
        assert send_location(sim, user, latitude, longitude, title) == 200
    else:
        sim.tap(user, "位置情報なし")
    sim.text(user, description)
    sim.tap(user, "報告する")
    return sim.texts(user)[-1]
