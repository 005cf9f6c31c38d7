"""Moderation from the command line, as real `python -m auditui` subprocesses: sample, show,
compare (refused until the re-audit has ended), agree and `report moderation`.

The audits themselves are made through the services on the same database
file; bad input gives exit 1 and one sentence on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli_support import RunCli, ok, refused

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))

from moderation_support import ended_audit, grade_and_end, make_ws, write_tool  # noqa: E402

from auditui.services import moderation as service  # noqa: E402


def test_sample_show_compare_agree_and_report(run_cli: RunCli, isolated_env) -> None:
    tools = write_tool(isolated_env.tools)
    isolated_env.config.write_text('[user]\nname = "Quinn Lead"\n', encoding="utf-8")
    lead = make_ws(isolated_env.db, tools, "Quinn Lead")
    first = ended_audit(lead, "Ann", "CF0001", plan="outstanding", visits="good")
    ended_audit(lead, "Bob", "CF0002", plan="good", visits="good")
    lead.close()

    assert "--month: '2026/11' is not a month" in refused(
        run_cli("moderation", "sample", "--month", "2026/11", "--percent", "10")
    )
    assert "Ann is the only moderator named" in refused(
        run_cli(
            "moderation", "sample", "--month", "2026-11", "--percent", "100", "--moderator", "Ann"
        )
    )
    out = ok(
        run_cli("moderation", "sample", "--month", "2026-11", "--percent", "100", "--seed", "3")
    )
    assert "Picked 2 audits for moderation (seed 3)." in out
    shown = json.loads(ok(run_cli("moderation", "show", "--format", "json")))
    assert [list(a) for a in shown] == [
        ["id", "audit_id", "auditor", "moderator", "status", "moderation_audit_id"]
    ] * 2
    assert {(a["auditor"], a["moderator"], a["status"]) for a in shown} == {
        ("Ann", "Bob", "allocated"),
        ("Bob", "Ann", "allocated"),
    }

    bob = make_ws(isolated_env.db, tools, "Bob")
    again = service.start_moderation(bob, first)
    assert "has not ended; the original's answers and grades are shown once it has" in refused(
        run_cli("moderation", "compare", first[:8])
    )
    grade_and_end(bob, again, plan="good", visits="requires_improvement")
    bob.close()
    table = ok(run_cli("moderation", "compare", first[:8]))
    assert "The plan" in table and "Outstanding" in table and "Requires improvement" in table
    assert "'great' is not a grade" in refused(
        run_cli("moderation", "agree", first[:8], "--grade", "great", "--reason", "x")
    )
    out = ok(run_cli("moderation", "agree", first[:8], "--grade", "good", "--reason", "Agreed."))
    assert "agreed grade good, recorded by Quinn Lead" in out

    report = json.loads(ok(run_cli("report", "moderation", "--by", "section", "--format", "json")))
    assert list(report) == [
        "pairs",
        "exact_agreement_pct",
        "within_one_pct",
        "weighted_kappa",
        "original_higher",
        "original_lower",
        "groups",
    ]
    assert (report["pairs"], report["original_higher"], report["exact_agreement_pct"]) == (
        1,
        1,
        0.0,
    )
    assert [g["group"] for g in report["groups"]] == ["plan", "visits"]
    assert "generous" in ok(run_cli("report", "moderation"))
    assert "moderation" in ok(run_cli("report", "--help"))


def test_audit_new_moderate_starts_the_blind_re_audit(run_cli: RunCli, isolated_env) -> None:
    tools = write_tool(isolated_env.tools)
    isolated_env.config.write_text('[user]\nname = "Bob"\n', encoding="utf-8")
    lead = make_ws(isolated_env.db, tools, "Quinn Lead")
    first = ended_audit(lead, "Ann", "CF0001", plan="outstanding", visits="good")
    lead.close()
    sample = ("moderation", "sample", "--month", "2026-11", "--percent", "100")
    ok(run_cli(*sample, "--moderator", "Bob", "--seed", "3"))
    started = ok(run_cli("audit", "new", "--moderate", first[:8])).strip()
    shown = json.loads(ok(run_cli("audit", "show", started, "--format", "json")))
    assert (shown["kind"], shown["case_ref"], shown["answers"]) == ("moderation", "CF0001", {})
    both = run_cli("audit", "new", "--moderate", first[:8], "--plan", "x")
    assert both.returncode == 2 and "not both" in both.stderr
