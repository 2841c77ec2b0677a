"""スマホ教室 as residents see it in LINE: the class carousel, the sign-up questions, their
bookings, and the pushes (reminder, moved up from the waitlist, changed, cancelled).

Pure: plain values in (`ClassCard`, `BookingCard`), line-bot-sdk models out. Large type for
elderly readers; every Flex message has an altText that reads well on its own. Results stay
inside LINE's limits whatever the input: altText ≤ 1,500, button labels ≤ 20, postback
displayText ≤ 300, a carousel ≤ 12 bubbles and ≤ 50 KB (lengths in UTF-16 units).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexComponent, FlexMessage, FlexSeparator, FlexText, Message,
    PostbackAction,
)

from messages import catalogue as say
from messages.actions import Action
from messages.common import button, cancel_button, postback_data, quick_reply, text
from messages.dates import day_label
from messages.text import ALT_TEXT_MAX, CAROUSEL_MAX_BUBBLES, CAROUSEL_MAX_BYTES, DISPLAY_MAX, TEXT_MAX, cut, json_bytes

# ---- layout -----------------------------------------------------------------------------------

DESCRIPTION_MAX = 120
# Header colours by level; white text on each has a contrast ratio of at least 4.5:1.
LEVEL_COLOURS = {
    "beginner": "#1B5E20", "line": "#06703A", "mynumber": "#0D47A1", "cashless": "#4A148C",
    "bousai": "#B71C1C", "other": "#37474F",
}
STATUS_COLOURS = {"confirmed": "#1B5E20", "waitlisted": "#A64B00"}
SEATS_COLOUR, FULL_COLOUR, CLOSED_COLOUR = "#1B5E20", "#A64B00", "#555555"
LABEL_COLOUR, TEXT_COLOUR = "#555555", "#111111"


@dataclass(frozen=True)
class ClassCard:
    """A class as residents see it (built by `bot.classes.cards.class_card`)."""

    id: int
    title: str
    level: str
    level_label: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_left: int
    waitlisted: int
    waitlist_open: bool
    signup: str  # open, not_yet, closed (cancelled classes are never shown)
    signup_opens_at: datetime | None = None
    description: str = ""
    sample: bool = False

    @property
    def full(self) -> bool:
        return self.seats_left <= 0


@dataclass(frozen=True)
class BookingCard:
    """One of the resident's bookings."""

    id: int
    name: str
    status: str  # confirmed or waitlisted
    position: int | None  # place on the waitlist
    course: ClassCard


# ---- dates and seats as the cards say them --------------------------------------------------


def clock(moment: datetime, tz: tzinfo) -> str:
    """「9:30」 in Japan time."""
    local = moment.astimezone(tz)
    return f"{local.hour}:{local.minute:02d}"


def time_label(starts_at: datetime, ends_at: datetime, tz: tzinfo) -> str:
    """「10:00〜11:30」 in Japan time."""
    return f"{clock(starts_at, tz)}〜{clock(ends_at, tz)}"


def when_label(course: ClassCard, tz: tzinfo) -> str:
    """「12月3日（水）10:00〜11:30」."""
    return day_label(course.starts_at, tz) + time_label(course.starts_at, course.ends_at, tz)


def seats_label(course: ClassCard, tz: tzinfo) -> tuple[str, str]:
    """What the card says about seats, and its colour."""
    if course.signup == "not_yet" and course.signup_opens_at is not None:
        opens = day_label(course.signup_opens_at, tz) + clock(course.signup_opens_at, tz)
        return say.SIGNUP_NOT_YET.format(opens=opens), CLOSED_COLOUR
    if course.signup != "open":
        return say.SIGNUP_CLOSED, CLOSED_COLOUR
    if not course.full:
        return say.SEATS_LEFT.format(left=course.seats_left), SEATS_COLOUR
    return (say.SEATS_FULL_WAITLIST, FULL_COLOUR) if course.waitlist_open else (say.SEATS_FULL, CLOSED_COLOUR)


def _display(template: str, title: str) -> str:
    return cut(template.format(title=title), DISPLAY_MAX)


# ---- the class list ---------------------------------------------------------------------------


def _row(label: str, value: str, size: str = "lg") -> FlexBox:
    return FlexBox(layout="baseline", spacing="md", contents=[
        FlexText(text=label, size="md", color=LABEL_COLOUR, flex=2),
        FlexText(text=value, size=size, weight="bold", color=TEXT_COLOUR, flex=5, wrap=True),
    ])


def _band(label: str, colour: str) -> FlexBox:
    return FlexBox(layout="vertical", backgroundColor=colour, paddingAll="14px", contents=[
        FlexText(text=label, size="lg", weight="bold", color="#FFFFFF", wrap=True),
    ])


