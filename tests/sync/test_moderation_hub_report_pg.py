"""`report moderation --hub postgresql://...`: agreement from a real PostgreSQL hub.

Quinn (the QA lead's login, trusted for every team) ends audits graded as the
test says, samples them all and syncs; Ann and Bob (submitter logins) take
home what they are to moderate, re-audit blind with their own grades and
sync, which links each allocation to its re-audit. Rita (a reader login)
then gets counts of grade pairs per group and nothing else: the figures
equal those over the moderators' own stores and an independent count; the
reader can read no allocation, no result and no audit, and the hub's
small-group threshold hides small groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from moderation_hub_support import G, I, O, R, grade_and_end, graded_audit, independent, spec_part
from sync_support import TODAY, PgHub, pg_lead_and_auditors, pg_login

from auditui.domain import moderation as figures
from auditui.errors import HubError
from auditui.services import moderation, moderation_review
from auditui.services.moderation_hub import hub_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.pg_init import init_hub

MONTH = f"{TODAY:%Y-%m}"
# case: (team, the original's grades, the moderator's), per smart, contingency,
# engagement, overall
AUDITS = {
    "CQ001": ("North", (O, G, G, G), (G, G, R, G)),
    "CQ002": ("North", (G, G, G, G), (G, R, R, R)),
    "CQ003": ("North", (G, O, G, O), (R, G, G, R)),
    "CQ004": ("South", (R, R, I, R), (R, I, I, I)),
    "CQ005": ("South", (I, R, R, R), (R, R, G, G)),
    "CQ006": ("West", (O, O, G, O), (O, G, G, G)),
}


def moderated_through_the_hub(pg_hub: PgHub, tmp_path: Path) -> dict[str, Workspace]:
    urls, people = pg_lead_and_auditors(pg_hub, tmp_path)
    quinn = people["Quinn Lead"]
    cases = {graded_audit(quinn, case, t, grades): case for case, (t, grades, _) in AUDITS.items()}
    picked = moderation.sample(quinn, MONTH, 100, moderators=["Ann Khan", "Bob Reid"], seed="9")
    assert len(picked) == len(AUDITS)
    run_sync(quinn, urls["Quinn Lead"])
    for who in ("Ann Khan", "Bob Reid"):
        ws = people[who]
        run_sync(ws, urls[who])
        for allocation in moderation.show(ws, mine=True):
            again = moderation.start_moderation(ws, allocation.audit_id)
            grade_and_end(ws, again, AUDITS[cases[allocation.audit_id]][2])
        done = run_sync(ws, urls[who])
        assert not done.refused, done.refused
    return people


def local_report(people: dict[str, Workspace], by: str | None) -> dict:
    pairs = moderation_review.pairs(people["Ann Khan"]) + moderation_review.pairs(
        people["Bob Reid"]
    )
    return figures.report(pairs, by)


def call(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def test_the_readers_figures_equal_the_local_ones_and_an_independent_count(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    people = moderated_through_the_hub(pg_hub, tmp_path)
    linked = pg_hub.query("SELECT count(moderation_audit_id) FROM auditui.moderations")
    assert linked == [(len(AUDITS),)]
    reader = people["Quinn Lead"]
    rita = pg_login(pg_hub, "reader")
    for by in (None, "auditor", "team", "section"):
        report = hub_report(reader, rita, by=by)
        assert spec_part(report) == spec_part(local_report(people, by)), by
        assert (report["suppressed"], report["suppressed_groups"]) == (False, 0)
        assert report["source"].startswith("PostgreSQL hub")

    overall = hub_report(reader, rita)
    mine = independent([(a[1][3], a[2][3]) for a in AUDITS.values()])
    assert (overall["pairs"], overall["weighted_kappa"]) == (6, mine["kappa"])
    assert (overall["original_higher"], overall["original_lower"]) == (
        mine["original_higher"],
        mine["original_lower"],
    )
    sections = {g["group"]: g for g in hub_report(reader, rita, by="section")["groups"]}
    for n, section in enumerate(("smart", "contingency", "engagement")):
        theirs = independent([(a[1][n], a[2][n]) for a in AUDITS.values()])
        assert sections[section]["weighted_kappa"] == theirs["kappa"]
    assert hub_report(reader, rita, start="2026-03-03")["pairs"] == 0

    # the hub's own threshold: North 3 pairs shown; South 2 and West 1 hidden together
    pg_hub.query(
        "UPDATE auditui.meta SET value = '3' WHERE key = 'small_group_threshold' RETURNING 1"
    )
    by_team = hub_report(reader, rita, by="team")
    assert [g["group"] for g in by_team["groups"]] == ["North"]
    assert (by_team["suppressed_groups"], by_team["small_group_threshold"]) == (2, 3)
    assert by_team["groups"] == [
        g for g in local_report(people, "team")["groups"] if g["group"] == "North"
    ]
    pg_hub.query(
        "UPDATE auditui.meta SET value = '7' WHERE key = 'small_group_threshold' RETURNING 1"
    )
    hidden = hub_report(reader, rita, by="team")
    assert hidden["suppressed"] is True and hidden["pairs"] is None and hidden["groups"] == []
    rows = call(rita, "SELECT * FROM auditui.report_moderation('all', NULL, NULL)")
    assert rows == [(None,) * 7], "a hidden total says only that something is there"


def test_the_reader_sees_counts_only_and_only_the_moderator_links(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    people = moderated_through_the_hub(pg_hub, tmp_path)
    rita, ann = pg_login(pg_hub, "reader"), pg_login(pg_hub, "submitter")
    rows = call(rita, "SELECT * FROM auditui.report_moderation('auditor', NULL, NULL)")
    assert {r[0] for r in rows} == {"Quinn Lead"} and sum(r[6] for r in rows) == 6
    assert all(len(r) == 7 for r in rows), "group, tool, version, scale, two grades, a count"
    for sql in (
        "SELECT * FROM auditui.moderations",
        "SELECT * FROM auditui.results",
        "SELECT * FROM auditui.sections",
        "SELECT * FROM auditui.moderations_for('Ann Khan')",
        "SELECT auditui.link_moderation('x', 'y')",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            call(rita, sql)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        call(ann, "SELECT * FROM auditui.report_moderation('all', NULL, NULL)")
    # a submitter cannot point an allocation at an audit it did not send as the moderator
    [(allocation, original)] = pg_hub.query(
        "SELECT id, audit_id FROM auditui.moderations ORDER BY id LIMIT 1"
    )
    with pytest.raises(psycopg.Error, match="is not a moderation this login sent"):
        call(ann, "SELECT auditui.link_moderation(%s, %s)", (allocation, original))
    with pytest.raises(HubError, match="does not let .* use a login in the auditui_reader role"):
        hub_report(people["Quinn Lead"], ann)
    # hub init again (an upgrade, or run twice) keeps every link and the report
    init_hub(pg_hub.admin, 1)
    assert hub_report(people["Quinn Lead"], rita)["pairs"] == 6
    # the first link stands: the moderator's sync again changes nothing
    before = pg_hub.query("SELECT id, moderation_audit_id FROM auditui.moderations ORDER BY id")
    run_sync(people["Ann Khan"], people["Ann Khan"].config.sync.target or "")
    assert pg_hub.query("SELECT id, moderation_audit_id FROM auditui.moderations ORDER BY id") == (
        before
    )
