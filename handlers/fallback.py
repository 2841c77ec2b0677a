"""What the bot says when no other handler fits."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.disaster import mode
from bot.line.router import Context
from messages import disaster, fallback


def non_text_message(ctx: Context) -> list[Message]:
    """Stickers, photos and other messages the bot cannot read."""
    return with_disaster_note(ctx, fallback.non_text())


def unknown_postback(ctx: Context) -> list[Message]:
    """A button from an old message whose action no longer exists."""
    return with_disaster_note(ctx, fallback.expired_button())


def menu(ctx: Context) -> list[Message]:
    """「メニュー」 or 「ヘルプ」: what the resident can do here."""
    return with_disaster_note(ctx, fallback.menu())


def usage(ctx: Context) -> list[Message]:
    """「使い方」: what the account does, in a few lines, with a button for each."""
    return fallback.usage()


def ask_question(ctx: Context) -> list[Message]:
    """「質問する」: invites the resident to type a question in their own words."""
    return fallback.ask_question()


def with_disaster_note(ctx: Context, answer: list[Message]) -> list[Message]:
    """During a disaster, the answer starts with 「ただいま災害対応中です。…」."""
    return [disaster.disaster_note(), *answer] if mode.is_disaster_mode(ctx.session) else answer
