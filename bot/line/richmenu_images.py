"""Draw the rich-menu images from their definitions (`python -m bot richmenu render`).

Needs Pillow (a development dependency) and Debian's fonts-noto-cjk. The PNGs are committed,
so publishing in production needs neither. Every area is drawn where `richmenu.layout()` puts
it, so what a resident sees is where they tap.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from bot.line.richmenu import Area, Menu, layout

FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
MAX_BYTES = 1_000_000  # LINE's limit for a rich-menu image
INK, SOFT_INK, LINE_COLOR = "#1F2A30", "#44525A", "#B0B7BD"
TAB_OFF, TAB_ON, TAB_ACCENT = "#DDE3E7", "#FFFFFF", "#06C755"


def fitting_font(draw: ImageDraw.ImageDraw, text: str, path: str, size: int, max_width: float) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which `text` fits `max_width`."""
    while True:
        font = ImageFont.truetype(path, size, index=0)
        if draw.textlength(text, font=font) <= max_width or size <= 40:
            return font
        size -= 4


def render(menu: Menu, menus: list[Menu]) -> bytes:
    """The menu's PNG: its tab bar or banner, then its tiles."""
    image = Image.new("RGB", (menu.width, menu.height), "white")
    draw = ImageDraw.Draw(image)
    for area in layout(menu, menus):
        DRAWERS[area.kind](draw, area)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _tile(draw: ImageDraw.ImageDraw, a: Area) -> None:
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + a.height], fill=a.color, outline=LINE_COLOR, width=6)
    cx = a.x + a.width // 2
    title = fitting_font(draw, a.label, FONT_BOLD, 130, a.width * 0.86)
    draw.text((cx, a.y + a.height * 0.42), a.label, font=title, fill=INK, anchor="mm")
    if a.sub:
        sub = fitting_font(draw, a.sub, FONT_REGULAR, 68, a.width * 0.86)
        draw.text((cx, a.y + a.height * 0.70), a.sub, font=sub, fill=SOFT_INK, anchor="mm")


def _tab(draw: ImageDraw.ImageDraw, a: Area) -> None:
    """A closed tab: grey, with a line under it."""
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + a.height], fill=TAB_OFF, outline=LINE_COLOR, width=4)
    font = fitting_font(draw, a.label, FONT_REGULAR, 96, a.width * 0.8)
    draw.text((a.x + a.width // 2, a.y + a.height // 2), a.label, font=font, fill=SOFT_INK, anchor="mm")


def _current_tab(draw: ImageDraw.ImageDraw, a: Area) -> None:
    """The open tab: white, bold, a green bar on top and no line under it."""
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + a.height], fill=TAB_ON)
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + 24], fill=TAB_ACCENT)
    font = fitting_font(draw, a.label, FONT_BOLD, 104, a.width * 0.8)
    draw.text((a.x + a.width // 2, a.y + a.height // 2 + 8), a.label, font=font, fill=INK, anchor="mm")


def _banner(draw: ImageDraw.ImageDraw, a: Area) -> None:
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + a.height], fill=a.color)
    font = fitting_font(draw, a.label, FONT_BOLD, 110, a.width * 0.9)
    draw.text((a.x + 60, a.y + a.height // 2), a.label, font=font, fill="white", anchor="lm")


def _banner_switch(draw: ImageDraw.ImageDraw, a: Area) -> None:
    """A white button on the banner, so it reads as something to tap."""
    draw.rectangle([a.x, a.y, a.x + a.width, a.y + a.height], fill=a.color)
    margin = a.height // 6
    draw.rounded_rectangle([a.x + margin, a.y + margin, a.x + a.width - margin, a.y + a.height - margin],
                           radius=margin, fill="white")
    font = fitting_font(draw, a.label + " ›", FONT_BOLD, 80, a.width * 0.8)
    draw.text((a.x + a.width // 2, a.y + a.height // 2), a.label + " ›", font=font, fill=a.color, anchor="mm")


DRAWERS = {"tile": _tile, "tab": _tab, "current-tab": _current_tab, "banner": _banner, "banner-switch": _banner_switch}
