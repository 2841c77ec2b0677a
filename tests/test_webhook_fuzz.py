"""Arbitrary bodies thrown at /callback: never a 5xx, nothing stored."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.models import Friend, WebhookEvent
from tests.conftest import TEST_CHANNEL_SECRET
from tests.support.webhook import signed_headers

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
event_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "follow", "postback", "unfollow", "x"]) | st.text(max_size=8)},
    optional={
        "webhookEventId": st.text(max_size=30),
        "timestamp": st.integers() | st.text(max_size=5),
        "source": json_values,
        "message": json_values,
        "postback": json_values,
        "replyToken": st.text(max_size=40),
        "deliveryContext": json_values,
        "mode": st.text(max_size=8),
    },
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(event_like, max_size=3).map(lambda events: json.dumps({"events": events}).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, signed=st.booleans())
def test_arbitrary_bodies_never_cause_a_5xx_or_store_anything(client, db_session, body, signed):
    headers = signed_headers(TEST_CHANNEL_SECRET, body) if signed else {"X-Line-Signature": "x"}
    response = client.post("/callback", data=body, headers=headers)
    assert response.status_code < 500
    assert response.status_code in (200, 400)
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
    assert db_session.scalar(select(func.count()).select_from(Friend)) == 0