def class_bubble(course: ClassCard, tz: tzinfo) -> FlexBubble:
    """One class: its level on a coloured band, title, day, time, venue, seats, a short
    description, and 「申し込む」 while sign-up is open."""
    seats, seats_colour = seats_label(course, tz)
    parts: list[FlexComponent] = [FlexText(text=cut(course.title, 60), size="xl", weight="bold", wrap=True,
                                           color=TEXT_COLOUR)]
    if course.sample:
        parts.append(FlexText(text=say.SAMPLE_NOTE, size="sm", color="#B71C1C", wrap=True))
    parts += [
        FlexBox(layout="vertical", spacing="sm", margin="lg", contents=[
            _row(say.ROW_WHEN, day_label(course.starts_at, tz)),
            _row(say.ROW_TIME, time_label(course.starts_at, course.ends_at, tz)),
            _row(say.ROW_VENUE, cut(course.venue, 40)),
            _row(say.ROW_CAPACITY, say.CAPACITY.format(capacity=course.capacity)),
        ]),
        FlexText(text=seats, size="xl" if course.signup == "open" and not course.full else "lg", weight="bold",
                 color=seats_colour, wrap=True, margin="lg"),
    ]
    if course.description:
        parts += [FlexSeparator(margin="lg"),
                  FlexText(text=cut(course.description, DESCRIPTION_MAX), size="md", color="#333333", wrap=True,
                           margin="lg")]
    bubble = FlexBubble(size="mega", header=_band(course.level_label, LEVEL_COLOURS.get(course.level, "#37474F")),
                        body=FlexBox(layout="vertical", contents=parts))
    apply = _apply_button(course)
    if apply is not None:
        bubble.footer = FlexBox(layout="vertical", paddingAll="12px", contents=[apply])
    return bubble


def _apply_button(course: ClassCard) -> FlexButton | None:
    if course.signup != "open" or (course.full and not course.waitlist_open):
        return None
    label = say.LABEL_APPLY_WAITLIST if course.full else say.LABEL_APPLY
    args = {"id": str(course.id), **({"waitlist": "1"} if course.full else {})}
    action = PostbackAction(label=label, data=postback_data(Action.CLASSES_APPLY, **args),
                            displayText=_display(say.APPLY_DISPLAY, course.title))
    colour = FULL_COLOUR if course.full else "#06C755"
    return FlexButton(action=action, style="primary", color=colour, height="md")


def _more_bubble(remaining: int, next_page: int) -> FlexBubble:
    more = PostbackAction(label=say.LABEL_MORE, data=postback_data(Action.CLASSES, page=str(next_page)),
                          displayText=say.LABEL_MORE)
    return FlexBubble(size="mega", body=FlexBox(layout="vertical", spacing="lg", contents=[
        FlexText(text=say.LIST_MORE_TITLE, size="xl", weight="bold", wrap=True),
        FlexText(text=say.LIST_MORE_BODY.format(count=remaining), size="lg", wrap=True),
    ]), footer=FlexBox(layout="vertical", paddingAll="12px", contents=[
        FlexButton(action=more, style="primary", color="#06C755", height="md"),
    ]))


def _alt_line(course: ClassCard, tz: tzinfo) -> str:
    seats, _ = seats_label(course, tz)
    return say.LIST_ALT_LINE.format(when=when_label(course, tz), title=course.title, venue=course.venue, seats=seats)


