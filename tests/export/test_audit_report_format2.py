"""The audit report on format 2 tools: the form's numbers, sections N/A, computed answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config
from auditui.export import build_report, render_html, render_markdown
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "auditui.db", ToolLibrary.load(), Config())
    yield workspace
    workspace.close()


def test_the_report_shows_numbers_computed_answers_and_sections_not_applicable(
    ws: Workspace,
) -> None:
    audit_id = audits.start_audit(
        ws, "case-file-audit", "CF200100", "CLA", "North", "Pat Jones", True
    )
    audits.set_section_na(ws, audit_id, "looked_after", "Looked after since last week.")
    report = build_report(ws, audit_id)
    parts = {p.id: p for p in report.sections}
    assert parts["looked_after"].not_applicable == "Looked after since last week."
    assert parts["child_protection"].shown is False
    for text in (render_markdown(report), render_html(report)):
        assert "Looked after since last week." in text
        assert "does not apply to this audit" in text

    worker = audits.start_audit(ws, "worker-supervision-file", "", "", "North", "Pat Jones", True)
    audits.answer(ws, worker, "last_supervision_on", "2026-02-27")
    audits.answer(ws, worker, "previous_supervision_on", "2026-01-16")
    report = build_report(ws, worker)
    lines = {q.id: q for p in report.sections for q in p.questions}
    assert lines["days_between"].number == "1.4"
    assert lines["days_between"].answer == "42 days"
    assert lines["within_6_weeks"].answer.startswith("Yes (42 days")
    assert report.title.endswith("Pat Jones")
    assert ("Audit of", "Pat Jones's own file") in report.details
    assert "1.5" in render_markdown(report)
