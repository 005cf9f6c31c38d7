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


def test_the_export_command_lists_the_tables_the_export_knows() -> None:
    assert export_cmd.TABLES == csv_export.TABLES


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
