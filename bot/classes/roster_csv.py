"""A class roster as CSV that Excel opens correctly: UTF-8 with a BOM, CRLF line ends, one header.

Every cell a spreadsheet would run as a formula (a name from a resident's LINE account, a title
or venue staff typed) is neutralised by `bot.spreadsheet_csv`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.classes import LEVELS
from bot.models import BookingSource, ClassBooking, SmartphoneClass
from bot.spreadsheet_csv import excel_csv
from messages.dates import WEEKDAYS

HEADER = ["教室番号", "教室名", "内容", "開催日", "時間", "会場", "区分", "順番", "お名前", "電話番号",
          "申込方法", "申込日時", "繰り上げ", "出席"]
SOURCE_LABELS = {BookingSource.LINE: "LINE", BookingSource.PHONE: "電話"}


def attendance_label(booking: ClassBooking) -> str:
    return {True: "出席", False: "欠席", None: ""}[booking.attended]


def _local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def roster_rows(course: SmartphoneClass, confirmed: Sequence[ClassBooking], waitlist: Sequence[ClassBooking],
                tz: tzinfo) -> list[list[str]]:
    start, end = _local(course.starts_at, tz), _local(course.ends_at, tz)
    day = f"{start:%Y/%m/%d}（{WEEKDAYS[start.weekday()]}）"
    hours = f"{start:%H:%M}〜{end:%H:%M}"
    common = [str(course.id), course.title, LEVELS.get(course.level, course.level), day, hours, course.venue_name]
    rows = []
    for group, people in (("参加決定", confirmed), ("キャンセル待ち", waitlist)):
        for number, booking in enumerate(people, 1):
            rows.append([*common, group, str(number), booking.participant_name, booking.phone or "",
                         SOURCE_LABELS[booking.source], f"{_local(booking.created_at, tz):%Y/%m/%d %H:%M}",
                         "繰り上げ" if booking.promoted_at else "", attendance_label(booking)])
    return rows


def roster_csv(course: SmartphoneClass, confirmed: Sequence[ClassBooking], waitlist: Sequence[ClassBooking],
               tz: tzinfo) -> bytes:
    """The roster (confirmed, then the waitlist in order) as bytes ready to download."""
    return excel_csv(HEADER, roster_rows(course, confirmed, waitlist, tz))
