"""Format 2 audits from the command line: section-na, worker audits, computed answers, numbers.

Real `python -m auditui` subprocesses on shipped format 2 tools; a refusal
is exit 1 with one plain message and no traceback, and changes nothing.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: Result, *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def show(run_cli: RunCli, audit_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run_cli("audit", "show", audit_id, "--format", "json")))
    return data


def new_cla_audit(run_cli: RunCli) -> str:
    return ok(
        run_cli(
            "audit", "new", "--tool", "case-file-audit", "--case", "CF100200",
            "--case-type", "CLA", "--team", "North", "--practitioner", "Pat Jones",
        )
    ).strip()  # fmt: skip


def test_section_na_marks_and_clears_a_section_with_its_reason(run_cli: RunCli) -> None:
    audit_id = new_cla_audit(run_cli)
    out = ok(
        run_cli("audit", "section-na", audit_id, "looked_after", "--reason", "Newly looked after.")
    )
    assert (
        "Section 8 The looked after child's review, health and education: not applicable "
        "(Newly looked after.)\n"
    ) in out
    data = show(run_cli, audit_id)
    assert data["sections_na"] == {"looked_after": "Newly looked after."}
    assert data["grading"]["sections"]["looked_after"]["final"] is None
    assert "cla_review_in_timescale" not in data["grading"]["missing"]
    ok(run_cli("audit", "section-na", audit_id, "looked_after", "--clear"))
    data = show(run_cli, audit_id)
    assert data["sections_na"] == {}
    assert "cla_review_in_timescale" in data["grading"]["missing"]


def test_section_na_refusals_name_what_is_wrong(run_cli: RunCli) -> None:
    audit_id = new_cla_audit(run_cli)
    refused(
        run_cli("audit", "section-na", audit_id, "plan", "--reason", "No."),
        "Section 4 The plan (SMART and contingency) cannot be marked not applicable",
    )
    refused(run_cli("audit", "section-na", audit_id, "looked_after", "--reason", " "), "Reason")
    refused(run_cli("audit", "section-na", audit_id, "looked_after"), "--reason", "--clear")
    refused(run_cli("audit", "section-na", audit_id, "nowhere", "--reason", "x"), "nowhere")
    assert show(run_cli, audit_id)["sections_na"] == {}


def test_a_worker_audit_starts_without_a_case(run_cli: RunCli) -> None:
    audit_id = ok(
        run_cli(
            "audit", "new", "--tool", "worker-supervision-file",
            "--practitioner", "Pat Jones", "--team", "North",
        )
    ).strip()  # fmt: skip
    data = show(run_cli, audit_id)
    assert data["practitioner"] == "Pat Jones"
    assert data["case_ref"] == "" and data["case_type"] == ""
    text = ok(run_cli("audit", "show", audit_id))
    assert "Worker audit of Pat Jones" in text
    refused(
        run_cli(
            "audit", "new", "--tool", "worker-supervision-file", "--case", "CF1",
            "--practitioner", "Pat Jones", "--team", "North",
        ),
        "no case reference",
    )  # fmt: skip
    refused(
        run_cli(
            "audit", "new", "--tool", "case-file-audit", "--practitioner", "Pat", "--team", "N"
        ),
        "Case reference",
    )


def test_computed_answers_and_form_numbers_show_on_the_command_line(run_cli: RunCli) -> None:
    audit_id = ok(
        run_cli(
            "audit", "new", "--tool", "worker-supervision-file",
            "--practitioner", "Pat Jones", "--team", "North",
        )
    ).strip()  # fmt: skip
    ok(run_cli("audit", "answer", audit_id, "last_supervision_on", "2026-04-10"))
    ok(run_cli("audit", "answer", audit_id, "previous_supervision_on", "01/03/2026"))
    refused(
        run_cli("audit", "answer", audit_id, "days_between", "3"),
        "Q1.4 Days between the last two supervisions is computed",
    )
    data = show(run_cli, audit_id)
    assert data["grading"]["computed"] == {"days_between": 40, "within_6_weeks": "yes"}
    assert data["numbers"]["within_6_weeks"] == "1.5"
    text = ok(run_cli("audit", "show", audit_id))
    assert "1.4 days_between: 40 days" in text
    assert "1.5 within_6_weeks: Yes (40 days; at most 42 days)" in text
    # A date that would put the earlier supervision after the later one is refused.
    refused(
        run_cli("audit", "answer", audit_id, "previous_supervision_on", "2026-04-11"),
        "Q1.3 Date of the supervision before",  # the question's number and words, not its id
        "Q1.2 Date of the last supervision (Fri 10 Apr 2026)",
    )


def test_grade_asks_for_the_rationale_a_tool_always_needs(run_cli: RunCli) -> None:
    audit_id = ok(
        run_cli(
            "audit", "new", "--tool", "worker-supervision-file",
            "--practitioner", "Pat Jones", "--team", "North",
        )
    ).strip()  # fmt: skip
    refused(run_cli("audit", "grade", audit_id, "quality", "good"), "rationale")
    out = ok(run_cli("audit", "grade", audit_id, "quality", "good", "--rationale", "Reflective."))
    assert "Section 2 Reflective supervision: Good" in out
    ok(run_cli("audit", "grade", audit_id, "quality", "suggested"))
    ok(run_cli("audit", "answer", audit_id, "reflective", "good", "--evidence", "Notes."))
    # The suggested grade stands, and still needs its written analysis.
    refused(
        run_cli("audit", "finalise", audit_id),
        "Section 2 Reflective supervision: needs a written rationale",
    )


def test_an_audit_started_on_the_old_version_still_finishes_on_it(run_cli: RunCli) -> None:
    audit_id = ok(
        run_cli(
            "audit", "new", "--tool", "assessment-timeliness", "--tool-version", "1",
            "--case", "CF100500", "--case-type", "CIN", "--team", "North",
            "--practitioner", "Pat Jones",
        )
    ).strip()  # fmt: skip
    ok(run_cli("audit", "answer", audit_id, "working_days_taken", "12"))  # typed in version 1
    data = show(run_cli, audit_id)
    assert data["tool_version"] == 1
    assert data["answers"]["working_days_taken"]["value"] == 12
    assert data["grading"]["computed"] == {}
