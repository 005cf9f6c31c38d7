"""Each command imports only what it needs (issue 12, "and one figure").

Start-up is paid by every command a script runs, so a command that works
from the database alone must not import the tool models (pydantic), the
export package or another command's module. Each case runs the real entry
point in a child process and lists the modules it ended up with.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditui.cli import export_cmd
from auditui.cli.main import COMMAND_GC_THRESHOLD
from auditui.domain import records
from auditui.export import csv_export

CHILD = """
import json, sys
sys.argv = ["auditui", *json.loads(sys.argv[1])]
try:
    from auditui.cli.main import main
    main()
except SystemExit:
    pass
finally:
    with open(OUT, "w") as f:
        json.dump(sorted(sys.modules), f)
"""


def _modules(args: list[str], env: dict[str, str], tmp_path: Path) -> set[str]:
    out = tmp_path / "modules.json"
    code = f"OUT = {str(out)!r}\n" + CHILD
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return set(json.loads(out.read_text()))


HEAVY = {"pydantic", "auditui.tools.models", "auditui.export", "ruamel.yaml", "textual"}
ANSWERS_EXPORT_NEEDS_NOT = {
    "auditui.config",  # nor the config file: the answers do not depend on it
    "tomllib",
    "auditui.domain.records",
    "auditui.domain.working_days",
    "auditui.export.tables",  # the other tables' rows
}
"""What the export of the answers table, the command a script runs again and again, does
not load (issue 12's figure is about it)."""


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--version"], HEAVY | {"auditui.cli.commands", "rich", "auditui.services.workspace"}),
        (["--help"], HEAVY),
        (["actions"], HEAVY | {"auditui.services.sync", "auditui.cli.tools_cmd"}),
        (["audit", "list"], HEAVY | {"auditui.cli.report_cmd", "auditui.cli.sync_cmd"}),
        (["export", "csv", "--help"], HEAVY | {"auditui.cli.audit_cmd"}),
    ],
)
def test_a_command_imports_only_what_it_needs(
    args: list[str], absent: set[str], child_env: dict[str, str], tmp_path: Path
) -> None:
    loaded = _modules(args, child_env, tmp_path)
    assert "auditui.cli.main" in loaded
    assert not absent & loaded, sorted(absent & loaded)


def test_exporting_the_answers_again_loads_neither_the_tools_nor_the_config(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    """The first export builds the tools' cells and keeps them in the cache; the next (as a
    script runs it again and again) loads no tool, no config and no other table's code."""
    args = ["export", "csv", "--table", "answers", "--out", "-"]
    _modules(args, child_env, tmp_path)
    loaded = _modules(args, child_env, tmp_path)
    assert "auditui.export.answers_table" in loaded
    absent = HEAVY - {"auditui.export"} | ANSWERS_EXPORT_NEEDS_NOT
    assert not absent & loaded, sorted(absent & loaded)


def test_the_export_command_lists_the_tables_and_states_the_export_knows() -> None:
    assert export_cmd.TABLES == csv_export.TABLES
    assert export_cmd.STATUSES == records.STATUSES


def test_the_csv_cell_escaping_alone_loads_no_export_machinery() -> None:
    """`actions --format csv` and friends need only export.cells: the package must not
    pull in the tool models, pydantic or the report renderers with it."""
    import subprocess
    import sys

    code = (
        "import sys, auditui.export.cells; "
        "print(sorted(m for m in ('pydantic', 'auditui.tools.loader', 'auditui.export.report')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


LEAVING = """
import atexit, gc, json, sys, threading, time
args, late_thread = json.loads(sys.argv[1]), json.loads(sys.argv[2])
atexit.register(lambda: print("exit handler ran", gc.get_threshold(), flush=True))


class TornDown:
    def __del__(self):
        print("torn down", flush=True)


kept = TornDown()  # taken apart only by the interpreter's own teardown
if late_thread:
    threading.Thread(target=lambda: (time.sleep(0.3), print("thread done", flush=True))).start()
sys.argv = ["auditui", *args]
from auditui.cli.main import entry
entry()
"""


@pytest.mark.parametrize(
    ("args", "code", "late_thread"),
    [
        (["--version"], 0, False),
        (["export", "csv", "--table", "answers", "--out", "/no/such/folder/x.csv"], 1, False),
        (["export", "csv", "--table", "nothing"], 2, False),
        (["--version"], 0, True),
    ],
    ids=["done", "refused", "usage", "a thread still running"],
)
def test_a_command_leaves_with_its_code_its_output_and_its_exit_handlers(
    args: list[str], code: int, late_thread: bool, child_env: dict[str, str]
) -> None:
    """The command skips the interpreter's teardown (``cli.main.leave``: 10-12 ms a
    command), never what a script relies on: the exit code, everything written, the exit
    handlers, and a thread still at work (then it leaves the usual way, after the thread)."""
    done = subprocess.run(
        [sys.executable, "-c", LEAVING, json.dumps(args), json.dumps(late_thread)],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert f"exit handler ran {COMMAND_GC_THRESHOLD}" in done.stdout
    if code == 0:
        assert done.stdout.startswith("auditui, version ")
    else:
        assert done.stderr.strip()  # the refusal, in words
    assert ("thread done" in done.stdout) == late_thread
    assert ("torn down" in done.stdout) == late_thread  # no teardown unless it must
