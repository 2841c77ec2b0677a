"""Sending through the real SDK: reply tokens, push, multicast, broadcast, narrowcast, quota."""

import time

import pytest
from linebot.v3.messaging import (
    BroadcastRequest, Limit, ValidateMessageRequest, MulticastRequest, NarrowcastRequest, PushMessageRequest,
    ReplyMessageRequest, ShowLoadingAnimationRequest, TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException, NotFoundException


def text(body):
    return TextMessage(text=body)


def reply_token_of(control, bot, user_id, said="こんにちは"):
    """Make the user speak and return the reply token the bot received."""
    control.act(user_id, "text", {"text": said})
    return bot.events[-1].reply_token


def test_bot_replies_while_the_webhook_is_open(control, bot, messaging):
    user_id = control.new_user()
    answers = []
    bot.on_event = lambda event: answers.append(messaging.reply_message(ReplyMessageRequest(
        reply_token=event.reply_token, messages=[text("ようこそ"), text("美祢市です")])))

    assert control.act(user_id, "text", {"text": "こんにちは"}) == {"status": 200}

    assert len(answers[-1].sent_messages) == 2
    assert [m["message"]["text"] for m in control.inbox(user_id)][-2:] == ["ようこそ", "美祢市です"]
    assert {m["via"] for m in control.inbox(user_id)[-2:]} == {"reply"}


def test_reply_token_works_once(control, bot, messaging):
    user_id = control.new_user()
    token = reply_token_of(control, bot, user_id)
    messaging.reply_message(ReplyMessageRequest(reply_token=token, messages=[text("一度目")]))

    with pytest.raises(ApiException) as error:
        messaging.reply_message(ReplyMessageRequest(reply_token=token, messages=[text("二度目")]))

    assert error.value.status == 400
    assert "Invalid reply token" in error.value.body
    assert [m["message"]["text"] for m in control.inbox(user_id)] == ["一度目"]


def test_reply_token_expires(control, bot, messaging):
    control.config(reply_token_ttl_s=0.2)
    user_id = control.new_user()
    token = reply_token_of(control, bot, user_id)
    time.sleep(0.3)

    with pytest.raises(ApiException) as error:
        messaging.reply_message(ReplyMessageRequest(reply_token=token, messages=[text("遅い")]))

    assert error.value.status == 400
    assert control.inbox(user_id) == []


def test_made_up_reply_token_is_refused(emu, messaging):
    with pytest.raises(ApiException) as error:
        messaging.reply_message(ReplyMessageRequest(reply_token="0" * 32, messages=[text("x")]))
    assert error.value.status == 400


def test_push_reaches_friends_only(control, messaging):
    friend = control.new_user()
    blocked = control.new_user()
    control.act(blocked, "unfollow")

    answer = messaging.push_message(PushMessageRequest(to=friend, messages=[text("お知らせ")]))
    messaging.push_message(PushMessageRequest(to=blocked, messages=[text("お知らせ")]))
    messaging.push_message(PushMessageRequest(to="U" + "0" * 32, messages=[text("お知らせ")]))

    assert len(answer.sent_messages) == 1 and answer.sent_messages[0].id
    assert control.inbox(friend)[0]["via"] == "push"
    assert control.inbox(friend)[0]["message"] == {"type": "text", "text": "お知らせ"}
    assert control.inbox(blocked) == []
    assert messaging.get_message_quota_consumption().total_usage == 1


def test_multicast_delivers_to_following_users(control, messaging):
    friends = [control.new_user(f"住民{i}") for i in range(3)]
    blocked = control.new_user("ブロック中")
    control.act(blocked, "unfollow")
    stranger = control.new_user("未登録", follow=False)

    messaging.multicast(MulticastRequest(to=[*friends, blocked, stranger, "U" + "a" * 32],
                                         messages=[text("断水のお知らせ")]))

    for user_id in friends:
        assert [(m["via"], m["message"]["text"]) for m in control.inbox(user_id)] == \
            [("multicast", "断水のお知らせ")]
    assert control.inbox(blocked) == control.inbox(stranger) == []
    assert messaging.get_message_quota_consumption().total_usage == 3


def test_broadcast_reaches_every_follower(control, messaging):
    friends = [control.new_user() for _ in range(2)]
    stranger = control.new_user(follow=False)

    messaging.broadcast(BroadcastRequest(messages=[text("全員へ"), text("二通目")]))

    for user_id in friends:
        assert [m["message"]["text"] for m in control.inbox(user_id)] == ["全員へ", "二通目"]
    assert control.inbox(stranger) == []
    assert messaging.get_message_quota_consumption().total_usage == 2


def test_narrowcast_honours_limit_and_reports_progress(control, messaging):
    friends = [control.new_user() for _ in range(3)]

    answer = messaging.narrowcast_with_http_info(NarrowcastRequest(
        messages=[text("一部の方へ")], limit=Limit(max=2)))
    progress = messaging.get_narrowcast_progress(answer.headers["x-line-request-id"])

    assert answer.status_code == 202
    assert progress.phase == "succeeded"
    assert progress.success_count == progress.target_count == 2
    assert progress.failure_count == 0 and progress.completed_time is not None
    assert sum(len(control.inbox(u)) for u in friends) == 2


def test_unknown_narrowcast_progress_is_not_found(emu, messaging):
    with pytest.raises(NotFoundException):
        messaging.get_narrowcast_progress("00000000-0000-0000-0000-000000000000")


def test_six_messages_are_refused_with_details(control, messaging):
    user_id = control.new_user()
    request = PushMessageRequest.construct(to=user_id, messages=[text("x")] * 6)

    with pytest.raises(ApiException) as error:
        messaging.push_message(request)

    assert error.value.status == 400
    assert '"property":"messages"' in error.value.body
    assert "1 error(s)" in error.value.body
    assert control.inbox(user_id) == []


def test_text_length_counts_utf16_code_units(control, messaging):
    user_id = control.new_user()
    longest = "🏞" * 2500  # each emoji is two UTF-16 code units: 5,000 in all

    messaging.push_message(PushMessageRequest(to=user_id, messages=[text(longest)]))
    with pytest.raises(ApiException) as error:
        messaging.push_message(PushMessageRequest(to=user_id, messages=[text(longest + "a")]))

    assert error.value.status == 400
    assert "messages[0].text" in error.value.body
    assert len(control.inbox(user_id)) == 1


def test_multicast_recipients_are_checked(control, messaging):
    with pytest.raises(ApiException) as too_many:
        messaging.multicast(MulticastRequest.construct(
            to=["U" + f"{i:032x}" for i in range(501)], messages=[text("x")]))
    with pytest.raises(ApiException) as malformed:
        messaging.multicast(MulticastRequest(to=["U" + "a" * 32, "not-a-user"],
                                             messages=[text("x")]))

    assert too_many.value.status == malformed.value.status == 400
    assert '"property":"to"' in too_many.value.body
    assert '"property":"to[1]"' in malformed.value.body


def test_monthly_quota_refuses_whole_sends(control, messaging):
    control.config(monthly_quota=2)
    friends = [control.new_user() for _ in range(3)]

    with pytest.raises(ApiException) as error:
        messaging.multicast(MulticastRequest(to=friends, messages=[text("x")]))
    messaging.push_message(PushMessageRequest(to=friends[0], messages=[text("y"), text("z")]))

    assert error.value.status == 429
    assert "You have reached your monthly limit." in error.value.body
    assert [len(control.inbox(u)) for u in friends] == [2, 0, 0]
    quota = messaging.get_message_quota()
    assert (quota.type, quota.value) == ("limited", 2)
    assert messaging.get_message_quota_consumption().total_usage == 1


def test_quota_is_unlimited_by_default(emu, messaging):
    assert messaging.get_message_quota().type == "none"


def test_profile_only_for_friends(control, messaging):
    friend = control.new_user("山田 太郎")
    stranger = control.new_user(follow=False)

    profile = messaging.get_profile(friend)
    assert (profile.display_name, profile.user_id, profile.language) == ("山田 太郎", friend, "ja")
    with pytest.raises(NotFoundException):
        messaging.get_profile(stranger)
    control.act(friend, "unfollow")
    with pytest.raises(NotFoundException):
        messaging.get_profile(friend)


def test_loading_animation_seconds_are_checked(control, messaging):
    user_id = control.new_user()
    answer = messaging.show_loading_animation_with_http_info(
        ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=20))
    assert answer.status_code == 202
    messaging.show_loading_animation(ShowLoadingAnimationRequest(chat_id=user_id))

    with pytest.raises(ApiException) as error:
        messaging.show_loading_animation(
            ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=7))
    assert error.value.status == 400
    assert "loadingSeconds" in error.value.body


def test_messages_can_be_validated_without_sending(control, messaging):
    user_id = control.new_user()
    messaging.validate_push(ValidateMessageRequest(messages=[text("確認")]))
    with pytest.raises(ApiException) as error:
        messaging.validate_broadcast(ValidateMessageRequest(messages=[text("")]))
    assert "messages[0].text" in error.value.body
    assert control.inbox(user_id) == []


def test_bot_info_names_the_webhook_destination(control, bot, messaging):
    control.new_user()
    assert messaging.get_bot_info().user_id == bot.bodies[0]["destination"]
