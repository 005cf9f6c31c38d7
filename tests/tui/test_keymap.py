"""A user keymap (issue 13 item 16): `[keys]` in config.toml, by binding id, shown in help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from tui_support import TODAY, run

from auditui.config import load_config
from auditui.errors import ConfigError
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary
from auditui.tui.keymap import app_bindings
from auditui.tui.run import make_app
from auditui.tui.screens.help import HelpScreen
from auditui.tui.screens.reports import ReportsScreen


def _workspace(isolated_env: Any, library: ToolLibrary, keys: str) -> Workspace:
    isolated_env.config.write_text(f'[user]\nname = "Ann Auditor"\n[keys]\n{keys}', "utf-8")
    ws = Workspace.open(isolated_env.db, library=library, config=load_config(isolated_env.config))
    ws.today = lambda: TODAY
    return ws


def test_a_user_key_runs_the_action_and_help_marks_it(
    isolated_env: Any, library: ToolLibrary
) -> None:
    ws = _workspace(isolated_env, library, 'app.help = "f1"\nhome.reports = "ctrl+r"\n')
    run(_user_keys(make_app(ws)))
    ws.close()


async def _user_keys(app: Any) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")  # replaced: ? no longer opens help
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for keys, description, _ in app.screen.rows}
        assert rows["Reports"] == "^r*"
        foot = str(app.screen.query_one("#help-foot").render())
        assert "app.help = f1" in foot and "home.reports = ctrl+r" in foot
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)


def test_an_id_no_action_has_is_refused_by_name(isolated_env: Any, library: ToolLibrary) -> None:
    ws = _workspace(isolated_env, library, 'app.quit = "ctrl+q"\nhome.teleport = "t"\n')
    with pytest.raises(ConfigError, match=r"\[keys\]: no action has the id home\.teleport"):
        make_app(ws)
    ws.close()


def test_every_binding_of_the_app_has_an_id() -> None:
    from textual.dom import DOMNode

    bindings = app_bindings()
    assert {"app.quit", "app.help", "home.reports", "walker.next"} <= set(bindings)

    def every(cls: type[DOMNode]) -> list[type[DOMNode]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *every(sub))]

    for cls in every(DOMNode):
        if cls.__module__.startswith("auditui."):
            for binding in cls.__dict__.get("BINDINGS", ()):
                assert isinstance(binding, Binding) and binding.id, (cls, binding)


def test_config_path_in_the_refusal(
    isolated_env: Any, library: ToolLibrary, tmp_path: Path
) -> None:
    ws = _workspace(isolated_env, library, 'nothing.here = "x"\n')
    with pytest.raises(ConfigError) as raised:
        make_app(ws)
    assert str(isolated_env.config) in str(raised.value)
    ws.close()
