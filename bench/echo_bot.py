"""The reference peer of the webhook benchmark: line-bot-sdk's flask-echo example (v3,
`WebhookHandler`), answering text with its echo, postbacks and follows with a short text.

    LINE_CHANNEL_SECRET=... LINE_CHANNEL_ACCESS_TOKEN=... LINE_API_BASE=http://127.0.0.1:PORT \\
        gunicorn --chdir bench 'echo_bot:create_app()'

As in the example, each event opens its own `ApiClient` and calls `reply_message_with_http_info`.
The body is not logged (the example logs it; residents' words must not be).
"""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import FollowEvent, MessageEvent, PostbackEvent, TextMessageContent


def create_app() -> Flask:
    app = Flask(__name__)
    handler = WebhookHandler(os.environ["LINE_CHANNEL_SECRET"])
    configuration = Configuration(host=os.environ.get("LINE_API_BASE") or "https://api.line.me",
                                  access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"])

    def reply(reply_token: str, text: str) -> None:
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(
                ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]))

    @app.post("/callback")
    def callback():
        signature = request.headers.get("X-Line-Signature", "")
        body = request.get_data(as_text=True)
        try:
            handler.handle(body, signature)
        except InvalidSignatureError:
            abort(400)
        return "OK"

    @handler.add(MessageEvent, message=TextMessageContent)
    def message_text(event: MessageEvent) -> None:
        reply(event.reply_token, event.message.text)

    @handler.add(PostbackEvent)
    def postback(event: PostbackEvent) -> None:
        reply(event.reply_token, f"postback: {event.postback.data}")

    @handler.add(FollowEvent)
    def follow(event: FollowEvent) -> None:
        reply(event.reply_token, "友だち追加ありがとうございます")

    return app
