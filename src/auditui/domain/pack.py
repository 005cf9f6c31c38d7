"""The board's report pack as plain data: sections of words, tables and charts.

``services.report_pack`` words the figures once into these; the HTML and
Word renderers (``export.pack_html``, ``export.pack_docx``) only lay them
out, so both documents say exactly the same thing. Plain data, so it sits
below both layers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.percent import round_half_up


def pct_text(value: float | None) -> str:
    """A percentage as the pack prints it: one decimal, half up; a dash for none."""
    return "–" if value is None else f"{round_half_up(value):.1f}%"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Series:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    """A line chart of percentages by month (``line``) or a bar chart of counts (``bars``)."""

    kind: str
    title: str
    categories: list[str]
    series: list[Series]
    target: float | None = None


@dataclass
class PackSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class ReportPack:
    title: str
    subtitle: str
    sections: list[PackSection]
    figures: dict[str, Any]
    """The numbers behind the words, for tests and for anyone checking them."""


def month_text(month: str) -> str:
    """``2026-01`` as a board reads it: ``Jan 2026``."""
    try:
        return dt.date.fromisoformat(f"{month}-01").strftime("%b %Y")
    except ValueError:
        return month


def grade_text(grade: str) -> str:
    return grade.replace("_", " ").capitalize()
