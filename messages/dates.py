"""Dates in Japanese, as residents and staff read them."""

from __future__ import annotations

from datetime import datetime, tzinfo

WEEKDAYS = "月火水木金土日"  # Monday first, as `datetime.weekday()` counts


def day_label(moment: datetime, tz: tzinfo) -> str:
    """「12月3日（水）」 in the given zone (Japan time)."""
    local = moment.astimezone(tz)
    return f"{local.month}月{local.day}日（{WEEKDAYS[local.weekday()]}）"
