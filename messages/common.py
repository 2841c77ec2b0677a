"""Small building blocks shared by the message builders."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from linebot.v3.messaging import Message, PostbackAction, QuickReply, QuickReplyItem, TextMessage

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
    """The main actions, offered whenever the resident needs a way forward."""
    return [
        button(say.LABEL_MAIN_ASK, Action.FAQ_ASK),
        button(say.LABEL_MAIN_NOTICES, Action.NOTICES),
        button(say.LABEL_MAIN_PROCEDURES, Action.PROCEDURES),
        button(say.LABEL_MAIN_CLASSES, Action.CLASSES),
        button(say.LABEL_MAIN_SETTINGS, Action.SETTINGS),
    ]


def resume_button() -> PostbackAction:
    return button(say.LABEL_RESUME, Action.RESUME)


def flow_title(flow: str) -> str:
    return say.FLOW_TITLES.get(flow, say.FLOW_TITLE_OTHER)


def flow_put_aside(flow: str, answer: Sequence[Message]) -> list[Message]:
    """A command's answer while `flow` waited: first what became of the flow, then the answer,
    whose last message offers 「続きから」 first among its quick replies."""
    answer = list(answer)[:4]  # LINE takes five messages in one reply
    note = text(say.FLOW_PUT_ASIDE.format(flow=flow_title(flow)))
    if answer:
        last = answer[-1]
        items = list(last.quick_reply.items) if last.quick_reply else []
        last.quick_reply = QuickReply(items=[QuickReplyItem(action=resume_button()), *items][:QUICK_REPLY_MAX])
    else:
        note.quick_reply = quick_reply([resume_button(), cancel_button()])
    return [note, *answer]


def flow_ended(flow: str, answer: Sequence[Message]) -> list[Message]:
    """A command's answer that started another flow, told that `flow` ended."""
    return [text(say.FLOW_ENDED.format(flow=flow_title(flow))), *list(answer)[:4]]


def nothing_to_resume() -> list[Message]:
    return [text(say.NOTHING_TO_RESUME, main_menu_buttons())]
