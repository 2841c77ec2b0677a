"""What residents send besides text (photos, videos, voice, files, stickers, locations), and the
account-side endpoints a city uses: content download, followers, statistics, mark-as-read and
the webhook endpoint settings. Driven with the real line-bot-sdk over HTTP."""

import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from linebot.v3.messaging import (
    MarkMessagesAsReadByTokenRequest, PushMessageRequest, ReplyMessageRequest,
    SetWebhookEndpointRequest, TestWebhookEndpointRequest, TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException, NotFoundException
from linebot.v3.webhooks import (
    AudioMessageContent, FileMessageContent, ImageMessageContent, LocationMessageContent,
    MessageEvent, StickerMessageContent, VideoMessageContent,
)

from tests.emulator.harness import ACCESS_TOKEN, no_proxy
from tests.emulator.images import png

PHOTO = png(64, 48)


def send_bytes(base_url, user_id, kind, data, content_type, query=""):
    request = urllib.request.Request(f"{base_url}/_sim/users/{user_id}/{kind}{query}", data=data,
                                     method="POST", headers={"Content-Type": content_type})
    with no_proxy.open(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_residents_photo_reaches_the_bot_and_the_sdk_downloads_it(control, bot, emu, blob):
    user_id = control.new_user()

    assert send_bytes(emu.url, user_id, "image", PHOTO, "image/png") == {"status": 200}

    event = bot.events[-1]
    assert isinstance(event, MessageEvent) and isinstance(event.message, ImageMessageContent)
    assert event.message.content_provider.type == "line"
    assert event.message.quote_token and event.message.mark_as_read_token
    assert blob.get_message_content(event.message.id) == PHOTO
    assert blob.get_message_content_preview(event.message.id) == PHOTO
    assert blob.get_message_content_transcoding_by_message_id(event.message.id).status == "succeeded"
    with pytest.raises(NotFoundException):
        blob.get_message_content("1" * 18)


def test_video_audio_and_file_events_as_line_sends_them(control, bot, emu, blob):
    user_id = control.new_user()
    send_bytes(emu.url, user_id, "video", b"\x00\x00\x00\x18ftypmp42", "video/mp4", "?duration=4200")
    send_bytes(emu.url, user_id, "audio", b"\x00\x00\x00\x18ftypM4A ", "audio/m4a", "?duration=1500")
    send_bytes(emu.url, user_id, "file", b"%PDF-1.4 ...", "application/pdf", "?file_name=" + quote("申請書.pdf"))

    video, audio, file = (event.message for event in bot.events[-3:])
    assert isinstance(video, VideoMessageContent) and video.duration == 4200 and video.quote_token
    assert isinstance(audio, AudioMessageContent) and audio.duration == 1500
    assert isinstance(file, FileMessageContent)
    assert (file.file_name, file.file_size) == ("申請書.pdf", len(b"%PDF-1.4 ..."))
    assert blob.get_message_content(file.id) == b"%PDF-1.4 ..."
    with pytest.raises(NotFoundException):  # only photos and videos have previews
        blob.get_message_content_preview(audio.id)


def test_sticker_and_location_without_a_title(control, bot):
    user_id = control.new_user()
    control.act(user_id, "sticker", {"package_id": "446", "sticker_id": "1988"})
    control.act(user_id, "location", {"latitude": 34.1664, "longitude": 131.2056})

    sticker, location = (event.message for event in bot.events[-2:])
    assert isinstance(sticker, StickerMessageContent)
    assert (sticker.package_id, sticker.sticker_id, sticker.sticker_resource_type) == \
        ("446", "1988", "STATIC")
    assert isinstance(location, LocationMessageContent) and location.title is None
    assert "title" not in bot.bodies[-1]["events"][0]["message"]


def test_mark_as_read_by_token_once(control, bot, messaging):
    user_id = control.new_user()
    control.act(user_id, "text", {"text": "こんにちは"})
    token = bot.events[-1].message.mark_as_read_token

    messaging.mark_messages_as_read_by_token(MarkMessagesAsReadByTokenRequest(mark_as_read_token=token))
    with pytest.raises(ApiException) as again:
        messaging.mark_messages_as_read_by_token(MarkMessagesAsReadByTokenRequest(mark_as_read_token=token))
    assert again.value.status == 400


def test_followers_ids_page_by_page(control, messaging, emu):
    users = control.call("POST", "/_sim/users/bulk", {"count": 5})["user_ids"]
    control.call("POST", "/_sim/users/bulk", {"count": 2, "following": False})

    first = messaging.get_followers(limit=3)
    rest = messaging.get_followers(start=first.next, limit=3)

    assert first.user_ids + rest.user_ids == users and rest.next is None
    request = urllib.request.Request(f"{emu.url}/v2/bot/followers/ids?limit=1001",
                                     headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as too_many:  # the SDK refuses to send it
        no_proxy.open(request, timeout=30)
    assert too_many.value.code == 400


def test_numbers_of_sent_messages_per_day(control, bot, messaging):
    from emulator.state import jst_date

    bot.on_event = lambda event: messaging.reply_message(ReplyMessageRequest(
        reply_token=event.reply_token, messages=[TextMessage(text="a"), TextMessage(text="b")]))
    user_id = control.new_user()
    messaging.push_message(PushMessageRequest(to=user_id, messages=[TextMessage(text="c")]))

    today = jst_date()
    assert messaging.get_number_of_sent_reply_messages(today).to_dict() == {"status": "ready", "success": 2}
    assert messaging.get_number_of_sent_push_messages(today).success == 1
    assert messaging.get_number_of_sent_multicast_messages("20200101").success == 0
    with pytest.raises(ApiException) as bad_date:
        messaging.get_number_of_sent_broadcast_messages("2020-01-01")
    assert bad_date.value.status == 400


def test_webhook_endpoint_set_get_and_verify(emu, bot, messaging):
    emu.webhook_url = None
    with pytest.raises(NotFoundException):
        messaging.get_webhook_endpoint()

    messaging.set_webhook_endpoint(SetWebhookEndpointRequest(endpoint=bot.url))
    assert messaging.get_webhook_endpoint().to_dict() == {"endpoint": bot.url, "active": True}

    verified = messaging.test_webhook_endpoint(TestWebhookEndpointRequest())
    assert (verified.success, verified.status_code, verified.reason) == (True, 200, "OK")
    assert bot.bodies[-1]["events"] == []

    bot.status = 500
    failed = messaging.test_webhook_endpoint(TestWebhookEndpointRequest(endpoint=bot.url))
    assert (failed.success, failed.status_code) == (False, 500)
    with pytest.raises(ApiException) as not_a_url:
        messaging.set_webhook_endpoint(SetWebhookEndpointRequest(endpoint="ftp://example.com"))
    assert not_a_url.value.status == 400
