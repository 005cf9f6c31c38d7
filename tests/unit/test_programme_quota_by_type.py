"""A quota per case type (one plan per type, ``--case-type``) and a plan's audit kind.

From a mixed list (child protection, children in need and looked-after cases
in two teams), a plan with ``--case-type CLA`` draws only CLA cases, a second
plan with ``--case-type CP`` only CP cases and never a case the first took,
each to its own quota; a plan's non-default ``--kind`` reaches every item and
the audit started from one; the CLI's help says how to plan a quota per type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_programme import load_cases, make_plan, make_ws

from auditui.errors import ProgrammeError
from auditui.services import audits
from auditui.services import programme as service
from auditui.services.workspace import Workspace

TYPES = {"North": ("CP", "CIN", "CLA", "CP", "CLA", "CIN", "CP", "CLA"),
         "South": ("CLA", "CP", "CP", "CIN", "CLA", "CP", "CLA", "CIN")}  # fmt: skip


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db")
    yield workspace
    workspace.close()


def mixed(ws: Workspace, tmp_path: Path) -> dict[str, str]:
    lines, types, n = ["case_ref,case_type,team,practitioner"], {}, 0
    for team, kinds in TYPES.items():
        for case_type in kinds:
            n += 1
            lines.append(f"CF{n:05d},{case_type},{team},Worker {n}")
            types[f"CF{n:05d}"] = case_type
    load_cases(ws, tmp_path, lines)
    return types


def test_a_quota_per_case_type_is_one_plan_per_type(lead: Workspace, tmp_path: Path) -> None:
    ws = lead
    types = mixed(ws, tmp_path)
    looked_after = make_plan(ws, per_team=2, case_types=["CLA"], seed="1")
    assert {types[i.case_ref] for i in looked_after.items} == {"CLA"}
    assert {i.case_type for i in looked_after.items} == {"CLA"}
    assert Counter(i.team for i in looked_after.items) == {"North": 2, "South": 2}
    protection = make_plan(ws, per_team=3, case_types=["CP"], seed="1")
    assert {types[i.case_ref] for i in protection.items} == {"CP"}
    assert Counter(i.team for i in protection.items) == {"North": 3, "South": 3}
    assert not {i.case_ref for i in protection.items} & {i.case_ref for i in looked_after.items}
    # one CLA case per team is left; a second plan of two is refused, naming what is left
    with pytest.raises(ProgrammeError, match="North 1, South 1"):
        make_plan(ws, per_team=2, case_types=["CLA"], seed="2")


def test_a_plans_kind_reaches_its_items_and_the_audit_started(
    lead: Workspace, tmp_path: Path
) -> None:
    ws = lead
    mixed(ws, tmp_path)
    made = make_plan(ws, per_team=1, case_types=["CIN"], kind="deep_dive", seed="4")
    assert {i.kind for i in made.items} == {"deep_dive"}
    assert {i.kind for i in service.show(ws)} == {"deep_dive"}
    audit_id = service.start_planned_audit(ws, made.items[0].id)
    assert audits.load(ws, audit_id).audit.kind == "deep_dive"
    with pytest.raises(ProgrammeError, match="--kind: 'moderation' is not one of"):
        make_plan(ws, per_team=1, case_types=["CIN"], kind="moderation", seed="5")
