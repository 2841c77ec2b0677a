"""くらしの手続きガイド and オンライン手続き as residents see them: the life events, one
narrowing question at a time, the checklist as a carousel (one short card per procedure), the
saved checklist with its number and counter page, and the online catalogue by category.

Pure: plain values in, line-bot-sdk models out. The resident's answers so far travel in the
buttons' data (`a=direction.in,kokuho.yes`), so an old button still works and no flow waits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexMessage, FlexText, Message, URIAction,
)

from messages import catalogue as say
from messages.actions import Action
from messages.common import button, main_menu_buttons, quick_reply, text
from messages.text import ALT_TEXT_MAX, CAROUSEL_MAX_BUBBLES, LABEL_MAX, cut, prefix

CAROUSELS_MAX = 3  # with the closing message, within LINE's five messages per reply
HEADER_COLOUR, LABEL_COLOUR, TEXT_COLOUR, NOTE_COLOUR = "#0D47A1", "#555555", "#111111", "#A64B00"


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class ProcedureCard:
    """One procedure on a checklist."""

    name: str
    counter: str
    bring: str
    deadline: str
    fee: str
    online_label: str = ""
    online_url: str = ""
    online_unverified: bool = False
    note: str = ""
    sample: bool = True


@dataclass(frozen=True)
class SavedNote:
    """A saved checklist's number, its counter page and until when it is kept (「1月5日」)."""

    code: str
    url: str
    until: str


@dataclass(frozen=True)
class OnlineCard:
    name: str
    url: str
    needs_card: bool
    note: str = ""
    url_unverified: bool = False
    sample: bool = True


# ---- answers in the buttons' data -------------------------------------------------------------


def encode_answers(answers: Mapping[str, str]) -> str:
    return ",".join(f"{key}.{value}" for key, value in answers.items())


def decode_answers(raw: str) -> dict[str, str]:
    pairs = (item.split(".", 1) for item in raw.split(",") if "." in item)
    return {key: value for key, value in pairs}


# ---- picking an event, answering its questions ----------------------------------------------


def _event_buttons(events: Sequence[Choice]) -> list:
    return [*[button(e.label, Action.PROCEDURES_EVENT, event=e.key) for e in events],
            button(say.LABEL_MY_PROCEDURES, Action.PROCEDURES_MINE)]


def pick_event(events: Sequence[Choice]) -> list[Message]:
    if not events:
        return [text(say.PROCEDURES_UNAVAILABLE, main_menu_buttons())]
    return [text(say.PROCEDURES_PICK, _event_buttons(events))]


def ask(event: Choice, question: str, question_key: str, choices: Sequence[Choice],
        answers: Mapping[str, str]) -> list[Message]:
    """One narrowing question, its choices as buttons (each carrying the answers so far)."""
    buttons = [
        button(c.label, Action.PROCEDURES_ANSWER, event=event.key,
               a=encode_answers({**answers, question_key: c.key}))
        for c in choices
    ]
    body = say.PROCEDURES_QUESTION.format(event=event.label, question=question)
    return [text(body, [*buttons, button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES)])]


def expired() -> list[Message]:
    return [text(say.PROCEDURES_EXPIRED, [button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES)])]


# ---- the checklist ----------------------------------------------------------------------------


def _row(label: str, value: str) -> FlexBox:
    return FlexBox(layout="baseline", spacing="md", contents=[
        FlexText(text=label, size="sm", color=LABEL_COLOUR, flex=2),
        FlexText(text=cut(value or "―", 120), size="md", color=TEXT_COLOUR, flex=6, wrap=True),
    ])


def _small(value: str, colour: str = LABEL_COLOUR) -> FlexText:
    return FlexText(text=cut(value, 160), size="sm", color=colour, wrap=True)


def procedure_bubble(card: ProcedureCard) -> FlexBubble:
    body = [_row(say.ROW_COUNTER, card.counter), _row(say.ROW_BRING, card.bring),
            _row(say.ROW_DEADLINE, card.deadline), _row(say.ROW_FEE, card.fee)]
    if card.note:
        body.append(_small(card.note))
    if card.online_url and card.online_unverified:
        body.append(_small(say.ONLINE_UNVERIFIED))
    if card.sample:
        body.append(_small(say.CHECKLIST_SAMPLE, NOTE_COLOUR))
    footer = None
    if card.online_url:
        label = prefix(say.LABEL_ONLINE_DO.format(label=card.online_label or card.name), LABEL_MAX)
        footer = FlexBox(layout="vertical", contents=[
            FlexButton(style="primary", color=HEADER_COLOUR, action=URIAction(label=label, uri=card.online_url))])
    return FlexBubble(
        size="kilo",
        header=FlexBox(layout="vertical", backgroundColor=HEADER_COLOUR, contents=[
            FlexText(text=cut(card.name, 40), weight="bold", size="lg", color="#FFFFFF", wrap=True)]),
        body=FlexBox(layout="vertical", spacing="md", contents=body),
        footer=footer,
    )


def _alt(event: str, cards: Sequence[ProcedureCard]) -> str:
    lines = [say.CHECKLIST_ALT.format(event=event, count=len(cards))]
    lines += [say.CHECKLIST_ALT_LINE.format(name=c.name, deadline=c.deadline or "―") for c in cards]
    return cut("\n".join(lines), ALT_TEXT_MAX)


