"""Moderation statistics: agreement, direction, and quadratic-weighted kappa.

Kappa is checked against a slow, independent implementation (the k-by-k
matrix of Cohen 1968 with quadratic weights) on random pairs, and against
values worked by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditui.domain.moderation import (
    GradePair,
    agreement,
    by_group,
    exact_kappa,
    report,
    weighted_kappa,
)
from auditui.tools.scales import SCALES

OFSTED = SCALES["ofsted"].grades
MET = SCALES["met"].grades


def slow_kappa(pairs: list[tuple[str, str]], grades: tuple[str, ...]) -> Fraction | None:
    """Cohen's weighted kappa from the observed and chance matrices, as a textbook does it."""
    k = len(grades)
    n = len(pairs)
    observed = [[Fraction(0)] * k for _ in range(k)]
    for a, b in pairs:
        observed[grades.index(a)][grades.index(b)] += Fraction(1, n)
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = [[Fraction((i - j) ** 2, (k - 1) ** 2) for j in range(k)] for i in range(k)]
    disagreement = sum(weight[i][j] * observed[i][j] for i in range(k) for j in range(k))
    chance = sum(weight[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    if chance == 0:
        return None
    return 1 - disagreement / chance


def pairs_of(raw: list[tuple[str, str]], scale: str = "ofsted") -> list[GradePair]:
    return [GradePair(original=a, moderated=b, order=SCALES[scale].grades) for a, b in raw]


@given(st.lists(st.tuples(st.sampled_from(OFSTED), st.sampled_from(OFSTED)), min_size=1))
def test_kappa_matches_the_matrix_formula_on_the_ofsted_scale(raw):
    assert exact_kappa(pairs_of(raw)) == slow_kappa(raw, OFSTED)


@given(st.lists(st.tuples(st.sampled_from(MET), st.sampled_from(MET)), min_size=1))
def test_kappa_matches_the_matrix_formula_on_the_met_scale(raw):
    assert exact_kappa(pairs_of(raw, "met")) == slow_kappa(raw, MET)


@given(st.lists(st.tuples(st.sampled_from(OFSTED), st.sampled_from(OFSTED)), min_size=1))
def test_kappa_is_symmetric_and_at_most_one(raw):
    kappa = exact_kappa(pairs_of(raw))
    swapped = exact_kappa(pairs_of([(b, a) for a, b in raw]))
    assert kappa == swapped
    if kappa is not None:
        assert -1 <= kappa <= 1


def test_perfect_agreement_is_one_and_a_single_grade_is_undefined():
    assert exact_kappa(pairs_of([("good", "good"), ("inadequate", "inadequate")])) == 1
    # both sides all "good": chance agreement is already perfect, kappa undefined
    assert exact_kappa(pairs_of([("good", "good")] * 5)) is None
    assert exact_kappa([]) is None


def test_independent_ratings_give_zero_and_a_full_reversal_gives_minus_one():
    independent = [("good", "good"), ("good", "inadequate")] * 2 + [
        ("inadequate", "good"),
        ("inadequate", "inadequate"),
    ] * 2
    assert exact_kappa(pairs_of(independent)) == 0
    reversed_ = [("outstanding", "inadequate"), ("inadequate", "outstanding")]
    assert exact_kappa(pairs_of(reversed_)) == -1


def test_a_worked_example():
    # ranks (original, moderator): (0,0) (0,1) (1,1) (2,1) (2,2), scale met (k = 3)
    # positions /2: mean squared difference = (0 + 1/4 + 0 + 1/4 + 0) / 5 = 1/10
    # i = 0, 0, 1/2, 1, 1      -> E[i] = 1/2, E[i^2] = 9/20
    # j = 0, 1/2, 1/2, 1/2, 1  -> E[j] = 1/2, E[j^2] = 7/20
    # chance = 9/20 + 7/20 - 2 * 1/4 = 3/10; kappa = 1 - (1/10)/(3/10) = 2/3
    raw = [
        ("met", "met"),
        ("met", "partly_met"),
        ("partly_met", "partly_met"),
        ("not_met", "partly_met"),
        ("not_met", "not_met"),
    ]
    assert exact_kappa(pairs_of(raw, "met")) == Fraction(2, 3)
    assert weighted_kappa(pairs_of(raw, "met")) == 0.667


def test_agreement_counts_direction_and_rounds_half_up():
    raw = [
        ("outstanding", "good"),  # original higher by one
        ("outstanding", "inadequate"),  # original higher by three
        ("good", "good"),
        ("requires_improvement", "good"),  # original lower by one
        ("good", "good"),
        ("good", "good"),
        ("good", "good"),
        ("good", "good"),
    ]
    figures = agreement(pairs_of(raw))
    assert figures.pairs == 8
    assert figures.exact_agreement_pct == 62.5
    assert figures.within_one_pct == 87.5
    assert figures.original_higher == 2
    assert figures.original_lower == 1
    # 1/3 of pairs agreeing exactly rounds 33.33.. to 33.3; 2/3 to 66.7
    assert agreement(pairs_of(raw[:3])).exact_agreement_pct == 33.3
    assert agreement(pairs_of(raw[:3])).within_one_pct == 66.7


def test_no_pairs_gives_empty_figures():
    figures = agreement([])
    assert figures.as_json() == {
        "pairs": 0,
        "exact_agreement_pct": None,
        "within_one_pct": None,
        "weighted_kappa": None,
        "original_higher": 0,
        "original_lower": 0,
    }


def test_groups_by_auditor_and_by_section():
    pairs = [
        GradePair("good", "good", auditor="Ann", team="North"),
        GradePair("outstanding", "good", auditor="Bob", team="North"),
        GradePair("good", "requires_improvement", auditor="Bob", team="South"),
        GradePair("good", "good", auditor="Ann", team="North", section="plan"),
        GradePair("good", "inadequate", auditor="Ann", team="North", section="visits"),
    ]
    names = [name for name, _ in by_group(pairs[:3], "auditor")]
    assert names == ["Ann", "Bob"]
    bob = dict(by_group(pairs[:3], "auditor"))["Bob"]
    assert (bob.pairs, bob.original_higher, bob.exact_agreement_pct) == (2, 2, 0.0)
    out = report(pairs, by="section")
    assert out["pairs"] == 3  # the overall figures count audit grades only
    assert [g["group"] for g in out["groups"]] == ["plan", "visits"]
    assert out["groups"][1]["original_higher"] == 1
    assert list(out) == [
        "pairs",
        "exact_agreement_pct",
        "within_one_pct",
        "weighted_kappa",
        "original_higher",
        "original_lower",
        "groups",
    ]
    assert report(pairs)["groups"] == []
    with pytest.raises(ValueError):
        by_group(pairs, "colour")


def test_the_textbook_two_grade_example():
    # Wikipedia's Cohen's kappa example (50 grant proposals: 20 yes/yes, 5 yes/no,
    # 10 no/yes, 15 no/no) has kappa 0.4; with two grades the weights do not matter.
    raw = (
        [("good", "good")] * 20
        + [("good", "requires_improvement")] * 5
        + [("requires_improvement", "good")] * 10
        + [("requires_improvement", "requires_improvement")] * 15
    )
    assert exact_kappa(pairs_of(raw)) == Fraction(2, 5)
