"""The home screen's first frame needs the database and config only.

The tools (and pydantic, whose models they are) are loaded when a screen
first needs one: choosing a tool, opening an audit. That kept a third of
auditui's start-up off the first frame (``bench/tui_latency.py``). These
tests hold that line, and check that the tools still arrive when needed,
with the QA lead told about any tool file that could not be loaded.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from typing import Any

import pytest
from tui_support import SIZE, run

from auditui.config import load_config
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary, user_tools_dirs
from auditui.tui.app import AuditApp
from auditui.tui.screens.tool_chooser import ToolChooserScreen

FIRST_FRAME = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import auditui.tui.app
    import auditui.tui.run
    from auditui.cli.main import main
    from auditui.tui.app import AuditApp

    class FirstFrame(AuditApp):
        CSS_PATH = str(Path(auditui.tui.app.__file__).with_name("app.tcss"))

        def on_ready(self):
            loaded = sorted(m for m in ("pydantic", "ruamel.yaml", "auditui.tools.models",
                                        "auditui.domain.grading") if m in sys.modules)
            print("first frame:", ",".join(loaded) or "-", flush=True)
            self.exit()

        def run(self, *args, **kwargs):
            return super().run(headless=True, size=(120, 36))

    auditui.tui.run.make_app = FirstFrame
    sys.argv = ["auditui"]
    main()
    """
)


def test_the_first_frame_loads_no_tool_and_no_pydantic(
    child_env: dict[str, str], workspace: Workspace, new_audit: Any
) -> None:
    """Through the real entry point, with an audit on the list and a config file."""
    new_audit()
    env = dict(child_env, AUDITUI_DB=str(workspace.store.path))
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "first frame: -"


def lazy_workspace(isolated_env: Any) -> tuple[Workspace, list[int]]:
    loads: list[int] = []

    def load() -> ToolLibrary:
        loads.append(1)
        return ToolLibrary.load(user_tools_dirs())

    ws = Workspace.open(isolated_env.db, library=load, config=load_config(isolated_env.config))
    return ws, loads


def test_the_tools_load_once_after_the_first_frame(isolated_env: Any) -> None:
    ws, loads = lazy_workspace(isolated_env)

    async def scenario() -> None:
        app = AuditApp(ws)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            assert loads == [1] and ws.library_loaded
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, ToolChooserScreen)
            assert "smart-plans" in {tool.id for tool in app.screen.tools}
            assert not app.screen.query("#refused")
            await pilot.press("escape", "n")
            await pilot.pause()
            assert loads == [1]

    try:
        run(scenario())
    finally:
        ws.close()


def test_a_key_that_needs_the_tools_first_waits_for_them(isolated_env: Any) -> None:
    """Loaded from two threads at once (the background and `n`), the tools load once."""
    started = threading.Event()
    release = threading.Event()
    loads: list[str] = []

    def slow_load() -> ToolLibrary:
        loads.append(threading.current_thread().name)
        started.set()
        release.wait(timeout=10)
        return ToolLibrary.load(user_tools_dirs())

    ws = Workspace.open(isolated_env.db, library=slow_load, config=load_config(isolated_env.config))

    async def scenario() -> None:
        app = AuditApp(ws)
        async with app.run_test(size=SIZE) as pilot:
            assert started.wait(timeout=10)
            threading.Timer(0.2, release.set).start()  # the loop itself is about to wait
            await pilot.press("n")  # blocks on the lock until the background load ends
            await pilot.pause()
            assert isinstance(app.screen, ToolChooserScreen)
            assert len(loads) == 1 and loads[0] != threading.main_thread().name

    try:
        run(scenario())
    finally:
        ws.close()


@pytest.mark.parametrize("broken", [1, 2])
def test_the_chooser_says_when_tool_files_could_not_be_loaded(
    isolated_env: Any, broken: int
) -> None:
    for number in range(broken):
        (isolated_env.tools / f"broken-{number}.yaml").write_text(
            "format: 1\nid: broken\nversion: one\n", encoding="utf-8"
        )
    ws, _ = lazy_workspace(isolated_env)

    async def scenario() -> None:
        async with AuditApp(ws).run_test(size=SIZE) as pilot:
            await pilot.press("n")
            await pilot.pause()
            line = str(pilot.app.screen.query_one("#refused").render())
            files = "1 audit tool file has" if broken == 1 else "2 audit tool files have"
            assert line.startswith(files), line
            assert "`auditui tools validate`" in line
            assert "smart-plans" in {tool.id for tool in pilot.app.screen.tools}  # the rest load

    try:
        run(scenario())
    finally:
        ws.close()
