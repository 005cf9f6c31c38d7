"""The audit tool format (spec/audit-tool-format.md, formats 1 and 2) as frozen models.

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
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from auditui.tools.condition_models import (
    All,
    Answered,
    AnyOf,
    Condition,
    Detail,
    Equals,
    In,
    Not,
    condition_details,
    condition_questions,
)
from auditui.tools.format2_models import Compute, Measure, QuestionRef, ScaleDef
from auditui.tools.scales import SCALES, Scale

__all__ = [
    "All",
    "Answered",
    "AnyOf",
    "AuditTool",
    "Condition",
    "Detail",
    "Equals",
    "In",
    "Not",
    "Option",
    "Question",
    "Rule",
    "Section",
    "condition_details",
    "condition_questions",
]

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


# --- Grading rules --------------------------------------------------------


class Rule(_Frozen):
    """A grading rule, written as its name or as `{rule: ..., thresholds: ...}`."""

    rule: Literal["judgement", "score", "lowest", "lowest_section", "none"]
    """How the suggested grade is reached; (2) `none` for a section with no grade."""
    thresholds: dict[StrictStr, Number] | None = None
    """Lowest percentage for each grade but the worst; only with `score`."""
    rationale: Literal["when_changed", "always"] | None = None
    """(2) When a final grade needs a written rationale; format 1's rule is when_changed."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"rule": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _thresholds_only_with_score(self) -> Rule:
        if self.thresholds is not None and self.rule != "score":
            raise ValueError("thresholds go only with the score rule")
        if self.rationale is not None and self.rule == "none":
            raise ValueError("rationale does not go with the none rule (nothing is graded)")
        return self

    @property
    def always_rationale(self) -> bool:
        return self.rationale == "always"


class ToolGrading(_Frozen):
    overall: Rule = Rule(rule="judgement")
    """How the audit's overall grade is suggested: judgement, lowest_section or score."""

    @field_validator("overall")
    @classmethod
    def _overall_rule(cls, rule: Rule) -> Rule:
        if rule.rule == "none":
            raise ValueError(
                "overall rule 'none' is not allowed: an audit always has an overall grade"
            )
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
    number: StrictStr | None = None
    """(2) The form's own number, shown instead of the automatic one."""
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
    min: Number | DateBound | QuestionRef | None = None
    """Lowest allowed value, for `number` and `date` ((2) a date may name an earlier question)."""
    max: Number | DateBound | QuestionRef | None = None
    """Highest allowed value, for `number` and `date`."""
    integer: StrictBool | None = None
    """Whole numbers only, for `number`."""
    compute: Compute | None = None
    """(2) The answer is computed from two earlier dates."""
    measure: Measure | None = None
    """(2) One of the percentages reports track."""

    @field_validator("min", "max", mode="before")
    @classmethod
    def _date_from_text(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML 1.2 has no timestamps: a date limit is written as ``2026-04-01``."""
        return parse_date_bound(value, str(info.field_name))

    @property
    def computed(self) -> bool:
        return self.compute is not None

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
    number: StrictStr | None = None
    """(2) The form's own number, shown instead of the automatic one."""
    title: Name
    """What the auditor reads."""
    guidance: StrictStr | None = None
    """Markdown: what good looks like."""
    weight: Number = 1
    """Weight in `overall: score`."""
    grading: Rule = Rule(rule="judgement")
    """How the section's grade is suggested: judgement, score, lowest or (2) none."""
    show_if: Condition | None = None
    """(2) Shown (and graded) only while this holds."""
    allow_na: StrictBool = False
    """(2) The auditor may mark the section not applicable, with a reason."""
    questions: list[Question] = Field(min_length=1)
    """At least one."""

    @field_validator("grading")
    @classmethod
    def _section_rule(cls, rule: Rule) -> Rule:
        if rule.rule not in ("judgement", "score", "lowest", "none"):
            raise ValueError(
                f"section rule '{rule.rule}' is not one of judgement, score, lowest, none"
            )
        return rule

    @property
    def graded_by_rule(self) -> bool:
        """False for a `grading: none` section: a front sheet, a case profile."""
        return self.grading.rule != "none"

    @field_validator("weight")
    @classmethod
    def _positive_weight(cls, weight: float) -> float:
        if weight <= 0:
            raise ValueError("weight must be greater than 0")
        return weight


class AuditTool(_Frozen):
    format: StrictInt
    """1 or 2."""
    id: Annotated[StrictStr, Field(pattern=ID_PATTERN)]
    """Lower case letters, digits and hyphens; unique across loaded tools."""
    version: Annotated[StrictInt, Field(gt=0, le=2**63 - 1)]
    """Bumped on every change; audits pin the version they started on."""
    title: Name
    """Shown when choosing a tool."""
    description: StrictStr | None = None
    """Shown when choosing a tool."""
    subject: Literal["case", "worker"] | None = None
    """(2) What is audited: a child's case file (default) or a practitioner's own file."""
    applies_to: list[Literal["EH", "CIN", "CP", "CLA", "CL", "PF", "PB"]] | None = None
    """Case types this tool may be used for; any when absent."""
    scale: StrictStr = "ofsted"
    """The grading scale: ofsted, met or (2) one of ``scales``."""
    scales: list[ScaleDef] | None = None
    """(2) The tool's own scales."""
    due_working_days: Annotated[StrictInt, Field(ge=0, le=MAX_DUE_WORKING_DAYS)] = 20
    """Actions' default due date, in working days after completion."""
    grading: ToolGrading = ToolGrading()
    """How the overall grade is suggested."""
    sections: list[Section] = Field(min_length=1)
    """At least one."""

    @field_validator("format")
    @classmethod
    def _format_one_or_two(cls, value: int) -> int:
        if value not in (1, 2):
            raise ValueError(f"format {value} is not supported; format is 1 or 2")
        return value

    @property
    def is_worker_audit(self) -> bool:
        return self.subject == "worker"

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    @cached_property
    def scale_def(self) -> Scale:
        for own in self.scales or ():
            if own.id == self.scale:
                return own.to_scale()
        return SCALES.get(self.scale) or SCALES["ofsted"]

    @cached_property
    def computed_questions(self) -> tuple[Question, ...]:
        """The questions with `compute`, in tool order."""
        return tuple(q for q in self.questions if q.compute is not None)

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
