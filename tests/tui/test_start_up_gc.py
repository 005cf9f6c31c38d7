"""The cyclic GC is held while auditui starts, and always comes back on.

`auditui` turns the GC off before importing the app (start-up makes ~100,000
long-lived objects it need not scan); the app freezes them and turns the GC
on once its first frame is up. If start-up fails, the CLI turns it back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_support import SIZE, run

from auditui.cli.main import cli
from auditui.tui.app import AuditApp


@pytest.fixture
def gc_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_the_first_frame_freezes_start_up_and_turns_the_gc_on(
    app: AuditApp, gc_restored: None
) -> None:
    async def scenario() -> None:
        gc.disable()  # as `auditui` does before importing the app
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 10_000

    run(scenario())


def test_an_app_started_with_the_gc_on_leaves_it_alone(app: AuditApp, gc_restored: None) -> None:
    async def scenario() -> None:
        gc.unfreeze()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() == 0

    run(scenario())


def test_a_failed_start_turns_the_gc_back_on(tmp_path: Path, gc_restored: None) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path)])  # a directory is no database
    assert result.exit_code == 1, result.output
    assert "auditui:" in result.output
    assert gc.isenabled()


def test_the_app_runs_with_the_usual_collector_though_a_command_tunes_it(
    tmp_path: Path, gc_restored: None
) -> None:
    """`auditui` sets the thresholds a short command wants (``COMMAND_GC_THRESHOLD``); the
    terminal app, a long session, goes back to Python's own."""
    from auditui.cli import main

    usual = gc.get_threshold()
    gc.set_threshold(*main.COMMAND_GC_THRESHOLD)
    try:
        CliRunner().invoke(cli, ["--db", str(tmp_path)])  # starts the app's branch, then fails
        assert gc.get_threshold() == usual
    finally:
        gc.set_threshold(*usual)
