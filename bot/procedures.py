"""Guidance on procedures residents can do online (seed content in `content/procedures/`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from bot.config import PROJECT_ROOT

ONLINE_PROCEDURES_FILE = PROJECT_ROOT / "content" / "procedures" / "online.json"


@dataclass(frozen=True)
class OnlineLink:
    label: str
    url: str
    note: str


@dataclass(frozen=True)
class OnlineProcedures:
    intro: str
    links: tuple[OnlineLink, ...]
    sample: bool
    verified_on: str | None


@cache
def online_procedures() -> OnlineProcedures:
    data = json.loads(ONLINE_PROCEDURES_FILE.read_text(encoding="utf-8"))
    links = tuple(OnlineLink(l["label"], l["url"], l.get("note", "")) for l in data["links"] if l.get("url"))
    return OnlineProcedures(data["intro"], links, bool(data.get("sample")), data.get("verified_on"))
