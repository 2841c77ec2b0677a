"""The rich menus residents see under the chat, defined as data in `content/richmenu/*.json`.

One file is one menu. The normal set (くらし / 防災 / 手続き) is a row of tabs: each menu draws
the tab bar at its top and switches tabs with LINE's `richmenuswitch` action and rich menu
aliases (the alias of a menu is its `alias`, which is also its file's name). The disaster set is
the menu every friend sees in disaster mode (`bot/disaster/mode.py`), with a banner that leads
back to the normal menus.

`layout()` is the one place that decides where every tab and tile is: the tappable areas sent
to LINE and the image drawn by `bot/line/richmenu_images.py` both come from it, so they agree.
The images are committed (`python -m bot richmenu render` redraws them), so publishing needs no
Pillow and no font.

`publish()` is idempotent. A menu's LINE name carries a hash of its definition and image; a
menu whose name is already on LINE is reused, a changed one is created anew (an image cannot be
replaced), its alias is pointed at it, the default menu is set, and only then are menus of ours
that nothing uses any more deleted. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import PROJECT_ROOT
from messages.actions import Action

if TYPE_CHECKING:
    from bot.line.gateway import LineGateway

log = logging.getLogger(__name__)

MENU_DIR = PROJECT_ROOT / "content" / "richmenu"
NAME_PREFIX = "mine-"  # every menu this code manages; others on the channel are left alone
NORMAL_SET, DISASTER_SET = "normal", "disaster"
BAR_HEIGHT_RATIO = 0.15  # the tab bar (or the disaster banner): 15% of the image's height
SWITCH_SHARE = 0.36  # the banner's 「ふだんのメニューへ」 button: the right 36%


@dataclass(frozen=True)
class Menu:
    """One rich menu as its file describes it."""

    alias: str
    menu_set: str
    order: int
    chat_bar_text: str
    width: int
    height: int
    columns: int
    tiles: list[dict[str, Any]]
    tab: str = ""
    banner: dict[str, str] = field(default_factory=dict)

    @property
    def name_prefix(self) -> str:
        return f"{NAME_PREFIX}{self.alias}-"

    @property
    def image_path(self) -> Path:
        return MENU_DIR / f"{self.alias}.png"


@dataclass(frozen=True)
class Area:
    """A rectangle of the menu: what is drawn there and what a tap does (None: nothing)."""

    x: int
    y: int
    width: int
    height: int
    kind: str  # "tab", "current-tab", "banner", "banner-switch" or "tile"
    label: str
    sub: str = ""
    color: str = "#FFFFFF"
    action: dict[str, Any] | None = None


def load_menus(directory: Path = MENU_DIR) -> list[Menu]:
    """Every menu, the normal set first, each set in its tab order."""
    menus = [_menu(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(directory.glob("*.json"))]
    return sorted(menus, key=lambda m: (m.menu_set != NORMAL_SET, m.menu_set, m.order))


def _menu(raw: dict[str, Any]) -> Menu:
    return Menu(
        alias=raw["alias"], menu_set=raw["set"], order=raw["order"], chat_bar_text=raw["chatBarText"],
        width=raw["size"]["width"], height=raw["size"]["height"], columns=raw["columns"], tiles=raw["tiles"],
        tab=raw.get("tab", ""), banner=raw.get("banner", {}),
    )


def first_of(menus: list[Menu], menu_set: str) -> Menu:
    """The menu a set opens on (the default menu while that set is in use)."""
    return next(m for m in menus if m.menu_set == menu_set)


# -- layout --------------------------------------------------------------------------------

def layout(menu: Menu, menus: list[Menu], public_base_url: str = "") -> list[Area]:
    """Every area of `menu`: the tab bar (or banner) across the top, then the tiles in a grid."""
    bar = round(menu.height * BAR_HEIGHT_RATIO)
    top = _banner(menu, bar) if menu.banner else _tab_bar(menu, menus, bar)
    return top + _tiles(menu, bar, public_base_url)


def _tab_bar(menu: Menu, menus: list[Menu], bar: int) -> list[Area]:
    tabs = [m for m in menus if m.menu_set == menu.menu_set]
    areas = []
    for i, (x, width) in enumerate(_split(menu.width, len(tabs))):
        tab = tabs[i]
        if tab.alias == menu.alias:
            areas.append(Area(x, 0, width, bar, "current-tab", tab.tab))  # already open: no action
        else:
            areas.append(Area(x, 0, width, bar, "tab", tab.tab, action=switch_action(tab.alias, tab.tab)))
    return areas


def _banner(menu: Menu, bar: int) -> list[Area]:
    banner = menu.banner
    switch_width = round(menu.width * SWITCH_SHARE)
    title_width = menu.width - switch_width
    return [
        Area(0, 0, title_width, bar, "banner", banner["text"], color=banner["color"]),
        Area(title_width, 0, switch_width, bar, "banner-switch", banner["switch"], color=banner["color"],
             action=switch_action(banner["to"], banner["switch"])),
    ]


def _tiles(menu: Menu, top: int, public_base_url: str) -> list[Area]:
    rows = -(-len(menu.tiles) // menu.columns)
    columns, row_spans = _split(menu.width, menu.columns), _split(menu.height - top, rows)
    areas = []
    for i, tile in enumerate(menu.tiles):
        (x, width), (y, height) = columns[i % menu.columns], row_spans[i // menu.columns]
        areas.append(Area(x, top + y, width, height, "tile", tile["label"], tile.get("sub", ""), tile["color"],
                          tile_action(tile, public_base_url)))
    return areas


def _split(length: int, parts: int) -> list[tuple[int, int]]:
    """(start, size) of `parts` near-equal spans covering `length` exactly."""
    edges = [round(length * i / parts) for i in range(parts + 1)]
    return [(edges[i], edges[i + 1] - edges[i]) for i in range(parts)]


def switch_action(alias: str, label: str) -> dict[str, Any]:
    """Open another tab; LINE also sends the bot a postback, which needs no answer."""
    return {"type": "richmenuswitch", "richMenuAliasId": alias, "data": f"action={Action.RICHMENU_TAB}&tab={alias}",
            "label": label[:20]}


def tile_action(tile: dict[str, Any], public_base_url: str) -> dict[str, Any]:
    """A tile's action from its file: `postback` (an action of messages/actions.py), `message` or `uri`."""
    label = tile["label"][:20]
    if "postback" in tile:
        return {"type": "postback", "data": f"action={tile['postback']}", "displayText": tile["label"], "label": label}
    if "message" in tile:
        return {"type": "message", "text": tile["message"], "label": label}
    return {"type": "uri", "uri": tile["uri"].format(public_base_url=public_base_url), "label": label}


