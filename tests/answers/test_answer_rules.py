"""The answer rules (bot/line/answers.py), one step at a time, with the real SDK against the emulator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from linebot.v3.messaging import TextMessage

from bot.db import utcnow
from bot.line import answers
from bot.line.answers import Outgoing
from bot.line.gateway import LineGateway, new_retry_key
from bot.models import AnswerStatus
from tests.conftest import make_settings
from tests.test_gateway import following_user, reply_token_for, sends


@pytest.fixture
def gateway(emulator, tmp_path):
    gateway = LineGateway(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", emulator.url), sleep=lambda _s: None)
    yield gateway
    gateway.close()


def outgoing(user, token, *, age_s=0.0, maybe_reached=False, status=AnswerStatus.REPLY_PENDING, attempts=0):
    return Outgoing("E1", user, token, [TextMessage(text="答え")], utcnow() - timedelta(seconds=age_s),
                    new_retry_key(), status, attempts=attempts, maybe_reached=maybe_reached)


def vias(sim, user):
    return [(m["via"], m["message"]["text"]) for m in sim.inbox(user)]


def test_accepted_reply_is_sent(gateway, sim, emulator):
    user = following_user(sim)
    result = answers.send(gateway, outgoing(user, reply_token_for(sim, emulator, user)), utcnow())
    assert result.status is AnswerStatus.SENT and vias(sim, user) == [("reply", "答え")]


def test_a_token_refused_on_the_first_attempt_is_dead_and_the_answer_is_pushed(gateway, sim, emulator):
    user = following_user(sim)
    token = reply_token_for(sim, emulator, user)
    gateway.try_reply(token, [TextMessage(text="先")])  # someone else used it
    result = answers.send(gateway, outgoing(user, token), utcnow())
    assert result.status is AnswerStatus.SENT and vias(sim, user) == [("reply", "先"), ("push", "答え")]


def test_a_token_refused_after_a_5xx_was_used_by_that_attempt(gateway, sim, emulator):
    user = following_user(sim)
    out = outgoing(user, reply_token_for(sim, emulator, user))
    sim.faults(status=500, rate=1.0, when="after", paths=["/v2/bot/message/reply"])
    first = answers.send(gateway, out, utcnow())
    assert first.status is AnswerStatus.REPLY_PENDING and first.attempts == 1 and first.next_at is not None
    sim.clear_faults()
    out.attempts, out.maybe_reached = first.attempts, True
    second = answers.send(gateway, out, utcnow())
    assert second.status is AnswerStatus.SENT and "assumed" in second.error
    assert vias(sim, user) == [("reply", "答え")] and sends(sim, "/v2/bot/message/push") == []


def test_a_reply_still_failing_when_the_token_is_too_old_is_pushed_once_with_its_key(gateway, sim, emulator):
    user = following_user(sim)
    out = outgoing(user, reply_token_for(sim, emulator, user), age_s=answers.REPLY_WINDOW_S + 1, attempts=3,
                   maybe_reached=True)
    sim.faults(status=500, rate=1.0, when="after", paths=["/v2/bot/message/push"])
    lost = answers.send(gateway, out, utcnow())  # delivered, but every answer lost
    assert lost.status is AnswerStatus.PUSH_PENDING and lost.next_at is not None
    sim.clear_faults()
    out.status, out.attempts = lost.status, lost.attempts
    again = answers.send(gateway, out, utcnow())  # same key: LINE answers 409, already accepted
    assert again.status is AnswerStatus.SENT
    assert vias(sim, user) == [("push", "答え")]
    assert {r["retry_key"] for r in sends(sim, "/v2/bot/message/push")} == {out.retry_key}
    assert sends(sim, "/v2/bot/message/reply") == []


def test_a_push_failing_for_a_day_is_given_up(gateway, sim):
    user = following_user(sim)
    sim.faults(status=503, rate=1.0, paths=["/v2/bot/message/push"])
    out = outgoing(user, None, age_s=25 * 3600, status=AnswerStatus.PUSH_PENDING, attempts=40)
    result = answers.send(gateway, out, utcnow())
    assert result.status is AnswerStatus.FAILED and "24 h" in result.error


def test_other_4xx_fail_the_answer_with_the_reason(gateway, sim, emulator):
    user = following_user(sim)
    out = outgoing(user, reply_token_for(sim, emulator, user))
    out.messages = [TextMessage.construct(type="text", text="x" * 5001)]  # built wrong: LINE refuses it
    result = answers.send(gateway, out, utcnow())
    assert result.status is AnswerStatus.FAILED and "rejected" in result.error
    assert sim.inbox(user) == []
