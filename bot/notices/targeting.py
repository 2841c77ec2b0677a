"""Who a notice reaches, and in which order.

Its kind decides the order and the reach: urgent kinds (避難情報, 気象・災害) go first and reach
everyone in their areas whatever their interests. Its areas and interests pick the friends who
follow the account; the count is checked against LINE's monthly allowance before it goes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.friends import AREAS, INTERESTS, following_friends, wants_any
from bot.models import Friend, FriendStatus, NoticeKind
from messages import vocabulary

if TYPE_CHECKING:
    from bot.line.gateway import LineGateway

KINDS: dict[NoticeKind, str] = {
    NoticeKind.EVACUATION: "避難情報",
    NoticeKind.WEATHER: "気象・災害",
    NoticeKind.EVENT: "イベント",
    NoticeKind.INFO: "お知らせ",
}
# Kinds that reach everyone in the area whatever their interests, and that may need approval.
URGENT_KINDS = frozenset({NoticeKind.EVACUATION, NoticeKind.WEATHER})
# Sent first when several notices are due at once.
URGENCY = {NoticeKind.EVACUATION: 0, NoticeKind.WEATHER: 1, NoticeKind.EVENT: 2, NoticeKind.INFO: 3}
AREA_ALIASES = {**vocabulary.AREA_READINGS, "大嶺": "mine"}
RESOLVE_CHUNK = 5000


def most_urgent_first(rows: Iterable[Any]) -> list[int]:
    """The ids of rows that have a notice `kind` and an `id`: the most urgent kind first, then
    the oldest."""
    return [row.id for row in sorted(rows, key=lambda row: (URGENCY.get(row.kind, 9), row.id))]


def area_code(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip().removesuffix("地域").removesuffix("町")
    by_label = {label: code for code, label in AREAS.items()}
    return value.lower() if value.lower() in AREAS else by_label.get(value) or AREA_ALIASES.get(value)


def interest_code(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip()
    by_label = {unicodedata.normalize("NFKC", label): code for code, label in INTERESTS.items()}
    return value.lower() if value.lower() in INTERESTS else by_label.get(value)


# -- recipients and quota ------------------------------------------------------------------------


def estimate_recipients(session: Session, areas: Sequence[str] = (), interests: Sequence[str] = ()) -> int:
    """How many friends a notice with this target would reach if it went now."""
    if not areas and not interests:
        return session.scalar(select(func.count()).select_from(Friend).where(
            Friend.status == FriendStatus.FOLLOWING)) or 0
    if not interests:
        return session.scalar(select(func.count()).select_from(following_friends(areas).subquery())) or 0
    return sum(1 for _ in resolve_recipients(session, areas, interests))


def resolve_recipients(session: Session, areas: Sequence[str], interests: Sequence[str]) -> Iterator[str]:
    """LINE user ids of the friends a notice targets right now (following; blocked ones excluded)."""
    if not interests:
        yield from _user_ids(session, following_friends(areas).with_only_columns(Friend.line_user_id))
        return
    query = following_friends(areas).with_only_columns(Friend.line_user_id, Friend.interests)
    for part in session.connection().execute(query).partitions(RESOLVE_CHUNK):
        yield from (user_id for user_id, chosen in part if wants_any(_Chosen(chosen), interests))  # type: ignore[arg-type]


def _user_ids(session: Session, query: Select[Any]) -> Iterator[str]:
    """One column of plain strings, read with the driver's own cursor in the session's
    transaction: for 100,000 ids SQLAlchemy's row objects cost three to five times the query.
    The query holds only validated area codes and a status, rendered as SQL literals."""
    sql = str(query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while part := cursor.fetchmany(RESOLVE_CHUNK):
            yield from (user_id for (user_id,) in part)
    finally:
        cursor.close()


@dataclass(frozen=True)
class _Chosen:
    """A friend's interests as `friends.wants_any` reads them, without loading the friend."""

    interests: list[str] | None


@dataclass(frozen=True)
class QuotaCheck:
    """Whether a notice fits in what is left of LINE's monthly message allowance."""

    needed: int
    remaining: int | None  # None: no monthly limit (or unknown, see `error`)
    error: str | None = None  # LINE could not be asked

    @property
    def fits(self) -> bool:
        return self.remaining is None or self.needed <= self.remaining


def quota_check(gateway: LineGateway, needed: int) -> QuotaCheck:
    """Ask LINE for the remaining monthly messages and compare (one message per recipient)."""
    from bot.line.gateway import LineApiError

    try:
        quota = gateway.quota()
    except LineApiError as exc:
        return QuotaCheck(needed, None, f"LINEに送信可能数を確認できませんでした（{exc.status}）。")
    return QuotaCheck(needed, quota.remaining)