def menu_request(menu: Menu, menus: list[Menu], public_base_url: str, name: str = "") -> dict[str, Any]:
    """LINE's rich-menu object for `menu` (its name carries the content hash, see `publish`)."""
    areas = [
        {"bounds": {"x": a.x, "y": a.y, "width": a.width, "height": a.height}, "action": a.action}
        for a in layout(menu, menus, public_base_url) if a.action is not None
    ]
    return {
        "size": {"width": menu.width, "height": menu.height},
        "selected": True,  # shown open when the chat opens
        "name": name or menu.name_prefix,
        "chatBarText": menu.chat_bar_text,
        "areas": areas,
    }


def content_name(menu: Menu, menus: list[Menu], public_base_url: str, image: bytes) -> str:
    """`mine-<alias>-<hash of the definition and the image>`: equal names, equal menus."""
    request = json.dumps(menu_request(menu, menus, public_base_url), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(request.encode() + image).hexdigest()[:16]
    return f"{menu.name_prefix}{digest}"


# -- publishing ----------------------------------------------------------------------------

@dataclass
class Published:
    """What a publish found and did; `changes` is empty when LINE was already up to date."""

    menu_ids: dict[str, str]  # alias -> rich menu id
    default_id: str
    changes: list[str]


def publish(gateway: LineGateway, public_base_url: str, *, disaster: bool, menus: list[Menu] | None = None) -> Published:
    """Make LINE show the menus of content/richmenu: create what changed, point the aliases,
    set the default (the disaster menu while `disaster`, else the first tab), delete the rest."""
    menus = menus if menus is not None else load_menus()
    on_line = dict(gateway.rich_menus())  # id -> name
    by_name = {name: menu_id for menu_id, name in on_line.items()}
    changes: list[str] = []
    menu_ids = {}
    for menu in menus:
        image = menu.image_path.read_bytes()
        name = content_name(menu, menus, public_base_url, image)
        menu_id = by_name.get(name)
        if menu_id is None:
            menu_id = gateway.create_rich_menu(menu_request(menu, menus, public_base_url, name), image, "image/png")
            changes.append(f"created {menu.alias}: {menu_id}")
        menu_ids[menu.alias] = menu_id
    changes += _point_aliases(gateway, menu_ids)
    default_id = menu_ids[first_of(menus, DISASTER_SET if disaster else NORMAL_SET).alias]
    if gateway.default_rich_menu_id() != default_id:
        gateway.set_default_rich_menu(default_id)
        changes.append(f"default: {default_id}")
    in_use = set(menu_ids.values())
    for menu_id, name in on_line.items():
        if name.startswith(NAME_PREFIX) and menu_id not in in_use:
            gateway.delete_rich_menu(menu_id)
            changes.append(f"deleted {name}: {menu_id}")
    for change in changes:
        log.info("rich menu %s", change)
    return Published(menu_ids, default_id, changes)


def _point_aliases(gateway: LineGateway, menu_ids: dict[str, str]) -> list[str]:
    aliases = dict(gateway.rich_menu_aliases())
    changes = []
    for alias, menu_id in menu_ids.items():
        if alias not in aliases:
            gateway.create_rich_menu_alias(alias, menu_id)
            changes.append(f"alias {alias} created")
        elif aliases[alias] != menu_id:
            gateway.update_rich_menu_alias(alias, menu_id)
            changes.append(f"alias {alias} updated")
    return changes
