"""Issue 13 items 7-9 on the command line, through the real `auditui` in a subprocess.

A date answer typed the UK way is stored as ISO and read back the UK way; the
answer line names the question by number and words; a draft's grade is only
"so far" in `audit list`; `audit grade ... accept` accepts the suggestion, and
progress reaches 100% only once every grade is accepted.
"""

from __future__ import annotations

import json

from cli_support import RunCli, ok

NEW = (
    "audit", "new", "--tool", "smart-plans", "--case", "CF123456", "--case-type", "CP",
    "--team", "North", "--practitioner", "Pat Jones",
)  # fmt: skip
SMART = (
    "specific", "measurable", "achievable", "realistic", "timely", "contingency_present",
    "contingency_specific", "childs_views_in_plan", "family_understands_plan",
    "plan_reviewed_in_timescale",
)  # fmt: skip


def test_a_date_answer_typed_the_uk_way(run_cli: RunCli) -> None:
    audit_id = ok(
        run_cli(
            "audit", "new", "--tool", "assessment-timeliness", "--case", "CF1", "--case-type",
            "CIN", "--team", "North", "--practitioner", "Pat Jones",
        )
    ).strip()  # fmt: skip
    out = ok(run_cli("audit", "answer", audit_id, "assessment_start", "1/2/2026"))
    assert out.splitlines()[0] == "Q1.1 Date the assessment started: Sun 1 Feb 2026"
    shown = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert "2026-02-01" in json.dumps(shown) and "Feb 2026" not in json.dumps(shown)
    text = ok(run_cli("audit", "show", audit_id))
    assert "assessment_start: Sun 1 Feb 2026" in text


def test_a_drafts_grade_is_so_far_and_100_percent_needs_every_grade_accepted(
    run_cli: RunCli,
) -> None:
    audit_id = ok(run_cli(*NEW)).strip()
    out = ok(run_cli("audit", "answer", audit_id, "specific", "yes"))
    assert out.splitlines()[-1] == "8% done; 10 things left before finalising."
    listed = ok(run_cli("audit", "list"))
    assert "outstanding so far" in listed
    assert "Overall: Outstanding, 100% so far" in ok(run_cli("audit", "show", audit_id))
    for qid in SMART[1:]:
        out = ok(run_cli("audit", "answer", audit_id, qid, "yes"))
    assert out.splitlines()[-1] == (
        "71% done; ready to finalise, which accepts the suggested grades not yet accepted."
    )
    for scope in ("smart", "contingency", "engagement"):
        ok(run_cli("audit", "grade", audit_id, scope, "accept"))
    out = ok(run_cli("audit", "grade", audit_id, "overall", "accept"))
    assert out.strip() == "Overall: Outstanding (suggested: Outstanding)"
    state = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert state["progress"] == 1.0
    assert "Overall: Outstanding, 100%\n" in ok(run_cli("audit", "show", audit_id))
    again = ok(run_cli("audit", "answer", audit_id, "timely", "yes"))
    assert again.splitlines()[-1] == "100% done; ready to finalise."


def test_finalise_says_which_suggested_grades_it_accepted(run_cli: RunCli) -> None:
    audit_id = ok(run_cli(*NEW)).strip()
    for qid in SMART:
        ok(run_cli("audit", "answer", audit_id, qid, "yes"))
    ok(run_cli("audit", "grade", audit_id, "smart", "accept"))
    out = ok(run_cli("audit", "finalise", audit_id)).splitlines()
    assert out[1] == (
        "Accepted the suggested grades: Section 2 Contingency: Outstanding; "
        "Section 3 The child and family in the plan: Outstanding; Overall: Outstanding."
    )
    shown = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    assert shown["progress"] == 1.0 and shown["complete"] is True
