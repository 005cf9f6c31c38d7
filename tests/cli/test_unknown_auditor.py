"""An auditor or moderator the organisation does not know is refused in one sentence.

With ``[organisation] auditors`` set, `programme plan --auditor`, `programme
assign --auditor`, `audit new --plan ITEM --auditor` and `moderation sample
--moderator` refuse a name not on the list (naming the option and the list)
and change nothing; a name typed in another letter case is taken as the list
spells it, so one person never becomes two groups in the reports. With no
list, any name is accepted (the other programme tests run that way). Real
`python -m auditui` subprocesses on a real database file.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from cli_support import RunCli, ok, refused

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))

from moderation_support import ended_audit, make_ws, write_tool  # noqa: E402

from auditui.domain.sampling import Month  # noqa: E402

MONTH = Month.of(dt.date.today()).shift(2)
CONFIG = """\
[user]
name = "Quinn Lead"

[organisation]
auditors = ["Quinn Lead", "Ann Khan", "Bob Reid"]
"""
LIST = "(Quinn Lead, Ann Khan, Bob Reid)"


def _cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    rows = [f"CF{n:04d},CP,North,Worker {n}" for n in range(1, 9)]
    path.write_text("case_ref,case_type,team,practitioner\n" + "\n".join(rows) + "\n")
    return path


def _items(run_cli: RunCli) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(
        ok(run_cli("programme", "show", "--format", "json"))
    )
    return found


def test_plan_assign_and_start_refuse_a_name_not_on_the_list(
    run_cli: RunCli, isolated_env, tmp_path: Path
) -> None:
    isolated_env.config.write_text(CONFIG, encoding="utf-8")
    ok(run_cli("cases", "import", _cases(tmp_path)))
    plan = ("programme", "plan", "--month", str(MONTH), "--tool", "smart-plans", "--per-team")

    line = refused(run_cli(*plan, "2", "--auditor", "Ann Khan", "--auditor", "Bob Ried"))
    assert line == (
        "auditui: --auditor: 'Bob Ried' is not one of the organisation's auditors and moderators "
        f"{LIST}; they are listed as auditors in the [organisation] section of config.toml."
    )
    assert _items(run_cli) == [], "nothing planned"

    ok(run_cli(*plan, "2", "--auditor", "ann khan", "--auditor", "BOB REID", "--seed", "1"))
    items = _items(run_cli)
    assert sorted(str(i["auditor"]) for i in items) == ["Ann Khan", "Bob Reid"]

    first = str(items[0]["id"])
    line = refused(run_cli("programme", "assign", first, "--auditor", "Zed Unknown"))
    assert line.startswith(
        "auditui: --auditor: 'Zed Unknown' is not one of the organisation's auditors"
    )
    assert _items(run_cli) == items, "the item keeps its auditor"
    ok(run_cli("programme", "assign", first, "--auditor", "quinn lead"))
    assert next(i for i in _items(run_cli) if i["id"] == first)["auditor"] == "Quinn Lead"

    line = refused(run_cli("audit", "new", "--plan", first, "--auditor", "Zed Unknown"))
    assert line.startswith(
        "auditui: --auditor: 'Zed Unknown' is not one of the organisation's auditors"
    )
    assert next(i for i in _items(run_cli) if i["id"] == first)["status"] == "planned"
    assert json.loads(ok(run_cli("audit", "list", "--format", "json"))) == []


def test_moderation_sample_refuses_an_unknown_moderator(
    run_cli: RunCli, isolated_env, tmp_path: Path
) -> None:
    tools = write_tool(isolated_env.tools)
    isolated_env.config.write_text(CONFIG, encoding="utf-8")
    lead = make_ws(isolated_env.db, tools, "Quinn Lead")
    ended_audit(lead, "Ann Khan", "CF0001", plan="good", visits="good")
    lead.close()
    sample = ("moderation", "sample", "--month", "2026-11", "--percent", "100", "--seed", "3")

    line = refused(run_cli(*sample, "--moderator", "Bob Reid", "--moderator", "Rob Reid"))
    assert line.startswith(
        "auditui: --moderator: 'Rob Reid' is not one of the organisation's auditors"
    )
    assert LIST in line
    assert json.loads(ok(run_cli("moderation", "show", "--format", "json"))) == []

    ok(run_cli(*sample, "--moderator", "bob reid"))
    [picked] = json.loads(ok(run_cli("moderation", "show", "--format", "json")))
    assert (picked["auditor"], picked["moderator"]) == ("Ann Khan", "Bob Reid")


def test_a_refused_name_is_shown_bounded_and_hostile_names_never_raise(
    run_cli: RunCli, isolated_env, tmp_path: Path
) -> None:
    isolated_env.config.write_text(CONFIG, encoding="utf-8")
    ok(run_cli("cases", "import", _cases(tmp_path)))
    plan = ("programme", "plan", "--month", str(MONTH), "--tool", "smart-plans", "--per-team")
    for name in ("x" * 5_000, "Ann\tKhan", " ", "Ann Khan\u202e", "'; DROP TABLE plans; --"):
        line = refused(run_cli(*plan, "1", "--auditor", name))
        assert len(line) < 700, line
    assert _items(run_cli) == []


def test_audit_new_refuses_an_unknown_auditor(run_cli: RunCli, isolated_env) -> None:
    isolated_env.config.write_text(CONFIG, encoding="utf-8")
    new = (
        *("audit", "new", "--tool", "smart-plans", "--case", "C123456", "--case-type", "CP"),
        *("--team", "North", "--practitioner", "Sam Taylor"),
    )
    assert "'Zed Unknown' is not one of the organisation's auditors" in refused(
        run_cli(*new, "--auditor", "Zed Unknown")
    )
    assert json.loads(ok(run_cli("audit", "list", "--format", "json"))) == []
    ok(run_cli(*new, "--auditor", "ann khan"))
    [made] = json.loads(ok(run_cli("audit", "list", "--format", "json")))
    assert made["auditor"] == "Ann Khan"
