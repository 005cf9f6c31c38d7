"""The audit tool format (spec/audit-tool-format.md, format 1) as frozen models.

These models are the public contract in code: a QA lead's YAML file becomes
an ``AuditTool`` only if it follows the spec. Checks local to one question or
section live here as validators; checks that need the whole tool (ids,
references to earlier questions, the scale) live in ``checks.py``, so every
problem can be reported against the line it belongs to.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Any, Literal

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
    ValidationInfo,
    field_validator,
    model_validator,
)

from auditui.tools.scales import SCALES, Scale

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
CASE_TYPES = ("EH", "CIN", "CP", "CLA", "CL", "PF", "PB")
CHOICE_LIKE = ("yes_no", "yes_partly_no", "grade", "choice")
QUESTION_TYPES = ("yes_no", "yes_partly_no", "grade", "choice", "multi", "text", "number", "date")

MAX_DUE_WORKING_DAYS = 10_000
"""About forty years: beyond it a due date is no longer a date anyone can act on."""

Number = StrictInt | StrictFloat
Scalar = StrictStr | StrictInt | StrictFloat | StrictBool
Name = Annotated[StrictStr, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- Conditions -----------------------------------------------------------


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
    | Annotated[All, Tag("All")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[Not, Tag("Not")],
    Discriminator(
        _condition_form,
        custom_error_type="condition_form",
        custom_error_message=(
            "a condition needs one of: equals, in, answered (with question), all, any, not"
        ),
    ),
]

All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


def condition_questions(cond: Condition) -> list[str]:
    """Every question id a condition refers to."""
    if isinstance(cond, All):
        return [q for c in cond.all_ for q in condition_questions(c)]
    if isinstance(cond, AnyOf):
        return [q for c in cond.any_ for q in condition_questions(c)]
    if isinstance(cond, Not):
        return condition_questions(cond.not_)
    return [cond.question]


# --- Grading rules --------------------------------------------------------


class Rule(_Frozen):
    """A grading rule, written as its name or as `{rule: ..., thresholds: ...}`."""

    rule: Literal["judgement", "score", "lowest", "lowest_section"]
    """How the suggested grade is reached."""
    thresholds: dict[StrictStr, Number] | None = None
    """Lowest percentage for each grade but the worst; only with `score`."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"rule": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _thresholds_only_with_score(self) -> Rule:
        if self.thresholds is not None and self.rule != "score":
            raise ValueError("thresholds go only with the score rule")
        return self


class ToolGrading(_Frozen):
    overall: Rule = Rule(rule="judgement")
    """How the audit's overall grade is suggested: judgement, lowest_section or score."""

    @field_validator("overall")
    @classmethod
    def _overall_rule(cls, rule: Rule) -> Rule:
        if rule.rule not in ("judgement", "lowest_section", "score"):
            raise ValueError(
                f"overall rule '{rule.rule}' is not one of judgement, lowest_section, score"
            )
        return rule


# --- Questions ------------------------------------------------------------


class Option(_Frozen):
    id: Name
    """The stored value."""
    label: Name
    """What the auditor reads."""


class Limiting(_Frozen):
    answers: list[Scalar] = Field(min_length=1)
    """Answers that cap the section's suggested grade."""
    cap: StrictStr
    """The best grade the section can then be suggested (a grade on the tool's scale)."""


DateBound = dt.date | Literal["today"]
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date_bound(value: Any, field: str) -> Any:
    """A limit written as an ISO date becomes a date; an impossible one is refused."""
    if isinstance(value, str) and value != "today":
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(
                f"{field}: '{value[:40]}' is not a number, an ISO date (YYYY-MM-DD) or 'today'"
            )
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{field}: '{value}' is not a real date") from None
    return value


