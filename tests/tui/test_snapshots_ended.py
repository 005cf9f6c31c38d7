"""SVG snapshots of an ended audit's walker (finalised, closed as incomplete) and of a
draft whose overall grade the auditor chose before the answers were in, at 100x30 and
80x24: the read-only walker offers only what still works (A, R, !), shows the answers
without their keys, and a chosen grade on an unfinished audit stays "so far"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_support import MEDIUM, SMALL, sample_audits

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
SnapCompare = Callable[..., bool]


@pytest.fixture
def filled_app(app: AuditApp, workspace: Workspace) -> AuditApp:
    ids = sample_audits(workspace)
    audits.set_grade(workspace, ids["draft"], "overall", "good", "Good on what I have seen.")
    return app


@SIZES
def test_walker_of_a_finalised_audit(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The Finalised tab's audit, on a question answered No."""
    press = ["t", "enter", "j"]
    assert snap_compare(filled_app, press=press, terminal_size=size)


@SIZES
def test_walker_of_a_closed_audit(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The All tab's closed audit: its reason with one full stop, no answer keys."""
    press = ["t", "t", "down", "down", "enter"]
    assert snap_compare(filled_app, press=press, terminal_size=size)


@SIZES
def test_finalise_review_of_a_chosen_grade_so_far(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """A draft's overall grade chosen at a third of the way: "Good so far", and `f` with
    work left says how many in one sentence."""
    assert snap_compare(filled_app, press=["enter", "f", "f"], terminal_size=size)
