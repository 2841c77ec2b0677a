"""Changing a saved recurring rule: the coming occurrences that staff left alone follow the new
rule (updated, removed, created); sent, sending, skipped and individually edited ones keep their
own state; the change is in the audit log. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db import utcnow
from bot.models import AuditEntry, Notice, NoticeStatus, RecurringNotice
from bot.notices import NoticeDraft, NoticeError, NoticeInvalid
from bot.notices import recurring
from bot.notices.drafting import update_notice
from tests.support.console import csrf_for

JST = ZoneInfo("Asia/Tokyo")
MON, TUE, THU = 0, 1, 3


def _draft(start: date, weekdays: list[int], title: str, ends_on: date | None = None,
           excluded: list[date] | None = None, areas: list[str] | None = None) -> recurring.RecurringDraft:
    return recurring.RecurringDraft(
        notice=NoticeDraft(title=title, body="朝8時までに出してください。", kind="info", areas=areas or ["mine"]),
        frequency="weekly", weekdays=weekdays, send_time="07:00", starts_on=start, ends_on=ends_on,
        excluded=excluded or [])


def _state(database, record_id: int) -> dict[date, tuple[str, str, int]]:
    with database.read_sessions() as session:
        rows = recurring.occurrence_notices(session, record_id)
        assert len({n.occurrence_on for n in rows}) == len(rows)  # never two notices for one date
        return {n.occurrence_on: (n.status.value, n.title, n.version) for n in rows}


def test_changing_weekdays_and_end_date_regenerates_only_the_untouched_coming_occurrences(database, settings):
    now = utcnow()
    today = now.astimezone(JST).date()
    monday = today + timedelta(days=7 - today.weekday() + 7)  # the Monday after next: all in the future
    with database.transaction() as session:
        record = recurring.create_recurring(session, _draft(monday, [MON, THU], "燃えるごみの日"), "tanaka",
                                            settings, now)
        record_id = record.id
    before = _state(database, record_id)
    weeks = [monday + timedelta(weeks=n) for n in range(8)]
    assert set(before) == {d for w in weeks for d in (w, w + timedelta(days=3))
                           if d <= today + recurring.WEEKLY_AHEAD}

    sent_day, sending_day, edited_day, skipped_day = weeks[0], weeks[0] + timedelta(days=3), weeks[1] + timedelta(
        days=3), weeks[2]
    with database.transaction() as session:
        by_day = {n.occurrence_on: n for n in recurring.occurrence_notices(session, record_id)}
        by_day[sent_day].status, by_day[sent_day].published_at = NoticeStatus.SENT, now  # as the delivery leaves it
        by_day[sending_day].status = NoticeStatus.SENDING  # queued: the delivery has it
        edited = by_day[edited_day]
        update_notice(session, edited.id, NoticeDraft(title="燃えるごみの日（祝日のため時間変更）", body=edited.body,
                                                      kind="info", areas=["mine"], send_at=edited.send_at),
                      "suzuki", settings, now)
        recurring.skip_occurrence(session, by_day[skipped_day].id, "suzuki", now)
        untouched_id = by_day[weeks[3] + timedelta(days=3)].id

    ends_on = weeks[5]  # a Monday: the last Tuesday is the week before
    with database.transaction() as session:
        change = recurring.update_recurring(session, record_id, _draft(monday, [TUE, THU], "可燃ごみの日", ends_on),
                                            "tanaka", settings, now)

    after = _state(database, record_id)
    thursdays = [w + timedelta(days=3) for w in weeks[:5]]
    tuesdays = [w + timedelta(days=1) for w in weeks[:5]]
    expected = {
        sent_day: ("sent", "燃えるごみの日", 1),  # sent: never touched, though Monday is no longer on the rule
        sending_day: ("sending", "燃えるごみの日", 1),  # already going: left alone
        edited_day: ("scheduled", "燃えるごみの日（祝日のため時間変更）", 2),  # staff's own change stands
        skipped_day: ("cancelled", "燃えるごみの日", 1),  # staff skipped it: stays skipped
        **{d: ("scheduled", "可燃ごみの日", 1) for d in thursdays if d not in (sending_day, edited_day)},
        **{d: ("scheduled", "可燃ごみの日", 1) for d in tuesdays},
    }
    assert after == expected
    assert change.created == tuesdays
    assert change.removed == sorted(d for d in before if d.weekday() == MON and d not in (sent_day, skipped_day)
                                    or d > ends_on)
    assert sorted(change.kept) == [sent_day, sending_day, edited_day, skipped_day]
    with database.read_sessions() as session:
        untouched = session.get(Notice, untouched_id)  # updated in place: same notice, new content and time
        assert untouched.title == "可燃ごみの日" and untouched.version == 1
        assert untouched.send_at.astimezone(JST).time().isoformat() == "07:00:00"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "recurring.update"))
        assert entry.actor == "tanaka" and entry.target == str(record_id)
        assert entry.details["before"] == "毎週 月・木曜日 07:00" and entry.details["rule"] == "毎週 火・木曜日 07:00"
        assert entry.details["created"] == [d.isoformat() for d in tuesdays]
        record = session.get(RecurringNotice, record_id)
        assert record.weekdays == [TUE, THU] and record.ends_on == ends_on and record.title == "可燃ごみの日"

    with database.transaction() as session:  # saving the same rule again changes nothing
        again = recurring.update_recurring(session, record_id, _draft(monday, [TUE, THU], "可燃ごみの日", ends_on),
                                           "tanaka", settings, now)
    assert (again.created, again.removed, again.updated) == ([], [], [])
    assert _state(database, record_id) == expected


def test_excluded_dates_areas_and_a_later_end_date_follow_the_rule(database, settings):
    now = utcnow()
    today = now.astimezone(JST).date()
    monday = today + timedelta(days=7 - today.weekday() + 7)
    with database.transaction() as session:
        record_id = recurring.create_recurring(session, _draft(monday, [MON], "資源ごみ", ends_on=monday + timedelta(
            weeks=2)), "tanaka", settings, now).id
    assert set(_state(database, record_id)) == {monday + timedelta(weeks=n) for n in range(3)}
    with database.transaction() as session:
        recurring.update_recurring(session, record_id, _draft(monday, [MON], "資源ごみ", ends_on=monday + timedelta(
            weeks=4), excluded=[monday + timedelta(weeks=1)], areas=["shuho"]), "tanaka", settings, now)
    assert set(_state(database, record_id)) == {monday + timedelta(weeks=n) for n in (0, 2, 3, 4)}
    with database.read_sessions() as session:
        assert all(n.areas == ["shuho"] for n in recurring.occurrence_notices(session, record_id))


def test_a_changed_rule_is_checked_like_a_new_one_and_an_ended_rule_cannot_change(database, settings):
    now = utcnow()
    start = now.astimezone(JST).date() + timedelta(days=3)
    with database.transaction() as session:
        record_id = recurring.create_recurring(session, _draft(start, [MON], "資源ごみ"), "tanaka", settings, now).id
    before = _state(database, record_id)
    with database.transaction() as session, pytest.raises(NoticeInvalid) as invalid:
        recurring.update_recurring(session, record_id, _draft(start, [], "", ends_on=start - timedelta(days=1)),
                                   "tanaka", settings, now)
    assert {"weekdays", "title", "ends_on"} <= set(invalid.value.errors)
    assert _state(database, record_id) == before
    with database.transaction() as session:
        recurring.stop_recurring(session, record_id, "tanaka", now)
    with database.transaction() as session, pytest.raises(NoticeError):
        recurring.update_recurring(session, record_id, _draft(start, [TUE], "資源ごみ"), "tanaka", settings, now)


def test_the_console_form_shows_the_saved_rule_checks_csrf_and_mistakes_and_saves(client, login_as, database, settings):
    now = utcnow()
    monday = now.astimezone(JST).date() + timedelta(days=14 - now.astimezone(JST).date().weekday())
    with database.transaction() as session:
        record_id = recurring.create_recurring(session, _draft(monday, [MON], "資源ごみ",
                                                               excluded=[monday + timedelta(weeks=1)]),
                                               "tanaka", settings, now).id
    login_as("author")
    page = client.get(f"/console/recurring/{record_id}/edit").get_data(as_text=True)
    assert "くり返しの設定を変更" in page and 'value="資源ごみ"' in page
    assert (monday + timedelta(weeks=1)).isoformat() in page and 'value="0" checked' in page
    form = {"kind": "info", "title": "資源ごみ", "body": "本文", "areas": ["mine"], "frequency": "weekly",
            "weekdays": ["3"], "send_time": "07:00", "starts_on": monday.isoformat(), "excluded": ""}
    assert client.post(f"/console/recurring/{record_id}/edit", data=form).status_code == 400  # no CSRF token
    token = csrf_for(client, f"/console/recurring/{record_id}/edit")
    for mistake, message in (({"weekdays": []}, "曜日を1つ以上選んでください"),
                             ({"excluded": "12月29日"}, "1行に1日ずつ入力してください"),
                             ({"ends_on": (monday - timedelta(days=1)).isoformat()}, "終了日は開始日より後にしてください")):
        wrong = client.post(f"/console/recurring/{record_id}/edit", data={**form, "csrf_token": token, **mistake})
        assert wrong.status_code == 422 and message in wrong.get_data(as_text=True)
    assert all(d.weekday() == MON for d in _state(database, record_id))
    saved = client.post(f"/console/recurring/{record_id}/edit", data={**form, "csrf_token": token})
    assert saved.status_code == 302
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "設定を変更しました" in detail and "毎週 木曜日 07:00" in detail
    assert _state(database, record_id) and all(d.weekday() == THU for d in _state(database, record_id))


def test_a_change_saved_meanwhile_is_not_overwritten_by_an_older_form(client, login_as, database, settings):
    """Two staff open the same rule; the first saves; the second's save, made on what they saw
    before, is refused with a reason and changes nothing (no silent last-save-wins)."""
    now = utcnow()
    monday = now.astimezone(JST).date() + timedelta(days=14 - now.astimezone(JST).date().weekday())
    with database.transaction() as session:
        record_id = recurring.create_recurring(session, _draft(monday, [MON], "資源ごみ"), "tanaka", settings, now).id
    login_as("author")
    url = f"/console/recurring/{record_id}/edit"
    page = client.get(url).get_data(as_text=True)
    seen = page.split('name="seen_updated_at" value="', 1)[1].split('"', 1)[0]
    assert seen  # the form carries the version it shows
    form = {"kind": "info", "title": "資源ごみ", "body": "本文", "areas": ["mine"], "frequency": "weekly",
            "send_time": "07:00", "starts_on": monday.isoformat(), "excluded": "", "seen_updated_at": seen,
            "csrf_token": csrf_for(client, url)}
    first = client.post(url, data={**form, "weekdays": ["3"]})  # Thursday
    assert first.status_code == 302
    second = client.post(url, data={**form, "weekdays": ["1"], "title": "古い画面からの変更"})  # Tuesday, stale
    assert second.status_code == 302
    detail = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "ほかの職員が先にこの設定を変更しました" in detail
    with database.read_sessions() as session:
        record = session.get(RecurringNotice, record_id)
        assert (record.title, record.weekdays) == ("資源ごみ", [3])
    assert all(d.weekday() == THU for d in _state(database, record_id))
    fresh = client.get(url).get_data(as_text=True).split('name="seen_updated_at" value="', 1)[1].split('"', 1)[0]
    again = client.post(url, data={**form, "weekdays": ["1"], "seen_updated_at": fresh})  # after reloading
    assert again.status_code == 302
    assert all(d.weekday() == TUE for d in _state(database, record_id))


def test_update_recurring_refuses_a_stale_version_and_accepts_the_current_one(database, settings):
    now = utcnow()
    monday = now.astimezone(JST).date() + timedelta(days=14 - now.astimezone(JST).date().weekday())
    with database.transaction() as session:
        record = recurring.create_recurring(session, _draft(monday, [MON], "資源ごみ"), "tanaka", settings, now)
        record_id, seen = record.id, record.updated_at
    with database.transaction() as session:
        recurring.update_recurring(session, record_id, _draft(monday, [THU], "資源ごみ"), "suzuki", settings,
                                   utcnow(), seen_updated_at=seen)
    with pytest.raises(NoticeError, match="ほかの職員が先に"), database.transaction() as session:
        recurring.update_recurring(session, record_id, _draft(monday, [TUE], "資源ごみ"), "tanaka", settings,
                                   utcnow(), seen_updated_at=seen)
    assert all(d.weekday() == THU for d in _state(database, record_id))
