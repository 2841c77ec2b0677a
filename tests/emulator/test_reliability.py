"""Retry keys, injected faults, rate limits and LINE's refusals (401, 413, bad JSON)."""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from linebot.v3.messaging import (
    ApiClient, BroadcastRequest, Configuration, MessagingApi, MulticastRequest,
    PushMessageRequest, ReplyMessageRequest, TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException, ServiceException, UnauthorizedException

from tests.emulator.harness import ACCESS_TOKEN, no_proxy

MULTICAST = "/v2/bot/message/multicast"


def push(messaging, user_id, body="お知らせ", **kwargs):
    return messaging.push_message_with_http_info(
        PushMessageRequest(to=user_id, messages=[TextMessage(text=body)]), **kwargs)


def multicast(messaging, user_ids, key):
    return messaging.multicast(MulticastRequest(to=user_ids, messages=[TextMessage(text="避難情報")]),
                               x_line_retry_key=key)


def test_repeated_retry_key_is_refused_with_the_first_request_id(control, messaging):
    user_id = control.new_user()
    key = str(uuid.uuid4())
    first = push(messaging, user_id, x_line_retry_key=key)

    with pytest.raises(ApiException) as repeat:
        push(messaging, user_id, x_line_retry_key=key)

    assert repeat.value.status == 409
    assert repeat.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    body = json.loads(repeat.value.body)
    assert body["message"] == "The retry key is already accepted"
    assert body["sentMessages"][0]["id"] == first.data.sent_messages[0].id
    assert len(control.inbox(user_id)) == 1


def test_retry_key_is_only_for_sends_and_must_be_a_uuid(control, bot, messaging):
    user_id = control.new_user()
    control.act(user_id, "text", {"text": "hi"})
    with pytest.raises(ApiException) as on_reply:
        messaging.reply_message(
            ReplyMessageRequest(reply_token=bot.events[-1].reply_token,
                                messages=[TextMessage(text="x")]),
            _headers={"X-Line-Retry-Key": str(uuid.uuid4())})
    with pytest.raises(ApiException) as not_uuid:
        push(messaging, user_id, x_line_retry_key="retry-1")

    assert on_reply.value.status == not_uuid.value.status == 400
    assert control.inbox(user_id) == []


def test_fault_before_processing_delivers_nothing_and_keeps_the_key_free(control, messaging):
    friends = [control.new_user() for _ in range(2)]
    key = str(uuid.uuid4())
    control.call("POST", "/_sim/faults", {"status": 500, "rate": 1.0, "paths": [MULTICAST]})

    with pytest.raises(ServiceException):
        multicast(messaging, friends, key)
    assert [control.inbox(u) for u in friends] == [[], []]

    control.call("DELETE", "/_sim/faults")
    multicast(messaging, friends, key)
    assert [len(control.inbox(u)) for u in friends] == [1, 1]


def test_fault_after_processing_delivers_once_and_the_retry_gets_409(control, messaging):
    friends = [control.new_user() for _ in range(2)]
    key = str(uuid.uuid4())
    control.call("POST", "/_sim/faults", {"status": 503, "when": "after", "paths": [MULTICAST]})

    with pytest.raises(ServiceException) as lost:
        multicast(messaging, friends, key)
    control.call("DELETE", "/_sim/faults")
    with pytest.raises(ApiException) as retry:
        multicast(messaging, friends, key)

    assert lost.value.status == 503
    assert retry.value.status == 409
    assert [len(control.inbox(u)) for u in friends] == [1, 1]
    assert messaging.get_message_quota_consumption().total_usage == 2


def test_fault_can_only_slow_things_down(control, messaging):
    user_id = control.new_user()
    control.call("POST", "/_sim/faults", {"delay_s": 0.3, "rate": 1})
    started = time.monotonic()
    push(messaging, user_id)
    assert time.monotonic() - started >= 0.3
    assert len(control.inbox(user_id)) == 1


def test_fault_rules_can_answer_429(control, messaging):
    user_id = control.new_user()
    control.call("POST", "/_sim/faults", {"status": 429, "rate": 1, "paths": ["/v2/bot/message/*"]})
    with pytest.raises(ApiException) as error:
        push(messaging, user_id)
    assert error.value.status == 429


def test_rate_limit_refuses_requests_over_the_window(control, messaging):
    user_id = control.new_user()
    control.config(rate_limits={"/v2/bot/message/push": 3})
    for _ in range(3):
        push(messaging, user_id)

    with pytest.raises(ApiException) as error:
        push(messaging, user_id)

    assert error.value.status == 429
    assert json.loads(error.value.body) == {"message": "Too many requests"}
    assert "Retry-After" not in error.value.headers
    assert len(control.inbox(user_id)) == 3
    time.sleep(1.05)
    push(messaging, user_id)


def test_broadcast_is_limited_per_hour(control, messaging):
    control.new_user()
    control.config(rate_limits={"/v2/bot/message/broadcast": {"requests": 2, "per_s": 3600}})
    for _ in range(2):
        messaging.broadcast(BroadcastRequest(messages=[TextMessage(text="x")]))
    with pytest.raises(ApiException) as error:
        messaging.broadcast(BroadcastRequest(messages=[TextMessage(text="x")]))
    assert error.value.status == 429


def test_wrong_token_is_401_with_a_request_id(emu):
    with ApiClient(Configuration(host=emu.url, access_token="wrong")) as client:
        with pytest.raises(UnauthorizedException) as error:
            MessagingApi(client).get_message_quota()
    assert error.value.status == 401
    assert json.loads(error.value.body)["message"].startswith("Authentication failed.")
    assert error.value.headers["x-line-request-id"]


def test_body_over_2_mb_is_413(control, messaging):
    user_id = control.new_user()
    huge = [TextMessage(text="あ" * 500_000)] * 2  # 3 MB of UTF-8
    with pytest.raises(ApiException) as error:
        messaging.push_message(PushMessageRequest(to=user_id, messages=huge))
    assert error.value.status == 413


def raw_post(emu, path, data, token=ACCESS_TOKEN):
    request = urllib.request.Request(emu.url + path, data=data, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with no_proxy.open(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_malformed_json_and_unknown_message_types_are_400(control, emu):
    user_id = control.new_user()
    status, body = raw_post(emu, "/v2/bot/message/push", b"{not json")
    assert status == 400 and body["message"]

    status, body = raw_post(emu, "/v2/bot/message/push", json.dumps(
        {"to": user_id, "messages": [{"type": "hologram"}]}).encode())
    assert status == 400
    assert body["details"][0]["property"] == "messages[0].type"


def test_unknown_api_path_is_a_json_404(emu):
    status, body = raw_post(emu, "/v2/bot/no/such/thing", b"{}")
    assert (status, body) == (404, {"message": "Not found"})


def test_request_log_lists_api_calls(control, messaging):
    user_id = control.new_user()
    key = str(uuid.uuid4())
    answer = push(messaging, user_id, x_line_retry_key=key)
    messaging.get_message_quota()

    log = control.call("GET", "/_sim/requests?path=/v2/bot/message/push")

    assert log == [{"method": "POST", "path": "/v2/bot/message/push", "status": 200,
                    "retry_key": key, "request_id": answer.headers["x-line-request-id"],
                    "at": log[0]["at"]}]
    assert [e["path"] for e in control.call("GET", "/_sim/requests")] == \
        ["/v2/bot/message/push", "/v2/bot/message/quota"]
