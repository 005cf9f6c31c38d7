"""`report measures` and the report's `measures`: the spec's counted / yes / pct / met.

The figures are held against an independent count: the domain's ``tally``
over each finalised audit as the services load it (``audit_state.current``),
not the store's SQL nor the hubs' counting. The PostgreSQL hub's SQL is held
against the local store on the same audits; the folder hub too once graded
results carry their measure values.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_support import PgHub, make_config, open_workspace

from auditui.domain.measures import MeasuredAudit, tally
from auditui.domain.percent import percent
from auditui.services.audit_lists import list_audits
from auditui.services.audit_state import current, details_of
from auditui.services.demo import generate_demo
from auditui.services.report import build_report, measures_report
from auditui.services.sync import run_sync
from auditui.services.workspace import Workspace
from auditui.sync.measure_counts import measure_facts_of, shown_measure_values

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path), today=TODAY)
    generate_demo(ws, 160, seed=3)
    ws.store.conn.execute("UPDATE audits SET demo = 0")  # counted as real audits by hubs
    return ws


def _independent(
    ws: Workspace, month: str | None = None, last_day: int = 31
) -> dict[tuple[str, str], Any]:
    audits = []
    for audit in list_audits(ws, status="finalised", limit=None):
        assert audit.ended_on is not None
        if month is not None and audit.ended_on.isoformat()[:7] != month:
            continue
        if audit.ended_on.day > last_day:
            continue
        entry = current(ws, ws.store.conn, audit.id)
        audits.append(
            MeasuredAudit(
                entry.tool,
                entry.answers,
                details_of(entry.audit),
                entry.sections_na,
                entry.calendar,
            )
        )
    return {(t.tool, t.question): t for t in tally(audits, ws.library.current())}


def _by_key(measures: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m["tool"], m["question"]): m for m in measures}


def test_local_measures_match_an_independent_count(ws: Workspace) -> None:
    report = build_report(ws)
    expected = _independent(ws)
    got = _by_key(report["measures"])
    assert set(got) == set(expected) and len(got) >= 10
    assert sum(m["counted"] for m in got.values()) > 100
    for key, t in expected.items():
        m = got[key]
        assert (m["label"], m["target"], m["counted"], m["yes"]) == (
            t.label,
            t.target,
            t.counted,
            t.yes,
        ), key
        assert m["pct"] == percent(t.yes, t.counted)
        assert m["met"] == t.met  # exact: 100 * yes >= target * counted
    assert any(m["met"] is True for m in got.values())
    assert any(m["met"] is False for m in got.values())
    assert any(m["target"] is None and m["met"] is None for m in got.values())
    ws.close()


def test_per_month_measures_match_an_independent_count_per_month(ws: Workspace) -> None:
    report = measures_report(ws, by="month")
    assert len(report["groups"]) > 3
    for group in report["groups"]:
        expected = _independent(ws, group["group"])
        for key, m in _by_key(group["measures"]).items():
            t = expected[key]
            assert (m["counted"], m["yes"], m["met"]) == (t.counted, t.yes, t.met), group["group"]
        # a group lists the measures counted in it, and every one of them
        assert {k for k, t in expected.items() if t.counted} == set(_by_key(group["measures"]))
    ws.close()


def test_a_period_counts_only_audits_ended_in_it(ws: Workspace) -> None:
    months = [g["group"] for g in measures_report(ws, by="month")["groups"]]
    month = months[len(months) // 2]
    report = measures_report(ws, start=f"{month}-01", end=f"{month}-28")
    expected = _independent(ws, month, last_day=28)
    for key, m in _by_key(report["measures"]).items():
        assert (m["counted"], m["yes"]) == (expected[key].counted, expected[key].yes)
    ws.close()


def _payload_measures(ws: Workspace) -> dict[str, list[dict[str, str]]]:
    """Each finalised audit's measure values as shown, as the graded result will carry them."""
    out = {}
    for audit in list_audits(ws, status="finalised", limit=None):
        entry = current(ws, ws.store.conn, audit.id)
        out[audit.id] = shown_measure_values(
            entry.tool, entry.answers, details_of(entry.audit), entry.sections_na, entry.calendar
        )
    return out


