"""Demo audits say they are demo in the JSON scripts read (issue 17: demo data is marked).

A script that feeds `audit list --format json` into a spreadsheet must be
able to tell synthetic audits from real ones; `audit show` says the same.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

RunCli = Callable[..., subprocess.CompletedProcess[str]]


def test_demo_audits_are_marked_and_real_ones_are_not(run_cli: RunCli) -> None:
    assert run_cli("demo", "--audits", "6", "--seed", "3").returncode == 0
    real = run_cli(
        "audit",
        "new",
        "--tool",
        "smart-plans",
        "--case",
        "CF123456",
        "--case-type",
        "CP",
        "--team",
        "North",
        "--practitioner",
        "Pat Jones",
    )
    assert real.returncode == 0, real.stderr
    real_id = real.stdout.strip()

    listed = json.loads(run_cli("audit", "list", "--format", "json").stdout)
    by_id = {a["id"]: a for a in listed}
    assert by_id.pop(real_id)["demo"] is False
    assert len(by_id) == 6 and all(a["demo"] is True for a in by_id.values())

    shown = json.loads(run_cli("audit", "show", real_id, "--format", "json").stdout)
    assert shown["demo"] is False
    some_demo = next(iter(by_id))
    assert json.loads(run_cli("audit", "show", some_demo, "--format", "json").stdout)["demo"]
