"""Plans and moderation in a real PostgreSQL hub (``pgserver``), by SQL under personal logins.

``hub init`` creates the programme's tables and functions (``sync.pg_programme``).
Quinn's login is the QA lead's (trusted for every team); Ann (a submitter)
tries to publish a plan or record an agreed grade; Maria (a manager trusted
for the team) records one; Rita (a reader) sees pseudonyms only.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sync_support import (
    TODAY,
    PgHub,
    finish,
    finished_audit,
    login_name,
    person,
    pg_login,
)

from auditui.services import moderation, moderation_review, programme
from auditui.services.cases import import_cases
from auditui.services.sync import run_sync
from auditui.sync.pg_users import trust_user
from auditui.sync.pseudonym import load_or_create_key

TEAM = "North Locality"
KEY = "ab" * 32
ITEM = "SELECT auditui.publish_plan_item(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
MODERATE = (
    "SELECT auditui.publish_moderation(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s)"
)
RESULT = "SELECT auditui.submit_moderation_result(%s, %s, %s, %s, now())"


def call(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def refused(url: str, sql: str, params: tuple[Any, ...], says: str) -> None:
    with pytest.raises(psycopg.Error) as caught:
        call(url, sql, params)
    assert says in str(caught.value), str(caught.value)


def item(n: int, auditor: str) -> tuple[Any, ...]:
    return (f"item-{n}", "plan-1", "2026-03", "aesgcm1:sealed", KEY, "CP", TEAM, None,
            "smart-plans", "case_file", auditor, "Quinn Lead")  # fmt: skip


def allocation(moderator: str = "Bob Reid") -> tuple[Any, ...]:
    return ("mod-1", "2026-03", "audit-1", "Ann Khan", TEAM, "smart-plans", 1,
            "aesgcm1:sealed", KEY, "CP", "aesgcm1:worker", True, moderator,
            Jsonb({"overall": "good"}), "4", "Quinn Lead")  # fmt: skip


def test_only_the_qa_lead_publishes_and_each_name_gets_its_own(pg_hub: PgHub) -> None:
    quinn, ann = pg_login(pg_hub, "submitter"), pg_login(pg_hub, "submitter")
    rita = pg_login(pg_hub, "reader")
    refused(quinn, ITEM, item(1, "Ann Khan"), "is not the QA lead")
    trust_user(pg_hub.admin, quinn.split("://")[1].split("@")[0], ["*"])
    assert call(quinn, "SELECT auditui.am_lead()") == [(True,)]
    assert call(ann, "SELECT auditui.am_lead()") == [(False,)]
    for n, who in ((1, "Ann Khan"), (2, "Bob Reid"), (3, "Ann Khan")):
        call(quinn, ITEM, item(n, who))
    refused(ann, ITEM, item(4, "Ann Khan"), "is not the QA lead")
    mine = call(ann, "SELECT id, case_ref_sealed FROM auditui.items_for(%s)", ("Ann Khan",))
    assert mine == [("item-1", "aesgcm1:sealed"), ("item-3", "aesgcm1:sealed")]
    call(quinn, ITEM, ("item-3", *item(3, "Bob Reid")[1:]))  # re-allocated
    assert [r[0] for r in call(ann, "SELECT id FROM auditui.items_for(%s)", ("Ann Khan",))] == [
        "item-1"
    ]
    # the reader sees pseudonyms, never a sealed reference, and nothing else
    seen = call(rita, "SELECT * FROM auditui.plan_pseudonyms(%s)", ("2026-03",))
    assert {r[3] for r in seen} == {KEY} and len(seen) == 3
    refused(rita, "SELECT * FROM auditui.items_for(%s)", ("Ann Khan",), "permission denied")
    refused(rita, "SELECT * FROM auditui.plan_items", (), "permission denied")
    refused(ann, "SELECT * FROM auditui.plan_items", (), "permission denied")
    refused(ann, "DELETE FROM auditui.plan_items", (), "permission denied")


def test_moderation_and_its_agreed_grade(pg_hub: PgHub) -> None:
    quinn, ann = pg_login(pg_hub, "submitter"), pg_login(pg_hub, "submitter")
    maria = pg_login(pg_hub, "manager")
    trust_user(pg_hub.admin, quinn.split("://")[1].split("@")[0], ["*"])
    refused(quinn, MODERATE, allocation("Ann Khan"), "check constraint")
    refused(ann, MODERATE, allocation(), "is not the QA lead")
    call(quinn, MODERATE, allocation())
    for name in ("Bob Reid", "Ann Khan"):
        [row] = call(ann, "SELECT id, agreed_grade FROM auditui.moderations_for(%s)", (name,))
        assert row == ("mod-1", None)
    assert call(ann, "SELECT * FROM auditui.moderations_for(%s)", ("Cai",)) == []
    refused(ann, RESULT, ("mod-1", "good", "Ann Khan", "Mine."), "may not record agreed grades")
    refused(maria, RESULT, ("mod-1", "good", "Maria", "x"), "may not record agreed grades")
    trust_user(pg_hub.admin, maria.split("://")[1].split("@")[0], [TEAM])
    call(maria, RESULT, ("mod-1", "good", "Maria Lopez", "Agreed at panel."))
    call(quinn, RESULT, ("mod-1", "inadequate", "Quinn Lead", "Later."))  # the first stands
    [row] = call(ann, "SELECT agreed_grade, agreed_by FROM auditui.moderations_for(%s)",
                 ("Ann Khan",))  # fmt: skip
    assert row == ("good", "Maria Lopez")


def test_three_people_share_a_postgres_hub(pg_hub: PgHub, tmp_path: Path) -> None:
    """Quinn plans and samples, Ann gets her planned audits, Bob moderates blind and agrees;
    Quinn (the original auditor here) hears the agreed grade; no case reference in clear."""
    urls = {who: pg_login(pg_hub, "submitter") for who in ("Quinn Lead", "Ann Khan", "Bob Reid")}
    trust_user(pg_hub.admin, login_name(urls["Quinn Lead"]), ["*"])
    people = {who: person(tmp_path, who, target=url) for who, url in urls.items()}
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    organisation = load_or_create_key(quinn.config.sync.resolved_key_file())
    for ws in (ann, bob):
        shutil.copyfile(organisation.path, ws.config.sync.resolved_key_file())

    cases = tmp_path / "cases.csv"
    lines = [f"CF{n:04d},CP,{TEAM},Worker {n}" for n in range(1, 7)]
    cases.write_text("case_ref,case_type,team,practitioner\n" + "\n".join(lines) + "\n")
    import_cases(quinn, cases)
    month = f"{TODAY:%Y-%m}"
    made = programme.plan(quinn, month, "smart-plans", 2, ["Ann Khan", "Bob Reid"], seed="1")
    original = finished_audit(quinn, "CF0100", "Seen at home.", team=TEAM)
    moderation.sample(quinn, month, 100, moderators=["Bob Reid"], seed="2")
    run_sync(quinn, urls["Quinn Lead"])
    stored = repr(pg_hub.query("SELECT * FROM auditui.plan_items"))
    stored += repr(pg_hub.query("SELECT * FROM auditui.moderations"))
    assert "CF0" not in stored and "Worker" not in stored

    report = run_sync(ann, urls["Ann Khan"])
    assert any("received" in w for w in report.warnings), report.warnings
    assert sorted(i.case_ref for i in programme.show(ann)) == sorted(
        i.case_ref for i in made.items if i.auditor == "Ann Khan"
    )
    run_sync(bob, urls["Bob Reid"])
    again = moderation.start_moderation(bob, original)
    finish(bob, again)
    moderation_review.agree(bob, original, "good", "Agreed at the panel.")
    refused_report = run_sync(bob, urls["Bob Reid"])
    assert any("may not record agreed grades" in r for r in refused_report.refused)
    trust_user(pg_hub.admin, login_name(urls["Bob Reid"]), [TEAM])
    run_sync(bob, urls["Bob Reid"])
    heard = run_sync(quinn, urls["Quinn Lead"])
    assert any("agreed grade is good (recorded by Bob Reid)" in w for w in heard.warnings)
    assert moderation.show(quinn)[0].status == "agreed"
