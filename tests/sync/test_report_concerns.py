"""`auditui report` counts safeguarding concerns and their response times, never their text.

The issue asks that concerns and their response times be counted in reports, as
councils report escalations quarterly. Priya records concerns on drafts (at once,
not at finalise); over a real folder hub Maria, the team manager, responds to one.
The counts are checked against what the test itself did, on the local store, over
the hub, and for a period, and through the real command in a subprocess.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from sync_support import person, trust_for_completions

from auditui.services import audits, concerns
from auditui.services.report import concern_figures
from auditui.services.sync import run_sync

TEAM = "North Locality"
TEXT = "Child left alone overnight; no safety plan."


def test_report_counts_concerns_locally_over_the_hub_and_in_a_period(tmp_path: Path) -> None:
    hub = tmp_path / "share" / "hub"
    hub.mkdir(parents=True)
    priya, maria = person(tmp_path, "Priya Shah"), person(tmp_path, "Maria Lopez")
    ids = []
    for case in ("CIN-1", "CIN-2"):
        audit_id = audits.start_audit(priya, "smart-plans", case, "CP", TEAM, "Sam Taylor", True)
        ids.append(concerns.raise_concern(priya, audit_id, TEXT, "Maria Lopez").id)

    local = concern_figures(priya)
    assert local is not None
    assert (local["raised"], local["open"], local["closed"]) == (2, 2, 0)
    assert local["median_response_working_days"] is None
    assert TEXT not in json.dumps(local)

    run_sync(priya, str(hub))
    trust_for_completions(str(hub), maria, [TEAM])
    concerns.acknowledge(maria, ids[0], hub=str(hub))
    concerns.respond(maria, ids[0], "Strategy discussion held; child safe.", str(hub))
    over_hub = concern_figures(maria, str(hub))
    assert over_hub is not None
    assert (over_hub["raised"], over_hub["open"], over_hub["closed"]) == (2, 1, 1)
    assert over_hub["acknowledged_same_working_day"] == 1
    assert over_hub["median_response_working_days"] == 0
    assert "child safe" not in json.dumps(over_hub)

    raised_on = concerns.working_day(concerns.list_concerns(priya)[0].raised_at)
    tomorrow = raised_on + dt.timedelta(days=1)
    later = concern_figures(maria, str(hub), start=tomorrow.strftime("%d/%m/%Y"))
    assert later is not None and later["raised"] == 0
    that_day = concern_figures(maria, str(hub), raised_on, raised_on)
    assert that_day is not None and that_day["raised"] == 2


def test_the_report_command_prints_the_concerns(
    run_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    new = (
        *("audit", "new", "--tool", "smart-plans", "--case", "CF123456", "--case-type", "CP"),
        *("--team", "North", "--practitioner", "Pat Jones"),
    )
    made = run_cli(*new)
    assert made.returncode == 0, made.stderr
    said = run_cli("audit", "concern", made.stdout.strip(), "--text", TEXT)
    assert said.returncode == 0, said.stderr
    as_json = run_cli("report", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    figures = json.loads(as_json.stdout)["concerns"]
    assert (figures["raised"], figures["open"], figures["closed"]) == (1, 1, 0)
    table = run_cli("report")
    assert "Safeguarding concerns: 1 raised, 1 open, 0 closed" in table.stdout, table.stdout
    assert TEXT not in table.stdout + as_json.stdout
