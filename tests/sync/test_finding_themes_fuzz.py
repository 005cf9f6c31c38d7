"""Fuzzing what reads the themes and the moderation link of a graded result.

Hypothesis puts random JSON where a record's ``themes`` and ``moderation``
go. The model either takes it or refuses it with a ValidationError (never
another exception); what it takes, the facts read back exactly; the
defensive reader (``facts.finding_themes_of``, what the index and the local
report count) never fails and yields only names; and the PostgreSQL hub's
``submit``, given the same raw record by a submitter, keeps exactly the
rows the Python reader yields.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sync_support import PgHub, finished_audit, make_config, open_workspace

from auditui.sync.build import result_record
from auditui.sync.facts import FINDING_KINDS, finding_themes_of
from auditui.sync.result import GradedResult

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)
"""Any text a JSON document in PostgreSQL can hold (jsonb refuses NUL and lone surrogates
in every field; the graded result refuses both in a theme's name, as unprintable)."""
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)
NAMES = st.lists(
    st.one_of(TEXT, st.sampled_from(["", "Chronology", "x" * 201, " ", "a\tb"]), JSON),
    max_size=6,
)
THEMES = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {}, optional={"strengths": NAMES | JSON, "development": NAMES | JSON, "other": JSON}
    ),
)
MODERATION = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"moderates": st.sampled_from(["a1b2c3", "../x", "", 7])},
        optional={
            "agreed_grade": st.sampled_from(["good", None, "", 3]),
            "agreed_by": st.sampled_from(["Bob Reed", None, "x" * 300]),
            "agreed_at": st.sampled_from(["2026-03-01T10:00:00+00:00", None, "yesterday"]),
            "agreed_reason": st.text(max_size=10),
        },
    ),
)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("fuzz")
    ws = open_workspace(root / "a.db", make_config(root))
    try:
        audit_id = finished_audit(ws, "CIN-1", "note")
        row = ws.store.one("SELECT payload, created_at FROM outbox WHERE audit_id = ?", (audit_id,))
        assert row is not None
        return result_record(json.loads(row[0]), row[1], None, False)
    finally:
        ws.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(themes=THEMES, moderation=MODERATION, kind=st.sampled_from(["case_file", "moderation"]))
def test_random_themes_and_moderation_are_taken_whole_or_refused(
    record: dict[str, Any], themes: Any, moderation: Any, kind: str
) -> None:
    raw = {**record, "kind": kind, "themes": themes, "moderation": moderation}
    found = finding_themes_of(raw)  # never fails, whatever is there
    for fact in found:
        assert fact.kind in FINDING_KINDS and isinstance(fact.theme, str)
        assert 1 <= len(fact.theme) <= 200
    assert len(set(found)) == len(found)
    try:
        model = GradedResult.model_validate(raw)
    except ValidationError:
        return
    dumped = model.dump()
    taken = {(k, t) for k in FINDING_KINDS for t in getattr(model.themes, k)}
    assert {(f.kind, f.theme) for f in finding_themes_of(dumped)} == taken
    assert {(f.kind, f.theme) for f in found} == taken  # what the model took, read alike
    assert model.moderation is None or model.kind == "moderation"
    assert GradedResult.model_validate(dumped) == model


@pytest.mark.postgres
def test_the_hub_keeps_what_the_python_reader_reads(
    record: dict[str, Any], pg_hub: PgHub, tmp_path: Path
) -> None:
    seen = 0

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(themes=THEMES)
    def check(themes: Any) -> None:
        nonlocal seen
        seen += 1
        audit_id = f"fuzz-{uuid.uuid4().hex[:12]}"
        raw = {**record, "audit_id": audit_id, "themes": themes}
        batch = str(uuid.uuid4())
        with psycopg.connect(pg_hub.submitter, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO auditui.staging_results (batch, payload) VALUES (%s, %s)",
                (batch, json.dumps(raw)),
            )
            conn.execute("SELECT * FROM auditui.submit(%s)", (batch,))
        rows = pg_hub.query(
            "SELECT audit_id, kind, theme FROM auditui.finding_themes WHERE audit_id = %s",
            (audit_id,),
        )
        assert sorted(rows) == sorted(tuple(f) for f in finding_themes_of(raw))

    check()
    assert seen >= 10
