"""Render `content/richmenu/main.png` from `content/richmenu/main.json` (a development tool).

Needs Pillow and Debian's fonts-noto-cjk; the PNG is committed, so deployment needs neither.
Run: .venv/bin/python tools/render_richmenu.py
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
MAX_BYTES = 1_000_000  # LINE's limit for a rich-menu image


def fitting_font(draw: ImageDraw.ImageDraw, text: str, path: str, size: int, max_width: float) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which `text` fits `max_width`."""
    while True:
        font = ImageFont.truetype(path, size, index=0)
        if draw.textlength(text, font=font) <= max_width or size <= 40:
            return font
        size -= 4


def render(definition: dict) -> bytes:
    width, height = definition["size"]["width"], definition["size"]["height"]
    columns, rows = 3, 2
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    tile_w, tile_h = width // columns, height // rows
    for i, tile in enumerate(definition["tiles"]):
        x, y = (i % columns) * tile_w, (i // columns) * tile_h
        draw.rectangle([x, y, x + tile_w, y + tile_h], fill=tile["color"], outline="#B0B7BD", width=6)
        cx = x + tile_w // 2
        title_font = fitting_font(draw, tile["label"], FONT_BOLD, 130, tile_w * 0.88)
        sub_font = fitting_font(draw, tile["sub"], FONT_REGULAR, 68, tile_w * 0.88)
        draw.text((cx, y + tile_h * 0.44), tile["label"], font=title_font, fill="#1F2A30", anchor="mm")
        draw.text((cx, y + tile_h * 0.70), tile["sub"], font=sub_font, fill="#44525A", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main() -> int:
    definition = json.loads((ROOT / "content/richmenu/main.json").read_text(encoding="utf-8"))
    png = render(definition)
    if len(png) > MAX_BYTES:
        print(f"image is {len(png)} bytes; LINE accepts at most {MAX_BYTES}", file=sys.stderr)
        return 1
    (ROOT / "content/richmenu/main.png").write_bytes(png)
    print(f"wrote content/richmenu/main.png ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
