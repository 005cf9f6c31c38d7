"""Grading scales: the words an audit is graded in.

The spec fixes two scales. Everything that orders grades (worst of, caps,
thresholds, "good or better") goes through this module, so a third scale is
one entry here and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

ScaleId = Literal["ofsted", "met"]


def as_written(number: float | int | Fraction) -> Fraction:
    """A tool file's number as the exact decimal its author wrote: ``0.7`` is seven tenths.

    YAML gives a binary float; its shortest repr is the decimal written (for
    up to 15 significant digits), so thresholds, points and weights compare
    and add exactly, as the spec asks (64.9 is not 64.900000000000006).
    """
    if isinstance(number, float):
        return Fraction(repr(number))
    return Fraction(number)


@dataclass(frozen=True)
class Scale:
    """An ordered list of grades, best first."""

    id: str
    grades: tuple[str, ...]
    labels: MappingProxyType[str, str]
    default_thresholds: MappingProxyType[str, float]
    good_or_better: frozenset[str]

    def rank(self, grade: str) -> int:
        """0 for the best grade, growing worse."""
        return self.grades.index(grade)

    def worst(self, grades: list[str]) -> str | None:
        return max(grades, key=self.rank) if grades else None

    def position_points(self, grade: str) -> int:
        """Points a `grade` question earns in a score section (best = len-1)."""
        return len(self.grades) - 1 - self.rank(grade)

    @property
    def max_position_points(self) -> int:
        return len(self.grades) - 1

    def from_percent(self, percent: float | Fraction, thresholds: dict[str, float]) -> str:
        exact_percent = as_written(percent) if isinstance(percent, float) else percent
        for grade in self.grades[:-1]:
            if exact_percent >= as_written(thresholds[grade]):
                return grade
        return self.grades[-1]

    def label(self, grade: str) -> str:
        return self.labels.get(grade, grade)


SCALES: dict[str, Scale] = {
    "ofsted": Scale(
        id="ofsted",
        grades=("outstanding", "good", "requires_improvement", "inadequate"),
        labels=MappingProxyType(
            {
                "outstanding": "Outstanding",
                "good": "Good",
                "requires_improvement": "Requires improvement",
                "inadequate": "Inadequate",
            }
        ),
        default_thresholds=MappingProxyType(
            {"outstanding": 85.0, "good": 65.0, "requires_improvement": 45.0}
        ),
        good_or_better=frozenset({"outstanding", "good"}),
    ),
    "met": Scale(
        id="met",
        grades=("met", "partly_met", "not_met"),
        labels=MappingProxyType({"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}),
        default_thresholds=MappingProxyType({"met": 80.0, "partly_met": 50.0}),
        good_or_better=frozenset({"met"}),
    ),
}


def grade_label(grade: str) -> str:
    """A grade's words, from whichever scale has it (no two scales share a grade id)."""
    for scale in SCALES.values():
        if grade in scale.labels:
            return scale.labels[grade]
    return grade


ANSWER_LABELS = {"yes": "Yes", "partly": "Partly", "no": "No", "na": "N/A"}
