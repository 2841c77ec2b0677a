"""Following and blocking the account."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot import friends
from bot.disaster import mode
from bot.line import conversation
from bot.line.router import Context
from handlers.settings import SETTINGS_FLOW, SettingsStep
from messages import disaster as disaster_messages
from messages import friends as friend_messages


def on_follow(ctx: Context) -> list[Message]:
    """Greets a new (or returning) friend and asks for their area (in disaster mode, says so first)."""
    assert ctx.user_id
    friend, returning = friends.record_follow(
        ctx.session, ctx.user_id, ctx.lookup_display_name(ctx.user_id), ctx.now
    )
    ctx.friend = friend
    conversation.enter_step(
        ctx.session, ctx.user_id, SETTINGS_FLOW, SettingsStep.AREA, ctx.now, ctx.settings.conversation_timeout_min
    )
    welcome = friend_messages.welcome(friends.AREAS, returning=returning)
    return [disaster_messages.disaster_note(), *welcome] if mode.is_disaster_mode(ctx.session) else welcome


def on_unfollow(ctx: Context) -> list[Message]:
    """Marks the friend as blocked so that nothing more is sent to them."""
    assert ctx.user_id
    friends.record_unfollow(ctx.session, ctx.user_id, ctx.now)
    conversation.leave_flow(ctx.session, ctx.user_id)
    return []
