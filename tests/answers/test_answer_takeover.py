"""An answer that no process had tried yet ("not attempted") stops being marked so the moment a
process takes it to send. Otherwise, when that process's lease ran out while its reply was still
on its way (a slow LINE), the next taker read the refused token as dead and pushed a second copy:
50 of 2,000 residents got their answer twice on a slow machine with PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from bot.db import utcnow
from bot.line.events import NOT_ATTEMPTED, _outgoing_of, pipeline, process_id
from bot.models import AnswerStatus, EventStatus, WebhookEvent
from tests.test_gateway import following_user, reply_token_for


def test_a_never_attempted_answer_taken_to_send_may_have_reached_line_from_then_on(app, database, sim, emulator):
    user = following_user(sim)
    token = reply_token_for(sim, emulator, user)
    now = utcnow()
    with database.transaction() as session:
        session.add(WebhookEvent(
            webhook_event_id="01TAKEOVERTEST0000000000000", event_type="message", line_user_id=user,
            occurred_at=now, received_at=now, payload={"type": "message", "replyToken": token},
            status=EventStatus.HANDLED, attempts=1, claimed_by="elsewhere:1:dead", claim_until=now,
            handled_at=now, answer=[{"type": "text", "text": "避難所の一覧です"}],
            answer_status=AnswerStatus.REPLY_PENDING, answer_attempts=0, answer_retry_key="k-takeover",
            answer_next_at=now - timedelta(seconds=1), answer_error=NOT_ATTEMPTED,
        ))
    with database.sessions() as session:
        before = session.scalars(select(WebhookEvent)).one()
        assert not _outgoing_of(before).maybe_reached  # nobody tried: a refused token would mean dead
    sim.faults(delay_s=1.5, rate=1.0, paths=["/v2/bot/message/reply"])  # LINE slow to answer
    sending = threading.Thread(target=pipeline(app).send_due_answers)
    sending.start()
    try:
        deadline = time.monotonic() + 5
        while True:  # the claim is committed before the reply goes out
            with database.sessions() as session:
                row = session.scalars(select(WebhookEvent)).one()
            if row.claimed_by == process_id() or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert row.claimed_by == process_id() and row.answer_error is None
        assert _outgoing_of(row).maybe_reached  # a taker after this lease reads a refused token as used
    finally:
        sending.join(10)
        sim.clear_faults()
    with database.sessions() as session:
        assert session.scalars(select(WebhookEvent)).one().answer_status is AnswerStatus.SENT
    assert [(m["via"], m["message"]["text"]) for m in sim.inbox(user)] == [("reply", "避難所の一覧です")]
