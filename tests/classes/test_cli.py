"""`python -m bot classes ...` as staff run it: the documented commands in a subprocess, the
others through the same entry point in-process (line-bot-sdk takes seconds to import)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db import utcnow
from bot.models import AuditEntry, SmartphoneClass
from tests.classes.conftest import JST, book, follow, run_cli
from tests.conftest import TEST_ACCESS_TOKEN, TEST_CHANNEL_SECRET


@pytest.fixture
def bot_command(clean_database, monkeypatch):
    """bot_command("classes", ...) -> exit code: `python -m bot ...` in this process."""
    environment = {"APP_ENV": "test", "DATABASE_URL": clean_database, "SECRET_KEY": "test",
                   "LINE_CHANNEL_SECRET": TEST_CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TEST_ACCESS_TOKEN}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return lambda *argv: main(list(argv))


def test_create_then_roster_as_json(bot_server, sim, clean_database, db_session, bot_command):
    day = (utcnow().astimezone(JST) + timedelta(days=5)).date()
    created = run_cli(clean_database, "create", "--title", "LINEの使い方教室", "--venue", "秋芳総合支所",
                      "--at", f"{day.isoformat()}T13:30", "--capacity", "1", "--level", "line", "--json")
    assert created.returncode == 0, created.stderr
    class_id = json.loads(created.stdout)["id"]
    course = db_session.get(SmartphoneClass, class_id)
    assert (course.venue_key, course.level, course.capacity) == ("shuho-shisho", "line", 1)
    assert course.starts_at.astimezone(JST).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 13:30"  # Japan time

    user = follow(sim, "美祢 花子")
    book(sim, user, class_id)
    assert bot_command("classes", "add-phone", str(class_id), "--name", "電話 太郎", "--phone", "0837-52-1111") == 0
    shown = run_cli(clean_database, "roster", str(class_id), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == {
        "confirmed": [{"name": "美祢 花子", "source": "line"}],
        "waitlist": [{"name": "電話 太郎", "source": "phone"}],
    }
    db_session.rollback()
    assert [e.action for e in db_session.scalars(select(AuditEntry).where(AuditEntry.actor == "cli"))] == [
        "classes.create", "classes.add_participant"]


def test_bad_input_is_refused_with_a_reason(bot_command, capsys):
    assert bot_command("classes", "create", "--title", "T", "--venue", "本庁", "--at", "2001-01-01T10:00",
                       "--capacity", "5", "--json") == 1
    out, err = capsys.readouterr()
    assert out == "" and "starts_at" in err
    assert bot_command("classes", "roster", "9999", "--json") == 1
    assert bot_command("classes", "add-phone", "9999", "--name", "誰か", "--phone", "12") == 1
    assert "refused" in capsys.readouterr().err


def test_reminder_time_and_list(bot_command, make_class, db_session, capsys):
    class_id = make_class("一覧に出る教室")
    assert bot_command("classes", "reminder-time", "9:30") == 0
    assert bot_command("classes", "list", "--json") == 0
    out = capsys.readouterr().out
    assert json.loads(out.splitlines()[-1])[0]["id"] == class_id
    assert bot_command("classes", "reminder-time", "朝") == 1


def test_seed_demo_adds_three_sample_classes_once(bot_command, db_session, capsys):
    assert bot_command("classes", "seed-demo") == 0
    assert bot_command("classes", "seed-demo") == 0
    assert "登録済み" in capsys.readouterr().out
    db_session.rollback()
    courses = list(db_session.scalars(select(SmartphoneClass)))
    assert len(courses) == 3 and all(c.sample and c.starts_at > utcnow() for c in courses)
    assert all(c.description.startswith("（見本）") for c in courses)
