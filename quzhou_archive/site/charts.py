"""Small line charts of a series of figures, as SVG made at build time.

No script and no stylesheet of their own: lines and text are drawn in
`currentColor`, so a chart takes the page's colours in light and dark
mode and prints in black. Each chart is an image with a title and a
description (`role="img"`); the table beside it holds the same values.
"""
from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values for the axis, from at most `low` to at least `high`."""
    if high == low:
        high, low = (high + 1, low - 1) if high == 0 else (high + abs(high) * 0.5, low - abs(low) * 0.5)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def number_text(value) -> str:
    """12.0 -> 12; 20.235 -> 20.235; 48251 -> 48251 (as printed: no thousands separators)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


def line_chart(points: list[tuple[str, float]], unit: str, title: str, from_zero: bool = True) -> str:
    """`points`: (period label, value), in order. `from_zero`: the axis starts
    at 0 (amounts, counts, output), as a bar of money must; rates may not."""
    values = [float(v) for _, v in points]
    low, high = min(values), max(values)
    if from_zero:
        low = min(0.0, low)
    ticks = nice_ticks(low, high)
    bottom, top = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / len(points))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - bottom) / (top - bottom))

    described = ";".join(f"{label} {number_text(v)}{unit}" for label, v in points)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}:'
             f'{escape(described)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for t in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="currentColor" '
                     f'stroke-opacity="{0.5 if t == 0 else 0.15}" />')
        parts.append(f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="12" fill="currentColor">'
                     f"{escape(number_text(t))}</text>")
    parts.append(f'<text x="4" y="{TOP + 4}" font-size="12" fill="currentColor">{escape(unit)}</text>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<path d="{path}" fill="none" stroke="currentColor" stroke-width="2" />')
    for i, (label, v) in enumerate(points):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="4" fill="currentColor">'
                     f"<title>{escape(label)}:{escape(number_text(float(v)))}{escape(unit)}</title></circle>")
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                     f'fill="currentColor">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
