"""Bar charts as inline SVG, drawn on the server: no script, no library, nothing from elsewhere.

Each chart is an `<svg role="img">` named by its title; the page puts a table with the
same numbers beside it for screen readers (console/templates/insights.html). Every label
is escaped; colours are SVG attributes, not inline styles (the console's CSP has none).
"""

from __future__ import annotations

from typing import Sequence, Tuple

from markupsafe import Markup, escape

BAR = "#1f5f8b"
INK = "#1a1a1a"
RULE = "#767676"
WIDTH = 640


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def column_chart(chart_id: str, title: str, points: Sequence[Tuple[str, float]], height: int = 180) -> Markup:
    """One column per point (a day, say), left to right, with the largest value marked."""
    top = max((value for _, value in points), default=0) or 1
    left, plot_height = 40, height - 34
    step = (WIDTH - left - 8) / max(1, len(points))
    bar_width = max(1.0, step * 0.8)
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{10 + plot_height}" x2="{WIDTH - 8}" y2="{10 + plot_height}" stroke="{RULE}"/>',
        f'<text x="{left - 4}" y="16" text-anchor="end" font-size="11" fill="{INK}">{escape(_number(top))}</text>',
        f'<text x="{left - 4}" y="{10 + plot_height}" text-anchor="end" font-size="11" fill="{INK}">0</text>',
    ]
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * value / top
        x = left + index * step + (step - bar_width) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{10 + plot_height - bar_height:.1f}" width="{bar_width:.1f}" '
            f'height="{bar_height:.1f}" fill="{BAR}"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
        )
    if points:
        for index in sorted({0, len(points) - 1}):
            anchor = "start" if index == 0 else "end"
            x = left if index == 0 else WIDTH - 8
            parts.append(
                f'<text x="{x}" y="{height - 6}" text-anchor="{anchor}" font-size="11" fill="{INK}">'
                f"{escape(points[index][0])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(chart_id: str, title: str, bars: Sequence[Tuple[str, float]]) -> Markup:
    """One labelled horizontal bar per item (a topic, a route), the value at its end."""
    row, label_width = 22, 200
    height = max(1, len(bars)) * row + 8
    top = max((value for _, value in bars), default=0) or 1
    room = WIDTH - label_width - 60
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 4 + index * row
        length = room * value / top
        parts += [
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(label)}</text>",
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{BAR}"/>',
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12" fill="{INK}">'
            f"{escape(_number(value))}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
