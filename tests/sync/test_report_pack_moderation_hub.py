"""The board's pack over a real folder hub and a real PostgreSQL hub: its moderation
agreement is the hub's (``report moderation --hub``), which an independent count of the same
pairs agrees with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from moderation_hub_support import independent
from sync_support import TODAY, PgHub, lead_and_auditors, pg_login
from test_moderation_hub_report import AUDITS, moderated_through_the_hub
from test_moderation_hub_report_pg import AUDITS as PG_AUDITS
from test_moderation_hub_report_pg import moderated_through_the_hub as pg_moderated

from auditui.services.moderation_hub import hub_report
from auditui.services.report_pack import build_pack
from auditui.services.workspace import Workspace


@pytest.fixture
def people(tmp_path: Path, hub: Path) -> dict[str, Workspace]:
    """Quinn made the hub; the organisation's key file is on every machine."""
    return lead_and_auditors(tmp_path, hub, target=True)


def test_the_pack_over_the_hub_has_the_hubs_moderation_figures(
    people: dict[str, Workspace], hub: Path
) -> None:
    moderated_through_the_hub(people, hub)
    quinn = people["Quinn Lead"]
    first, last = TODAY.replace(day=1), TODAY + dt.timedelta(days=31)
    pack = build_pack(quinn, first, last, hub=str(hub))
    local = build_pack(quinn, first, last)
    mine = independent([(a[2][3], a[3][3]) for a in AUDITS.values()])
    assert pack.figures["moderation"]["pairs"] == mine["pairs"] == 7
    assert pack.figures["moderation"]["weighted_kappa"] == mine["kappa"]
    overall = hub_report(quinn, str(hub), first.isoformat(), last.isoformat())
    assert {k: v for k, v in overall.items() if k != "groups"} == pack.figures["moderation"]
    section = next(s for s in pack.sections if s.heading == "Moderation agreement")
    rows = {row[0]: row[1] for row in section.tables[0].rows}
    assert rows["Pairs (an audit and its moderator's re-audit)"] == "7"
    assert rows["Weighted kappa (quadratic)"] == f"{mine['kappa']:.3f}"
    assert rows["Original grade higher than the moderator's (generous)"] == str(
        mine["original_higher"]
    )
    # the lead's own machine holds no re-audit: locally there is nothing to count
    local_section = next(s for s in local.sections if s.heading == "Moderation agreement")
    assert local_section.paragraphs == ["No moderated re-audits ended in the period."]


def test_the_pack_over_postgresql_has_the_readers_moderation_figures(
    pg_hub: PgHub, tmp_path: Path
) -> None:
    """A reader login (counts only) makes the whole pack; its moderation is the hub's."""
    people = pg_moderated(pg_hub, tmp_path)
    rita = pg_login(pg_hub, "reader")
    quinn = people["Quinn Lead"]
    first, last = TODAY.replace(day=1), TODAY + dt.timedelta(days=31)
    pack = build_pack(quinn, first, last, hub=rita)
    mine = independent([(a[1][3], a[2][3]) for a in PG_AUDITS.values()])
    assert (pack.figures["moderation"]["pairs"], pack.figures["moderation"]["weighted_kappa"]) == (
        6,
        mine["kappa"],
    )
    rows = {
        row[0]: row[1]
        for row in next(s for s in pack.sections if s.heading == "Moderation agreement")
        .tables[0]
        .rows
    }
    assert rows["Original grade lower than the moderator's (harsh)"] == str(mine["original_lower"])
    assert pack.figures["source"].startswith("PostgreSQL hub")
