"""SVG snapshots of the screens at 100x30 (a laptop's terminal) and 80x24 (the smallest).

The data and clock are fixed (see conftest), so a changed snapshot means a
changed screen. Regenerate with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tui_support import MEDIUM, SMALL, sample_audits

from auditui.config import load_config
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp

SIZES = pytest.mark.parametrize("size", [MEDIUM, SMALL], ids=["100x30", "80x24"])
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
def test_tool_chooser(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """`n`: the tools with what each applies to, the highlighted one read in full."""
    assert snap_compare(filled_app, press=["n", "down"], terminal_size=size)


@SIZES
def test_case_details(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The case details form for the chosen tool, the case reference being typed."""
    press = ["n", "enter", *"c123456"]
    assert snap_compare(filled_app, press=press, terminal_size=size)


@SIZES
def test_finalise_review(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """`f` on a draft: what stops finalising, in the questions' own words, then warnings."""
    assert snap_compare(filled_app, press=["enter", "f"], terminal_size=size)


@SIZES
def test_grades(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["t", "enter", "G", "down"], terminal_size=size)


@SIZES
def test_grades_of_a_draft(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """A draft's grades: suggestions to accept with Enter, the overall grade only "so far"."""
    assert snap_compare(filled_app, press=["enter", "G"], terminal_size=size)


@SIZES
def test_actions_board(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(filled_app, press=["a", "down"], terminal_size=size)


@SIZES
def test_audit_actions(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    assert snap_compare(filled_app, press=["t", "enter", "A", "down"], terminal_size=size)


@SIZES
def test_action_form(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The new-action form, refusing a date typed as the action's text."""
    press = ["t", "enter", "A", "a", *"31/02/2027", "enter"]
    assert snap_compare(filled_app, press=press, terminal_size=size)


@SIZES
def test_action_done(
    filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """A pop-up over the board shows its own keys, not the board's."""
    assert snap_compare(filled_app, press=["a", "d"], terminal_size=size)


@SIZES
def test_help(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(filled_app, press=["question_mark"], terminal_size=size)


def test_too_small(filled_app: AuditApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(filled_app, terminal_size=(60, 20))


@SIZES
def test_guidance(filled_app: AuditApp, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """What good looks like for a section, over the walker, with its own keys."""
    assert snap_compare(filled_app, press=["enter", "g"], terminal_size=size)


@SIZES
def test_actions_board_hub(
    app: AuditApp,
    workspace: Workspace,
    isolated_env: Any,
    snap_compare: SnapCompare,
    size: tuple[int, int],
) -> None:
    """Every team's actions on a folder hub: pseudonymised cases, the rest as at home."""
    hub = isolated_env.root / "team-hub"
    hub.mkdir()
    isolated_env.config.write_text(
        f'[user]\nname = "Ann Auditor"\n[sync]\ntarget = "{hub}"\n', encoding="utf-8"
    )
    workspace.config = load_config(isolated_env.config)
    sample_audits(workspace)
    run_sync(workspace)

    async def read_hub(pilot: Any) -> None:
        await pilot.press("a", "h")
        await pilot.app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down")

    assert snap_compare(app, run_before=read_hub, terminal_size=size)


@SIZES
@pytest.mark.parametrize(
    "views", [0, 1, 2, 3, 5], ids=["table", "grades", "measures", "themed", "themes"]
)
def test_reports(
    app: AuditApp,
    workspace: Workspace,
    snap_compare: SnapCompare,
    size: tuple[int, int],
    views: int,
) -> None:
    """The reports screen (`r`): each view readable at 80x24, legends outside the plots."""
    from auditui.services.demo import generate_demo

    generate_demo(workspace, 60, seed=7)

    async def open_reports(pilot: Any) -> None:
        await pilot.press("r")
        await pilot.pause()
        await pilot.app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*["v"] * views)
        await pilot.pause()

    assert snap_compare(app, run_before=open_reports, terminal_size=size)


@SIZES
def test_help_with_user_keys(
    app: AuditApp,
    workspace: Workspace,
    isolated_env: Any,
    snap_compare: SnapCompare,
    size: tuple[int, int],
) -> None:
    """? help with a [keys] table: the user's keys marked, and listed under the table."""
    from auditui.tui.run import make_app

    isolated_env.config.write_text(
        '[user]\nname = "Ann Auditor"\n[keys]\nhome.reports = "ctrl+r"\napp.help = "f1"\n',
        encoding="utf-8",
    )
    workspace.config = load_config(isolated_env.config)
    assert snap_compare(make_app(workspace), press=["f1"], terminal_size=size)
