"""What a JMA telegram says about one city: pure functions over the parsed XML.

Handled: 気象警報・注意報 in both series (H27: VPWW54; R06: VPWW55-61, kind names carrying the
level), 土砂災害警戒情報 (VXWW50), 記録的短時間大雨情報 (VPOA50) and 震源・震度に関する情報
(VXSE53). Names use full-width digits, so every text is NFKC-normalised before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

JMX = "{http://xml.kishou.go.jp/jmaxml1/}"
HEAD = "{http://xml.kishou.go.jp/jmaxml1/informationBasis1/}"
MET = "{http://xml.kishou.go.jp/jmaxml1/body/meteorology1/}"
SEIS = "{http://xml.kishou.go.jp/jmaxml1/body/seismology1/}"
EB = "{http://xml.kishou.go.jp/jmaxml1/elementBasis1/}"

WARNING, LANDSLIDE, RECORD_RAIN, QUAKE = "warning", "landslide", "record_rain", "quake"
WARNING_TITLES = ("気象警報・注意報(H27)", "気象警報・注意報(R06)")
FAMILIES = {"土砂災害警戒情報": LANDSLIDE, "記録的短時間大雨情報": RECORD_RAIN, "震源・震度に関する情報": QUAKE}
INTENSITIES = ("1", "2", "3", "4", "5-", "5+", "6-", "6+", "7")


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def family_of(title: str) -> str | None:
    """Which kind of telegram a (NFKC) Control/Title or feed entry title is; None: not ours."""
    title = nfkc(title)
    if title.startswith(WARNING_TITLES):
        return WARNING
    return FAMILIES.get(title)


@dataclass(frozen=True)
class KindItem:
    """One kind in force (or ending) for the city: its name and its status (発表, 継続, 解除...)."""

    name: str
    status: str


@dataclass(frozen=True)
class Telegram:
    family: str
    title: str  # Control/Title, NFKC: the series
    status: str  # Control/Status: 通常, 訓練, 試験
    office: str
    info_type: str  # 発表, 訂正, 取消
    report_at: datetime | None
    event_id: str
    kinds: list[KindItem] = field(default_factory=list)  # warnings and 土砂災害警戒情報 for the city
    lines: list[str] = field(default_factory=list)  # 記録的短時間大雨: the headline lines naming the city
    intensity: str | None = None  # earthquakes: the city's MaxInt
    place: str = ""
    magnitude: str = ""
    origin_at: datetime | None = None

    @property
    def event_key(self) -> str:
        """What a 取消 refers to: the same event (earthquakes) or the office's previous telegram."""
        return f"{self.title}|{self.event_id or self.office}"


def read(root: Element, city_code: str, city_name: str) -> Telegram | None:
    """The telegram's meaning for the city; None for a document that is not one we handle."""
    if root.tag != f"{JMX}Report":
        return None
    title = nfkc(root.findtext(f"{JMX}Control/{JMX}Title"))
    family = family_of(title)
    if family is None:
        return None
    head = root.find(f"{HEAD}Head")
    if head is None:
        raise ValueError("no Head")
    telegram = Telegram(
        family=family, title=title,
        status=nfkc(root.findtext(f"{JMX}Control/{JMX}Status")),
        office=nfkc(root.findtext(f"{JMX}Control/{JMX}PublishingOffice")),
        info_type=nfkc(head.findtext(f"{HEAD}InfoType")),
        report_at=_time(head.findtext(f"{HEAD}ReportDateTime")),
        event_id=nfkc(head.findtext(f"{HEAD}EventID")),
    )
    if telegram.info_type == "取消":
        return telegram
    if family in (WARNING, LANDSLIDE):
        kind = "気象警報・注意報(市町村等)" if family == WARNING else "土砂災害警戒情報"
        return _with(telegram, kinds=_city_kinds(root, kind, city_code))
    if family == RECORD_RAIN:
        text = nfkc(head.findtext(f"{HEAD}Headline/{HEAD}Text"))
        return _with(telegram, lines=[line for line in text.splitlines() if city_name and city_name in line])
    return _quake(root, telegram, city_code)


def _with(telegram: Telegram, **changes) -> Telegram:
    from dataclasses import replace

    return replace(telegram, **changes)


