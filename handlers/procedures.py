"""Guidance on procedures."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.procedures import online_procedures
from bot.line.router import Context
from messages import procedures


def online(ctx: Context) -> list[Message]:
    """「オンライン手続き」: where residents can apply from their phone."""
    return procedures.online_procedures(online_procedures())
