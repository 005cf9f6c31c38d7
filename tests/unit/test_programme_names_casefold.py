"""Names compared as people, not as bytes: "never its own auditor" and "mine" ignore case.

A moderator typed "ANN" is Ann, so she is never given her own audit; a
machine whose user is "ann" cannot start the moderation of Ann's audit, and
its "mine" lists (plan items, allocations) include what is Ann's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moderation_support import ended_audit, make_ws, write_tool

from auditui.domain import moderation_draw
from auditui.domain.plan_items import same_name
from auditui.errors import ProgrammeError, StateError
from auditui.services import moderation as service


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    return write_tool(tmp_path / "tools")


@pytest.fixture
def lead(tmp_path: Path, tools: Path) -> Iterator[object]:
    ws = make_ws(tmp_path / "auditui.db", tools, "Quinn Lead")
    yield ws
    ws.close()


def test_a_moderator_named_in_other_case_is_never_given_their_own_audit() -> None:
    given_to = moderation_draw.allocate(["a1", "a2"], {"a1": "Ann Khan", "a2": "Bob Reid"},
                                        ["ann khan", "BOB REID "], "1")  # fmt: skip
    assert given_to == {"a1": "BOB REID ", "a2": "ann khan"}
    assert moderation_draw.allocate(["a1"], {"a1": "Ann Khan"}, ["ANN KHAN"], "1") == {"a1": None}


def test_sample_refuses_an_only_moderator_who_is_the_auditor_in_other_case(lead) -> None:
    ended_audit(lead, "Ann", "CF0001")
    with pytest.raises(ProgrammeError, match="cannot be moderated"):
        service.sample(lead, "2026-11", 100, moderators=["ANN"], seed="1")
    assert service.show(lead) == []


def test_the_auditor_under_another_spelling_cannot_moderate_their_own_audit(
    lead, tools: Path
) -> None:
    original = ended_audit(lead, "Ann", "CF0001")
    service.sample(lead, "2026-11", 100, moderators=["Bob"], seed="1")
    ann = make_ws(lead.store.path, tools, "ann ")
    with pytest.raises(StateError, match="own audit"):
        service.start_moderation(ann, original)
    bob = make_ws(lead.store.path, tools, "BOB")
    assert [a.audit_id for a in service.show(bob, mine=True)] == [original]


@given(st.text(max_size=30), st.text(max_size=30))
def test_same_name_ignores_case_and_surrounding_spaces_only(name: str, other: str) -> None:
    assert same_name(name, name) and same_name(name, f"  {name} ")
    assert same_name(name, other) == same_name(other, name)
    assert same_name(name, name.casefold())
    assert not same_name(name, name + "x")
    assert same_name("Zoë Ångström", "ZOË ÅNGSTRÖM") and not same_name("Ann", "Anne")
