"""What the whole app does whatever screen is showing: survive a failing worker, quit on
ctrl+c, and say when the terminal is too small."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.widgets import Input
from textual.worker import WorkerFailed, get_current_worker
from tui_support import SIZE, SMALL, run

from auditui.errors import StateError
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tui.app import AuditApp
from auditui.tui.error_log import LOG_NAME
from auditui.tui.run import make_app
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.progress_job import ProgressJobScreen
from auditui.tui.screens.too_small import TooSmallScreen


def _failing_job(progress: Any) -> str:
    assert get_current_worker() is not None  # really in the worker
    raise RuntimeError("a bug in a job: case NL/1001")


async def _settled(app: AuditApp, pilot: Any) -> None:
    """Wait for every worker to end, however it ended."""
    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerFailed:
            pass
    await pilot.pause()


def _messages(app: AuditApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_a_job_that_raises_a_bug_leaves_the_app_up_says_one_sentence_and_logs_privately(
    app: AuditApp, isolated_env: Any
) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = ProgressJobScreen("Boom", _failing_job)
            await app.push_screen(screen)
            await _settled(app, pilot)
            assert app.is_running and app.return_code is None
            assert screen.finished and screen.summary is None
            (sentence,) = [m for m in _messages(app) if "did not expect" in m]
            assert "everything already saved is safe" in sentence
            await pilot.press("escape")  # the window closes; the app goes on
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("n")  # and still answers keys
            await pilot.pause()
            assert not isinstance(app.screen, HomeScreen)

    run(scenario())
    (error,) = app.unexpected_errors
    assert isinstance(error, RuntimeError)
    (log,) = (isolated_env.home / ".local" / "state").rglob(LOG_NAME)
    assert str(log) in " ".join(_messages(app))
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: a bug in a job: case NL/1001" in text


def test_a_worker_that_refuses_with_an_audituierror_shows_its_own_words(
    app: AuditApp, tmp_path: Path
) -> None:
    app.error_log_dir = tmp_path / "log"

    def refuse() -> None:
        raise StateError("This audit is finalised.")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            app.run_worker(refuse, thread=True)
            await _settled(app, pilot)
            assert app.is_running
            assert "This audit is finalised." in _messages(app)

    run(scenario())
    assert app.unexpected_errors == []
    assert not (tmp_path / "log").exists()


def test_the_log_is_made_owner_only_even_when_it_was_not(app: AuditApp, tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    (folder / LOG_NAME).write_text("older entry\n", encoding="utf-8")
    (folder / LOG_NAME).chmod(0o644)
    app.error_log_dir = folder

    async def bug() -> None:  # an async worker, on the app's own loop
        raise KeyError("x")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            app.run_worker(bug)
            await _settled(app, pilot)
            assert app.is_running

    run(scenario())
    assert stat.S_IMODE((folder / LOG_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    text = (folder / LOG_NAME).read_text(encoding="utf-8")
    assert text.startswith("older entry\n") and "KeyError" in text


def test_ctrl_c_quits_and_keeps_what_was_typed(
    app: AuditApp, workspace: Workspace, new_audit
) -> None:
    audit_id = new_audit()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")  # the walker, on the first question
            await pilot.pause()
            await pilot.press("ctrl+c")
            await pilot.pause()
            assert not app.is_running

    run(scenario())
    assert audits.load(workspace, audit_id).audit.status == "draft"


def test_ctrl_c_in_a_box_quits_too(app: AuditApp) -> None:
    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("slash", *"NL")
            assert isinstance(app.focused, Input)
            await pilot.press("ctrl+c")
            await pilot.pause()
            assert not app.is_running

    run(scenario())


def test_a_terminal_under_80x24_is_told_so_and_the_screen_comes_back(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            assert isinstance(app.screen, HomeScreen)
            await pilot.resize_terminal(60, 20)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            words = str(app.screen.query_one("#too-small").render())
            assert "60x20" in words and "at least 80x24" in words
            await pilot.resize_terminal(*SMALL)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    run(scenario())


def test_starting_in_a_small_terminal_says_so(workspace: Workspace) -> None:
    app = make_app(workspace)

    async def scenario() -> None:
        async with app.run_test(size=(70, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)

    run(scenario())


def test_tools_that_fail_to_load_in_the_background_are_announced_not_fatal(
    isolated_env: Any, tmp_path: Path
) -> None:
    def broken_library() -> Any:
        raise RuntimeError("a bug while loading tools")

    workspace = Workspace.open(isolated_env.db, library=broken_library)
    app = make_app(workspace)
    app.error_log_dir = tmp_path / "log"

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await _settled(app, pilot)
            assert app.is_running
            assert any("did not expect" in m for m in _messages(app))

    try:
        run(scenario())
    finally:
        workspace.close()
    assert "a bug while loading tools" in (tmp_path / "log" / LOG_NAME).read_text()
