"""Webhooks the emulator sends for simulated users, checked with the SDK's WebhookParser."""

import re

from linebot.v3.messaging import ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import (
    FollowEvent, LocationMessageContent, MessageEvent, PostbackEvent, TextMessageContent,
    UnfollowEvent,
)


def test_follow_unfollow_and_refollow(control, bot):
    user_id = control.new_user(follow=False)

    assert control.act(user_id, "follow") == {"status": 200}
    control.act(user_id, "unfollow")
    control.act(user_id, "follow")

    first, unfollow, refollow = bot.events
    assert isinstance(first, FollowEvent) and first.follow.is_unblocked is False
    assert isinstance(unfollow, UnfollowEvent) and "replyToken" not in bot.bodies[1]["events"][0]
    assert isinstance(refollow, FollowEvent) and refollow.follow.is_unblocked is True
    assert first.source.user_id == user_id
    assert re.fullmatch(r"[0-9a-f]{32}", first.reply_token)


def test_event_bodies_look_like_lines(control, bot):
    user_id = control.new_user()
    body = bot.bodies[0]
    event = body["events"][0]

    assert re.fullmatch(r"U[0-9a-f]{32}", body["destination"])
    assert re.fullmatch(r"U[0-9a-f]{32}", user_id)
    assert event["mode"] == "active"
    assert event["deliveryContext"] == {"isRedelivery": False}
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", event["webhookEventId"])
    assert isinstance(event["timestamp"], int)


def test_text_postback_and_location_events(control, bot):
    user_id = control.new_user()
    control.act(user_id, "text", {"text": "ごみの日は？"})
    control.act(user_id, "postback", {"data": "action=faq&id=3",
                                      "params": {"date": "2025-04-01"}, "display_text": "はい"})
    control.act(user_id, "location", {"title": "美祢市役所", "address": "山口県美祢市大嶺町東分326-1",
                                      "latitude": 34.1664, "longitude": 131.2056})

    _, said, tapped, shared = bot.events
    assert isinstance(said, MessageEvent) and isinstance(said.message, TextMessageContent)
    assert said.message.text == "ごみの日は？" and said.message.quote_token
    assert isinstance(tapped, PostbackEvent)
    assert (tapped.postback.data, tapped.postback.params) == ("action=faq&id=3", {"date": "2025-04-01"})
    assert isinstance(shared.message, LocationMessageContent)
    assert (shared.message.title, shared.message.latitude) == ("美祢市役所", 34.1664)


def test_transcript_shows_both_directions_in_order(control, bot, messaging):
    bot.on_event = lambda event: messaging.reply_message(ReplyMessageRequest(
        reply_token=event.reply_token, messages=[TextMessage(text="はい")]))
    user_id = control.new_user()
    control.act(user_id, "postback", {"data": "menu=top", "display_text": "メニュー"})

    transcript = control.call("GET", f"/_sim/users/{user_id}/transcript")

    assert [line["from"] for line in transcript] == ["user", "bot", "user", "bot"]
    assert transcript[2]["display_text"] == "メニュー"
    assert transcript[2]["event"] == bot.bodies[-1]["events"][0]
    assert transcript[3]["via"] == "reply" and transcript[3]["message"]["text"] == "はい"


def test_redelivery_repeats_the_event_marked_as_such(control, bot):
    user_id = control.new_user()
    control.call("POST", "/_sim/redeliver", {"rate": 1.0})

    answer = control.act(user_id, "text", {"text": "もう一度"})

    assert answer == {"status": 200, "redelivery_status": 200}
    first, again = bot.bodies[-2]["events"][0], bot.bodies[-1]["events"][0]
    assert again["deliveryContext"] == {"isRedelivery": True}
    assert first["deliveryContext"] == {"isRedelivery": False}
    assert (again["webhookEventId"], again["replyToken"]) == \
        (first["webhookEventId"], first["replyToken"])
    assert bot.events[-1].delivery_context.is_redelivery is True


def test_bot_status_is_reported(control, bot):
    user_id = control.new_user()
    bot.status = 500
    assert control.act(user_id, "text", {"text": "x"}) == {"status": 500}


def test_unreachable_bot_is_status_0(control, emu):
    emu.webhook_url = "http://127.0.0.1:9/callback"
    user_id = control.call("POST", "/_sim/users", {"display_name": "x"})["user_id"]
    answer = control.act(user_id, "follow")
    assert answer["status"] == 0 and answer["error"]
    assert control.call("GET", "/_sim/users")[0]["following"] is True


def test_unknown_user_is_404(control):
    status, body = control.raw("POST", "/_sim/users/U" + "0" * 32 + "/text", {"text": "x"})
    assert status == 404 and body["error"]
