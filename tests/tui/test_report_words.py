"""The reports screen's words: groups named as the QA lead says them, the period refused
in one sentence with UK dates (issue 13 review items 3, 7, 11)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditui.errors import InvalidAnswerError
from auditui.tools.library import ToolLibrary
from auditui.tui.widgets.moderation_figures import moderation_view
from auditui.tui.widgets.report_table import group_label, parse_period, section_heading


def test_every_cut_is_named_in_words(library: ToolLibrary) -> None:
    tool = library.latest("case-file-audit")
    second = tool.sections[1]
    assert group_label("month", "2026-11", library) == "Nov 2026"
    assert group_label("kind", "deep_dive", library) == "Deep dive"
    assert group_label("case_type", "CIN", library) == "Child in Need"
    assert group_label("tool", "case-file-audit", library) == tool.title
    assert group_label("section", f"case-file-audit/{second.id}", library) == f"2. {second.title}"
    assert section_heading(f"case-file-audit/{second.id}", library) == tool.title
    assert group_label("team", "North", library) == "North"
    assert group_label("auditor", "Ann Auditor", library) == "Ann Auditor"
    # A tool this machine does not hold: its id, not an error.
    assert group_label("tool", "not-here", library) == "not-here"
    assert group_label("section", "not-here/s1", library) == "not-here/s1"


def test_the_moderation_view_names_sections_too(library: ToolLibrary) -> None:
    from rich.console import Console

    tool = library.latest("case-file-audit")
    row = {
        "pairs": 3,
        "exact_agreement_pct": 66.7,
        "within_one_pct": 100.0,
        "weighted_kappa": 0.5,
        "original_higher": 1,
        "original_lower": 0,
    }
    section = f"case-file-audit/{tool.sections[0].id}"
    report = {"groups": [{"group": section, **row}], "suppressed_groups": 1, **row}
    people = {"groups": [{"group": "Ann Auditor", **row}], "suppressed_groups": 0, **row}
    reports = {"auditor": people, "team": people, "section": report}
    console = Console(width=120, record=True)
    console.print(moderation_view(reports, from_hub=False, library=library))
    text = " ".join(console.export_text().split())  # a long name wraps in its column
    assert f"1. {tool.sections[0].title}" in text and section not in text
    assert "1 small group hidden" in text and "group(s)" not in text


def test_a_period_the_wrong_way_round_says_so_the_uk_way() -> None:
    assert parse_period("1/6/2026 30/11/2026") == ("2026-06-01", "2026-11-30")
    assert parse_period("2026-06-01 -") == ("2026-06-01", None)
    assert parse_period("") == (None, None)
    with pytest.raises(InvalidAnswerError) as refused:
        parse_period("30/11/2026 1/6/2026")
    assert "30 Nov 2026" in refused.value.message and "1 Jun 2026" in refused.value.message
    assert "2026-" not in refused.value.message
    with pytest.raises(InvalidAnswerError, match="not two dates"):
        parse_period("30/11/2026")


@given(st.text(max_size=60))
def test_any_typed_period_is_a_period_or_one_refusal(typed: str) -> None:
    try:
        start, end = parse_period(typed)
    except InvalidAnswerError as error:
        assert error.message.startswith("Report ")
    else:
        assert start is None or end is None or start <= end
