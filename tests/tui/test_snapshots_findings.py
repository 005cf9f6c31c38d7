"""SVG snapshots of the findings screen with themes ticked, at 100x30 and 80x24.

The focus is on the strengths' themes, so the snapshot shows the two lists
side by side, their counts, and which themes are ticked (a visible X) and
which are not (an empty box). An ended audit's themes are named in words,
read-only, above the summary. Regenerate with ``--snapshot-update`` and look
at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tui_support import MEDIUM, SMALL

from auditui.services import audits, themes
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
SnapCompare = Callable[..., bool]


@SIZES
def test_findings_with_themes(
    app: AuditApp,
    workspace: Workspace,
    new_audit: Any,
    snap_compare: SnapCompare,
    size: tuple[int, int],
) -> None:
    audit_id = new_audit()
    audits.set_findings(
        workspace,
        audit_id,
        strengths="The child's views are in the plan, in their own words.",
        development="The plan has no contingency and no dates.",
    )
    themes.set_themes(
        workspace,
        audit_id,
        {
            "strengths": ["Voice of the child"],
            "development": ["SMART planning", "Contingency planning", "Drift and delay"],
        },
    )
    press = ["enter", "F", "tab", "tab", "tab", "down"]
    assert snap_compare(app, press=press, terminal_size=size)


@SIZES
def test_findings_of_an_ended_audit(
    app: AuditApp,
    workspace: Workspace,
    new_audit: Any,
    snap_compare: SnapCompare,
    size: tuple[int, int],
) -> None:
    audit_id = new_audit()
    audits.set_findings(workspace, audit_id, development="No contingency plan.")
    themes.set_themes(
        workspace, audit_id, {"development": ["Contingency planning", "Drift and delay"]}
    )
    audits.close_incomplete(workspace, audit_id, "The case was transferred.")
    press = ["t", "t", "enter", "F", "tab", "tab", "tab"]  # to the summary, past the themes
    assert snap_compare(app, press=press, terminal_size=size)
