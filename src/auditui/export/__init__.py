"""Getting audits out of auditui: CSV for Excel and BI, and a report of one audit.

QA teams live in Excel and Power BI, and the practitioner and team manager
need a finished audit in a form they can read and file. This package is the
UI-free core both faces call: the CLI (`auditui export csv`, `auditui audit
report`) and the TUI (a worker with a progress bar).

It sits beside ``auditui.services`` (pyproject's layers contract), reads the
local store directly, and never imports the services or any face.

Each name is imported when first used (PEP 562): a command that only needs
the cell escaping (``actions --format csv``) must not load the tool models,
pydantic and the report renderers on the way.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real names, for mypy and readers
    from auditui.export.csv_export import TABLES, ExportResult, export_csv, write_csv
    from auditui.export.filters import ExportFilter
    from auditui.export.report import AuditReport, build_report
    from auditui.export.report_html import render_html
    from auditui.export.report_markdown import render_markdown

_HOMES = {
    "TABLES": "csv_export",
    "ExportResult": "csv_export",
    "export_csv": "csv_export",
    "write_csv": "csv_export",
    "ExportFilter": "filters",
    "AuditReport": "report",
    "build_report": "report",
    "render_html": "report_html",
    "render_markdown": "report_markdown",
}

__all__ = [
    "TABLES",
    "AuditReport",
    "ExportFilter",
    "ExportResult",
    "build_report",
    "export_csv",
    "render_html",
    "render_markdown",
    "write_csv",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"auditui.export.{home}"), name)
    globals()[name] = value
    return value
