"""Guidance on procedures."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.procedures import online_procedures
from bot.line.router import Context
from messages import procedures
from messages.procedures import ProcedureLink


def online(ctx: Context) -> list[Message]:
    """「オンライン手続き」: where residents can apply from their phone."""
    guide = online_procedures()
    links = [ProcedureLink(label=link.label, url=link.url, note=link.note) for link in guide.links]
    return procedures.online_procedures(guide.intro, links)
