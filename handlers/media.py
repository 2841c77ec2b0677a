"""What residents send besides text, outside a flow: a location finds the nearest shelters, a
photo is answered with the offer to report damage, a sticker with the main buttons. (Inside a
damage report the photo and the location are its answers: `handlers.damage.DAMAGE.media`.)"""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.line.router import Context
from handlers import shelters
from handlers.fallback import with_disaster_note
from messages import media as media_messages


def on_image(ctx: Context) -> list[Message]:
    """A photo: offers 「被害を報告」."""
    return with_disaster_note(ctx, media_messages.photo_received())


def on_location(ctx: Context) -> list[Message]:
    """A location: the nearest open shelters."""
    return shelters.near_location(ctx)


def on_sticker(ctx: Context) -> list[Message]:
    """A sticker: a short friendly answer with the main buttons."""
    return with_disaster_note(ctx, media_messages.sticker_received())
