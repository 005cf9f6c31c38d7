"""The grading scales the spec fixes: a grade's words can be found from the grade alone."""

from __future__ import annotations

from itertools import combinations

from auditui.tools.scales import SCALES, grade_label


def test_no_two_scales_share_a_grade() -> None:
    """``grade_label`` (the home list's grade column) relies on this."""
    for a, b in combinations(SCALES.values(), 2):
        assert not set(a.grades) & set(b.grades), (a.id, b.id)


def test_grade_label_on_either_scale() -> None:
    assert grade_label("requires_improvement") == "Requires improvement"
    assert grade_label("partly_met") == "Partly met"
    assert grade_label("something-else") == "something-else"
    for scale in SCALES.values():
        for grade in scale.grades:
            assert grade_label(grade) == scale.label(grade)
