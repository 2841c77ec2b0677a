"""Disaster mode end to end through the emulator: every friend's menu (tab tappers too) switches
to the disaster menu with the default menu and bulk unlinks, and back; the greeting and the
fallback answers say so; the command line switches it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.disaster import mode
from bot.line import richmenu
from bot.models import AuditEntry, Friend
from tests.support.processes import run_cli
from tests.test_richmenu import menu_seen_by, tab

NOW = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def published(app, bot_server):
    return richmenu.publish(app.extensions["gateway"], bot_server.url, disaster=False)


def switch(app, on: bool) -> bool:
    with app.extensions["db"].transaction() as session:
        gateway = app.extensions["gateway"]
        if on:
            return mode.enter_disaster_mode(session, gateway, reason="大雨警報", actor="tester", now=NOW)
        return mode.leave_disaster_mode(session, gateway, actor="tester", now=NOW)


def friends_following(sim, count: int) -> list[str]:
    users = [sim.new_user(f"住民{i}") for i in range(count)]
    for user in users:
        sim.follow(user)
    return users


def test_disaster_mode_switches_and_restores_every_friends_menu(app, sim, published, db_session):
    calm, tapped_bousai, tapped_tetsuzuki = friends_following(sim, 3)
    tab(sim, tapped_bousai, "bousai")
    tab(sim, tapped_tetsuzuki, "tetsuzuki")
    assert menu_seen_by(sim, tapped_bousai) == published.menu_ids["bousai"]  # a per-user link now

    assert switch(app, on=True) is True
    disaster_menu = published.menu_ids["disaster"]
    assert {menu_seen_by(sim, u) for u in (calm, tapped_bousai, tapped_tetsuzuki)} == {disaster_menu}
    newcomer = friends_following(sim, 1)[0]
    assert menu_seen_by(sim, newcomer) == disaster_menu
    assert switch(app, on=True) is False  # already on: nothing done

    tab(sim, calm, "kurashi")  # 「ふだんのメニューへ」 during the disaster
    assert switch(app, on=False) is True
    assert {menu_seen_by(sim, u) for u in (calm, tapped_bousai, tapped_tetsuzuki, newcomer)} == {
        published.menu_ids["kurashi"]}
    assert mode.current_mode(db_session) is None
    actions = db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["disaster.on", "disaster.off"]


def test_a_friend_unknown_to_the_bot_who_tapped_a_tab_is_reached_too(app, sim, published, db_session):
    stranger = sim.new_user("以前からの友だち")  # a friend from before the bot recorded friends: no follow event
    tab(sim, stranger, "bousai")
    assert db_session.scalar(select(Friend).where(Friend.line_user_id == stranger)) is not None
    switch(app, on=True)
    assert menu_seen_by(sim, stranger) == published.menu_ids["disaster"]


def test_the_menus_switch_with_one_unlink_call_per_500_friends(app, sim, published, database):
    users = sim.request("POST", "/_sim/users/bulk", {"count": 501})["user_ids"]
    with database.transaction() as session:
        session.add_all(Friend(line_user_id=u, followed_at=NOW) for u in users)
    tab(sim, users[-1], "bousai")
    before = len(sim.requests())
    switch(app, on=True)
    paths = [r["path"] for r in sim.requests()[before:]]
    assert paths.count("/v2/bot/richmenu/bulk/unlink") == 2
    assert len(paths) <= 5  # alias list, default, two unlinks: not one call per friend
    assert {menu_seen_by(sim, u) for u in (users[0], users[-1])} == {published.menu_ids["disaster"]}


def test_greeting_and_fallback_say_a_disaster_is_being_handled(app, sim, published):
    switch(app, on=True)
    newcomer = friends_following(sim, 1)[0]
    first = sim.inbox(newcomer)[0]["message"]
    assert first["template"]["text"].startswith("ただいま災害対応中です")
    assert [a["data"] for a in first["template"]["actions"]] == ["action=shelters", "action=disaster.latest"]
    sim.request("POST", f"/_sim/users/{newcomer}/sticker", {"package_id": "446", "sticker_id": "1988"})
    assert sim.texts(newcomer)[-2].startswith("ただいま災害対応中です")
    switch(app, on=False)
    sim.request("POST", f"/_sim/users/{newcomer}/sticker", {"package_id": "446", "sticker_id": "1988"})
    assert not sim.texts(newcomer)[-2].startswith("ただいま災害対応中です")


def test_the_command_line_switches_and_reports_the_mode(emulator, sim, app, published, settings):
    url = settings.database_url
    on = run_cli(url, "disaster", "on", "--reason", "震度5弱", "--by", "bousai-ka", line_api_base=emulator.url)
    assert on.returncode == 0, on.stderr
    status = run_cli(url, "disaster", "status", "--json")
    assert '"on": true' in status.stdout and "震度5弱" in status.stdout and "bousai-ka" in status.stdout
    assert app.extensions["gateway"].default_rich_menu_id() == published.menu_ids["disaster"]
    assert run_cli(url, "disaster", "off", line_api_base=emulator.url).returncode == 0
    assert app.extensions["gateway"].default_rich_menu_id() == published.menu_ids["kurashi"]
    assert '"on": false' in run_cli(url, "disaster", "status", "--json").stdout


def test_switching_before_the_menus_are_published_is_refused_and_changes_nothing(app, sim, db_session):
    with pytest.raises(mode.MenusNotPublished):
        switch(app, on=True)
    assert mode.current_mode(db_session) is None


def test_is_disaster_mode_reads_the_stored_row_or_the_sessions_own(clean_database):
    """Answers ask it on every greeting and fallback: a plain SELECT, unless the session holds the row."""
    from bot.db import Database
    from bot.models import DisasterModeState
    from bot.models.disaster import CURRENT

    database = Database(clean_database)
    with database.transaction() as session:
        assert not mode.is_disaster_mode(session)  # no row yet
        session.add(DisasterModeState(id=CURRENT, active=True, since=NOW, reason="大雨", by="bousai"))
        assert mode.is_disaster_mode(session)  # pending in this session
    with database.transaction() as session:
        assert mode.is_disaster_mode(session)  # stored
        session.get(DisasterModeState, CURRENT).active = False  # changed, not flushed
        assert not mode.is_disaster_mode(session)
    with database.transaction() as session:
        assert not mode.is_disaster_mode(session)
    database.dispose()
