"""LINE's rules for rich menu objects and their images (LINE-PLATFORM.md, "Rich menus")."""

import struct

from emulator.line_errors import detail
from emulator.validation import RICH_MENU_ACTIONS, check_action, check_size, check_text

MAX_IMAGE_BYTES = 1024 * 1024
MAX_AREAS = 20


def check_rich_menu(menu):
    """Every problem with a rich menu object, as LINE's `details`."""
    problems = []
    size = menu.get("size")
    if not _is_size(size):
        problems.append(detail("Must be an object with integer width and height", "size"))
        size = None
    else:
        _check_menu_size(size, problems)
    if not isinstance(menu.get("selected"), bool):
        problems.append(detail("Must be a boolean", "selected"))
    check_text(menu.get("name"), "name", 300, problems)
    check_text(menu.get("chatBarText"), "chatBarText", 14, problems)
    areas = check_size(menu.get("areas"), "areas", 1, MAX_AREAS, problems)
    for i, area in enumerate(areas):
        _check_area(area, f"areas[{i}]", size, problems)
    return problems


def _is_size(size):
    return (isinstance(size, dict)
            and all(isinstance(size.get(k), int) and not isinstance(size.get(k), bool)
                    for k in ("width", "height")))


def _check_menu_size(size, problems):
    width, height = size["width"], size["height"]
    if not 800 <= width <= 2500:
        problems.append(detail("Must be between 800 and 2500", "size.width"))
    if height < 250:
        problems.append(detail("Must be at least 250", "size.height"))
    if height > 0 and width / height < 1.45:
        problems.append(detail("The aspect ratio (width / height) must be at least 1.45", "size"))


def _check_area(area, prop, size, problems):
    if not isinstance(area, dict):
        problems.append(detail("Must be an object", prop))
        return
    bounds = area.get("bounds")
    keys = ("x", "y", "width", "height")
    if not isinstance(bounds, dict) or not all(
            isinstance(bounds.get(k), int) and bounds[k] >= 0 for k in keys):
        problems.append(detail("Must have non-negative integers x, y, width, height",
                               f"{prop}.bounds"))
    elif size is not None and (bounds["x"] + bounds["width"] > size["width"]
                               or bounds["y"] + bounds["height"] > size["height"]):
        problems.append(detail("The area must lie inside the rich menu", f"{prop}.bounds"))
    check_action(area.get("action"), f"{prop}.action", problems, RICH_MENU_ACTIONS)


def image_size(data, content_type):
    """(width, height) read from a PNG or JPEG header matching `content_type`, else None."""
    if content_type == "image/png":
        return _png_size(data)
    if content_type == "image/jpeg":
        return _jpeg_size(data)
    return None


def _png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data):
    if data[:2] != b"\xff\xd8":
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
    return None