def class_list(courses: Sequence[ClassCard], tz: tzinfo, page: int = 1, more: int = 0) -> list[Message]:
    """The classes residents can see, soonest first, as a carousel; when `more` classes follow,
    the last bubble leads to the next page."""
    if not courses:
        return [text(say.LIST_NONE, [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]
    room = CAROUSEL_MAX_BUBBLES - (1 if more or len(courses) > CAROUSEL_MAX_BUBBLES else 0)
    shown = list(courses[:room])
    more += len(courses) - len(shown)
    bubbles = [class_bubble(course, tz) for course in shown]
    tail = [_more_bubble(more, page + 1)] if more else []
    while len(bubbles) > 1 and json_bytes(FlexCarousel(contents=bubbles + tail)) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    alt = "\n".join([say.LIST_ALT.format(count=len(bubbles) + more)] + [_alt_line(c, tz) for c in shown[:len(bubbles)]])
    carousel = FlexMessage(altText=cut(alt, ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles + tail),
                           quickReply=quick_reply([button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)]))
    return [text(say.LIST_INTRO), carousel]


# ---- signing up -------------------------------------------------------------------------------


def offer_waitlist(course: ClassCard) -> list[Message]:
    join = button(say.LABEL_APPLY_WAITLIST, Action.CLASSES_APPLY, id=str(course.id), waitlist="1")
    return [text(say.OFFER_WAITLIST.format(title=course.title), [join, cancel_button()])]


def ask_name(course: ClassCard, display_name: str | None) -> list[Message]:
    """Who takes part: the LINE name offered first, another name (a family member) typed."""
    if display_name:
        body = say.ASK_NAME_PREFILLED.format(title=course.title, name=display_name)
        return [text(body, [button(say.LABEL_NAME_OK, Action.CLASSES_NAME_OK),
                            button(say.LABEL_NAME_CHANGE, Action.CLASSES_NAME_CHANGE),
                            cancel_button()])]
    return [text(say.ASK_NAME.format(title=course.title), [cancel_button()])]


def confirm_typed_name(name: str) -> list[Message]:
    """A typed name is used only once the resident says it is right."""
    return [text(say.CONFIRM_TYPED_NAME.format(name=name), [button(say.LABEL_YES, Action.CLASSES_NAME_OK),
                                                            button(say.LABEL_NAME_RETYPE, Action.CLASSES_NAME_CHANGE),
                                                            cancel_button()])]


def ask_name_again() -> list[Message]:
    return [text(say.ASK_NAME_AGAIN, [cancel_button()])]


def ask_phone(name: str, *, again: bool = False) -> list[Message]:
    body = say.PHONE_INVALID if again else say.ASK_PHONE.format(name=name)
    return [text(body, [button(say.LABEL_NO_PHONE, Action.CLASSES_NO_PHONE), cancel_button()])]


def summary(course: ClassCard, name: str, phone: str | None, tz: tzinfo) -> str:
    return say.SUMMARY.format(title=course.title, when=when_label(course, tz), venue=course.venue, name=name,
                              phone=phone or say.NO_PHONE)


def confirm(course: ClassCard, name: str, phone: str | None, waitlist: bool, tz: tzinfo) -> list[Message]:
    """The last step: everything on one screen, 「申し込む」 or 「やめる」."""
    body = say.CONFIRM.format(summary=summary(course, name, phone, tz))
    if waitlist:
        body += "\n\n" + say.CONFIRM_WAITLIST_NOTE
    book = button(say.LABEL_BOOK_WAITLIST if waitlist else say.LABEL_BOOK, Action.CLASSES_BOOK, id=str(course.id))
    return [text(body, [book, cancel_button()])]


def confirm_again(course: ClassCard, waitlist: bool) -> list[Message]:
    book = button(say.LABEL_BOOK_WAITLIST if waitlist else say.LABEL_BOOK, Action.CLASSES_BOOK, id=str(course.id))
    return [text(say.CONFIRM_AGAIN, [book, cancel_button()])]


def _after_booking_buttons() -> list[PostbackAction]:
    return [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE), button(say.LABEL_CLASSES, Action.CLASSES)]


def booked(course: ClassCard, name: str, phone: str | None, waitlist_position: int | None, tz: tzinfo, *,
           reminder: bool = True) -> list[Message]:
    """The booking as made: confirmed (with the day-before reminder, when staff send one), or
    the place on the waitlist."""
    details = summary(course, name, phone, tz)
    if waitlist_position is None:
        body = say.BOOKED_CONFIRMED.format(summary=details, reminder=say.REMINDER_PROMISE if reminder else "")
    else:
        body = say.BOOKED_WAITLISTED.format(summary=details, position=waitlist_position)
    return [text(body, _after_booking_buttons())]


def already_booked(name: str) -> list[Message]:
    return [text(say.ALREADY_BOOKED.format(name=name), _after_booking_buttons())]


def class_full(course: ClassCard) -> list[Message]:
    return [text(say.CLASS_FULL.format(title=course.title), [button(say.LABEL_CLASSES, Action.CLASSES)])]


def class_closed() -> list[Message]:
    return [text(say.CLASS_CLOSED, [button(say.LABEL_CLASSES, Action.CLASSES)])]


def signup_expired() -> list[Message]:
    return [text(say.SIGNUP_EXPIRED, _after_booking_buttons())]


def signup_stopped() -> list[Message]:
    return [text(say.SIGNUP_STOPPED, [button(say.LABEL_CLASSES, Action.CLASSES)])]


# ---- the resident's bookings ------------------------------------------------------------------


