"""FAQ answers as residents see them in LINE: the answer in a large Flex bubble with its
department and link and 「解決した」/「解決しない」, 「もしかして」 choices, and the honest
"no answer" with the city's contact and 「職員に伝える」.

Pure: plain values in (`AnswerCard`, `Choice`, `ContactCard`), line-bot-sdk models out. Results
stay inside LINE's limits whatever the input: altText ≤ 400 here (LINE allows 1,500), quick
reply labels ≤ 20, postback displayText ≤ 300 (lengths in UTF-16 units, as LINE counts them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexComponent, FlexMessage, FlexSeparator, FlexText, Message, PostbackAction,
    URIAction,
)

from messages import catalogue as say
from messages.actions import Action
from messages.common import main_menu_buttons, postback_data, quick_reply, text
from messages.text import DISPLAY_MAX, LABEL_MAX, utf16_length
from messages.text import cut as shorten

ALT_TEXT_MAX = 400
CHOICE_MARKS = "①②③④⑤"
CUT_DROPS = "、,。 "  # not left dangling before the …
# What a question asks after naming its topic: 「のですが、…」, 「…は、どこで確認できますか」,
# 「…することはできますか」. Dropped when a whole question does not fit on a button.
ASKING_TAIL = re.compile(
    r"(?:のですが[、,].*"
    r"|(?:^|には|では|とは|は|を|に|で|が|[、,])[、,]?(?:どこ|いつ|どう|どのよう|どんな|どの|何|なに|なぜ).*"
    r"|(?:こと|の)は?(?:でき|あり)ますか|(?:は|が)(?:あり|でき)ますか|は必要ですか)$"
)
LEFTOVER_PARTICLES = re.compile(r"(?:には|では|とは|は|を|が|、|,)+$")
CORE_MIN = 7  # 「住民票の写し」 names the topic; 「災害に備えて」 says too little: cut the question instead
TEXT_COLOUR, MUTED_COLOUR, SAMPLE_COLOUR, LINK_COLOUR = "#111111", "#555555", "#8A4B00", "#0B5CAD"


@dataclass(frozen=True)
class AnswerCard:
    """One entry as the resident reads it."""

    entry_id: str
    question: str
    answer: str
    department: str
    url: str
    category: str = ""
    unverified_sample: bool = False  # seed content the city has not checked yet


@dataclass(frozen=True)
class ContactCard:
    """The city's main contact; `verified` false while it is sample content the city has not checked."""

    name: str
    phone: str
    hours: str
    verified: bool


@dataclass(frozen=True)
class Choice:
    """One 「もしかして」 entry."""

    entry_id: str
    question: str


# ---- lengths -----------------------------------------------------------------------------------


def cut(value: str, limit: int) -> str:
    """`value` within `limit` UTF-16 units, ending in … when shortened."""
    return shorten(value, limit, strip=CUT_DROPS)


def short_label(question: str, limit: int = LABEL_MAX) -> str:
    """A button label that still says what the question is about.

    The question is kept whole when it fits (brackets dropped). Otherwise its asking part
    goes (「秋芳洞の営業時間と入洞料は、どこで確認できますか」 → 「秋芳洞の営業時間と入洞料」);
    a question that only asks 「どうすればよいですか」 is labelled by the sentence before it
    (「マイナンバーカードをなくしました」); as a last resort the question is cut with …"""
    plain = re.sub(r"[（(][^）)]*[）)]", "", " ".join(question.split())).strip(" ？?！!。")
    if utf16_length(plain) <= limit:
        return plain
    sentences = [s.strip(" 。？?！!、,") for s in re.findall(r"[^。？?！!]+[。？?！!]?", plain)]
    questions = re.findall(r"[^。？?！!]+[？?]", plain)
    asking = questions[0].strip(" ？?、,") if questions else sentences[-1]
    core = asking_core(asking)
    if utf16_length(core) >= 3:
        if utf16_length(asking) <= limit:
            return asking
        return core if CORE_MIN <= utf16_length(core) <= limit else cut(asking, limit)
    # The question only asks 「どうすればよいですか」: the sentence before it says what about.
    context = [s for s in sentences[: sentences.index(asking)] if s] if asking in sentences else []
    return cut(context[-1] if context else plain, limit)


def asking_core(sentence: str) -> str:
    """The topic of a question: 「粗大ごみはどうやって出せばよいですか」 → 「粗大ごみ」."""
    return LEFTOVER_PARTICLES.sub("", ASKING_TAIL.sub("", sentence))


def choice_labels(choices: Sequence[Choice]) -> list[str]:
    """「①住民票の写しはどこで取得できますか」: numbered like the list in the message."""
    return [CHOICE_MARKS[n] + short_label(choice.question, LABEL_MAX - 1) for n, choice in enumerate(choices)]


# ---- an answer ---------------------------------------------------------------------------------


def answer(card: AnswerCard, ask_id: int) -> list[Message]:
    """The answer bubble, with 「解決した」/「解決しない」 as quick replies."""
    feedback = [
        _button(say.LABEL_FAQ_RESOLVED, Action.FAQ_FEEDBACK, ask=str(ask_id), entry=card.entry_id, ok="1"),
        _button(say.LABEL_FAQ_UNRESOLVED, Action.FAQ_FEEDBACK, ask=str(ask_id), entry=card.entry_id, ok="0"),
    ]
    return [FlexMessage(altText=cut(f"{card.question}\n{card.answer}", ALT_TEXT_MAX), contents=answer_bubble(card),
                        quickReply=quick_reply(feedback))]