@pytest.mark.postgres
def test_postgres_counts_the_measures_its_records_carry_as_the_local_store(
    ws: Workspace, pg_hub: PgHub
) -> None:
    run_sync(ws, pg_hub.submitter)
    values = _payload_measures(ws)
    # junk beside the real values, and each value twice: the hub reads defensively
    junk = [
        {"tool": "other-tool", "question": "seen_alone", "value": "yes"},
        {"tool": 7, "question": "x", "value": "yes"},
        {"question": "x", "value": "yes"},
        "yes",
        {"tool": "t", "question": ["q"], "value": "yes"},
    ]
    for audit_id, items in values.items():
        extra = [{**i, "value": "yes"} for i in items] + junk  # repeats count once
        _admin(
            pg_hub,
            "UPDATE auditui.results SET payload = payload || jsonb_build_object("
            "'measures', %s::jsonb) WHERE audit_id = %s",
            (json.dumps(items + extra), audit_id),
        )
    # Tools whose results reached the hub.
    held = {r[0] for r in pg_hub.query("SELECT DISTINCT tool_id FROM auditui.results")}

    def sent(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in measures if m["tool"] in held]

    assert len(held) > 5
    for by in (None, "team", "month", "tool"):
        local = build_report(ws, by=by)
        hub = build_report(ws, pg_hub.reader, by)
        assert sent(hub["measures"]) == sent(local["measures"]), by
        assert sum(m["counted"] for m in sent(hub["measures"])) > 100
        local_groups = {g["group"]: sent(g["measures"]) for g in local["groups"]}
        for group in hub["groups"]:
            assert sent(group["measures"]) == local_groups[group["group"]], (by, group["group"])
    # a record from an older auditui (no measures) counts for none
    _admin(pg_hub, "UPDATE auditui.results SET payload = payload - 'measures'")
    hub = build_report(ws, pg_hub.reader)
    assert all(m["counted"] == 0 for m in hub["measures"]) and hub["measures"]
    # a hub not yet migrated (no measures function): the rest of the report stands
    _admin(pg_hub, "DROP FUNCTION auditui.report_measure_counts(text, date, date)")
    hub = build_report(ws, pg_hub.reader, "team")
    assert hub["audits"] > 100 and all(m["counted"] == 0 for m in hub["measures"])
    ws.close()


def _admin(hub: PgHub, sql: str, params: tuple[Any, ...] = ()) -> None:
    import psycopg

    with psycopg.connect(hub.admin, autocommit=True) as conn:
        conn.execute(sql, params)


def test_folder_hub_counts_the_measures_as_the_local_store(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    folder.mkdir()
    run_sync(ws, str(folder))
    for by in (None, "team", "month", "tool"):
        local = measures_report(ws, by=by)
        hub = measures_report(ws, str(folder), by, tmp_path / "index.db")
        assert hub["measures"] == local["measures"], by
        assert hub["groups"] == local["groups"], by
    ws.close()


def test_records_without_or_with_bad_measures_count_for_none() -> None:
    base = {"audit_id": "a1", "tool_id": "t", "status": "finalised"}
    assert measure_facts_of(base) == []
    assert measure_facts_of({**base, "measures": None}) == []
    assert measure_facts_of({**base, "measures": {"q": "yes"}}) == []
    closed = {**base, "status": "closed_incomplete"}
    assert (
        measure_facts_of({**closed, "measures": [{"tool": "t", "question": "q", "value": "yes"}]})
        == []
    )
    facts = measure_facts_of(
        {
            **base,
            "measures": [
                {"tool": "t", "question": "q", "value": "na"},
                {"tool": "t", "question": "q", "value": "partly"},
                {"tool": "t", "question": "q", "value": "yes"},
                {"tool": "u", "question": "r", "value": "yes"},
            ],
        }
    )
    assert [(f.question_id, f.value) for f in facts] == [("q", "partly")]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["audit_id", "tool_id", "status", "measures"]), _json))
def test_fuzzed_records_give_measure_values_or_none(record: dict[str, Any]) -> None:
    for fact in measure_facts_of(record):
        assert fact.value in ("yes", "partly", "no") and isinstance(fact.question_id, str)
