"""Notices as residents see them in LINE: a large Flex bubble with the kind in a coloured header,
the full text after it when long, and the 「お知らせ」 carousel. Pure: values in, SDK models out.

Every result stays inside LINE's limits whatever the input: altText ≤ 1,500, a bubble ≤ 30 KB,
a carousel ≤ 12 bubbles and 50 KB, text ≤ 5,000 (all lengths in UTF-16 code units, as LINE
counts them), at most 5 messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexComponent, FlexImage, FlexMessage, FlexSeparator, FlexText,
    Message, PostbackAction, TextMessage, URIAction,
)

from messages import catalogue as say
from messages.actions import Action
from messages.common import main_menu_buttons, postback_data, quick_reply, text
from messages.dates import day_label
from messages.text import (
    ALT_TEXT_MAX, BUBBLE_MAX_BYTES, CAROUSEL_MAX_BUBBLES, CAROUSEL_MAX_BYTES, DISPLAY_MAX, TEXT_MAX, cut, json_bytes,
    split_text, utf16_length,
)

MAX_MESSAGES = 5
BUBBLE_BODY_MAX = 1000  # longer bodies continue in text messages: a bubble is for reading at a glance
CARD_BODY_MAX = 80
# Header colours by kind; white text on each has a contrast ratio of at least 4.5:1.
KIND_COLOURS = {"evacuation": "#B71C1C", "weather": "#BF360C", "event": "#1B5E20", "info": "#0D47A1"}
WITHDRAWN_COLOUR = "#616161"
KIND_MARKS = {"evacuation": "⚠ ", "weather": "⚠ "}


@dataclass(frozen=True)
class NoticeContent:
    """What a notice shows, as plain values (built by `bot.notices.reading.content_of`; also used
    by the e-mail, the feeds and the console's preview)."""

    id: int
    kind: str  # evacuation, weather, event or info
    kind_label: str  # 避難情報, ...
    title: str
    body: str
    link_url: str | None = None
    image_url: str | None = None
    area_labels: tuple[str, ...] = ()  # empty: every area
    published_at: datetime | None = None
    updated_at: datetime | None = None
    withdrawn: bool = False
    withdrawal_reason: str | None = None


def when_label(moment: datetime | None, tz: tzinfo) -> str:
    """「11月26日（水）14:05」 in Japan time."""
    if moment is None:
        return ""
    return f"{day_label(moment, tz)}{moment.astimezone(tz):%H:%M}"


# -- one notice ----------------------------------------------------------------------------------


def alt_text(content: NoticeContent) -> str:
    """The plain-text version shown in notifications and chat lists."""
    label = f"{say.NOTICE_WITHDRAWN}・{content.kind_label}" if content.withdrawn else content.kind_label
    return cut(f"【{label}】{content.title}\n{content.body}", ALT_TEXT_MAX)


def notice_messages(content: NoticeContent, tz: tzinfo) -> list[Message]:
    """A notice as it is delivered: the bubble, then the whole text when the bubble shows a part."""
    if utf16_length(content.body) <= BUBBLE_BODY_MAX:
        return [FlexMessage(altText=alt_text(content), contents=_fitting_bubble(content, tz, content.body))]
    excerpt = cut(content.body, BUBBLE_BODY_MAX, suffix="…" + say.NOTICE_CONTINUED)
    bubble = _fitting_bubble(content, tz, excerpt)
    pieces = split_text(content.body)
    if len(pieces) > MAX_MESSAGES - 1:
        pieces = pieces[: MAX_MESSAGES - 1]
        pieces[-1] = cut(pieces[-1], TEXT_MAX, suffix=say.NOTICE_TRUNCATED)
    return [FlexMessage(altText=alt_text(content), contents=bubble), *(TextMessage(text=p) for p in pieces)]


def notice_detail(content: NoticeContent, tz: tzinfo) -> list[Message]:
    """A notice opened from the 「お知らせ」 list: the same messages, with the menu buttons."""
    messages = notice_messages(content, tz)
    messages[-1].quick_reply = quick_reply([*main_menu_buttons()])
    return messages


def _fitting_bubble(content: NoticeContent, tz: tzinfo, body: str) -> FlexBubble:
    """The bubble, with the body shortened until it is within LINE's 30 KB."""
    bubble = notice_bubble(content, tz, body)
    while json_bytes(bubble) > BUBBLE_MAX_BYTES:
        body = cut(body, max(utf16_length(body) // 2, 1), suffix="…" + say.NOTICE_CONTINUED)
        bubble = notice_bubble(content, tz, body)
    return bubble


def notice_bubble(content: NoticeContent, tz: tzinfo, body: str) -> FlexBubble:
    """Large type for elderly readers: the kind on a coloured band, then title, text, area, time."""
    colour = WITHDRAWN_COLOUR if content.withdrawn else KIND_COLOURS.get(content.kind, KIND_COLOURS["info"])
    parts: list[FlexComponent] = []
    if content.withdrawn:
        parts += _withdrawn_notes(content)
    parts += [
        FlexText(text=content.title, size="xl", weight="bold", wrap=True, color="#111111"),
        FlexSeparator(margin="lg"),
        FlexText(text=body, size="lg", wrap=True, color="#111111", margin="lg"),
        _meta(content, tz),
    ]
    return FlexBubble(
        size="giga",
        header=_header(content, colour),
        hero=_hero(content.image_url),
        body=FlexBox(layout="vertical", contents=parts, paddingAll="20px"),
        footer=_link_footer(content.link_url, colour),
    )


def _header(content: NoticeContent, colour: str) -> FlexBox:
    label = KIND_MARKS.get(content.kind, "") + content.kind_label
    if content.withdrawn:
        label = f"{say.NOTICE_WITHDRAWN}・{content.kind_label}"
    return FlexBox(
        layout="horizontal",
        backgroundColor=colour,
        paddingAll="16px",
        contents=[
            FlexText(text=label, size="xl", weight="bold", color="#FFFFFF", flex=3, wrap=True),
            FlexText(text=say.NOTICE_ISSUER, size="md", color="#FFFFFF", align="end", gravity="center", flex=1),
        ],
    )


def _hero(image_url: str | None) -> FlexImage | None:
    if not image_url:
        return None
    return FlexImage(url=image_url, size="full", aspectRatio="20:13", aspectMode="cover")


def _link_footer(link_url: str | None, colour: str) -> FlexBox | None:
    if not link_url:
        return None
    button = FlexButton(action=URIAction(label=say.LABEL_NOTICE_LINK, uri=link_url), style="primary",
                        color=colour, height="md")
    return FlexBox(layout="vertical", contents=[button], paddingAll="12px")


def _withdrawn_notes(content: NoticeContent) -> list[FlexComponent]:
    notes: list[FlexComponent] = [FlexText(text=say.NOTICE_WITHDRAWN_NOTE, size="lg", weight="bold",
                                           color="#B71C1C", wrap=True)]
    if content.withdrawal_reason:
        reason = cut(say.NOTICE_CORRECTION.format(reason=content.withdrawal_reason), 1000)
        notes.append(FlexText(text=reason, size="md", color="#B71C1C", wrap=True, margin="sm"))
    notes.append(FlexSeparator(margin="lg"))
    return notes


def _meta(content: NoticeContent, tz: tzinfo) -> FlexBox:
    areas = "・".join(content.area_labels) if content.area_labels else say.NOTICE_ALL_AREAS
    lines = [FlexText(text=say.NOTICE_TARGET.format(areas=areas), size="md", color="#444444", wrap=True)]
    if content.published_at is not None:
        lines.append(FlexText(text=when_label(content.published_at, tz), size="md", color="#444444"))
    return FlexBox(layout="vertical", contents=lines, margin="xl", spacing="sm")


# -- the 「お知らせ」 list ------------------------------------------------------------------------


def latest_notices(contents: Sequence[NoticeContent], area_label: str | None, tz: tzinfo) -> list[Message]:
    """「お知らせ」: a short introduction and a carousel of cards, newest first."""
    intro = say.NOTICES_INTRO_AREA.format(area=area_label) if area_label else say.NOTICES_INTRO_CITY
    if not area_label:
        intro += "\n" + say.NOTICES_SET_AREA_HINT
    cards = [notice_card(c, tz) for c in contents[:CAROUSEL_MAX_BUBBLES]]
    while len(cards) > 1 and json_bytes(FlexCarousel(contents=cards)) > CAROUSEL_MAX_BYTES:
        cards.pop()
    titles = " / ".join(c.title for c in contents[: len(cards)])
    alt = cut(say.NOTICES_ALT.format(count=len(cards)) + "：" + titles, ALT_TEXT_MAX)
    carousel = FlexMessage(altText=alt, contents=FlexCarousel(contents=cards),
                           quickReply=quick_reply(main_menu_buttons()))
    return [text(intro), carousel]


def no_notices(area_label: str | None) -> list[Message]:
    body = say.NOTICES_NONE if area_label else f"{say.NOTICES_NONE}\n{say.NOTICES_SET_AREA_HINT}"
    return [text(body, main_menu_buttons())]


def notice_not_found() -> list[Message]:
    return [text(say.NOTICE_NOT_FOUND, main_menu_buttons())]


def notice_card(content: NoticeContent, tz: tzinfo) -> FlexBubble:
    """One notice in the carousel: kind, date, title and the first lines; a button opens it."""
    colour = WITHDRAWN_COLOUR if content.withdrawn else KIND_COLOURS.get(content.kind, KIND_COLOURS["info"])
    parts: list[FlexComponent] = []
    if content.withdrawn:
        parts += _withdrawn_notes(content)
    parts += [
        FlexText(text=cut(content.title, 100), size="lg", weight="bold", wrap=True, color="#111111"),
        FlexText(text=cut(content.body, CARD_BODY_MAX), size="md", wrap=True, color="#333333", margin="md"),
    ]
    label = f"{say.NOTICE_WITHDRAWN}・{content.kind_label}" if content.withdrawn else content.kind_label
    header = FlexBox(layout="vertical", backgroundColor=colour, paddingAll="12px", contents=[
        FlexText(text=KIND_MARKS.get(content.kind, "") + label if not content.withdrawn else label,
                 size="lg", weight="bold", color="#FFFFFF", wrap=True),
        FlexText(text=when_label(content.published_at, tz) or " ", size="sm", color="#FFFFFF"),
    ])
    display = cut(say.NOTICE_READ_DISPLAY.format(title=content.title), DISPLAY_MAX)
    read = PostbackAction(label=say.LABEL_NOTICE_READ, data=postback_data(Action.NOTICES_SHOW, id=str(content.id)),
                          displayText=display)
    footer = FlexBox(layout="vertical", paddingAll="12px",
                     contents=[FlexButton(action=read, style="primary", color=colour, height="md")])
    return FlexBubble(size="mega", header=header, body=FlexBox(layout="vertical", contents=parts), footer=footer)

