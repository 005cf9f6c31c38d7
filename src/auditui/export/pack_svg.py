"""Charts for the board's report pack as inline SVG, drawn here: no script, no network.

A line chart of percentages by month (0 to 100, a dashed line at the
target) and a bar chart of counts. Everything drawn from data is escaped;
a missing value (a month with no audits, or a suppressed group) breaks the
line rather than being drawn as zero. Colours are told apart by shape too
(markers differ), so the chart survives a black-and-white printer.
"""

from __future__ import annotations

from html import escape

from auditui.domain.pack import Chart

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 46
COLOURS = ("#1d4e89", "#c45500", "#2e7d32", "#6a1b9a", "#8c564b")
MARKERS = ("circle", "square", "diamond", "triangle", "circle")


def render_chart(chart: Chart) -> str:
    body = _line(chart) if chart.kind == "line" else _bars(chart)
    return (
        f'<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 22 * _legend_rows(chart)}" '
        f'aria-label="{escape(chart.title)}">{body}</svg>'
        f"<figcaption>{escape(chart.title)}</figcaption></figure>"
    )


def _legend_rows(chart: Chart) -> int:
    return len(chart.series) + (chart.target is not None) if chart.kind == "line" else 0


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * (i + 0.5) / n if n else 0)


def _y(value: float, top: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - min(max(value, 0.0), top) / top)


def _axes(categories: list[str], top: float, unit: str) -> list[str]:
    out = []
    for step in range(5):
        value = top * step / 4
        y = _y(value, top)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{value:g}{unit}</text>"
        )
    n = len(categories)
    every = max(1, -(-n // 12))  # at most twelve labels along the bottom
    for i, name in enumerate(categories):
        if i % every == 0:
            lines = "".join(
                f'<tspan x="{_x(i, n):.1f}" dy="{0 if k == 0 else 13}">{escape(line)}</tspan>'
                for k, line in enumerate(_wrap(name))
            )
            out.append(
                f'<text y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11">'
                f"{lines}</text>"
            )
    return out


def _wrap(label: str, width: int = 12) -> list[str]:
    """A category's label on at most two short lines (``Jan 2026`` as ``Jan`` over ``2026``)."""
    words = label.split() or [""]
    lines = [words[0], " ".join(words[1:])] if len(words) > 1 else words
    return [line[:width] for line in lines]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _line(chart: Chart) -> str:
    top = 100.0
    n = len(chart.categories)
    out = _axes(chart.categories, top, "%")
    legend_y = HEIGHT + 6
    if chart.target is not None:
        y = _y(chart.target, top)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#a40e26" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    for k, series in enumerate(chart.series):
        colour, marker = COLOURS[k % len(COLOURS)], MARKERS[k % len(MARKERS)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(series.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((_x(i, n), _y(value, top)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
            out += [_marker(marker, x, y, colour) for x, y in run]
        ly = legend_y + 22 * k
        out.append(_marker(marker, LEFT + 6, ly + 6, colour))
        out.append(
            f'<text x="{LEFT + 18}" y="{ly + 10}" font-size="12">{escape(series.label)}</text>'
        )
    if chart.target is not None:
        ly = legend_y + 22 * len(chart.series)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + 12}" y1="{ly + 6}" y2="{ly + 6}" stroke="#a40e26" '
            f'stroke-width="1.5" stroke-dasharray="4 2"/>'
            f'<text x="{LEFT + 18}" y="{ly + 10}" font-size="12">Target {chart.target:g}%</text>'
        )
    return "".join(out)


def _bars(chart: Chart) -> str:
    values = [v or 0.0 for v in chart.series[0].values] if chart.series else []
    top = _nice(max(values, default=0.0))
    n = len(chart.categories)
    out = _axes(chart.categories, top, "")
    width = (WIDTH - LEFT - RIGHT) / max(n, 1) * 0.6
    for i, value in enumerate(values):
        x, y = _x(i, n), _y(value, top)
        base = _y(0, top)
        out.append(
            f'<rect x="{x - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{base - y:.1f}" fill="{COLOURS[0]}"/>'
            f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{value:g}</text>"
        )
    return "".join(out)


STEPS = tuple(
    int(m * 10**k)
    for k in range(7)
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
    if m * 10**k >= 1 and m * 10**k == int(m * 10**k)
)
"""Gridline steps for a count axis: whole numbers that read well."""


def _nice(value: float) -> float:
    """A round top for a count axis: four whole, round steps at or above ``value``."""
    return 4.0 * next((s for s in STEPS if 4 * s >= value), STEPS[-1])
