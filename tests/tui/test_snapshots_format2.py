"""SVG snapshots of the screens format 2 changed, at 100x30 and 80x24.

The walker on a computed answer (its figure, read-only, the form's numbers)
and the grades screen with a section marked not applicable and one that is
not graded. Regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_support import MEDIUM, SMALL

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
SnapCompare = Callable[..., bool]


@SIZES
def test_walker_on_a_computed_answer(
    app: AuditApp, workspace: Workspace, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    audit_id = audits.start_audit(
        workspace, "worker-supervision-file", "", "", "North Locality", "Sam Taylor", True
    )
    audits.answer(workspace, audit_id, "agreement_on_file", "yes")
    audits.answer(workspace, audit_id, "last_supervision_on", "2026-02-27")
    audits.answer(workspace, audit_id, "previous_supervision_on", "2026-01-16")
    assert snap_compare(app, press=["enter", "k", "k"], terminal_size=size)  # back to 1.4


@SIZES
def test_grades_with_a_section_not_applicable(
    app: AuditApp, workspace: Workspace, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    audit_id = audits.start_audit(
        workspace, "case-file-audit", "NL/1001", "CLA", "North Locality", "Sam Taylor", True
    )
    audits.set_section_na(workspace, audit_id, "looked_after", "No review due yet.")
    press = ["enter", "G", *["down"] * 7]
    assert snap_compare(app, press=press, terminal_size=size)
