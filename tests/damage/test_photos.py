"""The photo job's edges, with the real gateway against the emulator: LINE failing is retried on
the next run (then given up), a photo over the size cap is not kept, and the job is registered."""

from __future__ import annotations

from sqlalchemy import select

from bot.damage import photos
from bot.models import DamageReport, PhotoState
from scheduler import damage_jobs
from tests.support.residents import report_damage
from tests.emulator.images import png


def _report(db_session) -> DamageReport:
    db_session.rollback()
    return db_session.scalars(select(DamageReport)).one()


def test_line_failing_is_retried_then_given_up(resident, sim, db_session, run_photo_job, monkeypatch):
    report_damage(sim, resident(), photo=png(16, 16))
    sim.faults(status=503, paths=["/v2/bot/message/*/content"])

    run_photo_job()
    assert (_report(db_session).photo_state, _report(db_session).photo_attempts) == (PhotoState.PENDING, 1)

    monkeypatch.setattr(photos, "MAX_ATTEMPTS", 2)
    run_photo_job()
    assert (_report(db_session).photo_state, _report(db_session).photo_attempts) == (PhotoState.UNAVAILABLE, 2)
    sim.clear_faults()


def test_a_photo_over_the_cap_is_not_kept(resident, sim, db_session, run_photo_job, monkeypatch):
    report_damage(sim, resident(), photo=png(64, 64))
    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 100)

    run_photo_job()

    report = _report(db_session)
    assert report.photo_state is PhotoState.TOO_LARGE and report.photo is None


def test_the_scheduler_runs_the_photo_job_every_few_seconds(settings, database):
    from apscheduler.schedulers.background import BackgroundScheduler

    from scheduler.jobs import JobEnvironment, register_jobs

    scheduler = BackgroundScheduler()
    register_jobs(scheduler, JobEnvironment(settings=settings, database=database, gateway=None))  # type: ignore[arg-type]
    job = scheduler.get_job("fetch-damage-photos")
    assert job.func is damage_jobs.fetch_damage_photos
    assert job.trigger.interval.total_seconds() == damage_jobs.POLL_SECONDS <= 10