class Question(_Frozen):
    id: Name
    """Unique within the tool; the key answers are stored under."""
    text: Name
    """The question as the auditor reads it."""
    help: StrictStr | None = None
    """Markdown guidance for this question."""
    type: Literal["yes_no", "yes_partly_no", "grade", "choice", "multi", "text", "number", "date"]
    """What kind of answer it takes."""
    required: StrictBool = True
    """Must be answered (while shown) for the audit to be complete."""
    allow_na: StrictBool = False
    """Adds N/A (`na`) to the answers."""
    evidence: Literal["never", "optional", "always", "when_not_yes"] = "optional"
    """When an evidence note is required."""
    points: dict[StrictStr, Number] | None = None
    """Points per answer, for score grading (yes_no, yes_partly_no, choice)."""
    limiting: Limiting | None = None
    """Caps the section's suggested grade on certain answers."""
    show_if: Condition | None = None
    """Shown, required and graded only while this holds."""
    tags: list[Name] = []
    """Themes for aggregation."""
    options: list[Option] | None = None
    """The choices, for `choice` and `multi`."""
    max_length: Annotated[StrictInt, Field(gt=0)] | None = None
    """Longest text answer, for `text` (default 4000)."""
    min: Number | DateBound | None = None
    """Lowest allowed value, for `number` and `date`."""
    max: Number | DateBound | None = None
    """Highest allowed value, for `number` and `date`."""
    integer: StrictBool | None = None
    """Whole numbers only, for `number`."""

    @field_validator("min", "max", mode="before")
    @classmethod
    def _date_from_text(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML 1.2 has no timestamps: a date limit is written as ``2026-04-01``."""
        return parse_date_bound(value, str(info.field_name))

    @property
    def text_limit(self) -> int:
        return self.max_length or 4000

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options or ())

    @property
    def points_possible(self) -> float:
        return max(self.points.values()) if self.points else 0.0

    def choice_values(self, scale: Scale) -> tuple[str, ...] | None:
        """The values a choice-like or multi question can take, or None for typed ones."""
        base: tuple[str, ...]
        if self.type == "yes_no":
            base = ("yes", "no")
        elif self.type == "yes_partly_no":
            base = ("yes", "partly", "no")
        elif self.type == "grade":
            base = scale.grades
        elif self.type in ("choice", "multi"):
            base = self.option_ids
        else:
            return None
        return base + ("na",) if self.allow_na and self.type != "multi" else base


# --- Sections and the tool -------------------------------------------------


class Section(_Frozen):
    id: Name
    """Unique within the tool."""
    title: Name
    """What the auditor reads."""
    guidance: StrictStr | None = None
    """Markdown: what good looks like."""
    weight: Number = 1
    """Weight in `overall: score`."""
    grading: Rule = Rule(rule="judgement")
    """How the section's grade is suggested: judgement, score or lowest."""
    questions: list[Question] = Field(min_length=1)
    """At least one."""

    @field_validator("grading")
    @classmethod
    def _section_rule(cls, rule: Rule) -> Rule:
        if rule.rule not in ("judgement", "score", "lowest"):
            raise ValueError(f"section rule '{rule.rule}' is not one of judgement, score, lowest")
        return rule

    @field_validator("weight")
    @classmethod
    def _positive_weight(cls, weight: float) -> float:
        if weight <= 0:
            raise ValueError("weight must be greater than 0")
        return weight


class AuditTool(_Frozen):
    format: StrictInt
    """Always 1 for this format."""
    id: Annotated[StrictStr, Field(pattern=ID_PATTERN)]
    """Lower case letters, digits and hyphens; unique across loaded tools."""
    version: Annotated[StrictInt, Field(gt=0, le=2**63 - 1)]
    """Bumped on every change; audits pin the version they started on."""
    title: Name
    """Shown when choosing a tool."""
    description: StrictStr | None = None
    """Shown when choosing a tool."""
    applies_to: list[Literal["EH", "CIN", "CP", "CLA", "CL", "PF", "PB"]] | None = None
    """Case types this tool may be used for; any when absent."""
    scale: Literal["ofsted", "met"] = "ofsted"
    """The grading scale."""
    due_working_days: Annotated[StrictInt, Field(ge=0, le=MAX_DUE_WORKING_DAYS)] = 20
    """Actions' default due date, in working days after completion."""
    grading: ToolGrading = ToolGrading()
    """How the overall grade is suggested."""
    sections: list[Section] = Field(min_length=1)
    """At least one."""

    @field_validator("format")
    @classmethod
    def _format_one(cls, value: int) -> int:
        if value != 1:
            raise ValueError(f"format {value} is not supported; this is format 1")
        return value

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    @cached_property
    def scale_def(self) -> Scale:
        return SCALES[self.scale]

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question in tool order."""
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    def question(self, question_id: str) -> Question | None:
        return self.question_index.get(question_id)

    def thresholds(self, rule: Rule) -> dict[str, float]:
        merged = dict(self.scale_def.default_thresholds)
        merged.update(rule.thresholds or {})
        return merged