# An entry's bubble depends only on its card (its content as shown): on a rain day thousands get
# the same few answers, built once. An edited entry is a different card, so a new bubble.
@functools.lru_cache(maxsize=512)
def answer_bubble(card: AnswerCard) -> FlexBubble:
    """Large type: the question, the answer, who is responsible, the link, and the feedback prompt."""
    parts: list[FlexComponent] = []
    if card.category:
        parts.append(FlexText(text=card.category, size="sm", color=MUTED_COLOUR, wrap=True))
    parts += [
        FlexText(text=card.question, size="xl", weight="bold", wrap=True, color=TEXT_COLOUR, margin="sm"),
        FlexSeparator(margin="lg"),
        FlexText(text=card.answer, size="lg", wrap=True, color=TEXT_COLOUR, margin="lg", lineSpacing="6px"),
    ]
    if card.department:
        parts.append(FlexText(text=say.FAQ_DEPARTMENT.format(department=card.department), size="md",
                              color=MUTED_COLOUR, wrap=True, margin="lg"))
    if card.unverified_sample:
        parts.append(FlexText(text=say.FAQ_SAMPLE_NOTE, size="sm", color=SAMPLE_COLOUR, wrap=True, margin="md"))
    footer: list[FlexComponent] = []
    if card.url:
        footer.append(FlexButton(style="link", height="md", color=LINK_COLOUR,
                                 action=URIAction(label=say.LABEL_FAQ_LINK, uri=card.url)))
    footer.append(FlexText(text=say.FAQ_ASK_FEEDBACK, size="md", color=TEXT_COLOUR, wrap=True, margin="sm"))
    return FlexBubble(
        size="giga",
        body=FlexBox(layout="vertical", contents=parts, paddingAll="20px"),
        footer=FlexBox(layout="vertical", contents=footer, paddingAll="16px", backgroundColor="#F4F6F8"),
    )


def feedback_thanks(resolved: bool, department: str, contact: ContactCard) -> list[Message]:
    """After 「解決した」 or 「解決しない」."""
    if resolved:
        return [text(say.FAQ_THANKS_RESOLVED)]
    body = say.FAQ_THANKS_UNRESOLVED.format(department=department or say.FAQ_CITY_OFFICE)
    return [text(f"{body}\n\n{contact_lines(contact)}", main_menu_buttons())]


# ---- 「もしかして」 ---------------------------------------------------------------------------


def suggestions(choices: Sequence[Choice], ask_id: int) -> list[Message]:
    """Two or three close entries, listed in full and offered as numbered buttons."""
    listed = "\n".join(f"{CHOICE_MARKS[n]} {choice.question}" for n, choice in enumerate(choices))
    buttons = [
        _button(label, Action.FAQ_SHOW, display=cut(choice.question, DISPLAY_MAX), ask=str(ask_id),
                entry=choice.entry_id)
        for label, choice in zip(choice_labels(choices), choices)
    ]
    buttons.append(_button(say.LABEL_FAQ_NONE_OF_THESE, Action.FAQ_NONE, ask=str(ask_id)))
    return [text(say.FAQ_SUGGEST.format(choices=listed), buttons)]


# ---- no answer ---------------------------------------------------------------------------------


def contact_lines(contact: ContactCard) -> str:
    """The city's main contact; said to be unconfirmed while it is sample content."""
    lines = say.FAQ_CONTACT.format(name=contact.name, phone=contact.phone, hours=contact.hours)
    return lines if contact.verified else f"{lines}\n{say.FAQ_CONTACT_UNVERIFIED}"


def not_found(contact: ContactCard, ask_id: int | None, after_suggestions: bool = False) -> list[Message]:
    """An honest "no answer": the city's contact, and 「職員に伝える」."""
    lead = say.FAQ_NONE_OF_THESE if after_suggestions else say.FAQ_NOT_FOUND
    body = f"{lead}\n\n{contact_lines(contact)}"
    buttons: list[PostbackAction] = []
    if ask_id is not None:
        body += "\n\n" + say.FAQ_OFFER_REPORT
        buttons.append(_button(say.LABEL_FAQ_REPORT, Action.FAQ_REPORT, ask=str(ask_id)))
    return [text(body, [*buttons, *main_menu_buttons()])]


def you_are_welcome() -> list[Message]:
    return [text(say.FAQ_YOU_ARE_WELCOME, main_menu_buttons())]


def hello() -> list[Message]:
    return [text(say.FAQ_HELLO, main_menu_buttons())]


def reported() -> list[Message]:
    return [text(say.FAQ_REPORTED, main_menu_buttons())]


def gone() -> list[Message]:
    """A button from an old answer whose question or entry is no longer there."""
    return [text(say.FAQ_GONE, main_menu_buttons())]


def _button(label: str, action: Action, display: str | None = None, **args: str) -> PostbackAction:
    return PostbackAction(label=cut(label, LABEL_MAX), data=postback_data(action, **args), displayText=display or label)
