"""Lengths as LINE counts them: UTF-16 code units (a character outside the BMP, such as most
emoji, counts two), and the JSON size of a Flex message. Every builder measures and shortens
text with these."""

from __future__ import annotations

import json

from messages.json_form import json_form

ELLIPSIS = "…"
# LINE's limits on what a message may hold.
TEXT_MAX = 5000  # a text message
ALT_TEXT_MAX = 1500  # a Flex message's altText
LABEL_MAX = 20  # a button or quick-reply label
DISPLAY_MAX = 300  # a postback's displayText
BUBBLE_MAX_BYTES = 30 * 1024
CAROUSEL_MAX_BUBBLES = 12
CAROUSEL_MAX_BYTES = 50 * 1024


def utf16_length(value: str) -> int:
    """Length as LINE counts it: UTF-16 code units."""
    return len(value.encode("utf-16-le")) // 2


def prefix(value: str, limit: int) -> str:
    """The longest start of `value` within `limit` UTF-16 units; never splits a surrogate pair."""
    used = 0
    for index, char in enumerate(value):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return value[:index]
    return value


def cut(value: str, limit: int, suffix: str = ELLIPSIS, strip: str | None = None) -> str:
    """`value` within `limit` UTF-16 units; when shortened, the kept start loses trailing
    whitespace (or the characters in `strip`) and ends in `suffix`."""
    if utf16_length(value) <= limit:
        return value
    return prefix(value, limit - utf16_length(suffix)).rstrip(strip) + suffix


def split_text(value: str, limit: int = TEXT_MAX) -> list[str]:
    """`value` in pieces of at most `limit` UTF-16 units, split at line ends where possible."""
    pieces: list[str] = []
    while utf16_length(value) > limit:
        head = prefix(value, limit)
        newline = head.rfind("\n")
        if newline > len(head) // 2:
            head = head[: newline + 1]
        if head.strip("\n"):
            pieces.append(head.rstrip("\n"))
        value = value[len(head):].lstrip("\n")
    if value.strip("\n"):
        pieces.append(value)
    return pieces


def json_bytes(model: object) -> int:
    """The size LINE measures of a message model: compact UTF-8 JSON."""
    data = json_form(model)
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
