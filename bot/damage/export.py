"""Damage reports as CSV that Excel opens correctly (UTF-8 with a BOM, CRLF). Residents typed
the descriptions and places: cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.damage import CATEGORY_LABELS, PHOTO_LABELS, STATUS_LABELS
from bot.models import DamageReport
from bot.shelters import map_url
from bot.spreadsheet_csv import excel_csv

HEADER = ["受付番号", "受付日時", "種類", "状態", "状態の更新日時", "更新した職員", "場所", "緯度", "経度", "地図", "写真",
          "様子"]


def _row(report: DamageReport, tz: tzinfo) -> list[str]:
    pinned = report.latitude is not None and report.longitude is not None
    return [
        report.receipt_no or "", f"{report.created_at.astimezone(tz):%Y/%m/%d %H:%M}", CATEGORY_LABELS[report.category],
        STATUS_LABELS[report.status], f"{report.status_at.astimezone(tz):%Y/%m/%d %H:%M}" if report.status_at else "",
        report.status_by or "", report.place,
        f"{report.latitude:.6f}" if pinned else "", f"{report.longitude:.6f}" if pinned else "",
        map_url(report.latitude, report.longitude) if pinned else "",  # type: ignore[arg-type]
        PHOTO_LABELS[report.photo_state], report.description,
    ]


def reports_csv(reports: Sequence[DamageReport], tz: tzinfo) -> bytes:
    return excel_csv(HEADER, (_row(report, tz) for report in reports))
