"""Home's "Planned for you" costs the first frame nothing: it is read once the frame is drawn.

Through the real entry point in a child process (the only way to see
which modules the first frame needed): at the first frame neither the
programme's services nor Textual's DataTable are loaded; a moment later
the user's plan items are on screen.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tui_support import SMALL

from auditui.services import programme
from auditui.services.cases import import_cases
from auditui.services.workspace import Workspace

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import auditui.tui.app
    import auditui.tui.run
    from auditui.cli.main import main
    from auditui.tui.app import AuditApp

    WATCHED = ("auditui.services.programme", "auditui.services.planned_for_you",
               "textual.widgets._data_table")

    class FirstFrame(AuditApp):
        CSS_PATH = str(Path(auditui.tui.app.__file__).with_name("app.tcss"))

        def on_ready(self):
            loaded = [m for m in WATCHED if m in sys.modules]
            print("first frame:", ",".join(loaded) or "-", flush=True)
            self.set_timer(1.0, self.later)

        def later(self):
            panel = self.screen.query_one("#planned-panel")
            rows = [str(panel.table.get_row_at(i)[0]) for i in range(panel.table.row_count)]
            print("later:", panel.display, ",".join(rows), flush=True)
            self.exit()

        def run(self, *args, **kwargs):
            return super().run(headless=True, size=SIZE)

    SIZE = ({width}, {height})
    auditui.tui.run.make_app = FirstFrame
    sys.argv = ["auditui"]
    main()
    """
).format(width=SMALL[0], height=SMALL[1])


def test_the_planned_panel_is_read_after_the_first_frame(
    child_env: dict[str, str], workspace: Workspace, tmp_path: Path, isolated_env: Any
) -> None:
    cases = tmp_path / "cases.csv"
    rows = [f"CF{n:04d},CP,North Locality,Worker {n}" for n in range(1, 4)]
    cases.write_text("case_ref,case_type,team,practitioner\n" + "\n".join(rows) + "\n")
    import_cases(workspace, cases)
    made = programme.plan(workspace, "2026-03", "smart-plans", 2, ["Ann Auditor"], seed="1")
    # The child's clock is the real one: its "this month" is today's, so plan that too.
    month = f"{dt.date.today():%Y-%m}"
    if month != "2026-03":
        made = programme.plan(workspace, month, "smart-plans", 1, ["Ann Auditor"], seed="2")
    env = dict(child_env, AUDITUI_DB=str(workspace.store.path))
    env["AUDITUI_CONFIG"] = str(isolated_env.config)
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "first frame: -", lines
    later = next(line for line in lines if line.startswith("later:"))
    assert later.startswith("later: True"), later
    assert all(item.case_ref in later for item in made.items), later
