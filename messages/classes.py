"""スマホ教室 as residents see it in LINE: the class carousel, the sign-up questions, their
bookings, and the pushes (reminder, moved up from the waitlist, changed, cancelled).

Pure: plain values in (`ClassCard`, `BookingCard`), line-bot-sdk models out. Large type for
elderly readers; every Flex message has an altText that reads well on its own. Results stay
inside LINE's limits whatever the input: altText ≤ 1,500, button labels ≤ 20, postback
displayText ≤ 300, a carousel ≤ 12 bubbles and ≤ 50 KB (lengths in UTF-16 units).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from linebot.v3.messaging import (
    FlexBox, FlexBubble, FlexButton, FlexCarousel, FlexComponent, FlexMessage, FlexSeparator, FlexText, Message,
    PostbackAction,
)

from messages.common import button, cancel_button, postback_data, quick_reply, text

# ---- the words residents read (this feature's part of the catalogue) ----------------------------

LIST_INTRO = "スマホ教室のご案内です。\n参加したい教室の「申し込む」を押してください。"
LIST_NONE = "いま、お申し込みを受け付けているスマホ教室はありません。\n新しい教室が決まりましたら、お知らせします。"
LIST_ALT = "スマホ教室のご案内（{count}件）"
LIST_MORE_TITLE = "ほかにも教室があります"
LIST_MORE_BODY = "あと{count}件の教室があります。"
LABEL_MORE = "次の教室を見る"
SAMPLE_NOTE = "見本のデータです（実際の教室ではありません）"

ROW_WHEN = "日にち"
ROW_TIME = "時間"
ROW_VENUE = "会場"
ROW_CAPACITY = "定員"
ROW_NAME = "お名前"
CAPACITY = "{capacity}人"
SEATS_LEFT = "残り {left}席"
SEATS_FULL_WAITLIST = "満席です（キャンセル待ちを受け付けています）"
SEATS_FULL = "満席です"
SIGNUP_NOT_YET = "申し込みは {opens} から"
SIGNUP_CLOSED = "申し込みの受付は終わりました"
WAITLIST_COUNT = "キャンセル待ち {count}人"

LABEL_APPLY = "申し込む"
LABEL_APPLY_WAITLIST = "キャンセル待ちで申し込む"
APPLY_DISPLAY = "「{title}」に申し込む"
LABEL_NAME_OK = "このお名前で申し込む"
LABEL_NAME_CHANGE = "名前を変える"
LABEL_NO_PHONE = "電話番号なしで進む"
LABEL_BOOK = "申し込む"
LABEL_BOOK_WAITLIST = "キャンセル待ちで申し込む"
LABEL_MY_BOOKINGS = "予約の確認"
LABEL_CLASSES = "スマホ教室を見る"
LABEL_CANCEL_BOOKING = "この予約をキャンセル"
LABEL_CANCEL_YES = "キャンセルする"
LABEL_CANCEL_NO = "キャンセルしない"
CANCEL_DISPLAY = "「{title}」の予約をキャンセル"

OFFER_WAITLIST = (
    "「{title}」は満席です。\n"
    "キャンセル待ちで申し込むことができます。席が空いたら、申し込んだ順にLINEでお知らせします。"
)
ASK_NAME_PREFILLED = (
    "「{title}」に申し込みます。\n\n"
    "参加する方のお名前は「{name}」さんでよろしいですか。\n"
    "ご家族など、ほかの方の申し込みもできます。そのときは「名前を変える」を押してください。"
)
ASK_NAME = (
    "「{title}」に申し込みます。\n\n"
    "参加する方のお名前を送ってください。\n"
    "（ご家族など、ほかの方の申し込みもできます）"
)
ASK_NAME_AGAIN = "参加する方のお名前を送ってください（50文字まで）。"
ASK_PHONE = (
    "{name}さんの電話番号を送ってください（例：090-1234-5678）。\n"
    "教室についてご連絡するときに使います。なくてもかまいません。"
)
PHONE_INVALID = "電話番号は、数字10けたか11けたで送ってください（例：0837-52-1111）。\nなくてもかまいません。"
CONFIRM = "この内容で申し込みますか。\n\n{summary}"
CONFIRM_WAITLIST_NOTE = "※満席のため、キャンセル待ちでの申し込みになります。"
CONFIRM_AGAIN = "下のボタンで「申し込む」か「やめる」を選んでください。"
SUMMARY = "教室：{title}\n日にち：{when}\n会場：{venue}\nお名前：{name} さん\n電話番号：{phone}"
NO_PHONE = "なし"

BOOKED_CONFIRMED = (
    "お申し込みを受け付けました。参加が決まりました。\n\n{summary}\n\n"
    "{reminder}行けなくなったときは「予約の確認」からキャンセルしてください。"
)
REMINDER_PROMISE = "前の日に、LINEでお知らせします。\n"
BOOKED_WAITLISTED = (
    "キャンセル待ちで受け付けました（{position}番目）。\n\n{summary}\n\n"
    "席が空いたら、LINEでお知らせします。"
)
ALREADY_BOOKED = "{name}さんは、この教室にもう申し込んでいます。\n「予約の確認」で確かめられます。"
CLASS_FULL = "申し訳ありません。「{title}」は満席になりました。ほかの教室をご覧ください。"
CLASS_CLOSED = "申し訳ありません。この教室は、いまは申し込みができません。ほかの教室をご覧ください。"
SIGNUP_EXPIRED = (
    "この申し込みの手続きは、時間がたったか、もう終わっています。\n"
    "申し込んだかどうかは「予約の確認」で確かめられます。"
)
SIGNUP_STOPPED = "申し込みをやめました。申し込みはされていません。"

MY_BOOKINGS_INTRO = "お申し込み中のスマホ教室です。"
MY_BOOKINGS_NONE = "いま、お申し込み中のスマホ教室はありません。"
MY_BOOKINGS_ALT = "スマホ教室のご予約（{count}件）"
STATUS_CONFIRMED = "参加決定"
STATUS_WAITLISTED = "キャンセル待ち（{position}番目）"
ASK_CANCEL = "{name}さんの「{title}」（{when}）の予約をキャンセルしますか。"
BOOKING_CANCELLED = "{name}さんの「{title}」（{when}）の予約をキャンセルしました。"
BOOKING_KEPT = "予約はそのままです。"
BOOKING_NOT_FOUND = "この予約は見つかりませんでした。「予約の確認」でもう一度ご確認ください。"

REMINDER = (
    "【スマホ教室のお知らせ】\n明日は「{title}」の日です。\n\n{details}\n\n"
    "スマホをお持ちください。行けなくなったときは「予約の確認」からキャンセルしてください。"
)
PROMOTED = (
    "【スマホ教室】席が空きました。\n"
    "キャンセル待ちの{name}さんの参加が決まりました。\n\n{details}\n\n"
    "行けなくなったときは「予約の確認」からキャンセルしてください。"
)
CLASS_CHANGED = (
    "【スマホ教室】日時または会場が変わりました。\n"
    "{name}さんが申し込んだ「{title}」は、次のとおりです。\n\n{details}\n\n"
    "行けなくなったときは「予約の確認」からキャンセルしてください。"
)
CLASS_CANCELLED = (
    "【スマホ教室】中止のお知らせ\n"
    "申し訳ありません。{name}さんが申し込んだ「{title}」（{when}）は中止になりました。{reason}\n"
    "ほかの教室は「スマホ教室」からご覧ください。"
)
CANCEL_REASON = "\n理由：{reason}"
DETAILS = "日にち：{when}\n会場：{venue}"

# ---- limits and layout ------------------------------------------------------------------------

ALT_TEXT_MAX = 1500
TEXT_MAX = 5000
DISPLAY_MAX = 300
CAROUSEL_MAX_BUBBLES = 12
CAROUSEL_MAX_BYTES = 50 * 1024
DESCRIPTION_MAX = 120
WEEKDAYS = "月火水木金土日"
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
    """A class as residents see it (built by `bot.classes.schedule.card_of`)."""

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


# ---- lengths as LINE counts them --------------------------------------------------------------


def utf16_length(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def cut(value: str, limit: int, suffix: str = "…") -> str:
    """`value` shortened to at most `limit` UTF-16 units (ending in `suffix` when shortened)."""
    if utf16_length(value) <= limit:
        return value
    kept, used, room = [], 0, limit - utf16_length(suffix)
    for char in value:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + suffix


def json_bytes(model: object) -> int:
    """The size LINE measures: compact UTF-8 JSON."""
    data = model.to_dict()  # type: ignore[attr-defined]
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def day_label(moment: datetime, tz: tzinfo) -> str:
    """「12月3日（水）」 in Japan time."""
    local = moment.astimezone(tz)
    return f"{local.month}月{local.day}日（{WEEKDAYS[local.weekday()]}）"


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
        return SIGNUP_NOT_YET.format(opens=opens), CLOSED_COLOUR
    if course.signup != "open":
        return SIGNUP_CLOSED, CLOSED_COLOUR
    if not course.full:
        return SEATS_LEFT.format(left=course.seats_left), SEATS_COLOUR
    return (SEATS_FULL_WAITLIST, FULL_COLOUR) if course.waitlist_open else (SEATS_FULL, CLOSED_COLOUR)


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
        parts.append(FlexText(text=SAMPLE_NOTE, size="sm", color="#B71C1C", wrap=True))
    parts += [
        FlexBox(layout="vertical", spacing="sm", margin="lg", contents=[
            _row(ROW_WHEN, day_label(course.starts_at, tz)),
            _row(ROW_TIME, time_label(course.starts_at, course.ends_at, tz)),
            _row(ROW_VENUE, cut(course.venue, 40)),
            _row(ROW_CAPACITY, CAPACITY.format(capacity=course.capacity)),
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
    label = LABEL_APPLY_WAITLIST if course.full else LABEL_APPLY
    args = {"id": str(course.id), **({"waitlist": "1"} if course.full else {})}
    action = PostbackAction(label=label, data=postback_data("classes.apply", **args),
                            displayText=_display(APPLY_DISPLAY, course.title))
    colour = FULL_COLOUR if course.full else "#06C755"
    return FlexButton(action=action, style="primary", color=colour, height="md")


def _more_bubble(remaining: int, next_page: int) -> FlexBubble:
    more = PostbackAction(label=LABEL_MORE, data=postback_data("classes", page=str(next_page)), displayText=LABEL_MORE)
    return FlexBubble(size="mega", body=FlexBox(layout="vertical", spacing="lg", contents=[
        FlexText(text=LIST_MORE_TITLE, size="xl", weight="bold", wrap=True),
        FlexText(text=LIST_MORE_BODY.format(count=remaining), size="lg", wrap=True),
    ]), footer=FlexBox(layout="vertical", paddingAll="12px", contents=[
        FlexButton(action=more, style="primary", color="#06C755", height="md"),
    ]))


def _alt_line(course: ClassCard, tz: tzinfo) -> str:
    seats, _ = seats_label(course, tz)
    return f"・{when_label(course, tz)} {course.title}（{course.venue}）{seats}"


def class_list(courses: Sequence[ClassCard], tz: tzinfo, page: int = 1, more: int = 0) -> list[Message]:
    """The classes residents can see, soonest first, as a carousel; when `more` classes follow,
    the last bubble leads to the next page."""
    if not courses:
        return [text(LIST_NONE, [button(LABEL_MY_BOOKINGS, "classes.mine")])]
    room = CAROUSEL_MAX_BUBBLES - (1 if more or len(courses) > CAROUSEL_MAX_BUBBLES else 0)
    shown = list(courses[:room])
    more += len(courses) - len(shown)
    bubbles = [class_bubble(course, tz) for course in shown]
    tail = [_more_bubble(more, page + 1)] if more else []
    while len(bubbles) > 1 and json_bytes(FlexCarousel(contents=bubbles + tail)) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    alt = "\n".join([LIST_ALT.format(count=len(bubbles) + more)] + [_alt_line(c, tz) for c in shown[:len(bubbles)]])
    carousel = FlexMessage(altText=cut(alt, ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles + tail),
                           quickReply=quick_reply([button(LABEL_MY_BOOKINGS, "classes.mine")]))
    return [text(LIST_INTRO), carousel]


# ---- signing up -------------------------------------------------------------------------------


def offer_waitlist(course: ClassCard) -> list[Message]:
    join = button(LABEL_APPLY_WAITLIST, "classes.apply", id=str(course.id), waitlist="1")
    return [text(OFFER_WAITLIST.format(title=course.title), [join, cancel_button()])]


def ask_name(course: ClassCard, display_name: str | None) -> list[Message]:
    """Who takes part: the LINE name offered first, another name (a family member) typed."""
    if display_name:
        body = ASK_NAME_PREFILLED.format(title=course.title, name=display_name)
        return [text(body, [button(LABEL_NAME_OK, "classes.name_ok"), button(LABEL_NAME_CHANGE, "classes.name_change"),
                            cancel_button()])]
    return [text(ASK_NAME.format(title=course.title), [cancel_button()])]


def ask_name_again() -> list[Message]:
    return [text(ASK_NAME_AGAIN, [cancel_button()])]


def ask_phone(name: str, *, again: bool = False) -> list[Message]:
    body = PHONE_INVALID if again else ASK_PHONE.format(name=name)
    return [text(body, [button(LABEL_NO_PHONE, "classes.no_phone"), cancel_button()])]


def summary(course: ClassCard, name: str, phone: str | None, tz: tzinfo) -> str:
    return SUMMARY.format(title=course.title, when=when_label(course, tz), venue=course.venue, name=name,
                          phone=phone or NO_PHONE)


def confirm(course: ClassCard, name: str, phone: str | None, waitlist: bool, tz: tzinfo) -> list[Message]:
    """The last step: everything on one screen, 「申し込む」 or 「やめる」."""
    body = CONFIRM.format(summary=summary(course, name, phone, tz))
    if waitlist:
        body += "\n\n" + CONFIRM_WAITLIST_NOTE
    book = button(LABEL_BOOK_WAITLIST if waitlist else LABEL_BOOK, "classes.book", id=str(course.id))
    return [text(body, [book, cancel_button()])]


def confirm_again(course: ClassCard, waitlist: bool) -> list[Message]:
    book = button(LABEL_BOOK_WAITLIST if waitlist else LABEL_BOOK, "classes.book", id=str(course.id))
    return [text(CONFIRM_AGAIN, [book, cancel_button()])]


def _after_booking_buttons() -> list[PostbackAction]:
    return [button(LABEL_MY_BOOKINGS, "classes.mine"), button(LABEL_CLASSES, "classes")]


def booked(course: ClassCard, name: str, phone: str | None, waitlist_position: int | None, tz: tzinfo, *,
           reminder: bool = True) -> list[Message]:
    """The booking as made: confirmed (with the day-before reminder, when staff send one), or
    the place on the waitlist."""
    details = summary(course, name, phone, tz)
    if waitlist_position is None:
        body = BOOKED_CONFIRMED.format(summary=details, reminder=REMINDER_PROMISE if reminder else "")
    else:
        body = BOOKED_WAITLISTED.format(summary=details, position=waitlist_position)
    return [text(body, _after_booking_buttons())]


def already_booked(name: str) -> list[Message]:
    return [text(ALREADY_BOOKED.format(name=name), _after_booking_buttons())]


def class_full(course: ClassCard) -> list[Message]:
    return [text(CLASS_FULL.format(title=course.title), [button(LABEL_CLASSES, "classes")])]


def class_closed() -> list[Message]:
    return [text(CLASS_CLOSED, [button(LABEL_CLASSES, "classes")])]


def signup_expired() -> list[Message]:
    return [text(SIGNUP_EXPIRED, _after_booking_buttons())]


def signup_stopped() -> list[Message]:
    return [text(SIGNUP_STOPPED, [button(LABEL_CLASSES, "classes")])]


# ---- the resident's bookings ------------------------------------------------------------------


def booking_bubble(booking: BookingCard, tz: tzinfo) -> FlexBubble:
    course = booking.course
    status = (STATUS_CONFIRMED if booking.status == "confirmed"
              else STATUS_WAITLISTED.format(position=booking.position or "-"))
    body = FlexBox(layout="vertical", spacing="sm", contents=[
        FlexText(text=cut(course.title, 60), size="xl", weight="bold", wrap=True, color=TEXT_COLOUR),
        FlexBox(layout="vertical", spacing="sm", margin="lg", contents=[
            _row(ROW_WHEN, day_label(course.starts_at, tz)),
            _row(ROW_TIME, time_label(course.starts_at, course.ends_at, tz)),
            _row(ROW_VENUE, cut(course.venue, 40)),
            _row(ROW_NAME, cut(booking.name, 50) + " さん"),
        ]),
    ])
    cancel = PostbackAction(label=LABEL_CANCEL_BOOKING, data=postback_data("classes.cancel", booking=str(booking.id)),
                            displayText=_display(CANCEL_DISPLAY, course.title))
    footer = FlexBox(layout="vertical", paddingAll="12px",
                     contents=[FlexButton(action=cancel, style="secondary", height="md")])
    return FlexBubble(size="mega", header=_band(status, STATUS_COLOURS.get(booking.status, "#37474F")),
                      body=body, footer=footer)


def my_bookings(bookings: Sequence[BookingCard], tz: tzinfo) -> list[Message]:
    """「予約の確認」: one card per booking, each with 「キャンセル」."""
    if not bookings:
        return [text(MY_BOOKINGS_NONE, [button(LABEL_CLASSES, "classes")])]
    shown = list(bookings[:CAROUSEL_MAX_BUBBLES])
    bubbles = [booking_bubble(b, tz) for b in shown]
    while len(bubbles) > 1 and json_bytes(FlexCarousel(contents=bubbles)) > CAROUSEL_MAX_BYTES:
        bubbles.pop()
    lines = [MY_BOOKINGS_ALT.format(count=len(bookings))]
    for b in shown[:len(bubbles)]:
        status = STATUS_CONFIRMED if b.status == "confirmed" else STATUS_WAITLISTED.format(position=b.position)
        lines.append(f"・{when_label(b.course, tz)} {b.course.title}（{b.name}さん）{status}")
    carousel = FlexMessage(altText=cut("\n".join(lines), ALT_TEXT_MAX), contents=FlexCarousel(contents=bubbles),
                           quickReply=quick_reply([button(LABEL_CLASSES, "classes")]))
    return [text(MY_BOOKINGS_INTRO), carousel]


def ask_cancel(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = ASK_CANCEL.format(name=booking.name, title=booking.course.title, when=when_label(booking.course, tz))
    yes = button(LABEL_CANCEL_YES, "classes.cancel_ok", booking=str(booking.id))
    return [text(body, [yes, button(LABEL_CANCEL_NO, "classes.keep")])]


def booking_cancelled(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = BOOKING_CANCELLED.format(name=booking.name, title=booking.course.title, when=when_label(booking.course, tz))
    return [text(body, [button(LABEL_MY_BOOKINGS, "classes.mine"), button(LABEL_CLASSES, "classes")])]


def booking_kept() -> list[Message]:
    return [text(BOOKING_KEPT, [button(LABEL_MY_BOOKINGS, "classes.mine")])]


def booking_not_found() -> list[Message]:
    return [text(BOOKING_NOT_FOUND, [button(LABEL_MY_BOOKINGS, "classes.mine")])]


# ---- pushes (frozen in the outbox when queued) ------------------------------------------------


def _details(course: ClassCard, tz: tzinfo) -> str:
    return DETAILS.format(when=when_label(course, tz), venue=course.venue)


def reminder(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = REMINDER.format(title=booking.course.title, details=_details(booking.course, tz) + f"\n{ROW_NAME}："
                           f"{booking.name} さん")
    return [text(cut(body, TEXT_MAX), [button(LABEL_MY_BOOKINGS, "classes.mine")])]


def promoted(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = PROMOTED.format(name=booking.name, details=f"教室：{booking.course.title}\n" + _details(booking.course, tz))
    return [text(cut(body, TEXT_MAX), [button(LABEL_MY_BOOKINGS, "classes.mine")])]


def class_changed(booking: BookingCard, tz: tzinfo) -> list[Message]:
    body = CLASS_CHANGED.format(name=booking.name, title=booking.course.title, details=_details(booking.course, tz))
    return [text(cut(body, TEXT_MAX), [button(LABEL_MY_BOOKINGS, "classes.mine")])]


def class_cancelled(booking: BookingCard, reason: str | None, tz: tzinfo) -> list[Message]:
    body = CLASS_CANCELLED.format(name=booking.name, title=booking.course.title, when=when_label(booking.course, tz),
                                  reason=CANCEL_REASON.format(reason=reason) if reason else "")
    return [text(cut(body, TEXT_MAX), [button(LABEL_CLASSES, "classes")])]
