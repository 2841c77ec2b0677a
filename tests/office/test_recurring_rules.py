"""The pure expansion of recurring notice rules: weekdays, dates of the month, 第N曜日."""

from __future__ import annotations

from datetime import date

from bot.models import RecurrenceFrequency
from bot.notices.recurring import Rule, describe, horizon, occurrences

WEEKLY, DAY, NTH = RecurrenceFrequency.WEEKLY, RecurrenceFrequency.MONTHLY_DAY, RecurrenceFrequency.MONTHLY_NTH


def test_weekly_on_chosen_weekdays_with_excluded_dates_and_an_end():
    rule = Rule(WEEKLY, date(2026, 12, 1), weekdays=(0, 3), ends_on=date(2026, 12, 24),
                excluded=frozenset({date(2026, 12, 17)}))
    assert occurrences(rule, date(2026, 11, 1), date(2027, 1, 31)) == [
        date(2026, 12, 3), date(2026, 12, 7), date(2026, 12, 10), date(2026, 12, 14), date(2026, 12, 21),
        date(2026, 12, 24)]


def test_monthly_on_a_date_uses_the_last_day_of_short_months():
    rule = Rule(DAY, date(2027, 1, 1), month_day=31)
    assert occurrences(rule, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_monthly_on_the_nth_and_the_last_weekday():
    second_tuesday = Rule(NTH, date(2026, 1, 1), weekdays=(1,), week_number=2)
    assert occurrences(second_tuesday, date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10)]
    last_friday = Rule(NTH, date(2026, 1, 1), weekdays=(4,), week_number=5)
    assert occurrences(last_friday, date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]
    assert describe(second_tuesday, "10:00") == "毎月 第2火曜日 10:00"
    assert describe(last_friday, "10:00") == "毎月 最終金曜日 10:00"


def test_nothing_before_the_start_and_the_horizon_is_8_weeks_or_3_months():
    rule = Rule(WEEKLY, date(2026, 12, 10), weekdays=(2,))
    assert occurrences(rule, date(2026, 12, 1), date(2026, 12, 16)) == [date(2026, 12, 16)]
    assert horizon(rule, date(2026, 12, 1)) == date(2027, 1, 26)
    assert horizon(Rule(DAY, date(2026, 1, 1), month_day=1), date(2026, 11, 30)) == date(2027, 2, 28)
