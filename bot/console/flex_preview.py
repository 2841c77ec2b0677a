"""LINE-like HTML for messages as the gateway sends them (their `.to_dict()` JSON): Flex bubbles
and carousels, text and image messages. Used by the console's preview of a notice; rendered on
the server, so the preview works without JavaScript and every text is escaped.

Sizes and spacings follow LINE's documented Flex values closely enough for staff to judge how a
message will look; it is a preview, not a pixel-exact copy of the LINE app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

FONT_PX = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29, "3xl": 35, "4xl": 48, "5xl": 74}
SPACING_PX = {"none": 0, "xs": 2, "sm": 4, "md": 8, "lg": 12, "xl": 16, "xxl": 20}
BUBBLE_PX = {"nano": 120, "micro": 160, "deca": 220, "hecto": 241, "kilo": 260, "mega": 300, "giga": 386}
ALIGN = {"start": "left", "center": "center", "end": "right"}
GRAVITY = {"top": "flex-start", "center": "center", "bottom": "flex-end"}
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
LENGTH = re.compile(r"^\d{1,4}(\.\d+)?(px|%)$")
RATIO = re.compile(r"^(\d{1,5}(\.\d+)?):(\d{1,5}(\.\d+)?)$")
Json = Mapping[str, Any]


def render_messages(messages: Iterable[Json]) -> Markup:
    """The messages as they appear one under another in a LINE chat."""
    return Markup("").join(Markup('<div class="line-message">{}</div>').format(_message(m)) for m in messages)


def _message(message: Json) -> Markup:
    kind = message.get("type")
    if kind == "text":
        return Markup('<div class="line-text">{}</div>').format(message.get("text", ""))
    if kind == "flex":
        return _container(message.get("contents") or {})
    if kind == "image":
        image = _img(message.get("previewImageUrl") or message.get("originalContentUrl"), "fit-contain")
        return Markup('<div class="flex-image line-image" style="aspect-ratio:1 / 1">{}</div>').format(image)
    return Markup('<div class="line-text line-unknown">（{}）</div>').format(message.get("altText") or kind)


def _container(container: Json) -> Markup:
    if container.get("type") == "carousel":
        bubbles = Markup("").join(_bubble(b) for b in container.get("contents") or [])
        return Markup('<div class="flex-carousel">{}</div>').format(bubbles)
    return _bubble(container)


def _bubble(bubble: Json) -> Markup:
    width = BUBBLE_PX.get(bubble.get("size") or "mega", BUBBLE_PX["mega"])
    parts = []
    for section in ("header", "hero", "body", "footer"):
        block = bubble.get(section)
        if block:
            parts.append(Markup('<div class="flex-{}">{}</div>').format(section, _component(block, "vertical")))
    return Markup('<div class="flex-bubble" style="width:{}px">{}</div>').format(width, Markup("").join(parts))


def _component(item: Json, parent: str, spacing: str | None = None, first: bool = True) -> Markup:
    """One component; `parent` is the enclosing box's layout, `spacing` its spacing."""
    render = RENDERERS.get(item.get("type", ""))
    if render is None:
        return Markup("")
    styles = _place(item, parent, spacing, first)
    return render(item, styles)


def _place(item: Json, parent: str, spacing: str | None, first: bool) -> list[str]:
    """Margin before the component and how it shares its parent's space (LINE's flex)."""
    styles: list[str] = []
    gap = item.get("margin") or (None if first else spacing)
    if gap:
        side = "left" if parent in ("horizontal", "baseline") else "top"
        styles.append(f"margin-{side}:{_length(gap)}")
    grow = item.get("flex")
    if parent in ("horizontal", "baseline"):
        grow = 1 if grow is None else grow
        styles.append(f"flex:{int(grow)} 1 0;min-width:0")
    elif grow:
        styles.append(f"flex:{int(grow)} 1 auto")
    if item.get("gravity") in GRAVITY:
        styles.append(f"align-self:{GRAVITY[item['gravity']]}")
    return styles


def _box(item: Json, styles: list[str]) -> Markup:
    layout = item.get("layout") if item.get("layout") in ("horizontal", "vertical", "baseline") else "vertical"
    styles = styles + _colour("background", item.get("backgroundColor"))
    for key, css in (("paddingAll", "padding"), ("paddingTop", "padding-top"), ("paddingBottom", "padding-bottom"),
                     ("paddingStart", "padding-left"), ("paddingEnd", "padding-right")):
        if item.get(key):
            styles.append(f"{css}:{_length(item[key])}")
    if item.get("cornerRadius"):
        styles.append(f"border-radius:{_length(item['cornerRadius'])}")
    children = item.get("contents") or []
    inner = Markup("").join(
        _component(child, layout, item.get("spacing"), first=index == 0) for index, child in enumerate(children)
    )
    return Markup('<div class="flex-box flex-{}"{}>{}</div>').format(layout, _style(styles), inner)


