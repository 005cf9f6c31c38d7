"""`report moderation --hub DIR`: the agreement figures from what a real folder hub holds.

Three people at their own machines share one folder: Ann and Bob end audits
graded as the test says and sync; Quinn, the QA lead (whose key hub.json
names; her machine holds no audit), samples all of them from the hub, each
to the other auditor. The original auditors' machines send the case details,
the moderators re-audit blind with their own grades and sync, which sends
the re-audits and the links from each allocation to its re-audit. Quinn's
hub report then equals the same figures worked out over the moderators'
own stores, and an independent count and kappa written in the test. Small
groups are suppressed; a link forged by another key is not believed.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from moderation_hub_support import (
    G,
    I,
    O,
    R,
    grade_and_end,
    graded_audit,
    independent,
    spec_part,
)
from sync_support import TODAY, lead_and_auditors, person, subprocess_env, write_config

from auditui.domain import moderation as figures
from auditui.services import moderation, moderation_review
from auditui.services.moderation_hub import hub_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.programme_records import ReauditRecord
from auditui.sync.signing import canonical, load_or_create_machine_key

MONTH = f"{TODAY:%Y-%m}"
# case: (auditor, team, the original's grades, the moderator's), grades per
# smart, contingency, engagement, overall
AUDITS = {
    "CA001": ("Ann Khan", "North", (O, G, G, G), (G, G, R, G)),
    "CA002": ("Ann Khan", "North", (G, G, G, G), (G, R, R, R)),
    "CA003": ("Ann Khan", "South", (G, O, G, O), (R, G, G, R)),
    "CA004": ("Ann Khan", "South", (R, R, I, R), (R, I, I, I)),
    "CB001": ("Bob Reid", "North", (G, G, R, G), (G, G, R, G)),
    "CB002": ("Bob Reid", "North", (I, R, R, R), (R, R, G, G)),
    "CB003": ("Bob Reid", "West", (O, O, G, O), (O, G, G, G)),
}


@pytest.fixture
def people(tmp_path: Path, hub: Path) -> dict[str, Workspace]:
    """Quinn made the hub; the organisation's key file is on every machine."""
    return lead_and_auditors(tmp_path, hub, target=True)


def moderated_through_the_hub(people: dict[str, Workspace], hub: Path) -> dict[str, str]:
    """Everything from the first audit to the last sync; each original audit's case ref
    by its id."""
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    cases: dict[str, str] = {}
    for case, (who, team, grades, _) in AUDITS.items():
        cases[graded_audit(people[who], case, team, grades)] = case
    run_sync(ann, str(hub))
    run_sync(bob, str(hub))
    picked = moderation.sample(quinn, MONTH, 100, moderators=["Ann Khan", "Bob Reid"], seed="9")
    assert len(picked) == len(AUDITS) and all(a.moderator != a.auditor for a in picked)
    run_sync(quinn, str(hub))
    for ws in (ann, bob, ann, bob):  # case details go out, then the allocations come home
        run_sync(ws, str(hub))
    for ws in (ann, bob):
        mine = moderation.show(ws, mine=True)
        assert {a.audit_id for a in mine} == {a.audit_id for a in picked if a.moderator == ws.user}
        for allocation in mine:
            again = moderation.start_moderation(ws, allocation.audit_id)
            grade_and_end(ws, again, AUDITS[cases[allocation.audit_id]][3])
        run_sync(ws, str(hub))
    return cases


def local_report(people: dict[str, Workspace], by: str | None) -> dict:
    """The figures over the moderators' own stores: every pair is on one of them."""
    pairs = moderation_review.pairs(people["Ann Khan"]) + moderation_review.pairs(
        people["Bob Reid"]
    )
    return figures.report(pairs, by)


