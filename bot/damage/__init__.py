"""Damage reports (被害の報告): what a resident reported (a category, an optional photo and
location, a short description), its receipt number, and staff's handling (未対応 / 対応中 / 完了).

The resident's words and photo are shown to staff and never written to logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import DamageCategory, DamageReport, PhotoState, ReportStatus

CATEGORY_LABELS: dict[DamageCategory, str] = {
    DamageCategory.FALLEN_TREE: "倒木",
    DamageCategory.FLOODED_ROAD: "道路の冠水",
    DamageCategory.LANDSLIDE: "土砂崩れ",
    DamageCategory.OTHER: "その他",
}
STATUS_LABELS: dict[ReportStatus, str] = {
    ReportStatus.NEW: "未対応",
    ReportStatus.IN_PROGRESS: "対応中",
    ReportStatus.DONE: "完了",
}
PHOTO_LABELS: dict[PhotoState, str] = {
    PhotoState.NONE: "写真なし",
    PhotoState.PENDING: "写真を取得中",
    PhotoState.STORED: "写真あり",
    PhotoState.TOO_LARGE: "写真が大きすぎたため保存していません",
    PhotoState.UNAVAILABLE: "写真を取得できませんでした",
}
DESCRIPTION_MAX = 200  # characters: a short description, typed on a phone
PLACE_MAX = 200
PHOTO_MAX_BYTES = 10 * 1024 * 1024  # LINE's own limit for a photo residents send


@dataclass(frozen=True)
class ReportDraft:
    """What the resident gave, step by step (kept in the conversation state until they send it)."""

    category: DamageCategory
    photo_message_id: str | None
    latitude: float | None
    longitude: float | None
    place: str
    description: str


def create_report(session: Session, line_user_id: str, draft: ReportDraft, now: datetime, tz: tzinfo) -> DamageReport:
    """Store the report; its receipt number (受付番号 D-2026-0001) comes from its id, so two
    residents sending at once never get the same one."""
    report = DamageReport(
        line_user_id=line_user_id, category=draft.category, description=draft.description[:DESCRIPTION_MAX],
        latitude=draft.latitude, longitude=draft.longitude, place=draft.place[:PLACE_MAX],
        photo_message_id=draft.photo_message_id,
        photo_state=PhotoState.PENDING if draft.photo_message_id else PhotoState.NONE,
        status=ReportStatus.NEW, created_at=now,
    )
    session.add(report)
    session.flush()
    report.receipt_no = f"D-{now.astimezone(tz).year}-{report.id:04d}"
    return report


def set_status(report: DamageReport, status: ReportStatus, actor: str, now: datetime) -> bool:
    """Staff's handling of the report; False when it already had that status."""
    if report.status is status:
        return False
    report.status, report.status_at, report.status_by = status, now, actor
    return True


def list_reports(session: Session, status: ReportStatus | None = None,
                 category: DamageCategory | None = None) -> list[DamageReport]:
    """Reports newest first, optionally of one status and one category (photos not loaded)."""
    query = select(DamageReport).where(DamageReport.receipt_no.is_not(None))
    if status is not None:
        query = query.where(DamageReport.status == status)
    if category is not None:
        query = query.where(DamageReport.category == category)
    return list(session.scalars(query.order_by(DamageReport.created_at.desc(), DamageReport.id.desc())))


def status_counts(session: Session) -> dict[ReportStatus, int]:
    """How many reports have each status."""
    found = dict(session.execute(select(DamageReport.status, func.count()).where(DamageReport.receipt_no.is_not(None))
                                 .group_by(DamageReport.status)).all())
    return {status: found.get(status, 0) for status in ReportStatus}
