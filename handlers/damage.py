"""被害の報告: a resident reports damage in five steps (category, photo, location, description,
confirmation) and gets a receipt number. The photo's bytes are fetched from LINE afterwards by
the scheduler (handlers never call LINE): the report keeps the photo's message id until then."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from linebot.v3.messaging import Message
from linebot.v3.webhooks import ImageMessageContent, LocationMessageContent, StickerMessageContent, TextMessageContent

from bot import damage
from bot.line import conversation
from bot.line.router import Context, Flow
from bot.models import DamageCategory
from messages import damage as damage_messages
from messages.vocabulary import NO_LOCATION_WORDS, NO_PHOTO_WORDS, YES_WORDS

log = logging.getLogger(__name__)
DAMAGE_FLOW = "damage"
CATEGORIES = {str(key): label for key, label in damage.CATEGORY_LABELS.items()}


class DamageStep(StrEnum):
    CATEGORY = "category"
    PHOTO = "photo"
    LOCATION = "location"
    DESCRIPTION = "description"
    CONFIRM = "confirm"


def _step(ctx: Context) -> DamageStep | None:
    """The step of the resident's damage report under way, or None."""
    state = ctx.conversation
    if state is None or state.flow != DAMAGE_FLOW or state.step not in DamageStep.__members__.values():
        return None
    return DamageStep(state.step)


def _data(ctx: Context) -> dict[str, Any]:
    return dict(ctx.conversation.data or {}) if _step(ctx) is not None and ctx.conversation else {}


def _go(ctx: Context, step: DamageStep, **changes: Any) -> None:
    assert ctx.user_id
    ctx.conversation = conversation.enter_step(ctx.session, ctx.user_id, DAMAGE_FLOW, step, ctx.now,
                                               ctx.settings.conversation_timeout_min, {**_data(ctx), **changes})


def reask(ctx: Context) -> list[Message]:
    """Asks again for what the current step waits for (a sticker or a stray button mid-report)."""
    step = _step(ctx)
    if step is DamageStep.CATEGORY:
        return damage_messages.ask_category(CATEGORIES, again=True)
    if step is DamageStep.PHOTO:
        return damage_messages.ask_photo()
    if step is DamageStep.LOCATION:
        return damage_messages.ask_location(again=True)
    if step is DamageStep.DESCRIPTION:
        return damage_messages.ask_description(damage.DESCRIPTION_MAX)
    if step is DamageStep.CONFIRM:
        return damage_messages.waiting_for_confirmation()
    return damage_messages.not_started()


# ---- the steps -----------------------------------------------------------------------------------


def start(ctx: Context) -> list[Message]:
    """「被害を報告」: starts a report with the category buttons."""
    assert ctx.user_id
    ctx.conversation = conversation.enter_step(ctx.session, ctx.user_id, DAMAGE_FLOW, DamageStep.CATEGORY, ctx.now,
                                               ctx.settings.conversation_timeout_min, {})
    return damage_messages.ask_category(CATEGORIES)


def _choose(ctx: Context, category: str) -> list[Message]:
    if category not in CATEGORIES:
        return damage_messages.ask_category(CATEGORIES, again=True)
    if _step(ctx) is None:
        start(ctx)
    _go(ctx, DamageStep.PHOTO, category=category)
    return damage_messages.ask_photo(CATEGORIES[category])


def choose_category(ctx: Context) -> list[Message]:
    """A category button: asks for a photo next."""
    return _choose(ctx, ctx.postback.args.get("category", "") if ctx.postback else "")


def category_typed(ctx: Context) -> list[Message]:
    """A category typed instead of tapped (「倒木」)."""
    by_label = {label: key for key, label in CATEGORIES.items()}
    return _choose(ctx, by_label.get(ctx.text or "", ""))


def photo_sent(ctx: Context) -> list[Message]:
    """The resident's photo: its message id is kept (the scheduler fetches it); asks where."""
    if _step(ctx) is not DamageStep.PHOTO:
        return reask(ctx)
    content = ctx.event.message  # type: ignore[attr-defined]
    assert isinstance(content, ImageMessageContent)
    _go(ctx, DamageStep.LOCATION, photo=content.id)
    return damage_messages.ask_location()


