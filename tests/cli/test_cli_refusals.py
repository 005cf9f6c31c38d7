"""Issue 12 item 9 and the date rules: input that used to crash or slip through, refused in words.

Each case runs the real `auditui` command (``run_cli``) and expects exit 1
(or click's 2), one plain message naming the field or file, no traceback,
and nothing changed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from auditui.domain.records import NAME_LIMIT, NOTE_LIMIT, parse_date
from auditui.domain.working_days import working_calendar
from auditui.errors import InvalidAnswerError

Result = subprocess.CompletedProcess[str]
RunCli = Callable[..., Result]

NEW = ("audit", "new", "--tool", "smart-plans", "--case-type", "CP")


def _refused(result: Result, code: int = 1) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    return result.stderr


def _new(run_cli: RunCli, case: str = "CF1", team: str = "North", **more: str) -> Result:
    extra = [x for k, v in more.items() for x in (f"--{k}", v)]
    return run_cli(*NEW, "--case", case, "--team", team, "--practitioner", "Pat", *extra)


def _audits(run_cli: RunCli) -> list[dict[str, object]]:
    return list(json.loads(run_cli("audit", "list", "--format", "json").stdout))


def test_names_longer_than_the_hub_takes_are_refused_where_typed(run_cli: RunCli) -> None:
    long = "T" * (NAME_LIMIT + 100)
    for field, args in {
        "Team": {"team": long},
        "Case reference": {"case": long},
        "Practitioner": {"practitioner": long},
        "Auditor": {"auditor": long},
    }.items():
        err = _refused(_new(run_cli, **args))
        assert err.startswith(f"auditui: {field}: 300 characters is longer than the 200"), err
    err = _refused(_new(run_cli, team="North\nSouth"))
    assert "Team: a name is one line of text" in err
    assert _audits(run_cli) == []
    assert _new(run_cli, team="T" * NAME_LIMIT).returncode == 0


def test_action_owner_text_and_reasons_are_bounded(run_cli: RunCli) -> None:
    audit_id = _new(run_cli).stdout.strip()
    err = _refused(run_cli("action", "add", audit_id, "--owner", "O" * 201, "--text", "Do it."))
    assert "Owner: 201 characters" in err
    err = _refused(
        run_cli("action", "add", audit_id, "--owner", "Pat", "--text", "x" * (NOTE_LIMIT + 1))
    )
    assert "Action: 20,001 characters is longer than the 20,000 a note may have" in err
    err = _refused(run_cli("audit", "close", audit_id, "--reason", "r" * (NOTE_LIMIT + 1)))
    assert "Reason: 20,001 characters" in err
    for date_only in ("31/02/2027", "2027-03-01"):  # typed into the wrong box
        err = _refused(run_cli("action", "add", audit_id, "--owner", "Pat", "--text", date_only))
        assert "Action: that is a date; say what needs to be done" in err
    assert json.loads(run_cli("actions", "--format", "json").stdout) == []
    assert [a["status"] for a in _audits(run_cli)] == ["draft"]


def test_due_within_beyond_ten_years_is_a_usage_error(run_cli: RunCli) -> None:
    err = _refused(run_cli("actions", "--due-within", "99999999999"), code=2)
    assert "--due-within" in err and "0<=x<=2600" in err
    assert run_cli("actions", "--due-within", "2600").returncode == 0


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("/dev/full", "Cannot write /dev/full: No space left on device"),
        ("/sys/auditui.csv", "Cannot write /sys/auditui.csv: Permission denied"),
        ("/tmp", "Cannot write /tmp: it is a folder; give a file name"),
        ("/tmp/" + "a" * 5000, "File name too long"),
        ("/no/such/folder/x.csv", "No such file or directory"),
    ],
)
def test_an_export_that_cannot_be_written_says_so(run_cli: RunCli, out: str, words: str) -> None:
    _new(run_cli)
    err = _refused(run_cli("export", "csv", "--table", "audits", "--out", out))
    assert words in err and len(err) < 600


def test_output_to_a_full_device_is_one_line_not_a_traceback(
    isolated_env: object, child_env: dict[str, str], tmp_path: Path
) -> None:
    import sys

    for args in (
        ["export", "csv", "--table", "audits"],
        ["actions", "--format", "csv"],
        ["audit", "list"],
        ["--version"],
    ):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "auditui", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=child_env,
                timeout=60,
            )
        assert done.returncode == 1, (args, done.stderr)
        assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_due_dates_before_the_audit_or_off_working_days_are_refused(run_cli: RunCli) -> None:
    audit_id = _new(run_cli).stdout.strip()
    today = dt.date.today()
    cal = working_calendar()
    yesterday = today - dt.timedelta(days=1)
    err = _refused(
        run_cli("action", "add", audit_id, "--owner", "Pat", "--text", "Do.", "--due", "2020-01-06")
    )
    assert "Due date: Mon 6 Jan 2020 is before today" in err
    err = _refused(
        run_cli(
            "action", "add", audit_id, "--owner", "Pat", "--text", "Do.", "--due", str(yesterday)
        )
    )
    assert "is before today" in err
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    err = _refused(
        run_cli(
            "action", "add", audit_id, "--owner", "Pat", "--text", "Do.",
            "--due", saturday.strftime("%d/%m/%Y"),
        )
    )  # fmt: skip
    assert "is not a working day" in err
    err = _refused(
        run_cli("action", "add", audit_id, "--owner", "Pat", "--text", "Do.", "--due", "2999-01-05")
    )
    assert "more than 10 years away" in err
    assert json.loads(run_cli("actions", "--format", "json").stdout) == []

    due = cal.add_working_days(today, 3)
    uk = f"{due.day}/{due.month}/{due.year}"  # D/M/YYYY, no leading zeros
    action_id = run_cli(
        "action", "add", audit_id, "--owner", "Pat", "--text", "Do.", "--due", uk
    ).stdout.strip()
    (row,) = json.loads(run_cli("actions", "--format", "json").stdout)
    assert (row["id"], row["due"]) == (action_id, due.isoformat())

    tomorrow = today + dt.timedelta(days=1)
    err = _refused(run_cli("action", "done", action_id, "--on", tomorrow.isoformat()))
    assert f"Completed on: {tomorrow} is in the future" in err
    err = _refused(run_cli("action", "done", action_id, "--on", yesterday.isoformat()))
    assert "before the action was agreed" in err
    assert json.loads(run_cli("actions", "--format", "json").stdout)[0]["status"] == "open"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("01/03/2026", dt.date(2026, 3, 1)),
        ("1/3/2026", dt.date(2026, 3, 1)),
        (" 31/12/2026 ", dt.date(2026, 12, 31)),
    ],
)
def test_dates_typed_iso_or_uk(typed: str, day: dt.date) -> None:
    assert parse_date(typed, "Due date") == day


@pytest.mark.parametrize(
    "typed", ["31/02/2026", "2026-1-5", "20260105", "1/3/26", "2026-W01-1", "", "x" * 5000]
)
def test_dates_that_are_not_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidAnswerError, match=r"^Due date: '.{0,43}' is not a date"):
        parse_date(typed, "Due date")


def test_a_refused_date_is_echoed_printable() -> None:
    with pytest.raises(InvalidAnswerError) as raised:
        parse_date("1/2\n\x1b[2J", "Due date")
    assert raised.value.message.startswith("Due date: '1/2??[2J' is not a date")


def test_a_date_answer_typed_the_uk_way_is_stored_as_iso(run_cli: RunCli) -> None:
    made = run_cli(
        "audit", "new", "--tool", "assessment-timeliness", "--case", "CF9", "--case-type", "CIN",
        "--team", "North", "--practitioner", "Pat",
    )  # fmt: skip
    audit_id = made.stdout.strip()
    assert made.returncode == 0, made.stderr
    done = run_cli("audit", "answer", audit_id, "assessment_start", "3/2/2026")
    assert done.returncode == 0, done.stderr
    shown = json.loads(run_cli("audit", "show", audit_id, "--format", "json").stdout)
    assert shown["answers"]["assessment_start"]["value"] == "2026-02-03"
    err = _refused(run_cli("audit", "answer", audit_id, "assessment_start", "31/02/2026"))
    assert "assessment_start" in err or "Date the assessment started" in err


@pytest.mark.parametrize(
    "name", ["Pat\tJones", "Pat\x1b[31m", "Pat\u202esenoJ", "Pat\x85Jones", ""]
)
def test_a_name_is_one_line_of_visible_text(name: str) -> None:
    from auditui.domain.records import checked_name

    if not name:
        assert checked_name("  ", "Team") == ""  # emptiness is each caller's own sentence
        return
    with pytest.raises(InvalidAnswerError, match="^Team: a name is one line of text"):
        checked_name(name, "Team")
    assert checked_name(" Zoë O'Neil-Smith ", "Team") == "Zoë O'Neil-Smith"


def test_a_rationale_longer_than_the_hub_takes_is_refused(run_cli: RunCli) -> None:
    audit_id = _new(run_cli).stdout.strip()
    err = _refused(
        run_cli("audit", "grade", audit_id, "overall", "good", "--rationale", "r" * 20_001)
    )
    assert "Rationale (--rationale): 20,001 characters" in err
    shown = json.loads(run_cli("audit", "show", audit_id, "--format", "json").stdout)
    assert shown["rationale"] == {}


def test_a_case_reference_names_its_audit_or_lists_the_choices(run_cli: RunCli) -> None:
    only = _new(run_cli, case="CF7001").stdout.strip()
    shown = json.loads(run_cli("audit", "show", "cf7001", "--format", "json").stdout)
    assert shown["id"] == only  # any case, as people type it
    assert run_cli("audit", "report", "CF7001", "--out", "-").returncode == 0
    assert run_cli("audit", "answer", "CF7001", "specific", "yes").returncode == 0
    second = _new(run_cli, case="CF7001").stdout.strip()
    err = _refused(run_cli("audit", "show", "CF7001"))
    assert "Case reference CF7001 names 2 audits:" in err
    assert only[:8] in err and second[:8] in err and "Give the audit's id" in err
