"""Conditions (`show_if`) as frozen models: on earlier answers, or (format 2) on audit details.

Conditions are data, never evaluated code. A condition names an earlier
question (``{question: q1, equals: yes}``) or, in format 2, one of the
audit's own details (``{detail: case_type, in: [CP, CLA]}``); ``all``,
``any`` and ``not`` combine them. Which questions and details a condition
may name, and with which values, needs the whole tool: ``checks.py``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

Scalar = StrictStr | StrictInt | StrictFloat | StrictBool
Name = Annotated[StrictStr, Field(min_length=1)]

DETAILS = ("case_type", "kind", "practitioner_present")
"""The audit details a format 2 condition may test."""
KINDS = ("case_file", "themed", "dip_sample", "deep_dive", "moderation")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Equals(_Frozen):
    question: Name
    """An earlier question's id."""
    equals: Scalar
    """Holds when the answer is this value (for `multi`, when it is among the choices)."""


class In(_Frozen):
    question: Name
    """An earlier question's id."""
    in_: list[Scalar] = Field(alias="in", min_length=1)
    """Holds when the answer is one of these values."""


class Answered(_Frozen):
    question: Name
    """An earlier question's id."""
    answered: StrictBool
    """Holds when the question's answered state equals this."""


class Detail(_Frozen):
    """(2) A test of an audit detail: ``equals`` one value or ``in`` a list, never ``answered``."""

    detail: Name
    """case_type, kind or practitioner_present."""
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    answered: Any = None
    """Never allowed; kept so the refusal can say why."""

    @model_validator(mode="after")
    def _one_test(self) -> Detail:
        if "answered" in self.model_fields_set:
            raise ValueError(
                f"show_if: answered is not allowed on a detail ('{self.detail}'); use equals or in"
            )
        given = [k for k in ("equals", "in_") if k in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(
                f"show_if: a detail test ('{self.detail}') takes exactly one of equals or in"
            )
        return self

    @property
    def values(self) -> list[Any]:
        return list(self.in_) if self.in_ is not None else [self.equals]


class All(_Frozen):
    all_: list[Condition] = Field(alias="all", min_length=1)
    """Holds when every condition holds."""


class AnyOf(_Frozen):
    any_: list[Condition] = Field(alias="any", min_length=1)
    """Holds when at least one condition holds."""


class Not(_Frozen):
    not_: Condition = Field(alias="not")
    """Holds when the condition does not."""


def _condition_form(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    if "detail" in value:
        return "Detail"
    for key, form in (
        ("all", "All"),
        ("any", "AnyOf"),
        ("not", "Not"),
        ("equals", "Equals"),
        ("in", "In"),
        ("answered", "Answered"),
    ):
        if key in value:
            return form
    return None


Condition = Annotated[
    Annotated[Equals, Tag("Equals")]
    | Annotated[In, Tag("In")]
    | Annotated[Answered, Tag("Answered")]
    | Annotated[Detail, Tag("Detail")]
    | Annotated[All, Tag("All")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[Not, Tag("Not")],
    Discriminator(
        _condition_form,
        custom_error_type="condition_form",
        custom_error_message=(
            "a condition needs one of: equals, in, answered (with question or detail), "
            "all, any, not"
        ),
    ),
]

All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def leaves(cond: Condition) -> list[Equals | In | Answered | Detail]:
    """The simple tests inside a condition, in order (no recursion limit issue: depth is capped)."""
    if isinstance(cond, All):
        return [leaf for c in cond.all_ for leaf in leaves(c)]
    if isinstance(cond, AnyOf):
        return [leaf for c in cond.any_ for leaf in leaves(c)]
    if isinstance(cond, Not):
        return leaves(cond.not_)
    return [cond]


def condition_questions(cond: Condition) -> list[str]:
    """Every question id a condition refers to."""
    return [leaf.question for leaf in leaves(cond) if not isinstance(leaf, Detail)]


def condition_details(cond: Condition) -> list[str]:
    """Every audit detail a condition refers to."""
    return [leaf.detail for leaf in leaves(cond) if isinstance(leaf, Detail)]