def test_the_hub_report_equals_the_local_figures_and_an_independent_count(
    people: dict[str, Workspace], hub: Path
) -> None:
    moderated_through_the_hub(people, hub)
    quinn = people["Quinn Lead"]
    assert moderation_review.pairs(quinn) == [], "the lead's machine holds no re-audit"
    for by in (None, "auditor", "team", "section"):
        report = hub_report(quinn, str(hub), by=by)
        assert spec_part(report) == spec_part(local_report(people, by)), by
        assert (report["suppressed"], report["suppressed_groups"], report["quarantined"]) == (
            False,
            0,
            [],
        )

    overall = hub_report(quinn, str(hub))
    mine = independent([(a[2][3], a[3][3]) for a in AUDITS.values()])
    assert overall["pairs"] == mine["pairs"] == 7
    assert overall["weighted_kappa"] == mine["kappa"]
    assert overall["exact_agreement_pct"] == round(100 * mine["exact"] / 7, 1)
    assert overall["within_one_pct"] == round(100 * mine["within_one"] / 7, 1)
    assert (
        (overall["original_higher"], overall["original_lower"])
        == (
            mine["original_higher"],
            mine["original_lower"],
        )
        == (4, 1)
    )

    by_team = {g["group"]: g for g in hub_report(quinn, str(hub), by="team")["groups"]}
    for team in ("North", "South", "West"):
        theirs = independent([(a[2][3], a[3][3]) for a in AUDITS.values() if a[1] == team])
        assert (by_team[team]["pairs"], by_team[team]["weighted_kappa"]) == (
            theirs["pairs"],
            theirs["kappa"],
        )
    sections = {g["group"]: g for g in hub_report(quinn, str(hub), by="section")["groups"]}
    for n, section in enumerate(("smart", "contingency", "engagement")):
        theirs = independent([(a[2][n], a[3][n]) for a in AUDITS.values()])
        assert (sections[section]["pairs"], sections[section]["weighted_kappa"]) == (
            7,
            theirs["kappa"],
        )

    # --from/--to count the re-audits that ended between the days (all ended TODAY)
    assert hub_report(quinn, str(hub), start=str(TODAY), end=str(TODAY))["pairs"] == 7
    empty = hub_report(quinn, str(hub), start="2026-03-03")
    assert (empty["pairs"], empty["weighted_kappa"], empty["exact_agreement_pct"]) == (
        0,
        None,
        None,
    )


def test_small_groups_are_suppressed_as_in_the_hubs_other_reports(
    people: dict[str, Workspace], hub: Path
) -> None:
    moderated_through_the_hub(people, hub)
    quinn = people["Quinn Lead"]
    sync = dataclasses.replace(quinn.config.sync, small_group_threshold=3)
    quinn.config = dataclasses.replace(quinn.config, sync=sync)
    # teams: North 4 pairs, South 2, West 1. West and South are hidden together (2 groups
    # holding 3 pairs), so neither can be worked out from the total and North.
    report = hub_report(quinn, str(hub), by="team")
    assert [g["group"] for g in report["groups"]] == ["North"]
    assert report["suppressed_groups"] == 2
    assert report["pairs"] == 7, "the total is over the threshold"
    north = [g for g in local_report(people, "team")["groups"] if g["group"] == "North"]
    assert report["groups"] == north

    sync = dataclasses.replace(quinn.config.sync, small_group_threshold=8)
    quinn.config = dataclasses.replace(quinn.config, sync=sync)
    hidden = hub_report(quinn, str(hub), by="auditor")
    assert hidden["suppressed"] is True and hidden["groups"] == []
    assert all(hidden[k] is None for k in ("pairs", "weighted_kappa", "original_higher"))


