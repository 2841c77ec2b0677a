"""The area and interest settings: a two-step flow driven by quick-reply buttons."""

from __future__ import annotations

from enum import StrEnum

from linebot.v3.messaging import Message

from bot import friends
from bot.line import conversation
from bot.models import Friend
from bot.line.router import Context, Flow, normalise_text
from messages import friends as friend_messages
from messages.vocabulary import AREA_READINGS, AREA_SUFFIXES

SETTINGS_FLOW = "settings"


class SettingsStep(StrEnum):
    AREA = "area"
    INTERESTS = "interests"


def _friend(ctx: Context) -> Friend:
    """The friend record; created on the fly if a follow event was never seen."""
    assert ctx.user_id
    if ctx.friend is None:
        ctx.friend, _ = friends.record_follow(ctx.session, ctx.user_id, None, ctx.now)
    return ctx.friend


def _enter(ctx: Context, step: SettingsStep) -> None:
    assert ctx.user_id
    conversation.enter_step(ctx.session, ctx.user_id, SETTINGS_FLOW, step, ctx.now, ctx.settings.conversation_timeout_min)


def _interest_labels(friend: Friend) -> list[str]:
    return [friends.INTERESTS[key] for key in friend.interests or [] if key in friends.INTERESTS]


def start(ctx: Context) -> list[Message]:
    """Shows the current settings and asks for the area."""
    _friend(ctx)
    _enter(ctx, SettingsStep.AREA)
    return friend_messages.ask_area(friends.AREAS)


def choose_area(ctx: Context) -> list[Message]:
    """Saves the tapped area and moves on to the interests."""
    area = ctx.postback.args.get("area", "") if ctx.postback else ""
    return _save_area(ctx, area)


def _save_area(ctx: Context, area: str) -> list[Message]:
    if area not in friends.AREAS:
        _enter(ctx, SettingsStep.AREA)
        return friend_messages.ask_area(friends.AREAS, again=True)
    friend = _friend(ctx)
    friends.set_area(friend, area)
    _enter(ctx, SettingsStep.INTERESTS)
    return friend_messages.area_saved(friends.AREAS[area], friends.INTERESTS, friend.interests or [])


def area_typed(ctx: Context) -> list[Message]:
    """Accepts an area typed instead of tapped (「美東」, 「美東地域」, 「みとう」)."""
    typed = normalise_text(ctx.text or "")
    for suffix in AREA_SUFFIXES:
        typed = typed.removesuffix(suffix)
    by_label = {label: key for key, label in friends.AREAS.items()}
    return _save_area(ctx, by_label.get(typed) or AREA_READINGS.get(typed, ""))


def toggle_interest(ctx: Context) -> list[Message]:
    """Switches one interest on or off and shows the buttons again."""
    interest = ctx.postback.args.get("interest", "") if ctx.postback else ""
    friend = _friend(ctx)
    if interest not in friends.INTERESTS:
        return friend_messages.ask_interests_again(friends.INTERESTS, friend.interests or [])
    now_on = friends.toggle_interest(friend, interest)
    _enter(ctx, SettingsStep.INTERESTS)
    return friend_messages.interest_toggled(friends.INTERESTS[interest], now_on, friends.INTERESTS, friend.interests)


def interests_typed(ctx: Context) -> list[Message]:
    """Free text during the interests step: repeat the buttons."""
    return friend_messages.ask_interests_again(friends.INTERESTS, _friend(ctx).interests or [])


def finish(ctx: Context) -> list[Message]:
    """Ends the flow and sums up the settings."""
    friend = _friend(ctx)
    assert ctx.user_id
    conversation.leave_flow(ctx.session, ctx.user_id)
    return friend_messages.settings_done(friends.AREAS.get(friend.area or ""), _interest_labels(friend))


def later(ctx: Context) -> list[Message]:
    """The resident will choose the area later."""
    assert ctx.user_id
    conversation.leave_flow(ctx.session, ctx.user_id)
    return friend_messages.settings_later()


def cancel(ctx: Context) -> list[Message]:
    """「やめる」: leaves whatever flow the resident is in."""
    assert ctx.user_id
    if not conversation.leave_flow(ctx.session, ctx.user_id):
        return friend_messages.nothing_to_cancel()
    friend = ctx.friend
    area = friends.AREAS.get(friend.area or "") if friend else None
    return friend_messages.cancelled(area, _interest_labels(friend) if friend else [])


def resume(ctx: Context) -> list[Message]:
    """「続きから」: the question of the step the resident left."""
    step = ctx.conversation.step if ctx.conversation else SettingsStep.AREA
    if step == SettingsStep.INTERESTS:
        return interests_typed(ctx)
    return friend_messages.ask_area(friends.AREAS)


SETTINGS = Flow(
    name=SETTINGS_FLOW,
    steps={SettingsStep.AREA: area_typed, SettingsStep.INTERESTS: interests_typed},
    resume=resume,
)
