"""Shelters as residents see them in LINE: short Flex cards (name, status, address, capacity,
distance, a map link) in a carousel, the question asking for a location, and the answers when
no shelter is open. Pure: plain values in, SDK models out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexComponent, FlexMessage, FlexText, LocationAction, Message,
    URIAction,
)

from messages import catalogue as say
from messages.actions import Action
from messages import notices as notice_messages
from messages.common import button, main_menu_buttons, quick_reply, text
from messages.text import ALT_TEXT_MAX, CAROUSEL_MAX_BYTES, CAROUSEL_MAX_BUBBLES, cut, json_bytes

CARDS_MAX = 10
# Status colours; white text on each has a contrast ratio of at least 4.5:1.
STATUS_COLOURS = {"open": "#1B5E20", "full": "#B71C1C", "closed": "#555555"}


@dataclass(frozen=True)
class ShelterCard:
    """One shelter as a card shows it."""

    name: str
    address: str
    status: str  # open, full or closed
    status_label: str  # 開設 ...
    latitude: float
    longitude: float
    capacity: int | None = None
    area_label: str = ""
    distance_m: float | None = None
    since: str = ""  # when the status was set, e.g. 「12月2日 15:30」
    sample: bool = False


def map_url(latitude: float, longitude: float) -> str:
    """A map link that opens in the resident's map app or browser."""
    return f"https://www.google.com/maps/search/?api=1&query={latitude:.6f},{longitude:.6f}"


def distance_label(metres: float) -> str:
    """「350m」 below a kilometre, then 「1.2km」."""
    rounded = max(10, round(metres / 10) * 10)
    return f"{rounded}m" if rounded < 1000 else f"{metres / 1000:.1f}km"


def shelter_bubble(card: ShelterCard) -> FlexBubble:
    status = say.SHELTER_STATUS_SINCE.format(status=card.status_label, since=card.since) if card.since \
        else card.status_label
    parts: list[FlexComponent] = [
        FlexText(text=cut(card.name, 60), weight="bold", size="lg", wrap=True),
        FlexText(text=cut(card.address, 100) or " ", size="sm", color="#444444", wrap=True),
    ]
    details = [say.SHELTER_CAPACITY.format(capacity=card.capacity) if card.capacity else "",
               say.SHELTER_DISTANCE.format(distance=distance_label(card.distance_m))
               if card.distance_m is not None else ""]
    if any(details):
        parts.append(FlexText(text="　".join(d for d in details if d), size="md", wrap=True))
    if card.sample:
        parts.append(FlexText(text=say.SHELTER_SAMPLE, size="sm", color="#7A5C00", wrap=True))
    header = FlexBox(layout="vertical", backgroundColor=STATUS_COLOURS.get(card.status, "#555555"), paddingAll="10px",
                     contents=[FlexText(text=status, color="#FFFFFF", weight="bold", size="md", wrap=True)])
    link = URIAction(label=say.LABEL_SHELTER_MAP, uri=map_url(card.latitude, card.longitude))
    return FlexBubble(size="kilo", header=header, body=FlexBox(layout="vertical", spacing="sm", contents=parts),
                      footer=FlexBox(layout="vertical", paddingAll="8px",
                                     contents=[FlexButton(action=link, style="link", height="sm")]))


def _carousel(cards: Sequence[ShelterCard], alt_title: str) -> FlexMessage:
    shown = list(cards[:min(CARDS_MAX, CAROUSEL_MAX_BUBBLES)])
    bubbles = [shelter_bubble(card) for card in shown]
    while len(bubbles) > 1 and json_bytes(FlexCarousel(contents=bubbles)) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    lines = [alt_title] + [
        say.SHELTERS_ALT_LINE.format(name=c.name, status=c.status_label,
                                     distance=f" {distance_label(c.distance_m)}" if c.distance_m is not None else "")
        for c in shown[:len(bubbles)]
    ]
    return FlexMessage(altText=cut("\n".join(lines), ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles))


def _after_list() -> list:
    return [button(say.LABEL_SHELTERS_NEAR, Action.SHELTERS_NEAR), *main_menu_buttons()]


def open_shelters(cards: Sequence[ShelterCard], area_label: str | None) -> list[Message]:
    """「避難所」: the opened shelters, the resident's area first."""
    if not cards:
        return [text(say.SHELTERS_NONE_OPEN, _after_list())]
    intro = say.SHELTERS_INTRO_AREA.format(area=area_label) if area_label else say.SHELTERS_INTRO
    carousel = _carousel(cards, say.SHELTERS_ALT.format(count=len(cards)))
    carousel.quick_reply = quick_reply(_after_list())
    return [text(intro), carousel]


def ask_location() -> list[Message]:
    """「近くの避難所を探す」: asks for the resident's location (LINE's location picker)."""
    return [text(say.SHELTERS_ASK_LOCATION, [LocationAction(label=say.LABEL_SEND_LOCATION), *main_menu_buttons()])]


def nearest(cards: Sequence[ShelterCard], any_open: bool) -> list[Message]:
    """The answer to a location: the nearest open shelters, or when none is open the nearest
    designated ones, saying so."""
    if not cards:
        return [text(say.SHELTERS_NONE_REGISTERED, main_menu_buttons())]
    intro = say.SHELTERS_NEAREST if any_open else say.SHELTERS_NONE_OPEN_NEAR
    carousel = _carousel(cards, say.SHELTERS_NEAR_ALT.format(count=len(cards)))
    carousel.quick_reply = quick_reply([LocationAction(label=say.LABEL_SEND_LOCATION), *main_menu_buttons()])
    return [text(intro), carousel]


def no_disaster_notices() -> list[Message]:
    """「最新の防災情報」 when there is none: says so, with the shelter buttons."""
    return [text(say.DISASTER_LATEST_NONE, [button(say.LABEL_SHELTERS, Action.SHELTERS), *_after_list()])]


def disaster_notices(contents: Sequence[notice_messages.NoticeContent], area_label: str | None,
                     tz: tzinfo) -> list[Message]:
    """「最新の防災情報」: the notices' carousel, introduced as disaster information."""
    _intro, carousel = notice_messages.latest_notices(contents, area_label, tz)
    carousel.quick_reply = quick_reply([button(say.LABEL_SHELTERS, Action.SHELTERS), *_after_list()])
    return [text(say.DISASTER_LATEST_INTRO), carousel]
