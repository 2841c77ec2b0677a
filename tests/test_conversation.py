"""Conversation state: kept per resident in the database, forgotten after its timeout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.line import conversation
from bot.db import Database
from handlers.settings import SettingsStep


def test_state_times_out_and_is_forgotten(clean_database):
    database = Database(clean_database)
    user, start = "U" + "a" * 32, datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    with database.transaction() as session:
        conversation.enter_step(session, user, "settings", SettingsStep.AREA, start, timeout_min=30)
    with database.transaction() as session:
        state = conversation.active_state(session, user, start + timedelta(minutes=29))
        assert state is not None and state.step == "area"
        conversation.enter_step(session, user, "settings", SettingsStep.INTERESTS, start + timedelta(minutes=29), 30)
    with database.transaction() as session:  # each step renews the timeout
        assert conversation.active_state(session, user, start + timedelta(minutes=58)).step == "interests"
    with database.transaction() as session:
        assert conversation.active_state(session, user, start + timedelta(minutes=60)) is None
    with database.transaction() as session:
        assert conversation.leave_flow(session, user) is False  # already forgotten
    database.dispose()


def test_entering_another_flow_drops_the_old_flows_data(clean_database):
    database = Database(clean_database)
    user, now = "U" + "b" * 32, datetime.now(UTC)
    with database.transaction() as session:
        conversation.enter_step(session, user, "signup", SettingsStep.AREA, now, 30, data={"class_id": 3})
        state = conversation.enter_step(session, user, "settings", SettingsStep.AREA, now, 30)
        assert state.data == {}
    database.dispose()


def test_asking_the_same_step_again_keeps_the_deadline(clean_database):
    database = Database(clean_database)
    user, start = "U" + "c" * 32, datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    with database.transaction() as session:
        conversation.enter_step(session, user, "settings", SettingsStep.AREA, start, timeout_min=30)
    for minute in (10, 20, 29):  # unrelated texts: the area is asked again each time
        with database.transaction() as session:
            conversation.enter_step(session, user, "settings", SettingsStep.AREA, start + timedelta(minutes=minute), 30)
    with database.transaction() as session:
        assert conversation.active_state(session, user, start + timedelta(minutes=31)) is None
        conversation.enter_step(session, user, "settings", SettingsStep.AREA, start + timedelta(minutes=31), 30)
        conversation.enter_step(session, user, "settings", SettingsStep.INTERESTS, start + timedelta(minutes=40), 30)
    with database.transaction() as session:  # moving on to another step gives a new deadline
        assert conversation.active_state(session, user, start + timedelta(minutes=69)).step == "interests"
    database.dispose()


def test_a_state_added_or_changed_in_the_same_session_is_seen(clean_database):
    """The plain SELECT that answers "no flow" is only trusted on a session holding nothing."""
    database = Database(clean_database)
    user, other, now = "U" + "d" * 32, "U" + "e" * 32, datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    with database.transaction() as session:
        assert conversation.active_state(session, user, now) is None  # nothing stored: the fast answer
        conversation.enter_step(session, user, "settings", SettingsStep.AREA, now, 30)  # pending, not flushed
        assert conversation.active_state(session, user, now).step == "area"
        assert conversation.active_state(session, other, now) is None
    with database.transaction() as session:
        state = conversation.active_state(session, user, now + timedelta(minutes=5))
        assert state is not None and state.flow == "settings"
        conversation.leave_flow(session, user)
    with database.transaction() as session:
        assert conversation.active_state(session, user, now + timedelta(minutes=5)) is None
        conversation.enter_step(session, other, "signup", SettingsStep.AREA, now, 30)
        session.flush()  # stored in this transaction: the plain SELECT sees it too
        session.expunge_all()
        assert conversation.active_state(session, other, now).flow == "signup"
    database.dispose()


def test_the_plain_select_is_skipped_only_for_states_the_session_does_not_hold(clean_database):
    """Other objects in the session (a friend just added) do not hide a stored or pending state."""
    from bot.models import ConversationState, Friend

    database = Database(clean_database)
    user, now = "U" + "f" * 32, datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    with database.transaction() as session:
        session.add(Friend(line_user_id=user, display_name="", followed_at=now))
        assert conversation.active_state(session, user, now) is None
        state = conversation.enter_step(session, user, "settings", SettingsStep.AREA, now, 30)
        assert conversation.active_state(session, user, now) is state  # pending: the session's own
    with database.transaction() as session:
        session.scalars(select_friend(user)).one()  # a friend loaded first
        assert conversation.active_state(session, user, now).step == "area"
        loaded = session.get(ConversationState, user)
        loaded.step = "interests"  # changed, not flushed: the ORM's answer, not the database's
        assert conversation.active_state(session, user, now).step == "interests"
        assert conversation.enter_step(session, user, "settings", SettingsStep.INTERESTS, now, 30) is loaded
    database.dispose()


def select_friend(user):
    from sqlalchemy import select

    from bot.models import Friend

    return select(Friend).where(Friend.line_user_id == user)
