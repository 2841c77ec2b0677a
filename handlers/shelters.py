"""避難所: residents see the opened shelters (their own area first), and the nearest open ones to
a location they send; when none is open they are told so and see the nearest designated ones."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from linebot.v3.messaging import Message
from linebot.v3.webhooks import LocationMessageContent

from bot import notices, shelters
from bot.friends import AREAS
from bot.line.router import Context
from bot.models import NoticeKind, Shelter
from messages import shelters as shelter_messages
from messages.dates import day_label

NEAREST_SHOWN = 3
DISASTER_KINDS = (NoticeKind.EVACUATION, NoticeKind.WEATHER)
LATEST_COUNT = 10


def _card(ctx: Context, shelter: Shelter, distance_m: float | None = None) -> shelter_messages.ShelterCard:
    since = ""
    if shelter.status_at is not None:
        tz = ZoneInfo(ctx.settings.timezone)
        since = f"{day_label(shelter.status_at, tz)}{shelter.status_at.astimezone(tz):%H:%M}"
    return shelter_messages.ShelterCard(
        name=shelter.name, address=shelter.address, status=str(shelter.status),
        status_label=shelters.STATUS_LABELS[shelter.status], latitude=shelter.latitude, longitude=shelter.longitude,
        capacity=shelter.capacity, area_label=AREAS.get(shelter.area, ""), distance_m=distance_m, since=since,
        sample=shelter.sample,
    )


def list_open(ctx: Context) -> list[Message]:
    """「避難所」: the shelters the city has opened, the resident's own area first."""
    area = ctx.friend.area if ctx.friend else None
    opened = shelters.open_shelters(ctx.session, area)
    return shelter_messages.open_shelters([_card(ctx, s) for s in opened], AREAS.get(area or ""))


def ask_location(ctx: Context) -> list[Message]:
    """「近くの避難所を探す」: asks the resident to send their location."""
    return shelter_messages.ask_location()


def near_location(ctx: Context) -> list[Message]:
    """A location message: the nearest open shelters with their distance; when none is open,
    says so and shows the nearest designated ones."""
    content = ctx.event.message  # type: ignore[attr-defined]
    assert isinstance(content, LocationMessageContent)
    near = shelters.nearest_open_shelters(ctx.session, content.latitude, content.longitude, NEAREST_SHOWN)
    any_open = bool(near)
    if not any_open:
        near = shelters.designated_shelters_near(ctx.session, content.latitude, content.longitude, NEAREST_SHOWN)
    return shelter_messages.nearest([_card(ctx, n.shelter, n.distance_m) for n in near], any_open)


def disaster_latest(ctx: Context) -> list[Message]:
    """「最新の防災情報」: the latest 避難情報 and 気象・災害 notices for the resident's area."""
    area = ctx.friend.area if ctx.friend else None
    found = notices.latest_for_area(ctx.session, area, limit=LATEST_COUNT, kinds=DISASTER_KINDS)
    if not found:
        return shelter_messages.no_disaster_notices()
    return shelter_messages.disaster_notices([notices.content_of(n) for n in found], AREAS.get(area or ""),
                                             ZoneInfo(ctx.settings.timezone))
