"""The notice residents read for an alert: what JMA announced, the 警戒レベル it corresponds to,
what to do, the shelters, and the source. The copy is in messages/catalogue.py; this module only
puts it together. It never says that the city ordered an evacuation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.jma.rules import Change
from bot.jma.telegrams import LANDSLIDE_NAME, Telegram
from messages import catalogue as say


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


def when(moment: datetime | None, zone: tzinfo) -> str:
    if moment is None:
        return "いま"
    local = moment.astimezone(zone)
    return f"{local.month}月{local.day}日{local.hour}時{local.minute:02d}分"


WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _level(level: int | None) -> str:
    return say.JMA_LEVEL.format(level=str(level).translate(WIDE_DIGITS))


def _named(change: Change) -> Change:
    """Kind names as JMA writes them (full-width digits: レベル４土砂災害危険警報)."""
    from dataclasses import replace

    def wide(standing):
        return replace(standing, kind_name=standing.kind_name.translate(WIDE_DIGITS)) if standing else None

    return replace(change, before=wide(change.before), after=wide(change.after))


def _body(lines: list[str], telegram: Telegram, shelters_url: str) -> str:
    return "\n".join([*lines, "", say.JMA_SHELTERS.format(url=shelters_url), say.JMA_CITY_NOTE,
                      say.JMA_SOURCE.format(office=telegram.office or "気象庁")])


def for_change(change: Change, telegram: Telegram, city: str, zone: tzinfo, shelters_url: str) -> Wording:
    """A warning (or 土砂災害警戒情報) issued, changed, or ended for the city."""
    at = when(telegram.report_at, zone)
    change = _named(change)
    before, after = change.before, change.after
    if change.phenomenon == LANDSLIDE_NAME:
        if after is None:
            return Wording(say.JMA_LANDSLIDE_TITLE_CLEARED.format(city=city), _body(
                [say.JMA_LANDSLIDE_CLEARED.format(time=at, city=city, office=telegram.office),
                 say.JMA_AFTER_CLEARED], telegram, shelters_url))
        return Wording(say.JMA_LANDSLIDE_TITLE.format(city=city, level=_level(4)), _body(
            [say.JMA_LANDSLIDE_ISSUED.format(time=at, city=city, office=telegram.office),
             say.JMA_ISSUED_LEVEL.format(level=_level(4)), say.JMA_LANDSLIDE_TODO], telegram, shelters_url))
    if after is None:
        return Wording(say.JMA_TITLE_CLEARED.format(city=city, kind=before.kind_name), _body(
            [say.JMA_CLEARED.format(time=at, city=city, kind=before.kind_name), say.JMA_AFTER_CLEARED],
            telegram, shelters_url))
    if not change.raised:
        return Wording(say.JMA_TITLE_DOWNGRADED.format(city=city, old=before.kind_name, new=after.kind_name), _body(
            [say.JMA_DOWNGRADED.format(time=at, city=city, old=before.kind_name, new=after.kind_name),
             say.JMA_AFTER_CLEARED], telegram, shelters_url))
    lines = [say.JMA_ISSUED.format(time=at, city=city, kind=after.kind_name)]
    if before is not None:
        lines.append(say.JMA_UPGRADED.format(old=before.kind_name))
    if after.level:
        lines.append(say.JMA_ISSUED_LEVEL.format(level=_level(after.level)))
        title = say.JMA_TITLE_ISSUED.format(city=city, kind=after.kind_name, level=_level(after.level))
    else:
        title = say.JMA_TITLE_ISSUED_NO_LEVEL.format(city=city, kind=after.kind_name)
    lines.append(say.JMA_TODO.get(after.level or 0, say.JMA_TODO[0]))
    return Wording(title, _body(lines, telegram, shelters_url))


def for_record_rain(telegram: Telegram, city: str, zone: tzinfo, shelters_url: str) -> Wording:
    text = say.JMA_RAIN.format(time=when(telegram.report_at, zone), lines="\n".join(telegram.lines))
    return Wording(say.JMA_RAIN_TITLE.format(city=city), _body([text, say.JMA_RAIN_TODO], telegram, shelters_url))


def for_quake(telegram: Telegram, city: str, zone: tzinfo, shelters_url: str) -> Wording:
    intensity = say.JMA_INTENSITY.get(telegram.intensity or "", telegram.intensity or "")
    lines = [say.JMA_QUAKE.format(time=when(telegram.origin_at or telegram.report_at, zone), city=city, intensity=intensity)]
    if telegram.place:
        lines.append(say.JMA_QUAKE_PLACE.format(place=telegram.place, magnitude=telegram.magnitude).strip())
    lines.append(say.JMA_QUAKE_TODO)
    return Wording(say.JMA_QUAKE_TITLE.format(city=city, intensity=intensity), _body(lines, telegram, shelters_url))


def correction(original_title: str) -> Wording:
    return Wording(say.JMA_CORRECTION_TITLE, say.JMA_CORRECTION.format(title=original_title))
