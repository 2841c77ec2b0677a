"""LINE's limits on message objects: count, text length, quick replies, templates, Flex.

Text lengths count UTF-16 code units. A Flex bubble's size is its compact UTF-8 JSON, with
1 KB = 1,024 bytes. Flex components are not checked one by one, but every action inside is.
"""

from emulator.line_errors import detail
from emulator.validation import (
    QUICK_REPLY_ACTIONS, check_action, check_number, check_size, check_text, json_size,
)

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL_BUBBLES = 12


def check_messages(messages):
    """Every problem with a request's `messages`, as LINE's `details`."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return [detail(f"Size must be between 1 and {MAX_MESSAGES}", "messages")]
    problems = []
    for i, message in enumerate(messages):
        check_message(message, f"messages[{i}]", problems)
    return problems


def check_message(message, prop, problems):
    if not isinstance(message, dict):
        problems.append(detail("Must be an object", prop))
        return
    check = MESSAGE_CHECKS.get(message.get("type"))
    if check is None:
        problems.append(detail(f"Must be one of the following values: {sorted(MESSAGE_CHECKS)}",
                               f"{prop}.type"))
        return
    check(message, prop, problems)
    if message.get("quickReply") is not None:
        check_quick_reply(message["quickReply"], f"{prop}.quickReply", problems)


def check_quick_reply(quick_reply, prop, problems):
    if not isinstance(quick_reply, dict):
        problems.append(detail("Must be an object", prop))
        return
    items = check_size(quick_reply.get("items"), f"{prop}.items", 1, MAX_QUICK_REPLY_ITEMS,
                       problems)
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") != "action":
            problems.append(detail("Must be an object of type action", f"{prop}.items[{i}]"))
            continue
        check_action(item.get("action"), f"{prop}.items[{i}].action", problems,
                     QUICK_REPLY_ACTIONS, label_required=True)


def check_text_message(message, prop, problems):
    check_text(message.get("text"), f"{prop}.text", MAX_TEXT, problems, utf16=True)


def check_sticker(message, prop, problems):
    for name in ("packageId", "stickerId"):
        check_text(message.get(name), f"{prop}.{name}", 100, problems)


def check_media(message, prop, problems):
    check_text(message.get("originalContentUrl"), f"{prop}.originalContentUrl", 2000, problems)
    if message["type"] == "audio":
        check_number(message.get("duration"), f"{prop}.duration", problems)
    else:
        check_text(message.get("previewImageUrl"), f"{prop}.previewImageUrl", 2000, problems)


def check_location(message, prop, problems):
    check_text(message.get("title"), f"{prop}.title", 100, problems)
    check_text(message.get("address"), f"{prop}.address", 100, problems)
    check_number(message.get("latitude"), f"{prop}.latitude", problems)
    check_number(message.get("longitude"), f"{prop}.longitude", problems)


def check_imagemap(message, prop, problems):
    check_text(message.get("baseUrl"), f"{prop}.baseUrl", 2000, problems)
    check_text(message.get("altText"), f"{prop}.altText", 1500, problems)
    check_size(message.get("actions"), f"{prop}.actions", 1, 50, problems)


def check_template(message, prop, problems):
    check_text(message.get("altText"), f"{prop}.altText", 400, problems)
    template = message.get("template")
    prop = f"{prop}.template"
    check = TEMPLATE_CHECKS.get(template.get("type")) if isinstance(template, dict) else None
    if check is None:
        problems.append(detail(f"Must be one of the following values: {sorted(TEMPLATE_CHECKS)}",
                               f"{prop}.type"))
        return
    check(template, prop, problems)


def check_template_actions(actions, prop, least, most, problems):
    for i, action in enumerate(check_size(actions, prop, least, most, problems)):
        check_action(action, f"{prop}[{i}]", problems, label_required=True)


def check_column_text(column, prop, with_image_or_title_max, plain_max, problems):
    """Buttons and carousel text is shorter when the column also has an image or a title."""
    decorated = column.get("thumbnailImageUrl") or column.get("title")
    check_text(column.get("text"), f"{prop}.text",
               with_image_or_title_max if decorated else plain_max, problems)
    check_text(column.get("title"), f"{prop}.title", 40, problems, required=False)
    if column.get("defaultAction") is not None:
        check_action(column["defaultAction"], f"{prop}.defaultAction", problems)


def check_buttons(template, prop, problems):
    check_column_text(template, prop, 60, 160, problems)
    check_template_actions(template.get("actions"), f"{prop}.actions", 1, 4, problems)


def check_confirm(template, prop, problems):
    check_text(template.get("text"), f"{prop}.text", 240, problems)
    check_template_actions(template.get("actions"), f"{prop}.actions", 2, 2, problems)


def template_columns(template, prop, problems):
    """(column, its property path) for each column that is an object; 1 to 10 columns."""
    columns = check_size(template.get("columns"), f"{prop}.columns", 1, 10, problems)
    for i, column in enumerate(columns):
        column_prop = f"{prop}.columns[{i}]"
        if isinstance(column, dict):
            yield column, column_prop
        else:
            problems.append(detail("Must be an object", column_prop))


def check_carousel(template, prop, problems):
    for column, column_prop in template_columns(template, prop, problems):
        check_column_text(column, column_prop, 60, 120, problems)
        check_template_actions(column.get("actions"), f"{column_prop}.actions", 1, 3, problems)


def check_image_carousel(template, prop, problems):
    for column, column_prop in template_columns(template, prop, problems):
        check_text(column.get("imageUrl"), f"{column_prop}.imageUrl", 2000, problems)
        check_action(column.get("action"), f"{column_prop}.action", problems)


def check_flex(message, prop, problems):
    check_text(message.get("altText"), f"{prop}.altText", 1500, problems)
    contents = message.get("contents")
    prop = f"{prop}.contents"
    kind = contents.get("type") if isinstance(contents, dict) else None
    if kind == "bubble":
        check_bubble(contents, prop, problems)
    elif kind == "carousel":
        bubbles = check_size(contents.get("contents"), f"{prop}.contents", 1,
                             MAX_CAROUSEL_BUBBLES, problems)
        for i, bubble in enumerate(bubbles):
            check_bubble(bubble, f"{prop}.contents[{i}]", problems)
        if json_size(contents) > MAX_CAROUSEL_BYTES:
            problems.append(detail("A carousel's JSON must be at most 50 KB", prop))
    else:
        problems.append(detail("Must be one of the following values: [bubble, carousel]",
                               f"{prop}.type"))


def check_bubble(bubble, prop, problems):
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        problems.append(detail("Must be a bubble", prop))
        return
    if json_size(bubble) > MAX_BUBBLE_BYTES:
        problems.append(detail("A bubble's JSON must be at most 30 KB", prop))
    check_flex_actions(bubble, prop, problems)


def check_flex_actions(component, prop, problems):
    """Check every `action` found anywhere inside a Flex component tree."""
    for key, value in component.items():
        if key == "action" and isinstance(value, dict):
            check_action(value, f"{prop}.action", problems)
        elif isinstance(value, dict):
            check_flex_actions(value, f"{prop}.{key}", problems)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    check_flex_actions(item, f"{prop}.{key}[{i}]", problems)


TEMPLATE_CHECKS = {
    "buttons": check_buttons,
    "confirm": check_confirm,
    "carousel": check_carousel,
    "image_carousel": check_image_carousel,
}

MESSAGE_CHECKS = {
    "text": check_text_message,
    "textV2": check_text_message,
    "sticker": check_sticker,
    "image": check_media,
    "video": check_media,
    "audio": check_media,
    "location": check_location,
    "imagemap": check_imagemap,
    "template": check_template,
    "flex": check_flex,
}