def _time(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(nfkc(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _city_kinds(root: Element, warning_type: str, city_code: str) -> list[KindItem]:
    kinds = []
    for warning in root.iter(f"{MET}Warning"):
        if nfkc(warning.get("type")) != warning_type:
            continue
        for item in warning.iter(f"{MET}Item"):
            if nfkc(item.findtext(f"{MET}Area/{MET}Code")) != city_code:
                continue
            for kind in item.findall(f"{MET}Kind"):
                kinds.append(KindItem(nfkc(kind.findtext(f"{MET}Name")), nfkc(kind.findtext(f"{MET}Status"))))
    return kinds


def _quake(root: Element, telegram: Telegram, city_code: str) -> Telegram:
    body = root.find(f"{SEIS}Body")
    if body is None:
        raise ValueError("no Body")
    intensity = None
    for city in body.iter(f"{SEIS}City"):
        if nfkc(city.findtext(f"{SEIS}Code")) == city_code:
            intensity = nfkc(city.findtext(f"{SEIS}MaxInt")) or None
    if intensity is not None and intensity not in INTENSITIES:
        raise ValueError(f"unknown MaxInt {intensity!r}")
    magnitude = body.find(f"{SEIS}Earthquake/{EB}Magnitude")
    return _with(
        telegram, intensity=intensity,
        place=nfkc(body.findtext(f"{SEIS}Earthquake/{SEIS}Hypocenter/{SEIS}Area/{SEIS}Name")),
        magnitude=nfkc(magnitude.get("description")) if magnitude is not None else "",
        origin_at=_time(body.findtext(f"{SEIS}Earthquake/{SEIS}OriginTime")),
    )


# -- warning kinds: phenomenon, grade, level ---------------------------------------------------

GRADES = {"advisory": 1, "warning": 2, "alert": 3, "danger": 3, "special": 4}  # rank
SUFFIXES = (("特別警報", "special"), ("危険警報", "danger"), ("警報", "warning"), ("注意報", "advisory"))
# The H27 series does not carry the level in the name; these are JMA's correspondences.
H27_LEVELS = {"大雨特別警報": 5, "大雨警報": 3, "洪水警報": 3, "大雨注意報": 2, "洪水注意報": 2}
LEVEL_PREFIX = re.compile(r"^レベル(\d)")
INACTIVE = ("解除", "なし", "発表警報・注意報はなし")
LANDSLIDE_NAME = "土砂災害警戒情報"


@dataclass(frozen=True)
class Standing:
    """One kind in force for a phenomenon (大雨, 土砂災害, 暴風...)."""

    kind_name: str
    grade: str
    level: int | None

    @property
    def rank(self) -> tuple[int, int]:
        return GRADES[self.grade], self.level or 0


def classify(name: str) -> tuple[str, Standing] | None:
    """(phenomenon, standing) for a kind name in either series, e.g. レベル4土砂災害危険警報 →
    (土砂災害, danger, 4) and 大雨警報 → (大雨, warning, 3); None for names we do not know."""
    name = nfkc(name)
    if name == LANDSLIDE_NAME:
        return LANDSLIDE_NAME, Standing(name, "alert", 4)
    match = LEVEL_PREFIX.match(name)
    rest = name[match.end():] if match else name
    for suffix, grade in SUFFIXES:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            level = int(match.group(1)) if match else H27_LEVELS.get(name)
            return rest[: -len(suffix)], Standing(name, grade, level)
    return None


def in_force(items: list[KindItem]) -> dict[str, Standing]:
    """The highest kind in force per phenomenon, from a telegram's items for the city."""
    standing: dict[str, Standing] = {}
    for item in items:
        if item.status in INACTIVE or item.name in INACTIVE:
            continue
        name = LANDSLIDE_NAME if item.name == "警戒" else item.name
        known = classify(name)
        if known and (known[0] not in standing or known[1].rank > standing[known[0]].rank):
            standing[known[0]] = known[1]
    return standing


def phenomena_mentioned(items: list[KindItem]) -> dict[str, bool]:
    """Per phenomenon named in the items: whether any of its items is news (not 継続)."""
    news: dict[str, bool] = {}
    for item in items:
        known = classify(LANDSLIDE_NAME if item.name in ("警戒", "解除") and item.status else item.name)
        if known:
            news[known[0]] = news.get(known[0], False) or item.status != "継続"
    return news