def test_a_link_not_signed_by_the_re_audits_key_is_not_believed(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    cases = moderated_through_the_hub(people, hub)
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    [allocation] = [a for a in moderation.show(ann, mine=True)][:1]
    # Tom (write access to the share) points Ann's allocation at an audit of his own
    path = hub / "programme" / f"reaudit.{allocation.id}.json"
    path.unlink()
    tom = person(tmp_path, "Tom Evans")
    tom_key = load_or_create_machine_key(tom.config.sync.resolved_signing_key_file())
    forged = ReauditRecord(
        allocation_id=allocation.id,
        audit_id=allocation.audit_id,
        moderation_audit_id=next(iter(cases)),
    )
    path.write_bytes(canonical(tom_key.seal("moderation-reaudit", forged.dump())))
    report = hub_report(quinn, str(hub))
    assert report["pairs"] == 6
    assert any(
        q["file"] == f"programme/reaudit.{allocation.id}.json" and "signed by key" in q["reason"]
        for q in report["quarantined"]
    ), report["quarantined"]


def test_a_re_audit_whose_record_moderates_another_audit_is_not_paired(
    people: dict[str, Workspace], hub: Path
) -> None:
    """From schema 4 a re-audit's own record says which audit it moderates; a link to a
    re-audit that says otherwise (signed by the same moderator's key) pairs with nothing."""
    from auditui.sync.result import GradedResult, ModerationResult
    from auditui.sync.signing import unseal

    moderated_through_the_hub(people, hub)
    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    first = moderation.show(bob, mine=True)[0]
    reaudit = moderation.find(bob, first.audit_id)["moderation_audit_id"]
    [copied] = hub.glob(f"{reaudit}.r*.json")
    opened = unseal(json.loads(copied.read_text()), "graded-result")
    assert not isinstance(opened, str)
    bob_key = load_or_create_machine_key(bob.config.sync.resolved_signing_key_file())
    claims = GradedResult.model_validate(opened[0]).model_copy(
        update={"audit_id": "claims-another", "moderation": ModerationResult(moderates="x1")}
    )
    (hub / "claims-another.r1.json").write_bytes(
        canonical(bob_key.seal("graded-result", claims.dump()))
    )
    link = hub / "programme" / f"reaudit.{first.id}.json"
    link.unlink()
    pointed = ReauditRecord(
        allocation_id=first.id, audit_id=first.audit_id, moderation_audit_id="claims-another"
    )
    link.write_bytes(canonical(bob_key.seal("moderation-reaudit", pointed.dump())))
    report = hub_report(quinn, str(hub))
    assert report["pairs"] == len(AUDITS) - 1
    assert any(
        "audit claims-another is not a moderation of audit" in q["reason"]
        for q in report["quarantined"]
    ), report["quarantined"]


def test_the_command_prints_the_hub_figures(
    people: dict[str, Workspace], hub: Path, tmp_path: Path
) -> None:
    moderated_through_the_hub(people, hub)
    quinn = people["Quinn Lead"]
    config = write_config(tmp_path / "quinn.toml", quinn.config.sync.resolved_key_file())
    env = subprocess_env() | {
        "AUDITUI_CONFIG": str(config),
        "AUDITUI_DB": str(tmp_path / "reader.db"),
        "XDG_DATA_HOME": str(tmp_path / "reader-data"),
    }
    run = [sys.executable, "-m", "auditui", "report", "moderation", "--hub", str(hub)]
    done = subprocess.run([*run, "--by", "team", "--format", "json"], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert spec_part(shown) == spec_part(local_report(people, "team"))
    before = [sys.executable, "-m", "auditui", "report", "--hub", str(hub), "moderation"]
    done = subprocess.run([*before, "--by", "team", "--format", "json"], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == shown, "report --hub DIR moderation: the same"
    table = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120)
    assert table.returncode == 0, table.stderr
    assert "4 original grades higher than the moderator's (generous), 1 lower." in table.stdout
    bad = subprocess.run([*run, "--from", "2026-13-01"], capture_output=True, text=True, env=env,
                         timeout=120)  # fmt: skip
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr


@pytest.mark.parametrize(
    ("target", "kwargs", "says"),
    [
        ("{tmp}/nowhere", {}, "cannot be reached"),
        ("{tmp}/a\x00b", {}, "NUL character"),
        ("{hub}", {"start": "2026-03-05", "end": "2026-03-01"}, "is after --to"),
        ("{hub}", {"start": "31/02/2026"}, "--from"),
        ("{hub}", {"by": "case_type"}, "--by: give one of auditor, team, section"),
    ],
)
def test_bad_input_is_refused_in_one_sentence(
    people: dict[str, Workspace],
    hub: Path,
    tmp_path: Path,
    target: str,
    kwargs: dict[str, str],
    says: str,
) -> None:
    from auditui.errors import AuditUIError

    with pytest.raises(AuditUIError, match=says) as caught:
        hub_report(people["Quinn Lead"], target.format(tmp=tmp_path, hub=hub), **kwargs)
    assert "\n" not in str(caught.value)
