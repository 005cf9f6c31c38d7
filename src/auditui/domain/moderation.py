"""How far moderators agree with the auditors they re-audit.

Grade inflation is the documented risk moderation exists to find, so the
statistics say not only how often two auditors agree (exactly, or within
one grade) but which way they disagree: ``original_higher`` counts pairs
where the original auditor gave a better grade than the moderator (the
generous direction), ``original_lower`` the reverse.

Cohen's kappa with quadratic weights measures agreement beyond chance on
the scale's order: grades are ranked best first (their place in ``Scale.grades``) and a
disagreement of two grades costs four times one of one grade. With
quadratic weights the k-by-k matrix formula reduces to moments of the
ranks, which is what ``weighted_kappa`` computes, exactly, in fractions:

    kappa = 1 - mean((i - j)^2) / (E[i^2] + E[j^2] - 2 E[i] E[j])

where i is the original's rank and j the moderator's, and the
denominator is the mean squared difference expected if the two were
independent with the same marginals. Ranks are divided by the scale's
length minus one, so pairs graded on scales of different lengths share one
0-to-1 axis (for a single scale the factor cancels). Kappa is None when
chance alone would give perfect agreement (every pair in one grade on both
sides): it is then undefined, not 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from auditui.domain.percent import percent, round_half_up
from auditui.tools.scales import SCALES

GroupBy = Literal["auditor", "team", "section"]
GROUP_BYS: tuple[str, ...] = ("auditor", "team", "section")
KAPPA_DIGITS = 3


@dataclass(frozen=True)
class GradePair:
    """One audit (or one section of it) graded twice: by its auditor and by a moderator."""

    original: str
    moderated: str
    order: tuple[str, ...] = SCALES["ofsted"].grades
    """The grades of the pair's scale, best first (``Scale.grades``; a tool may have its own)."""
    auditor: str = ""
    team: str = ""
    section: str = ""
    """The section id for a section's grades; "" for the audit's overall grade."""

    def ranks(self) -> tuple[Fraction, Fraction]:
        """Both grades as positions on a 0 (best) to 1 (worst) axis of the pair's scale."""
        top = max(len(self.order) - 1, 1)
        return (
            Fraction(self.order.index(self.original), top),
            Fraction(self.order.index(self.moderated), top),
        )

    def steps(self) -> int:
        """Grades between the two on the scale: positive when the original was more generous."""
        return self.order.index(self.moderated) - self.order.index(self.original)


@dataclass(frozen=True)
class Agreement:
    """The figures ``report moderation`` prints for a set of pairs."""

    pairs: int
    exact_agreement_pct: float | None
    within_one_pct: float | None
    weighted_kappa: float | None
    original_higher: int
    original_lower: int

    def as_json(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "exact_agreement_pct": self.exact_agreement_pct,
            "within_one_pct": self.within_one_pct,
            "weighted_kappa": self.weighted_kappa,
            "original_higher": self.original_higher,
            "original_lower": self.original_lower,
        }


def exact_kappa(pairs: Sequence[GradePair]) -> Fraction | None:
    """Quadratic-weighted Cohen's kappa, exactly; None when undefined (see module doc)."""
    n = len(pairs)
    if n == 0:
        return None
    ranks = [p.ranks() for p in pairs]
    observed = sum(((i - j) ** 2 for i, j in ranks), Fraction(0)) / n
    mean_i = sum((i for i, _ in ranks), Fraction(0)) / n
    mean_j = sum((j for _, j in ranks), Fraction(0)) / n
    square_i = sum((i * i for i, _ in ranks), Fraction(0)) / n
    square_j = sum((j * j for _, j in ranks), Fraction(0)) / n
    expected = square_i + square_j - 2 * mean_i * mean_j
    if expected == 0:
        return None
    return 1 - observed / expected


def weighted_kappa(pairs: Sequence[GradePair]) -> float | None:
    """``exact_kappa`` to three decimals, half up."""
    kappa = exact_kappa(pairs)
    return None if kappa is None else round_half_up(float(kappa), KAPPA_DIGITS)


def agreement(pairs: Sequence[GradePair]) -> Agreement:
    """The agreement figures for ``pairs`` (all of them, whatever their group)."""
    steps = [p.steps() for p in pairs]
    return Agreement(
        pairs=len(pairs),
        exact_agreement_pct=percent(sum(1 for s in steps if s == 0), len(steps)),
        within_one_pct=percent(sum(1 for s in steps if abs(s) <= 1), len(steps)),
        weighted_kappa=weighted_kappa(pairs),
        original_higher=sum(1 for s in steps if s > 0),
        original_lower=sum(1 for s in steps if s < 0),
    )


def by_group(pairs: Iterable[GradePair], by: str) -> list[tuple[str, Agreement]]:
    """Agreement per auditor, team or section, groups in name order."""
    if by not in GROUP_BYS:
        raise ValueError(f"unknown grouping {by!r}")
    groups: dict[str, list[GradePair]] = {}
    for pair in pairs:
        groups.setdefault(getattr(pair, by), []).append(pair)
    return [(name, agreement(groups[name])) for name in sorted(groups)]


def report(pairs: Sequence[GradePair], by: str | None = None) -> dict[str, Any]:
    """The object of ``report moderation --format json`` (spec/cli.md), keys in its order.

    Overall figures count audit grades (pairs with no section); ``--by
    section`` groups the section grades. Without ``by``, groups is empty.
    """
    overall = [p for p in pairs if not p.section]
    grouped = [p for p in pairs if p.section] if by == "section" else overall
    out = agreement(overall).as_json()
    out["groups"] = (
        [{"group": name, **figures.as_json()} for name, figures in by_group(grouped, by)]
        if by
        else []
    )
    return out
