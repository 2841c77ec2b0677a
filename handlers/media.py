"""What residents send besides text: a photo, a location, a sticker. Inside a damage report the
photo and the location are its answers; otherwise a location finds the nearest shelters and a
photo is answered with the offer to report damage."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.line.router import Context
from handlers import damage, shelters
from handlers.fallback import with_disaster_note
from messages import media as media_messages


def on_image(ctx: Context) -> list[Message]:
    """A photo: part of the damage report under way, else offers 「被害を報告」."""
    if damage.in_report(ctx):
        return damage.photo_sent(ctx)
    return with_disaster_note(ctx, media_messages.photo_received())


def on_location(ctx: Context) -> list[Message]:
    """A location: the damage report's place, else the nearest open shelters."""
    if damage.in_report(ctx):
        return damage.location_sent(ctx)
    return shelters.near_location(ctx)


def on_sticker(ctx: Context) -> list[Message]:
    """A sticker: a short friendly answer with the main buttons."""
    if damage.in_report(ctx):
        return damage.reask(ctx)
    return with_disaster_note(ctx, media_messages.sticker_received())
