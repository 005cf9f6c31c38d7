"""`report --hub DIR --from A --to B pack` makes the hub's pack, as `report pack --hub DIR` does.

The options given to the `report` group itself (hub, index, period) used to be
dropped by the pack subcommand (and --from/--to were demanded again), so the
pack silently reported the local store. Here the hub holds 60 audits and the
local store none: both spellings write the hub's pack.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sync_support import demo_hub_and_empty_reader
from test_report_cli import run

TODAY = dt.date(2026, 11, 30)


def test_report_hub_pack_reports_the_hub_not_the_local_store(tmp_path: Path) -> None:
    hub, base = demo_hub_and_empty_reader(tmp_path, TODAY)
    period = ("--from", "2025-01-01", "--to", "2026-12-31")
    index = tmp_path / "index.db"

    local = run(*base, "report", "pack", *period, "--out", tmp_path / "local.html")
    assert local.returncode == 0, local.stderr
    sub = run(*base, "report", "pack", "--hub", hub, "--index", index, *period,
              "--out", tmp_path / "sub.html")  # fmt: skip
    assert sub.returncode == 0, sub.stderr
    group = run(*base, "report", "--hub", hub, "--index", index, *period, "pack",
                "--out", tmp_path / "group.html")  # fmt: skip
    assert group.returncode == 0, group.stderr
    from_hub = (tmp_path / "sub.html").read_text(encoding="utf-8")
    assert "folder hub" in from_hub
    assert "folder hub" not in (tmp_path / "local.html").read_text(encoding="utf-8")
    assert "folder hub" in (tmp_path / "group.html").read_text(encoding="utf-8")
    missing = run(*base, "report", "pack", "--out", tmp_path / "none.html")
    assert missing.returncode == 1
    [line] = missing.stderr.strip().splitlines()
    assert line.endswith("report pack: give the period with --from DATE and --to DATE.")
