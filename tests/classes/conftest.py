"""Fixtures for スマホ教室 tests: classes written through the domain code, the scheduler job's
environment, and helpers to walk a resident through the sign-up in the emulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.classes.schedule import ClassDraft, create_class
from bot.db import utcnow
from bot.line.gateway import LineGateway
from scheduler.jobs import JobEnvironment
from tests.support import processes

JST = ZoneInfo("Asia/Tokyo")


def class_draft(title: str = "LINEの使い方教室", *, days: int = 7, capacity: int = 10, level: str = "line",
                venue: str = "美東総合支所", waitlist_open: bool = True, **changes) -> ClassDraft:
    day = (utcnow().astimezone(JST) + timedelta(days=days)).date()
    starts_at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=JST)
    values = dict(title=title, level=level, venue_key=None, venue_name=venue, starts_at=starts_at,
                  ends_at=starts_at + timedelta(minutes=90), capacity=capacity, description="スマホの基本を練習します。",
                  waitlist_open=waitlist_open)
    values.update(changes)
    return ClassDraft(**values)


@pytest.fixture
def make_class(database) -> Callable[..., int]:
    """make_class(title=..., days=7, capacity=10, ...) -> the new class's id."""

    def make(title: str = "LINEの使い方教室", **kwargs) -> int:
        with database.transaction() as session:
            return create_class(session, class_draft(title, **kwargs), "test", utcnow()).id

    return make


@pytest.fixture
def job_env(app, settings) -> JobEnvironment:
    """What the scheduler passes to its jobs: the app's database, a gateway that does not sleep
    between retries."""
    gateway = LineGateway(settings, sleep=lambda _seconds: None)
    yield JobEnvironment(settings, app.extensions["db"], gateway)
    gateway.close()


def sign_up(sim, user: str, class_id: int, name: str | None = None, phone: str | None = None) -> None:
    """Walk a resident through the sign-up up to the confirm step (not tapping 「申し込む」)."""
    assert sim.postback(user, f"action=classes.apply&id={class_id}") == 200
    if any(a["label"] == "キャンセル待ちで申し込む" for a in sim.last_quick_replies(user)):  # full: join the waitlist
        assert sim.tap(user, "キャンセル待ちで申し込む") == 200
    if name is None:
        assert sim.tap(user, "このお名前で申し込む") == 200
    else:
        labels = [a["label"] for a in sim.last_quick_replies(user)]
        if "名前を変える" in labels:
            assert sim.tap(user, "名前を変える") == 200
        assert sim.text(user, name) == 200
        assert "さんでよろしいですか" in sim.texts(user)[-1]  # a typed name is confirmed first
        assert sim.tap(user, "はい") == 200
    if phone is None:
        assert sim.tap(user, "電話番号なしで進む") == 200
    else:
        assert sim.text(user, phone) == 200
    assert "この内容で申し込みますか" in sim.texts(user)[-1]


def book(sim, user: str, class_id: int, name: str | None = None, phone: str | None = None) -> None:
    """Sign up through LINE and tap 「申し込む」 (or 「キャンセル待ちで申し込む」)."""
    sign_up(sim, user, class_id, name, phone)
    assert sim.tap(user, "申し込む") == 200


def follow(sim, name: str = "美祢 花子") -> str:
    """A new friend who left the area question for later."""
    user = sim.new_user(name)
    sim.follow(user)
    sim.tap(user, "あとで")
    return user


def pushes(sim, user: str) -> list[str]:
    """The texts the user received by push (not as replies), oldest first."""
    return [m["message"].get("text", "") for m in sim.inbox(user) if m["via"] == "push"]


def run_cli(database_url: str, *args: str):
    """`python -m bot classes ...` as staff would type it, against the test database."""
    return processes.run_cli(database_url, "classes", *args)
