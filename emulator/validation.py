"""Field and action checks shared by messages and rich menus (LINE-PLATFORM.md limits).

Each check appends `{"message", "property"}` details to a list, so one answer reports every
error, as LINE does.
"""

import json

from emulator.line_errors import detail

MAX_LABEL = 20

TEMPLATE_ACTIONS = {"postback", "message", "uri", "datetimepicker", "clipboard"}
QUICK_REPLY_ACTIONS = TEMPLATE_ACTIONS | {"camera", "cameraRoll", "location"}
RICH_MENU_ACTIONS = TEMPLATE_ACTIONS | {"richmenuswitch"}


def utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def check_text(value, prop, max_len, problems, required=True, utf16=False):
    """A string field of at most `max_len` characters (at least 1 when required)."""
    if value is None:
        if required:
            problems.append(detail("Must be specified", prop))
        return
    if not isinstance(value, str):
        problems.append(detail("Must be a string", prop))
        return
    length = utf16_len(value) if utf16 else len(value)
    least = 1 if required else 0
    if not least <= length <= max_len:
        problems.append(detail(f"Length must be between {least} and {max_len}", prop))


def check_size(items, prop, least, most, problems):
    """A list of `least`..`most` items; returns the list, or [] when it is not one."""
    if not isinstance(items, list):
        problems.append(detail("Must be an array", prop))
        return []
    if not least <= len(items) <= most:
        problems.append(detail(f"Size must be between {least} and {most}", prop))
    return items


def check_number(value, prop, problems):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        problems.append(detail("Must be a number", prop))


ACTION_FIELDS = {
    # action type -> [(field, max length, required)]
    "postback": [("data", 300, True), ("displayText", 300, False), ("text", 300, False)],
    "message": [("text", 300, True)],
    "uri": [("uri", 1000, True)],
    "datetimepicker": [("data", 300, True)],
    "camera": [],
    "cameraRoll": [],
    "location": [],
    "richmenuswitch": [("richMenuAliasId", 32, True), ("data", 300, True)],
    "clipboard": [("clipboardText", 1000, True)],
}


def check_action(action, prop, problems, allowed=TEMPLATE_ACTIONS, label_required=False):
    if not isinstance(action, dict):
        problems.append(detail("Must be an object", prop))
        return
    kind = action.get("type")
    if kind not in allowed:
        problems.append(detail(f"Must be one of the following values: {sorted(allowed)}",
                               f"{prop}.type"))
        return
    check_text(action.get("label"), f"{prop}.label", MAX_LABEL, problems, label_required)
    for name, max_len, required in ACTION_FIELDS[kind]:
        check_text(action.get(name), f"{prop}.{name}", max_len, problems, required)
    if kind == "datetimepicker" and action.get("mode") not in ("date", "time", "datetime"):
        problems.append(detail("Must be one of the following values: [date, time, datetime]",
                               f"{prop}.mode"))


def json_size(value):
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
