"""SVG snapshots of the key screens at a laptop size and a small terminal.

The data and clock are fixed (see conftest), so a changed snapshot means a
changed screen. Regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_support import SIZE, SMALL, sample_audits

from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x36", "80x24"])
SnapCompare = Callable[..., bool]


@pytest.fixture
def filled_app(app: AuditApp, workspace: Workspace) -> AuditApp:
    sample_audits(workspace)
    return app


@SIZES
def test_home(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["t", "t"], terminal_size=size)


@SIZES
def test_walker(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["enter", "n"], terminal_size=size)


@SIZES
def test_grades(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["t", "enter", "G", "down"], terminal_size=size)


@SIZES
def test_actions_board(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(filled_app, press=["a"], terminal_size=size)


@SIZES
def test_help(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["enter", "question_mark"], terminal_size=size)
