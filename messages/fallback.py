"""Answers when nothing else fits."""

from __future__ import annotations

from linebot.v3.messaging import Message

from messages import catalogue as say
from messages.common import main_menu_buttons, text


def non_text() -> list[Message]:
    return [text(say.NON_TEXT, main_menu_buttons())]


def expired_button() -> list[Message]:
    return [text(say.EXPIRED_BUTTON, main_menu_buttons())]


def menu() -> list[Message]:
    return [text(say.HELP, main_menu_buttons())]


def usage() -> list[Message]:
    return [text(say.USAGE, main_menu_buttons())]


def ask_question() -> list[Message]:
    return [text(say.ASK_QUESTION)]


def tab_failed() -> list[Message]:
    return [text(say.RICHMENU_TAB_FAILED, main_menu_buttons())]