def no_photo(ctx: Context) -> list[Message]:
    """「写真なし」: asks where."""
    if _step(ctx) is not DamageStep.PHOTO:
        return reask(ctx)
    _go(ctx, DamageStep.LOCATION, photo=None)
    return damage_messages.ask_location()


def photo_typed(ctx: Context) -> list[Message]:
    return no_photo(ctx) if ctx.text in NO_PHOTO_WORDS else damage_messages.ask_photo()


def location_sent(ctx: Context) -> list[Message]:
    """The location from LINE's picker: asks for a short description."""
    if _step(ctx) is not DamageStep.LOCATION:
        return reask(ctx)
    content = ctx.event.message  # type: ignore[attr-defined]
    assert isinstance(content, LocationMessageContent)
    place = " ".join(part for part in (content.title, content.address) if part)
    _go(ctx, DamageStep.DESCRIPTION, lat=content.latitude, lon=content.longitude, place=place[:damage.PLACE_MAX])
    return damage_messages.ask_description(damage.DESCRIPTION_MAX)


def no_location(ctx: Context) -> list[Message]:
    """「位置情報なし」: asks for a short description."""
    if _step(ctx) is not DamageStep.LOCATION:
        return reask(ctx)
    _go(ctx, DamageStep.DESCRIPTION, lat=None, lon=None, place="")
    return damage_messages.ask_description(damage.DESCRIPTION_MAX)


def location_typed(ctx: Context) -> list[Message]:
    """An address or a landmark typed instead of a location (or 「わからない」)."""
    if ctx.text in NO_LOCATION_WORDS:
        return no_location(ctx)
    _go(ctx, DamageStep.DESCRIPTION, lat=None, lon=None, place=_raw_text(ctx)[:damage.PLACE_MAX])
    return damage_messages.ask_description(damage.DESCRIPTION_MAX)


def _raw_text(ctx: Context) -> str:
    """The resident's own words as typed (line breaks kept), for staff to read."""
    content = ctx.event.message  # type: ignore[attr-defined]
    return content.text.strip() if isinstance(content, TextMessageContent) else (ctx.text or "")


def description_typed(ctx: Context) -> list[Message]:
    """The short description: shows everything for confirmation."""
    description = _raw_text(ctx)
    if len(description) > damage.DESCRIPTION_MAX:
        return damage_messages.description_too_long(damage.DESCRIPTION_MAX, len(description))
    _go(ctx, DamageStep.CONFIRM, description=description)
    data = _data(ctx)
    return damage_messages.confirm(CATEGORIES[data["category"]], bool(data.get("photo")), data.get("place") or "",
                                   data.get("lat") is not None, description)


def confirm_typed(ctx: Context) -> list[Message]:
    return submit(ctx) if ctx.text in YES_WORDS else damage_messages.waiting_for_confirmation()


def submit(ctx: Context) -> list[Message]:
    """「報告する」: stores the report and gives the receipt number."""
    if _step(ctx) is not DamageStep.CONFIRM:
        return reask(ctx)
    assert ctx.user_id
    data = _data(ctx)
    draft = damage.ReportDraft(
        category=DamageCategory(data["category"]), photo_message_id=data.get("photo"), latitude=data.get("lat"),
        longitude=data.get("lon"), place=data.get("place") or "", description=data.get("description") or "")
    report = damage.create_report(ctx.session, ctx.user_id, draft, ctx.now, ZoneInfo(ctx.settings.timezone))
    conversation.leave_flow(ctx.session, ctx.user_id)
    log.info("damage report %s received (%s)", report.receipt_no, report.category)
    return damage_messages.received(report.receipt_no or "")


def cancel(ctx: Context) -> list[Message]:
    """「やめる」 during a report: nothing is stored."""
    assert ctx.user_id
    conversation.leave_flow(ctx.session, ctx.user_id)
    return damage_messages.cancelled()


DAMAGE = Flow(
    name=DAMAGE_FLOW,
    steps={
        DamageStep.CATEGORY: category_typed,
        DamageStep.PHOTO: photo_typed,
        DamageStep.LOCATION: location_typed,
        DamageStep.DESCRIPTION: description_typed,
        DamageStep.CONFIRM: confirm_typed,
    },
    cancel=cancel,
    media={ImageMessageContent: photo_sent, LocationMessageContent: location_sent, StickerMessageContent: reask},
)
