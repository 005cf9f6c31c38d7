"""The reports screen's charts, drawn as text for the width they get.

Plotext's charts put their legend over the bars and labelled only some bar
groups at 80 columns (issue 13 item 5). These are plain Rich text instead:
one horizontal bar per row, the label left of it and the value printed
after it, legends on their own line above the plot, one chart per grading
scale. A row is as readable at 80 columns as at 200; below ``MIN_BAR``
columns of bar a chart gives way to plain figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from auditui.tools.scales import SCALES

MIN_BAR = 10
"""Fewer columns than this for a bar and the chart is shown as figures only."""


def label_width(width: int) -> int:
    """Columns for a measure's label: a third of the width, 24 to 44 (longer labels end
    in an ellipsis)."""
    return max(24, min(44, width // 3))


SCALE_TITLES = {"ofsted": "Ofsted scale", "met": "Met / Partly met / Not met"}
_SHADES = ("█", "▓", "▒", "░")
_STYLES = {
    "ofsted": ("green", "cyan", "yellow", "red"),
    "met": ("green", "yellow", "red"),
}
_SPARK = "▁▂▃▄▅▆▇█"


def grade_chart(scale_id: str, months: Sequence[dict[str, Any]], width: int) -> Text | None:
    """Finalised audits' grades month by month on one scale, or None when it has none."""
    scale = SCALES[scale_id]
    rows = [
        (str(m["group"]), [int((m.get("grades") or {}).get(g, 0)) for g in scale.grades])
        for m in months
    ]
    rows = [(month, counts) for month, counts in rows if sum(counts)]
    if not rows:
        return None
    styles = _STYLES.get(scale_id, ("white",) * len(scale.grades))
    out = Text(f"Grades by month, {SCALE_TITLES.get(scale_id, scale_id)}\n", style="bold")
    for n, grade in enumerate(scale.grades):  # the legend, above the plot
        out.append(_SHADES[n % 4] * 2, style=styles[n])
        out.append(f" {scale.label(grade)}  ")
    out.append("\n")
    label = max(len(month) for month, _ in rows) + 1
    most = max(sum(counts) for _, counts in rows)
    bar = width - label - 6
    for month, counts in rows:
        out.append(month.ljust(label))
        if bar >= MIN_BAR:
            used = 0
            running = 0
            for n, count in enumerate(counts):  # cumulative rounding: segments add up
                running += count
                end = round(running * bar / most)
                out.append(_SHADES[n % 4] * (end - used), style=styles[n])
                used = end
            out.append(" " * (bar - used))
        out.append(f" {sum(counts):>4}")
        if bar < MIN_BAR:
            out.append(
                "  "
                + ", ".join(
                    f"{scale.label(g)} {c}" for g, c in zip(scale.grades, counts, strict=True) if c
                )
            )
        out.append("\n")
    return out


def measure_bar(
    label: str, pct: float | None, target: float | None, met: bool | None, width: int
) -> Text:
    """One measure: its bar to 100%, the target marked on it (│), the value printed."""
    name = label_width(width)
    # A label longer than its column has a line of its own, whole, above its bar.
    out = Text(label + "\n" + " " * (name + 1) if len(label) > name else label.ljust(name + 1))
    figure = "     -" if pct is None else f"{pct:5.1f}%"
    verdict = "" if met is None else (" met" if met else " not met")
    tail = f" {figure}" + (f"  target {target:g}%{verdict}" if target is not None else "")
    bar = width - name - 1 - len("  target 100% not met") - 7
    if bar >= MIN_BAR:
        filled = 0 if pct is None else round(pct * bar / 100)
        mark = None if target is None else min(round(float(target) * bar / 100), bar - 1)
        style = "green" if met else ("red" if met is False else "blue")
        for n in range(bar):
            if n == mark:
                out.append("│", style="bold yellow")
            else:
                out.append("█" if n < filled else "·", style=style if n < filled else "dim")
    out.append(tail[:7])
    out.append(tail[7:], style="green" if met else ("red" if met is False else ""))
    return out


def trend(points: Sequence[tuple[str, dict[str, Any] | None]]) -> Text:
    """A measure month by month: two columns per month, its height the percentage, green
    where it meets the target, red where not; a dot where nothing was counted."""
    out = Text()
    for _, entry in points:
        pct = None if entry is None else entry.get("pct")
        if pct is None:
            out.append("··", style="dim")
            continue
        level = min(int(pct * len(_SPARK) / 100), len(_SPARK) - 1)
        met = entry.get("met") if entry is not None else None
        out.append(_SPARK[level] * 2, style="green" if met else ("red" if met is False else "blue"))
    return out


def themed_measures(
    measures: Sequence[dict[str, Any]], months: Sequence[dict[str, Any]], width: int
) -> Text:
    """Each measure the tools mark, against its target, with its trend by month."""
    shown = [m for m in measures if m.get("counted")]
    if not shown:
        return Text("No audit in this period answered a question a tool marks as a measure.")
    names = [str(m["group"]) for m in months]
    span = f"{names[0]} to {names[-1]}" if names else "no months"
    out = Text("Themed measures against their targets (│ marks the target)\n", style="bold")
    out.append(f"Trend by month, {span}: green meets the target, red does not, · none counted\n")
    for m in shown:
        out.append_text(measure_bar(m["label"], m["pct"], m["target"], m["met"], width))
        out.append("\n")
        by_month = []
        for month in months:
            found = [
                x
                for x in month.get("measures", [])
                if (x["tool"], x["question"]) == (m["tool"], m["question"])
            ]
            by_month.append((str(month["group"]), found[0] if found else None))
        out.append("  trend ".ljust(label_width(width) + 1), style="dim")
        out.append_text(trend(by_month))
        noun = "audit" if m["counted"] == 1 else "audits"
        out.append(f"  {m['yes']} of {m['counted']} {noun}\n", style="dim")
    return out