def _text(item: Json, styles: list[str]) -> Markup:
    styles = styles + [f"font-size:{FONT_PX.get(item.get('size') or 'md', 16)}px"]
    styles += _colour("color", item.get("color"))
    if item.get("weight") == "bold":
        styles.append("font-weight:700")
    if item.get("align") in ALIGN:
        styles.append(f"text-align:{ALIGN[item['align']]}")
    wrap = "flex-wrap" if item.get("wrap") else "flex-nowrap"
    spans = item.get("contents") or []
    if spans:
        inner = Markup("").join(_span(span) for span in spans)
    else:
        inner = Markup("{}").format(item.get("text", ""))
    return Markup('<p class="flex-text {}"{}>{}</p>').format(wrap, _style(styles), inner)


def _span(span: Json) -> Markup:
    styles = _colour("color", span.get("color"))
    if span.get("weight") == "bold":
        styles.append("font-weight:700")
    if span.get("size") in FONT_PX:
        styles.append(f"font-size:{FONT_PX[span['size']]}px")
    return Markup("<span{}>{}</span>").format(_style(styles), span.get("text", ""))


def _separator(item: Json, styles: list[str]) -> Markup:
    styles = styles + _colour("border-top-color", item.get("color"))
    return Markup('<hr class="flex-separator"{}>').format(_style(styles))


def _image(item: Json, styles: list[str]) -> Markup:
    ratio = RATIO.match(str(item.get("aspectRatio") or "1:1"))
    if ratio:
        styles = styles + [f"aspect-ratio:{ratio.group(1)} / {ratio.group(3)}"]
    fit = "cover" if item.get("aspectMode") == "cover" else "contain"
    return Markup('<div class="flex-image"{}>{}</div>').format(_style(styles), _img(item.get("url"), f"fit-{fit}"))


def _img(url: Any, css_class: str) -> Markup:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return Markup('<span class="flex-image-missing">画像</span>')
    return Markup('<span class="flex-image-missing">画像</span>'
                  '<img class="{}" src="{}" alt="" loading="lazy" referrerpolicy="no-referrer">').format(css_class, url)


def _button(item: Json, styles: list[str]) -> Markup:
    action = item.get("action") or {}
    style = item.get("style") if item.get("style") in ("primary", "secondary", "link") else "link"
    colour = item.get("color")
    if colour and COLOUR.match(colour):
        styles = styles + [f"background:{colour}" if style == "primary" else f"color:{colour}"]
    if item.get("height") == "sm":
        styles.append("min-height:40px")
    label = action.get("label") or ""
    uri = action.get("uri")
    if action.get("type") == "uri" and isinstance(uri, str) and uri.startswith(("https://", "http://")):
        return Markup('<a class="flex-button flex-button-{}" href="{}" target="_blank" rel="noopener noreferrer"'
                      ' title="{}"{}>{}</a>').format(style, uri, uri, _style(styles), label)
    return Markup('<span class="flex-button flex-button-{}"{}>{}</span>').format(style, _style(styles), label)


def _spacer(item: Json, styles: list[str]) -> Markup:
    size = SPACING_PX.get(item.get("size") or "md", 8)
    return Markup('<div class="flex-spacer"{}></div>').format(_style(styles + [f"height:{size}px"]))


def _filler(item: Json, styles: list[str]) -> Markup:
    return Markup('<div class="flex-filler"{}></div>').format(_style(styles))


RENDERERS = {
    "box": _box, "text": _text, "separator": _separator, "image": _image, "button": _button,
    "spacer": _spacer, "filler": _filler,
}


def _length(value: Any) -> str:
    """A Flex margin/padding value in CSS: a keyword (md) or pixels/percent as LINE allows."""
    text = str(value)
    if text in SPACING_PX:
        return f"{SPACING_PX[text]}px"
    return text if LENGTH.match(text) else "0"


def _colour(css: str, value: Any) -> list[str]:
    return [f"{css}:{value}"] if isinstance(value, str) and COLOUR.match(value) else []


def _style(styles: list[str]) -> Markup:
    """A style attribute from values checked above (never raw input)."""
    return Markup(' style="{}"').format(";".join(styles)) if styles else Markup("")
