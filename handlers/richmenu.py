"""The postback LINE sends when a resident opens a tab of the rich menu."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot import friends
from bot.line.router import Context
from messages import fallback


def tab_opened(ctx: Context) -> list[Message]:
    """A tab was opened: nothing to say, unless LINE could not open it.

    LINE now shows this resident that tab's menu as their own (a per-user link), so the bot must
    know them to give them the disaster menu later (bot/disaster/mode.py): a resident who became
    a friend before the bot recorded friends is recorded here."""
    if ctx.user_id and ctx.friend is None:
        ctx.friend, _ = friends.record_follow(ctx.session, ctx.user_id, ctx.lookup_display_name(ctx.user_id), ctx.now)
    status = ctx.postback.params.get("status", "SUCCESS") if ctx.postback else "SUCCESS"
    return [] if status == "SUCCESS" else fallback.tab_failed()
