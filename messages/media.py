"""Answers to what residents send besides text, outside any flow: a photo, a sticker."""

from __future__ import annotations

from linebot.v3.messaging import Message

from messages import catalogue as say
from messages.actions import Action
from messages.common import button, main_menu_buttons, text


def photo_received() -> list[Message]:
    """A photo on its own: perhaps damage to report, so 「被害を報告」 comes first."""
    return [text(say.PHOTO_RECEIVED, [button(say.LABEL_DAMAGE_REPORT, Action.DAMAGE_REPORT), *main_menu_buttons()])]


def sticker_received() -> list[Message]:
    """A sticker: a short friendly answer and the way forward."""
    return [text(say.STICKER_RECEIVED, main_menu_buttons())]
