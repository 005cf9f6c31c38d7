"""`moderation sample` from a real PostgreSQL hub, by a QA lead whose machine holds no audit.

Ann and Bob (submitter logins) end audits and sync. Quinn's login (trusted
for every team) lists the month's ended audits from the hub, samples them
all, each to the other auditor, and publishes the allocations without case
details (the hub has none). Each original auditor's next sync sends the
details, sealed; the moderators' machines then take the allocations home,
re-audit blind with the case details filled in, and the reader's hub report
equals the figures over the moderators' stores. No case reference is ever
in the hub in clear; only the login that sent an audit may send its details.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from moderation_hub_support import grade_and_end, graded_audit, spec_part
from sync_support import TODAY, PgHub, person, role_url
from test_moderation_hub_report import AUDITS

from auditui.domain import moderation as figures
from auditui.services import audits, moderation, moderation_review
from auditui.services.moderation_hub import hub_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.pg_users import add_user, trust_user
from auditui.sync.pseudonym import load_or_create_key

MONTH = f"{TODAY:%Y-%m}"


def login(hub: PgHub, role: str) -> str:
    name = f"{role[:3]}_{uuid.uuid4().hex[:10]}"
    add_user(hub.admin, name, role)
    return role_url(hub.admin, name)


def test_the_lead_samples_the_hub_and_the_auditors_send_the_case_details(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    urls = {who: login(pg_hub, "submitter") for who in ("Quinn Lead", "Ann Khan", "Bob Reid")}
    trust_user(pg_hub.admin, urls["Quinn Lead"].split("://")[1].split("@")[0], ["*"])
    people = {who: person(tmp_path, who, target=url) for who, url in urls.items()}
    organisation = load_or_create_key(people["Quinn Lead"].config.sync.resolved_key_file())
    for who in ("Ann Khan", "Bob Reid"):
        shutil.copyfile(organisation.path, people[who].config.sync.resolved_key_file())
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    cases = {
        graded_audit(people[who], case, team, grades): case
        for case, (who, team, grades, _) in AUDITS.items()
    }
    run_sync(ann, urls["Ann Khan"])
    run_sync(bob, urls["Bob Reid"])

    picked = moderation.sample(quinn, MONTH, 100, moderators=["Ann Khan", "Bob Reid"], seed="9")
    assert {a.audit_id for a in picked} == set(cases)
    assert all(a.moderator != a.auditor for a in picked)
    run_sync(quinn, urls["Quinn Lead"])
    held = pg_hub.query("SELECT count(*) FROM auditui.moderations WHERE case_ref_sealed IS NULL")
    assert held == [(len(AUDITS),)], "published without case details"

    run_sync(ann, urls["Ann Khan"])  # sends the details of Ann's audits; Bob's not there yet
    assert {a.auditor for a in moderation.show(ann, mine=True)} <= {"Bob Reid"}
    run_sync(bob, urls["Bob Reid"])  # sends Bob's; takes home Ann's audits to moderate
    run_sync(ann, urls["Ann Khan"])  # takes home Bob's
    stored = repr(pg_hub.query("SELECT * FROM auditui.moderations"))
    assert not any(case in stored for case in AUDITS), "case references stay sealed"
    assert "Sam Taylor" not in stored

    for ws in (ann, bob):
        mine = moderation.show(ws, mine=True)
        assert {a.audit_id for a in mine} == {a.audit_id for a in picked if a.moderator == ws.user}
        for allocation in mine:
            again = moderation.start_moderation(ws, allocation.audit_id)
            started = audits.load(ws, again).audit
            assert (started.case_ref, started.kind) == (cases[allocation.audit_id], "moderation")
            grade_and_end(ws, again, AUDITS[cases[allocation.audit_id]][3])
        done = run_sync(ws, urls[ws.user])
        assert not done.refused, done.refused

    rita = login(pg_hub, "reader")
    pairs = moderation_review.pairs(ann) + moderation_review.pairs(bob)
    for by in (None, "auditor", "team", "section"):
        assert spec_part(hub_report(quinn, rita, by=by)) == spec_part(figures.report(pairs, by))
    assert hub_report(quinn, rita)["pairs"] == len(AUDITS)


def test_only_the_login_that_sent_an_audit_sends_its_details(pg_hub: PgHub, tmp_path: Path) -> None:
    urls = {who: login(pg_hub, "submitter") for who in ("Quinn Lead", "Ann Khan")}
    trust_user(pg_hub.admin, urls["Quinn Lead"].split("://")[1].split("@")[0], ["*"])
    people: dict[str, Workspace] = {
        who: person(tmp_path, who, target=url) for who, url in urls.items()
    }
    ann = people["Ann Khan"]
    graded_audit(ann, "CA001", "North", AUDITS["CA001"][2])
    run_sync(ann, urls["Ann Khan"])
    [allocation] = moderation.sample(
        people["Quinn Lead"], MONTH, 100, moderators=["Bob Reid"], seed="1"
    )
    run_sync(people["Quinn Lead"], urls["Quinn Lead"])
    details = "SELECT auditui.send_moderation_details(%s, 'aesgcm1:x', %s, 'aesgcm1:y', '{}')"
    with (
        psycopg.connect(urls["Quinn Lead"], autocommit=True) as conn,
        pytest.raises(psycopg.Error, match="did not send the audit"),
    ):
        conn.execute(details, (allocation.id, "ab" * 32))
    with (
        psycopg.connect(pg_hub.reader, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT * FROM auditui.ended_for_moderation('2026-03-01', '2026-04-01')")
    with (
        psycopg.connect(urls["Ann Khan"], autocommit=True) as conn,
        pytest.raises(psycopg.Error, match="is not the QA lead"),
    ):
        conn.execute("SELECT * FROM auditui.ended_for_moderation('2026-03-01', '2026-04-01')")