def _carousels(event: str, cards: Sequence[ProcedureCard]) -> list[Message]:
    chunks = [cards[i:i + CAROUSEL_MAX_BUBBLES] for i in range(0, len(cards), CAROUSEL_MAX_BUBBLES)]
    return [FlexMessage(altText=_alt(event, chunk), contents=FlexCarousel(contents=[procedure_bubble(c) for c in chunk]))
            for chunk in chunks[:CAROUSELS_MAX]]


def checklist(event: Choice, answers: Mapping[str, str], cards: Sequence[ProcedureCard]) -> list[Message]:
    """The checklist for fresh answers, with 「保存する」."""
    if not cards:
        return [text(say.CHECKLIST_NONE.format(event=event.label),
                     [button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES), *main_menu_buttons()])]
    intro = text(say.CHECKLIST_INTRO.format(event=event.label, count=len(cards)))
    closing = text(say.CHECKLIST_SAVE_HINT, [
        button(say.LABEL_SAVE_CHECKLIST, Action.PROCEDURES_SAVE, event=event.key, a=encode_answers(answers)),
        button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES),
        button(say.LABEL_MY_PROCEDURES, Action.PROCEDURES_MINE),
    ])
    return [intro, *_carousels(event.label, cards), closing]


def saved_note(note: SavedNote) -> FlexMessage:
    """The checklist's number and a button to its counter page."""
    body = say.CHECKLIST_SAVED.format(code=note.code, until=note.until)
    bubble = FlexBubble(
        body=FlexBox(layout="vertical", spacing="md", contents=[
            FlexText(text=note.code, weight="bold", size="xxl", align="center", color=HEADER_COLOUR),
            FlexText(text=body, size="md", wrap=True)]),
        footer=FlexBox(layout="vertical", contents=[FlexButton(
            style="primary", color=HEADER_COLOUR, action=URIAction(label=say.LABEL_COUNTER_PAGE, uri=note.url))]),
    )
    return FlexMessage(altText=say.CHECKLIST_SAVED_ALT.format(code=note.code), contents=bubble,
                       quickReply=quick_reply([button(say.LABEL_MY_PROCEDURES, Action.PROCEDURES_MINE),
                                               button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES)]))


def saved(note: SavedNote) -> list[Message]:
    return [saved_note(note)]


def saved_checklist(event: Choice, cards: Sequence[ProcedureCard], note: SavedNote) -> list[Message]:
    """A saved checklist opened again from 「わたしの手続き」."""
    intro = text(say.CHECKLIST_INTRO.format(event=event.label, count=len(cards)))
    return [intro, *_carousels(event.label, cards), saved_note(note)]


def my_checklists(items: Sequence[Choice]) -> list[Message]:
    """「わたしの手続き」: each saved checklist (key: its number, label: its event) as a button."""
    if not items:
        return [text(say.MY_PROCEDURES_NONE, [button(say.LABEL_MAIN_PROCEDURES, Action.PROCEDURES)])]
    buttons = [button(say.MY_PROCEDURES_ITEM.format(event=item.label, code=item.key), Action.PROCEDURES_MINE,
                      code=item.key) for item in items]
    return [text(say.MY_PROCEDURES_INTRO, [*buttons, button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES)])]


def saved_gone() -> list[Message]:
    return [text(say.MY_PROCEDURES_GONE, [button(say.LABEL_MY_PROCEDURES, Action.PROCEDURES_MINE),
                                          button(say.LABEL_OTHER_PROCEDURES, Action.PROCEDURES)])]


# ---- オンライン手続き -----------------------------------------------------------------------------


def online_categories(categories: Sequence[str]) -> list[Message]:
    if not categories:
        return [text(say.ONLINE_NONE, main_menu_buttons())]
    return [text(say.ONLINE_INTRO, [button(c, Action.PROCEDURES_ONLINE, category=c) for c in categories])]


def online_bubble(card: OnlineCard) -> FlexBubble:
    body = [FlexText(text=cut(card.name, 40), weight="bold", size="lg", wrap=True),
            _small(say.ONLINE_NEEDS_CARD if card.needs_card else say.ONLINE_NO_CARD, TEXT_COLOUR)]
    if card.note:
        body.append(_small(card.note))
    if card.url_unverified:
        body.append(_small(say.ONLINE_UNVERIFIED))
    if card.sample:
        body.append(_small(say.CHECKLIST_SAMPLE, NOTE_COLOUR))
    return FlexBubble(size="kilo", body=FlexBox(layout="vertical", spacing="md", contents=body),
                      footer=FlexBox(layout="vertical", contents=[FlexButton(
                          style="primary", color=HEADER_COLOUR,
                          action=URIAction(label=say.LABEL_ONLINE_OPEN, uri=card.url))]))


def online_links(category: str, cards: Sequence[OnlineCard], categories: Sequence[str]) -> list[Message]:
    if not cards:
        return online_categories(categories)
    alt = cut("\n".join([say.ONLINE_CATEGORY_ALT.format(category=category, count=len(cards)),
                         *[f"・{c.name}" for c in cards]]), ALT_TEXT_MAX)
    others = [button(c, Action.PROCEDURES_ONLINE, category=c) for c in categories if c != category]
    carousel = FlexCarousel(contents=[online_bubble(c) for c in cards[:CAROUSEL_MAX_BUBBLES]])
    return [text(say.ONLINE_CATEGORY_INTRO.format(category=category)),
            FlexMessage(altText=alt, contents=carousel, quickReply=quick_reply(others) if others else None)]