def booking_bubble(booking: BookingCard, tz: tzinfo) -> FlexBubble:
    course = booking.course
    status = (say.STATUS_CONFIRMED if booking.status == "confirmed"
              else say.STATUS_WAITLISTED.format(position=booking.position or "-"))
    body = FlexBox(layout="vertical", spacing="sm", contents=[
        FlexText(text=cut(course.title, 60), size="xl", weight="bold", wrap=True, color=TEXT_COLOUR),
        FlexBox(layout="vertical", spacing="sm", margin="lg", contents=[
            _row(say.ROW_WHEN, day_label(course.starts_at, tz)),
            _row(say.ROW_TIME, time_label(course.starts_at, course.ends_at, tz)),
            _row(say.ROW_VENUE, cut(course.venue, 40)),
            _row(say.ROW_NAME, say.PARTICIPANT.format(name=cut(booking.name, 50))),
        ]),
    ])
    cancel = PostbackAction(label=say.LABEL_CANCEL_BOOKING,
                            data=postback_data(Action.CLASSES_CANCEL, booking=str(booking.id)),
                            displayText=_display(say.CANCEL_DISPLAY, course.title))
    footer = FlexBox(layout="vertical", paddingAll="12px",
                     contents=[FlexButton(action=cancel, style="secondary", height="md")])
    return FlexBubble(size="mega", header=_band(status, STATUS_COLOURS.get(booking.status, "#37474F")),
                      body=body, footer=footer)


def my_bookings(bookings: Sequence[BookingCard], tz: tzinfo) -> list[Message]:
    """「予約の確認」: one card per booking, each with 「キャンセル」."""
    if not bookings:
        return [text(say.MY_BOOKINGS_NONE, [button(say.LABEL_CLASSES, Action.CLASSES)])]
    shown = list(bookings[:CAROUSEL_MAX_BUBBLES])
    bubbles = [booking_bubble(b, tz) for b in shown]
    while len(bubbles) > 1 and json_bytes(FlexCarousel(contents=bubbles)) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    lines = [say.MY_BOOKINGS_ALT.format(count=len(bookings))]
    for b in shown[:len(bubbles)]:
        status = say.STATUS_CONFIRMED if b.status == "confirmed" else say.STATUS_WAITLISTED.format(position=b.position)
        lines.append(say.MY_BOOKINGS_ALT_LINE.format(when=when_label(b.course, tz), title=b.course.title, name=b.name,
                                                     status=status))
    carousel = FlexMessage(altText=cut("\n".join(lines), ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles),
                           quickReply=quick_reply([button(say.LABEL_CLASSES, Action.CLASSES)]))
    return [text(say.MY_BOOKINGS_INTRO), carousel]


def ask_cancel(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = say.ASK_CANCEL.format(name=booking.name, title=booking.course.title, when=when_label(booking.course, tz))
    yes = button(say.LABEL_CANCEL_YES, Action.CLASSES_CANCEL_OK, booking=str(booking.id))
    return [text(body, [yes, button(say.LABEL_CANCEL_NO, Action.CLASSES_KEEP)])]


def booking_cancelled(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = say.BOOKING_CANCELLED.format(name=booking.name, title=booking.course.title,
                                        when=when_label(booking.course, tz))
    return [text(body, [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE), button(say.LABEL_CLASSES, Action.CLASSES)])]


def booking_kept() -> list[Message]:
    return [text(say.BOOKING_KEPT, [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]


def booking_not_found() -> list[Message]:
    return [text(say.BOOKING_NOT_FOUND, [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]


# ---- pushes (frozen in the outbox when queued) ------------------------------------------------


def _details(course: ClassCard, tz: tzinfo) -> str:
    return say.DETAILS.format(when=when_label(course, tz), venue=course.venue)


def reminder(booking: BookingCard, tz: tzinfo) -> list[Message]:
    participant = say.DETAILS_PARTICIPANT.format(row=say.ROW_NAME,
                                                 participant=say.PARTICIPANT.format(name=booking.name))
    body = say.REMINDER.format(title=booking.course.title, details=_details(booking.course, tz) + participant)
    return [text(cut(body, TEXT_MAX), [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]


def promoted(booking: BookingCard, tz: tzinfo) -> list[Message]:
    details = say.DETAILS_CLASS.format(title=booking.course.title) + _details(booking.course, tz)
    body = say.PROMOTED.format(name=booking.name, details=details)
    return [text(cut(body, TEXT_MAX), [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]


def class_changed(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = say.CLASS_CHANGED.format(name=booking.name, title=booking.course.title, details=_details(booking.course, tz))
    return [text(cut(body, TEXT_MAX), [button(say.LABEL_MY_BOOKINGS, Action.CLASSES_MINE)])]


def class_cancelled(booking: BookingCard, reason: str | None, tz: tzinfo) -> list[Message]:
    body = say.CLASS_CANCELLED.format(name=booking.name, title=booking.course.title,
                                      when=when_label(booking.course, tz),
                                      reason=say.CANCEL_REASON.format(reason=reason) if reason else "")
    return [text(cut(body, TEXT_MAX), [button(say.LABEL_CLASSES, Action.CLASSES)])]
