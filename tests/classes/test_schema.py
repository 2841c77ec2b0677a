"""The 0003_classes migration matches the models, and the database itself refuses double
bookings (the partial unique index) while letting someone book again after cancelling."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from bot.classes.booking import BookResult, book_seat, cancel_booking
from bot.db import Base, make_engine, utcnow
from bot.models import BookingSource, BookingStatus, ClassBooking
from tests.classes.conftest import JST

CLASS_TABLES = {"smartphone_classes", "class_bookings", "class_notifications", "class_settings"}


def test_the_migration_matches_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert [d for d in diffs if any(table in str(d) for table in CLASS_TABLES)] == []


def test_the_database_refuses_a_second_active_booking_of_one_person(database, make_class):
    class_id = make_class()
    with database.transaction() as session:
        first = book_seat(session, class_id, "美祢 花子", now=utcnow(), line_user_id="U1")
    with pytest.raises(IntegrityError), database.transaction() as session:  # past the domain check
        session.add(ClassBooking(class_id=class_id, source=BookingSource.LINE, line_user_id="U1", contact_key="U1",
                                 participant_name="美祢花子", participant_key=first.booking.participant_key,
                                 status=BookingStatus.WAITLISTED, created_by="test"))
    with database.transaction() as session:
        cancel_booking(session, first.booking.id, actor="line", now=utcnow(), tz=JST)
    with database.transaction() as session:  # cancelled: the same person may book again
        again = book_seat(session, class_id, "美祢花子", now=utcnow(), line_user_id="U1")
    assert again.result is BookResult.CONFIRMED
    with database.transaction() as session:  # another LINE user may book a person of the same name
        other = book_seat(session, class_id, "美祢 花子", now=utcnow(), line_user_id="U2")
    assert other.result is BookResult.CONFIRMED
