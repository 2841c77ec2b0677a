"""The damage report (被害の報告) as residents go through it: category buttons, the photo
(camera, camera roll or 「写真なし」), the location (LINE's location picker or 「位置情報なし」),
the description, the confirmation and the receipt number. Pure: plain values in, SDK models out."""

from __future__ import annotations

from collections.abc import Mapping

from linebot.v3.messaging import CameraAction, CameraRollAction, LocationAction, Message

from messages import catalogue as say
from messages.actions import Action
from messages.common import button, cancel_button, main_menu_buttons, text


def ask_category(categories: Mapping[str, str], again: bool = False) -> list[Message]:
    """The first step: what kind of damage (buttons)."""
    buttons = [button(label, Action.DAMAGE_CATEGORY, category=key) for key, label in categories.items()]
    return [text(say.DAMAGE_CHOOSE_CATEGORY if again else say.DAMAGE_ASK_CATEGORY, [*buttons, cancel_button()])]


def ask_photo(category_label: str | None = None) -> list[Message]:
    """A photo of the damage, or 「写真なし」."""
    body = say.DAMAGE_ASK_PHOTO.format(category=category_label) if category_label else say.DAMAGE_WAITING_PHOTO
    return [text(body, [CameraAction(label=say.LABEL_DAMAGE_CAMERA), CameraRollAction(label=say.LABEL_DAMAGE_CAMERA_ROLL),
                        button(say.LABEL_DAMAGE_NO_PHOTO, Action.DAMAGE_NO_PHOTO), cancel_button()])]


def ask_location(again: bool = False) -> list[Message]:
    """Where the damage is: LINE's location picker, or 「位置情報なし」."""
    return [text(say.DAMAGE_WAITING_LOCATION if again else say.DAMAGE_ASK_LOCATION,
                 [LocationAction(label=say.LABEL_SEND_LOCATION),
                  button(say.LABEL_DAMAGE_NO_LOCATION, Action.DAMAGE_NO_LOCATION), cancel_button()])]


def ask_description(limit: int) -> list[Message]:
    return [text(say.DAMAGE_ASK_DESCRIPTION.format(max=limit), [cancel_button()])]


def description_too_long(limit: int, length: int) -> list[Message]:
    return [text(say.DAMAGE_DESCRIPTION_TOO_LONG.format(max=limit, length=length), [cancel_button()])]


def confirm(category_label: str, with_photo: bool, place: str, pinned: bool, description: str) -> list[Message]:
    """Everything the resident gave, with 「報告する」 and 「やめる」 (`pinned`: a location was sent)."""
    shown_place = place or (say.DAMAGE_PLACE_PIN if pinned else say.DAMAGE_PLACE_NONE)
    body = say.DAMAGE_CONFIRM.format(
        category=category_label, photo=say.DAMAGE_PHOTO_YES if with_photo else say.DAMAGE_PHOTO_NO,
        place=shown_place, description=description)
    return [text(body, [button(say.LABEL_DAMAGE_SUBMIT, Action.DAMAGE_SUBMIT), cancel_button()])]


def waiting_for_confirmation() -> list[Message]:
    return [text(say.DAMAGE_WAITING_CONFIRM, [button(say.LABEL_DAMAGE_SUBMIT, Action.DAMAGE_SUBMIT), cancel_button()])]


def received(receipt_no: str) -> list[Message]:
    """The receipt number, after the report is stored."""
    return [text(say.DAMAGE_RECEIVED.format(receipt=receipt_no), main_menu_buttons())]


def cancelled() -> list[Message]:
    return [text(say.DAMAGE_CANCELLED, main_menu_buttons())]


def not_started() -> list[Message]:
    """「報告する」 (or another step's button) from an old message, with no report under way."""
    return [text(say.DAMAGE_NOT_STARTED, [button(say.LABEL_DAMAGE_REPORT, Action.DAMAGE_REPORT), *main_menu_buttons()])]
