"""Numbers in URLs and query strings: database ids are 64-bit signed integers, so anything
outside 1..2^63-1 is not an id of ours. The app's `int` URL converter is replaced by
`BoundedIntConverter` in `create_app`, so `<int:notice_id>` in any blueprint (also ones added
later) answers 404 for such a number instead of reaching the database and failing there.
"""

from __future__ import annotations

import builtins

from werkzeug.routing import IntegerConverter

ID_MAX = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only 0..2^63-1 (at most 19 digits): a larger number is a 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:
        limit = ID_MAX if max is None else builtins.min(max, ID_MAX)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=limit, signed=signed)


def parse_id(raw: object) -> int | None:
    """`raw` (a query-string value) as an id, or None when it is not a number in 1..2^63-1."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


def parse_page(raw: object, default: int = 1) -> int:
    """A `?page=` value: a positive number of at most 9 digits; anything else is `default`."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return default
    return max(1, int(text))
