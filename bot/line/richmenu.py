"""The rich menu residents see under the chat: defined as data in `content/richmenu/`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.config import PROJECT_ROOT
from bot.line.gateway import LineGateway

MENU_DIR = PROJECT_ROOT / "content" / "richmenu"
COLUMNS, ROWS = 3, 2


def load_definition(path: Path = MENU_DIR / "main.json") -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def menu_request(definition: dict[str, Any]) -> dict[str, Any]:
    """LINE's rich-menu object: the tiles laid out as a 3 x 2 grid of tappable areas."""
    width, height = definition["size"]["width"], definition["size"]["height"]
    tile_w, tile_h = width // COLUMNS, height // ROWS
    areas = []
    for i, tile in enumerate(definition["tiles"]):
        x, y = (i % COLUMNS) * tile_w, (i // COLUMNS) * tile_h
        last_column, last_row = i % COLUMNS == COLUMNS - 1, i // COLUMNS == ROWS - 1
        bounds = {
            "x": x,
            "y": y,
            "width": width - x if last_column else tile_w,
            "height": height - y if last_row else tile_h,
        }
        areas.append({"bounds": bounds, "action": {**tile["action"], "label": tile["label"][:20]}})
    return {
        "size": definition["size"],
        "selected": definition.get("selected", True),
        "name": definition["name"],
        "chatBarText": definition["chatBarText"],
        "areas": areas,
    }


def publish(gateway: LineGateway, definition: dict[str, Any], image: bytes) -> str:
    """Make this menu every friend's default, then remove older menus of the same name."""
    menu_id = gateway.create_rich_menu(menu_request(definition), image, "image/png")
    gateway.set_default_rich_menu(menu_id)
    for old_id, name in gateway.rich_menus():
        if name == definition["name"] and old_id != menu_id:
            gateway.delete_rich_menu(old_id)
    return menu_id
