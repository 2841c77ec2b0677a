"""Charts for the console, drawn on the server as SVG: readable without JavaScript, no library,
nothing loaded from elsewhere. Pure functions of numbers and labels; every chart on a page comes
with its numbers as a table (the template's job), so the SVG is a picture of the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 44
PALETTE = ("#0b5e3c", "#1565c0", "#e65100", "#6a1b9a", "#757575", "#b71c1c")


@dataclass(frozen=True)
class Series:
    """One coloured set of values, one per label (negative values go below the zero line)."""

    name: str
    values: Sequence[float]
    color: str = PALETTE[0]


def _scale(low: float, high: float) -> tuple[float, float, float]:
    """A range including zero rounded to ticks of 1, 2 or 5 times a power of ten (at least 1)."""
    low, high = min(low, 0.0), max(high, 0.0)
    raw = ((high - low) or 1.0) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude), 1.0)
    return math.floor(low / step) * step, (math.ceil(high / step) * step) or step, step


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, line: Series | None = None,
              unit: str = "") -> Markup:
    """Stacked bars per label (positive up, negative down from zero), and an optional line on top."""
    ups = [sum(max(s.values[i], 0) for s in series) for i in range(len(labels))]
    downs = [sum(min(s.values[i], 0) for s in series) for i in range(len(labels))]
    extra = list(line.values) if line else []
    low, high, step = _scale(min([*downs, *extra, 0]), max([*ups, *extra, 0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y = lambda value: TOP + plot_h * (high - value) / ((high - low) or 1)  # noqa: E731
    slot = plot_w / max(len(labels), 1)
    parts = [_frame(title), *_grid(low, high, step, y, unit)]
    for index, label in enumerate(labels):
        x = LEFT + index * slot + slot * 0.15
        up, down = 0.0, 0.0
        for one in series:
            value = one.values[index]
            start = up if value >= 0 else down
            end = start + value
            up, down = (end, down) if value >= 0 else (up, end)
            top, bottom = y(max(start, end)), y(min(start, end))
            if bottom - top > 0:
                parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" height="{bottom - top:.1f}" '
                             f'fill="{one.color}"><title>{escape(label)} {escape(one.name)}: {_number(value)}{escape(unit)}</title></rect>')
        parts.append(_label(index, label, len(labels), LEFT + index * slot + slot / 2))
    if line:
        points = " ".join(f"{LEFT + i * slot + slot / 2:.1f},{y(v):.1f}" for i, v in enumerate(line.values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{line.color}" stroke-width="2.5"/>')
    parts.append(_legend([*series, *([line] if line else [])]))
    parts.append("</svg>")
    return Markup("".join(parts))


def meter(title: str, used: float, limit: float | None, projected: float | None, unit: str = "通") -> Markup:
    """A horizontal bar: used so far, the projection to the end of the period, and the limit."""
    top = max(used, projected or 0, limit or 0, 1)
    width = WIDTH - LEFT - RIGHT
    x = lambda value: LEFT + width * value / top  # noqa: E731
    parts = [_frame(title, height=90),
             f'<rect x="{LEFT}" y="20" width="{width}" height="28" fill="#eef1f4"/>']
    if projected is not None:
        parts.append(f'<rect x="{LEFT}" y="20" width="{x(projected) - LEFT:.1f}" height="28" fill="#a5d6a7">'
                     f'<title>見込み: {_number(projected)}{escape(unit)}</title></rect>')
    parts.append(f'<rect x="{LEFT}" y="20" width="{x(used) - LEFT:.1f}" height="28" fill="{PALETTE[0]}">'
                 f'<title>送信済み: {_number(used)}{escape(unit)}</title></rect>')
    if limit is not None:
        parts.append(f'<line x1="{x(limit):.1f}" x2="{x(limit):.1f}" y1="12" y2="56" stroke="#b71c1c" stroke-width="3"/>'
                     f'<text x="{x(limit):.1f}" y="72" text-anchor="end" font-size="13">上限 {_number(limit)}{escape(unit)}</text>')
    parts.append(f'<text x="{LEFT}" y="72" font-size="13">0</text></svg>')
    return Markup("".join(parts))


def _frame(title: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'font-family="sans-serif" preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>')


def _grid(low: float, high: float, step: float, y, unit: str) -> list[str]:
    lines, value = [], low
    while value <= high + step / 1000:
        colour = "#555" if abs(value) < step / 1000 else "#dde1e5"
        lines.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{colour}"/>'
                     f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12">'
                     f'{_number(value)}{escape(unit)}</text>')
        value += step
    return lines


def _label(index: int, label: str, count: int, x: float) -> str:
    every = max(1, -(-count // 12))  # at most a dozen labels under the axis
    if index % every:
        return ""
    return f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="12">{escape(label)}</text>'


def _legend(series: Sequence[Series]) -> str:
    items, x = [], LEFT
    for one in series:
        items.append(f'<rect x="{x}" y="{HEIGHT - 16}" width="12" height="12" fill="{one.color}"/>'
                     f'<text x="{x + 16}" y="{HEIGHT - 6}" font-size="12">{escape(one.name)}</text>')
        x += 24 + 14 * len(one.name)
    return "".join(items)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
