"""Small building blocks shared by the message builders."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from linebot.v3.messaging import PostbackAction, QuickReply, QuickReplyItem, TextMessage

from messages import catalogue as say
from messages.actions import Action
from messages.text import LABEL_MAX, prefix

QUICK_REPLY_MAX = 13


def postback_data(action: Action, **args: str) -> str:
    """The `data` of a postback button: `action=...&key=value`, as the router parses it."""
    return urlencode({"action": action, **args})


def button(label: str, action: Action, display: str | None = None, **args: str) -> PostbackAction:
    """A postback button; the resident's chat shows `display` (or the label) as their message."""
    return PostbackAction(label=prefix(label, LABEL_MAX), data=postback_data(action, **args),
                          displayText=display or label)


def quick_reply(actions: Sequence[PostbackAction]) -> QuickReply:
    return QuickReply(items=[QuickReplyItem(action=a) for a in actions[:QUICK_REPLY_MAX]])


def text(body: str, actions: Sequence[PostbackAction] = ()) -> TextMessage:
    """A text message, with quick-reply buttons when `actions` are given."""
    return TextMessage(text=body, quickReply=quick_reply(actions) if actions else None)


def cancel_button() -> PostbackAction:
    return button(say.LABEL_CANCEL, Action.CANCEL)


def main_menu_buttons() -> list[PostbackAction]:
    """The buttons offered when the resident needs a way forward."""
    return [button(say.LABEL_SETTINGS, Action.SETTINGS)]
