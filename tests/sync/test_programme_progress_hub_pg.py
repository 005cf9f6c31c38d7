"""The QA lead's progress learns what the auditors did, through a real PostgreSQL hub.

Quinn's login is the QA lead's; Ann, at her own machine under her own
login, starts one planned audit and ends another. Her sync reports both
(``report_plan_progress``); Quinn's sync takes the reports home and her
progress counts them. Tom's login, which sent none of Ann's audits, is
refused when it reports on Ann's item.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sync_support import TODAY, PgHub, finish, login_name, pg_lead_and_auditors, pg_login, planned
from test_programme_hub_pg import call, refused

from auditui.services import programme
from auditui.services.programme_progress import progress
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.pg_users import trust_user

TEAM = "North Locality"
REPORT = "SELECT auditui.report_plan_progress(%s, %s, %s, %s, %s)"


def three_people(pg_hub: PgHub, tmp_path: Path) -> tuple[dict[str, str], dict[str, Workspace]]:
    """Quinn (the lead), Ann and Bob on the PostgreSQL hub; Quinn has planned the month."""
    urls, people = pg_lead_and_auditors(pg_hub, tmp_path)
    planned(people["Quinn Lead"], tmp_path)
    return urls, people


def test_the_leads_progress_hears_what_an_auditor_did_through_postgres(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    urls, people = three_people(pg_hub, tmp_path)
    quinn, ann = people["Quinn Lead"], people["Ann Khan"]
    run_sync(quinn, urls["Quinn Lead"])
    run_sync(ann, urls["Ann Khan"])
    first, second = programme.show(ann, mine=True)
    finish(ann, programme.start_planned_audit(ann, first.id))
    programme.start_planned_audit(ann, second.id)
    assert (progress(quinn)["started"], progress(quinn)["ended"]) == (0, 0)
    sent = run_sync(ann, urls["Ann Khan"])
    assert not sent.refused, sent.refused
    heard = run_sync(quinn, urls["Quinn Lead"])
    assert any("started or ended at other machines" in w for w in heard.warnings)
    report = progress(quinn, by="auditor")
    assert (report["planned"], report["started"], report["ended"]) == (4, 1, 1)
    statuses = {i.id: i.status for i in programme.show(quinn)}
    assert (statuses[first.id], statuses[second.id]) == ("ended", "started")
    stored = repr(pg_hub.query("SELECT * FROM auditui.plan_progress"))
    assert "CF0" not in stored

    # a login that sent none of Ann's audits cannot report on her items; nor read reports
    tom = pg_login(pg_hub, "submitter")
    refused(
        tom,
        REPORT,
        (second.id, "forged-1", "finalised", TODAY, TODAY),
        "sent neither audit forged-1 nor any audit of Ann Khan",
    )
    refused(tom, "SELECT * FROM auditui.plan_progress()", (), "is not the QA lead")
    refused(tom, "SELECT * FROM auditui.plan_progress", (), "permission denied")
    refused(pg_hub.reader, REPORT, (second.id, "x1", "draft", TODAY, None), "permission denied")

    # Ann ends the second; Quinn's next sync follows
    finish(ann, programme.find_item(ann, second.id).audit_id or "")
    run_sync(ann, urls["Ann Khan"])
    run_sync(quinn, urls["Quinn Lead"])
    assert (progress(quinn)["started"], progress(quinn)["ended"]) == (0, 2)
    assert call(
        pg_hub.admin, "SELECT count(*) FROM auditui.plan_progress WHERE ended_on <= %s",
        (TODAY + dt.timedelta(days=1),),
    ) == [(2,)]  # fmt: skip


def test_an_item_given_to_someone_else_leaves_the_old_auditors_list_through_postgres(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    urls, people = three_people(pg_hub, tmp_path)
    quinn, ann, bob = people["Quinn Lead"], people["Ann Khan"], people["Bob Reid"]
    run_sync(quinn, urls["Quinn Lead"])
    run_sync(ann, urls["Ann Khan"])
    waiting, begun = programme.show(ann, mine=True)
    programme.start_planned_audit(ann, begun.id)
    for item in (waiting, begun):
        programme.assign(quinn, item.id, "Bob Reid")
    run_sync(quinn, urls["Quinn Lead"])
    report = run_sync(ann, urls["Ann Khan"])
    mine = {i.id for i in programme.show(ann, mine=True)}
    assert waiting.id not in mine and begun.id in mine
    assert any("it is no longer on your list" in w for w in report.warnings), report.warnings
    assert any("but you have started its audit" in w for w in report.warnings)
    run_sync(bob, urls["Bob Reid"])
    assert {waiting.id, begun.id} <= {i.id for i in programme.show(bob, mine=True)}


def test_the_leads_sync_says_how_many_plan_items_it_published_to_postgres(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    urls, people = three_people(pg_hub, tmp_path)
    quinn = people["Quinn Lead"]
    report = run_sync(quinn, urls["Quinn Lead"])
    assert any("4 plan items or allocations published to" in w for w in report.warnings)
    again = run_sync(quinn, urls["Quinn Lead"])
    assert not any("published" in w for w in again.warnings), again.warnings
    first = programme.show(quinn)[0]
    programme.assign(quinn, first.id, "Bob Reid" if first.auditor == "Ann Khan" else "Ann Khan")
    moved = run_sync(quinn, urls["Quinn Lead"])
    assert any("1 plan item or allocation published to" in w for w in moved.warnings)


def test_a_new_auditors_first_draft_counts_once_their_login_is_trusted_for_the_team(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    urls, people = three_people(pg_hub, tmp_path)
    quinn, bob = people["Quinn Lead"], people["Bob Reid"]
    run_sync(quinn, urls["Quinn Lead"])
    run_sync(bob, urls["Bob Reid"])
    [first, *_] = programme.show(bob, mine=True)
    programme.start_planned_audit(bob, first.id)
    sent = run_sync(bob, urls["Bob Reid"])
    assert any("nor any audit of Bob Reid" in r for r in sent.refused), sent.refused
    trust_user(pg_hub.admin, login_name(urls["Bob Reid"]), [first.team])
    again = run_sync(bob, urls["Bob Reid"])
    assert not again.refused, again.refused
    run_sync(quinn, urls["Quinn Lead"])
    assert progress(quinn)["started"] == 1
