"""`report --hub DIR measures` reports the hub, as `report measures --hub DIR` does.

The options given to the `report` group itself (hub, index, period) used to be
dropped by the measures subcommand, which then silently reported the local
store. Here the hub holds 60 audits and the local store none: both spellings
print the hub's figures, the same document, naming the hub as the source.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sync_support import demo_hub_and_empty_reader
from test_report_cli import run

TODAY = dt.date(2026, 11, 30)


def test_report_hub_measures_reports_the_hub_not_the_local_store(tmp_path: Path) -> None:
    hub, base = demo_hub_and_empty_reader(tmp_path, TODAY)
    index = tmp_path / "index.db"

    local = run(*base, "report", "measures", "--format", "json")
    assert local.returncode == 0, local.stderr
    given_to_sub = run(*base, "report", "measures", "--hub", hub, "--index", index,
                       "--format", "json")  # fmt: skip
    assert given_to_sub.returncode == 0, given_to_sub.stderr
    given_to_group = run(*base, "report", "--hub", hub, "--index", index, "measures",
                         "--format", "json")  # fmt: skip
    assert given_to_group.returncode == 0, given_to_group.stderr
    from_hub = json.loads(given_to_sub.stdout)
    assert any(m["counted"] for m in from_hub["measures"]), "the hub holds counted audits"
    assert not any(m["counted"] for m in json.loads(local.stdout)["measures"])
    assert json.loads(given_to_group.stdout) == from_hub
    assert (
        str(hub) in from_hub["source"] or from_hub["source"] != json.loads(local.stdout)["source"]
    )
