"""Setting an audit's themes through the service, on a real SQLite file.

A theme outside the organisation's list, or any change to an ended audit,
is refused in one sentence and changes nothing; an accepted change is in
the database when the call returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.config import Config, UserConfig, config_from_data
from auditui.errors import InvalidAnswerError, StateError
from auditui.services import audits, themes
from auditui.services.workspace import Workspace
from auditui.store.db import open_store
from auditui.store.themes import themes_of
from auditui.tools.library import ToolLibrary

THEMES = ["Voice of the child", "SMART planning", "Chronology", "Drift and delay"]


def make_ws(path: Path, listed: list[str]) -> Workspace:
    read = config_from_data({"organisation": {"themes": listed}}, path.with_name("c.toml"))
    config = Config(user=UserConfig(name="Sam Auditor"), organisation=read.organisation)
    return Workspace.open(path, ToolLibrary.load(), config)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db", THEMES)
    yield workspace
    workspace.close()


@pytest.fixture
def audit_id(ws: Workspace) -> str:
    return audits.start_audit(ws, "smart-plans", "ABC123", "CP", "North", "Pat", True)


def on_disk(ws: Workspace, audit_id: str) -> dict[str, tuple[str, ...]]:
    store = open_store(ws.store.path)  # a second connection: what another process would read
    try:
        return themes_of(store.conn, audit_id)
    finally:
        store.close()


def test_themes_are_saved_at_once_in_the_organisations_spelling_and_order(
    ws: Workspace, audit_id: str
) -> None:
    assert themes.themes_of(ws, audit_id) == {"strengths": (), "development": ()}
    got = themes.set_themes(
        ws, audit_id, {"strengths": ["chronology", " VOICE OF THE CHILD ", "Chronology"]}
    )
    expected = {"strengths": ("Voice of the child", "Chronology"), "development": ()}
    assert got == expected
    assert on_disk(ws, audit_id) == expected
    themes.set_themes(ws, audit_id, {"development": ["Drift and delay"]})
    assert on_disk(ws, audit_id) == {**expected, "development": ("Drift and delay",)}
    assert themes.themes_of(ws, "ABC123") == on_disk(ws, audit_id)  # a case reference works


def test_a_theme_not_in_the_list_is_refused_naming_the_list_and_nothing_changes(
    ws: Workspace, audit_id: str
) -> None:
    themes.set_themes(ws, audit_id, {"strengths": ["Chronology"]})
    with pytest.raises(InvalidAnswerError) as raised:
        themes.set_themes(
            ws, audit_id, {"development": ["Drift and delay"], "strengths": ["Housing"]}
        )
    assert raised.value.message.startswith(
        "Theme 'Housing' is not one of the organisation's themes: Voice of the child, "
        "SMART planning, Chronology, Drift and delay"
    )
    assert on_disk(ws, audit_id) == {"strengths": ("Chronology",), "development": ()}
    with pytest.raises(InvalidAnswerError, match="Unknown kind of theme 'weaknesses'"):
        themes.set_themes(ws, audit_id, {"weaknesses": ["Chronology"]})
    with pytest.raises(InvalidAnswerError, match="must be a list"):
        themes.set_themes(ws, audit_id, {"strengths": "Chronology"})


def test_an_ended_audit_is_read_only_until_reopened(ws: Workspace, audit_id: str) -> None:
    themes.set_themes(ws, audit_id, {"strengths": ["Chronology"]})
    audits.close_incomplete(ws, audit_id, "The case was transferred.")
    for change in (
        lambda: themes.set_themes(ws, audit_id, {"strengths": []}),
        lambda: themes.mark_theme(ws, audit_id, "development", "Chronology", True),
    ):
        with pytest.raises(StateError, match="read-only; reopen it"):
            change()
    assert on_disk(ws, audit_id)["strengths"] == ("Chronology",)
    audits.reopen(ws, audit_id, "Transfer cancelled.")
    assert themes.mark_theme(ws, audit_id, "strengths", "Chronology", False)["strengths"] == ()


def test_marking_adds_and_removes_one_theme(ws: Workspace, audit_id: str) -> None:
    assert themes.mark_theme(ws, audit_id, "development", "SMART planning", True) == {
        "strengths": (),
        "development": ("SMART planning",),
    }
    themes.mark_theme(ws, audit_id, "development", "Voice of the child", True)
    themes.mark_theme(ws, audit_id, "development", "Voice of the child", True)  # no change
    assert on_disk(ws, audit_id)["development"] == ("Voice of the child", "SMART planning")
    themes.mark_theme(ws, audit_id, "development", "SMART planning", False)
    themes.mark_theme(ws, audit_id, "development", "SMART planning", False)  # no change
    assert on_disk(ws, audit_id)["development"] == ("Voice of the child",)
    with pytest.raises(InvalidAnswerError, match="Unknown kind"):
        themes.mark_theme(ws, audit_id, "concerns", "SMART planning", True)


def test_a_theme_dropped_from_the_list_stays_and_can_be_removed_not_added(
    tmp_path: Path,
) -> None:
    path = tmp_path / "auditui.db"
    first = make_ws(path, THEMES)
    audit_id = audits.start_audit(first, "smart-plans", "ABC123", "CP", "North", "Pat", True)
    themes.set_themes(first, audit_id, {"development": ["Chronology", "Drift and delay"]})
    first.close()
    later = make_ws(path, ["Voice of the child", "Drift and delay"])  # the list changed
    try:
        recorded = themes.themes_of(later, audit_id)
        assert recorded["development"] == ("Chronology", "Drift and delay")
        assert themes.offered(later, recorded) == (
            "Voice of the child",
            "Drift and delay",
            "Chronology",
        )
        themes.set_themes(later, audit_id, {"development": ["Drift and delay", "chronology"]})
        assert on_disk(later, audit_id)["development"] == ("Drift and delay", "Chronology")
        with pytest.raises(InvalidAnswerError, match="Theme 'Chronology' is not one"):
            themes.set_themes(later, audit_id, {"strengths": ["Chronology"]})
        themes.mark_theme(later, audit_id, "development", "Chronology", False)
        assert on_disk(later, audit_id)["development"] == ("Drift and delay",)
    finally:
        later.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.sampled_from([*THEMES, "chronology", " drift AND delay"]), st.text()),
        max_size=6,
    )
)
def test_fuzzed_theme_lists_are_taken_or_refused_whole(
    ws: Workspace, audit_id: str, typed: list[str]
) -> None:
    before = on_disk(ws, audit_id)
    try:
        got = themes.set_themes(ws, audit_id, {"strengths": typed})
    except InvalidAnswerError as error:
        assert len(error.message.splitlines()) == 1
        assert on_disk(ws, audit_id) == before
    else:
        assert set(got["strengths"]) <= set(THEMES)
        assert on_disk(ws, audit_id) == got
