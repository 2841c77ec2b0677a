"""Messages about following the account and the area and interest settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from linebot.v3.messaging import Message

from messages import catalogue as say
from messages.actions import Action
from messages.common import button, cancel_button, main_menu_buttons, text


def area_buttons(areas: Mapping[str, str], *, with_later: bool = False) -> list:
    buttons = [
        button(say.LABEL_AREA.format(area=label), Action.SETTINGS_AREA, area=key) for key, label in areas.items()
    ]
    buttons.append(button(say.LABEL_LATER, Action.SETTINGS_LATER) if with_later else cancel_button())
    return buttons


def welcome(areas: Mapping[str, str], *, returning: bool) -> list[Message]:
    greeting = say.GREETING_RETURNING if returning else say.GREETING_NEW
    return [text(greeting), text(say.ASK_AREA, area_buttons(areas, with_later=True))]


def ask_area(areas: Mapping[str, str], *, again: bool = False) -> list[Message]:
    return [text(say.ASK_AREA_AGAIN if again else say.ASK_AREA, area_buttons(areas))]


def interest_buttons(interests: Mapping[str, str], chosen: Sequence[str]) -> list:
    buttons = [
        button(say.LABEL_CHECKED.format(label=label) if key in chosen else label, Action.SETTINGS_INTEREST,
               interest=key)
        for key, label in interests.items()
    ]
    return [button(say.LABEL_DONE, Action.SETTINGS_DONE), cancel_button(), *buttons]  # never off-screen


def area_saved(area_label: str, interests: Mapping[str, str], chosen: Sequence[str]) -> list[Message]:
    return [
        text(say.AREA_SAVED.format(area=area_label)),
        text(say.ASK_INTERESTS, interest_buttons(interests, chosen)),
    ]


def interest_toggled(label: str, now_on: bool, interests: Mapping[str, str], chosen: Sequence[str]) -> list[Message]:
    template = say.INTEREST_ON if now_on else say.INTEREST_OFF
    return [text(template.format(interest=label), interest_buttons(interests, chosen))]


def ask_interests_again(interests: Mapping[str, str], chosen: Sequence[str]) -> list[Message]:
    return [text(say.ASK_INTERESTS_AGAIN, interest_buttons(interests, chosen))]


def settings_summary(area_label: str | None, interest_labels: Sequence[str]) -> str:
    return say.SETTINGS_SUMMARY.format(
        area=area_label or say.NOT_SET,
        interests="、".join(interest_labels) if interest_labels else say.INTERESTS_NONE,
    )


def settings_done(area_label: str | None, interest_labels: Sequence[str]) -> list[Message]:
    body = "\n\n".join([say.SETTINGS_DONE, settings_summary(area_label, interest_labels), say.SETTINGS_CHANGE_HINT])
    return [text(body, main_menu_buttons())]


def cancelled(area_label: str | None, interest_labels: Sequence[str]) -> list[Message]:
    body = "\n\n".join([say.CANCELLED, settings_summary(area_label, interest_labels), say.SETTINGS_CHANGE_HINT])
    return [text(body, main_menu_buttons())]


def settings_later() -> list[Message]:
    return [text(say.SETTINGS_LATER, main_menu_buttons())]


def nothing_to_cancel() -> list[Message]:
    return [text(say.NOTHING_TO_CANCEL, main_menu_buttons())]
