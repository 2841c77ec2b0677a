"""What becomes a notice: pure decisions over a telegram and the alert state before it.

Every warning telegram restates the full state of its series, so the state per (series,
phenomenon) is replaced by what the telegram says. Across the two series (H27 and R06) the
same event arrives twice during the transition: what counts is the highest kind in force for a
phenomenon over both series, and a notice goes only when that changes (a new kind, a change of
kind, or its end), never for 継続.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.jma.telegrams import INTENSITIES, KindItem, Standing, in_force, phenomena_mentioned

State = dict[tuple[str, str], Standing]  # (series, phenomenon) -> what is in force


class AlertKind(enum.StrEnum):
    """The kinds staff choose for in the console (send, draft, nothing)."""

    SPECIAL_WARNING = "special_warning"
    DANGER_WARNING = "danger_warning"
    WARNING = "warning"
    ADVISORY = "advisory"
    LANDSLIDE_ALERT = "landslide_alert"
    RECORD_RAIN = "record_rain"
    QUAKE_STRONG = "quake_strong"
    QUAKE = "quake"


KIND_LABELS = {
    AlertKind.SPECIAL_WARNING: "特別警報（警戒レベル５相当）",
    AlertKind.DANGER_WARNING: "危険警報（警戒レベル４相当）",
    AlertKind.WARNING: "警報",
    AlertKind.ADVISORY: "注意報",
    AlertKind.LANDSLIDE_ALERT: "土砂災害警戒情報（警戒レベル４相当）",
    AlertKind.RECORD_RAIN: "記録的短時間大雨情報",
    AlertKind.QUAKE_STRONG: "地震（震度４以上）",
    AlertKind.QUAKE: "地震（設定した震度以上、震度４未満）",
}
# Kinds corresponding to 警戒レベル４ or more: only these may switch the account to disaster mode.
LEVEL_4_KINDS = frozenset({AlertKind.SPECIAL_WARNING, AlertKind.DANGER_WARNING, AlertKind.LANDSLIDE_ALERT})
GRADE_KINDS = {"special": AlertKind.SPECIAL_WARNING, "danger": AlertKind.DANGER_WARNING,
               "warning": AlertKind.WARNING, "advisory": AlertKind.ADVISORY, "alert": AlertKind.LANDSLIDE_ALERT}


@dataclass(frozen=True)
class Change:
    """What is in force for a phenomenon changed: before and after (None: nothing)."""

    phenomenon: str
    before: Standing | None
    after: Standing | None
    news: bool  # the telegram says so (発表, 解除, a change), not only 継続

    @property
    def kind(self) -> AlertKind:
        """The kind whose setting decides: the higher of before and after."""
        higher = max((s for s in (self.before, self.after) if s), key=lambda s: s.rank)
        return GRADE_KINDS[higher.grade]

    @property
    def raised(self) -> bool:
        return self.after is not None and (self.before is None or self.after.rank > self.before.rank)


def highest(state: State, phenomenon: str) -> Standing | None:
    found = [s for (_series, p), s in state.items() if p == phenomenon]
    return max(found, key=lambda s: s.rank) if found else None


def apply_series(state: State, series: str, items: list[KindItem]) -> tuple[State, list[Change]]:
    """The state after a telegram of `series` with these items for the city, and what changed."""
    now_in_force = in_force(items)
    news = phenomena_mentioned(items)
    after = {key: s for key, s in state.items() if key[0] != series}
    after.update({(series, phenomenon): s for phenomenon, s in now_in_force.items()})
    changes = []
    for phenomenon in sorted({p for _s, p in state} | {p for _s, p in after}):
        old, new = highest(state, phenomenon), highest(after, phenomenon)
        if (old.rank if old else None) != (new.rank if new else None):
            changes.append(Change(phenomenon, old, new, news.get(phenomenon, old is not None)))
    return after, changes


def quake_kind(intensity: str | None, minimum: str) -> AlertKind | None:
    """The earthquake kind for the city's intensity, or None below the threshold."""
    if intensity is None or INTENSITIES.index(intensity) < INTENSITIES.index(minimum):
        return None
    return AlertKind.QUAKE_STRONG if INTENSITIES.index(intensity) >= INTENSITIES.index("4") else AlertKind.QUAKE
