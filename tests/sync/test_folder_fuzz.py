"""Fuzzing the folder hub's readers: whatever is on the share, a reader ends with a report.

Hypothesis writes random bytes and random JSON (including sealed envelopes with
random records, and near-misses of real ones) under record names, and random
trust and hub.json files; the report must come back (or, for a broken hub.json,
one ``HubError``), never a traceback, and nothing in the folder may change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sync_support import finished_audit, make_config, open_workspace

from auditui.errors import HubError
from auditui.services.report import build_report
from auditui.services.sync import run_sync
from auditui.sync.hub_marker import read_marker
from auditui.sync.signing import canonical, load_or_create_machine_key, unseal

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
NAMES = st.sampled_from(
    [
        "0123456789abcdef.r1.json",
        "0123456789abcdef.r2.json",
        "actions/0123456789abcdef.0123456789abcdef.json",
        "trust.json",
        "keys/" + "a" * 64 + ".json",
    ]
)


def _mutations(genuine: dict[str, Any]) -> st.SearchStrategy[bytes]:
    record = genuine["record"]
    return st.one_of(
        st.binary(max_size=300),
        JSON.map(lambda v: canonical(v)),
        JSON.map(lambda v: canonical({**genuine, "record": v})),
        st.dictionaries(st.sampled_from(sorted(record)), JSON, max_size=3).map(
            lambda changes: canonical({**genuine, "record": {**record, **changes}})
        ),
        st.sampled_from(["signer", "signature", "kind"]).flatmap(
            lambda k: JSON.map(lambda v: canonical({**genuine, k: v}))
        ),
    )


def test_random_files_in_a_hub_never_break_a_reader(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "a.db", make_config(tmp_path))
    audit_id = finished_audit(ws, "CIN-1", "note")
    hub = tmp_path / "hub"
    hub.mkdir()
    run_sync(ws, str(hub))
    genuine = json.loads((hub / f"{audit_id}.r1.json").read_bytes())
    runs = {"n": 0}

    @settings(max_examples=150, deadline=None)
    @given(files=st.lists(st.tuples(NAMES, _mutations(genuine)), min_size=1, max_size=4))
    def check(files: list[tuple[str, bytes]]) -> None:
        runs["n"] += 1
        for name, data in files:
            path = hub / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        before = {p: p.read_bytes() for p in hub.rglob("*") if p.is_file()}
        index = tmp_path / f"index-{runs['n']}.db"
        report = build_report(ws, str(hub), index_path=index)
        assert report["audits"] == 1  # the genuine record always stands
        assert {p: p.read_bytes() for p in hub.rglob("*") if p.is_file()} == before

    check()
    assert runs["n"] >= 100
    ws.close()


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200) | JSON.map(canonical))
def test_a_random_hub_marker_is_one_hub_error(tmp_path_factory: Any, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("hub")
    (folder / "hub.json").write_bytes(data)
    try:
        read_marker(folder)
    except HubError as exc:
        assert len(exc.message.splitlines()) == 1


@settings(max_examples=300, deadline=None)
@given(data=JSON)
def test_unseal_takes_anything(data: Any) -> None:
    found = unseal(data, "graded-result")
    assert isinstance(found, str)  # nothing random is ever believed


def test_a_real_seal_round_trips(tmp_path: Path) -> None:
    key = load_or_create_machine_key(tmp_path / "k")
    sealed = json.loads(canonical(key.seal("trust", {"x": [1.5, "é", None]})))
    assert unseal(sealed, "trust") == ({"x": [1.5, "é", None]}, key.public_hex)
