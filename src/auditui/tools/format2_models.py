"""The parts format 2 adds to a tool file, as frozen models (spec/audit-tool-format.md).

Computed answers, date limits that name another question, measures and a
tool's own scales. What each may name (earlier questions, their types, the
format the file declares) needs the whole tool and is checked in
``format2_checks.py``, against the line of the part it is about.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from auditui.tools.scales import Scale

Number = StrictInt | StrictFloat
Name = Annotated[StrictStr, Field(min_length=1)]

SCALE_ID = re.compile(r"[a-z][a-z0-9_]*")
"""A custom scale's id and its grades' ids."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class QuestionRef(_Frozen):
    """A date limit naming an earlier `date` question: ``min: {question: referral_on}``."""

    question: Name


class Span(_Frozen):
    from_: Name = Field(alias="from")
    """The earlier date (day 0)."""
    to: Name
    """The later date."""


class Compute(_Frozen):
    """A computed answer: one count between two earlier dates."""

    days: Span | None = None
    """Calendar days from A to B: B minus A."""
    working_days: Span | None = None
    """Working days d with A < d <= B, in the audit's calendar."""
    at_most: StrictInt | None = None
    """On a yes_no question: yes when the count is at most this."""

    @property
    def span(self) -> Span | None:
        return self.days if self.days is not None else self.working_days

    @property
    def counts_working_days(self) -> bool:
        return self.working_days is not None and self.days is None


class Measure(_Frozen):
    """One of the percentages reports track: how many answered `yes`."""

    label: Name
    target: Number | None = None
    """A percentage from 0 to 100 the measure meets when at least it."""


class GradeDef(_Frozen):
    id: StrictStr
    label: Name


class ScaleDef(_Frozen):
    """A tool's own grading scale, grades best first."""

    id: StrictStr
    grades: list[GradeDef]
    good_or_better: StrictInt
    """How many of the top grades count as good or better."""
    thresholds: dict[StrictStr, Number]
    """The score rule's default lowest percentage for every grade but the last."""

    def to_scale(self) -> Scale:
        ids = tuple(g.id for g in self.grades)
        return Scale(
            id=self.id,
            grades=ids,
            labels=MappingProxyType({g.id: g.label for g in self.grades}),
            default_thresholds=MappingProxyType(
                {g: float(v) for g, v in self.thresholds.items() if g in ids[:-1]}
            ),
            good_or_better=frozenset(ids[: self.good_or_better]),
        )
