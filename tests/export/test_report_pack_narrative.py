"""The QA lead's narrative file: three headings, checked; anything else refused by line.

Includes a fuzz test: whatever bytes the file holds, reading it either gives
three bounded sections or one ``InvalidAnswerError`` sentence, never another
exception, and a refused file stores nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.domain.records import NOTE_LIMIT
from auditui.errors import InvalidAnswerError
from auditui.services.pack_narrative import (
    MAX_BYTES,
    NARRATIVE_HEADINGS,
    Narrative,
    check_sections,
    parse_narrative,
    read_narrative,
    store_narrative,
    stored_narrative,
)
from auditui.services.workspace import Workspace

GOOD = """\
# What do we know?
Line one.

Line two.
## How do we know
Audits.
### WHAT NEXT ###
Workshops.
"""


def test_the_three_headings_in_any_level_and_case() -> None:
    got = parse_narrative(GOOD, "notes.md")
    assert got == Narrative("Line one.\n\nLine two.", "Audits.", "Workshops.")
    assert parse_narrative("", "x") == Narrative()
    assert parse_narrative("\n# What next\nOnly this.\n", "x") == Narrative("", "", "Only this.")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Preamble\n# What next\n", "line 1: text before the first heading"),
        ("# What next\nx\n# Summary\n", "line 3: the heading 'Summary'"),
        ("# What next\n# What next\n", "line 2: 'What next' appears twice"),
        ("# What next\nbad \x1b[31m\n", "line 2: a control character"),
        ("# What next\nbidi \u202e\n", "line 2: a control character"),
        ("# What next\n" + "x" * (NOTE_LIMIT + 1), f"longer than the {NOTE_LIMIT:,}"),
    ],
)
def test_what_is_refused_names_the_line(text: str, says: str) -> None:
    with pytest.raises(InvalidAnswerError, match="notes.md") as caught:
        parse_narrative(text, "notes.md")
    assert says in caught.value.message


def test_only_a_regular_small_utf8_file_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"# What next\n" + b"x" * MAX_BYTES)
    latin = tmp_path / "latin.md"
    latin.write_bytes("# What next\ncaf\xe9".encode("latin-1"))
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    for path, says in ((big, "larger"), (latin, "not UTF-8"), (pipe, "not a regular file")):
        with pytest.raises(InvalidAnswerError, match=says):
            read_narrative(path)
    with pytest.raises(InvalidAnswerError, match="cannot be read"):
        read_narrative(tmp_path / "missing.md")


def test_kept_with_the_period_owner_only(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "a.db")
    try:
        first, last = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
        assert stored_narrative(ws, first, last) == Narrative()
        written = Narrative("Know <this>", "How", "Next")
        path = store_narrative(ws, first, last, written)
        assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0
        assert stored_narrative(ws, first, last) == written
        assert stored_narrative(ws, first, dt.date(2026, 4, 1)) == Narrative()
    finally:
        ws.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["# What do we know", "## How do we know?", "# What next", "#", ""]),
            st.text(max_size=60),
        ),
        max_size=30,
    )
)
def test_fuzz_any_text_gives_three_sections_or_one_sentence(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        got = parse_narrative(text, "fuzz.md")
    except InvalidAnswerError as exc:
        assert exc.message.startswith("fuzz.md")
        return
    for section in (got.what_we_know, got.how_we_know, got.what_next):
        assert len(section) <= NOTE_LIMIT and section == section.strip()
    assert parse_narrative(got.to_markdown(), "again") == got, "what is kept reads back the same"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(), max_size=200), min_size=3, max_size=3))
def test_fuzz_typed_sections_are_kept_exactly_or_refused_by_name(texts: list[str]) -> None:
    """What the TUI keeps as typed reads back the same (a typed '# line' too), or is refused
    naming the section, before anything is written."""
    typed = Narrative(*texts)
    try:
        check_sections(typed)
    except InvalidAnswerError as exc:
        assert exc.message.split(":")[0] in NARRATIVE_HEADINGS
        return
    got = parse_narrative(typed.to_markdown(), "again")
    assert got.texts == tuple(t.replace("\r\n", "\n").strip() for t in texts)


def test_a_typed_heading_line_is_kept_as_text() -> None:
    typed = Narrative("# Not a heading\n\\# two", "## How do we know", "#")
    assert parse_narrative(typed.to_markdown(), "x") == typed
