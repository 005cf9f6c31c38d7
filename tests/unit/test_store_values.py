"""One spelling for every stored answer value: what the services write is what the export matches."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from auditui.config import Config
from auditui.export.tool_cells import choice_values as _choice_values
from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.store.values import decode_value, encode_value
from auditui.tools.library import ToolLibrary


@pytest.fixture
def ws(isolated_env) -> Iterator[Workspace]:
    workspace = Workspace.open(isolated_env.db, ToolLibrary.load(), Config())
    yield workspace
    workspace.close()


def test_the_spelling_is_utf8_as_typed_with_spaced_lists() -> None:
    assert encode_value("naïve café “quoted”") == '"naïve café “quoted”"'
    assert encode_value(["momo", "other"]) == '["momo", "other"]'
    assert encode_value(None) is None
    for value in ("yes", ["a", "b"], -5, 2.5, "中文 🙂"):
        assert decode_value(encode_value(value)) == value


def test_every_answer_the_services_store_is_in_the_one_spelling(ws: Workspace) -> None:
    audit_id = audits.start_audit(ws, "childs-voice", "ABC123", "CP", "North", "Pat", True)
    state = audits.load(ws, audit_id)
    typed = 0
    for question in state.tool.questions:
        if question.id not in audits.load(ws, audit_id).grading.visible:
            continue
        value: object = {"yes_no": "yes", "yes_partly_no": "partly", "text": "Zoë’s “plan”"}.get(
            question.type
        )
        if question.type == "multi":
            value = [o.id for o in question.options or ()][:2]
        if value is not None:
            audits.answer(ws, audit_id, question.id, value, evidence="seen")
            typed += 1
    assert typed >= 3
    stored = ws.store.query("SELECT value FROM answers WHERE audit_id = ?", (audit_id,))
    for row in stored:
        assert row["value"] == encode_value(json.loads(row["value"])), row["value"]


def test_the_export_prebuilds_cells_for_exactly_that_spelling() -> None:
    library = ToolLibrary.load()
    for tool in library.tools.values():
        for question in tool.questions:
            for raw, _ in _choice_values(tool, question, labels=False):
                assert raw == encode_value(json.loads(raw))
