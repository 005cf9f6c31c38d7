"""Getting audits out of auditui: CSV for Excel and BI, and a report of one audit.

QA teams live in Excel and Power BI, and the practitioner and team manager
need a finished audit in a form they can read and file. This package is the
UI-free core both faces call: the CLI (`auditui export csv`, `auditui audit
report`) and the TUI (a worker with a progress bar).

It sits beside ``auditui.services`` (pyproject's layers contract), reads the
local store directly, and never imports the services or any face.
"""

from auditui.export.csv_export import TABLES, ExportResult, export_csv, write_csv
from auditui.export.filters import ExportFilter
from auditui.export.report import AuditReport, build_report
from auditui.export.report_html import render_html
from auditui.export.report_markdown import render_markdown

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
