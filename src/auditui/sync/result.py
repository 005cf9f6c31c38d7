"""The graded result: the one record that leaves an auditor's machine.

Both hubs (a folder of JSON files, a PostgreSQL database) receive exactly
this model, so what is shared is decided in one place. It is versioned
(``schema: 4``; readers take 1 to 3 too), frozen and ``extra="forbid"``: a hub reader refuses a file
that carries anything this version does not know, rather than guessing.

What it deliberately leaves out by default: the case reference (replaced by
``case_key``, an HMAC under the organisation's key, so one child's audits
still group together), the practitioner's name (the hub measures practice,
not named social workers; ``practitioner_present`` is what the measures
need), and every free-text field (evidence notes, rationales, findings, the
reason an audit was closed, answers to ``text`` questions). Those travel
only when the organisation sets ``sync.share_evidence_text``. Action texts
travel by default (the team manager must read them to act), unless
``sync.share_action_text`` is off.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from auditui.domain.records import NAME_LIMIT, NOTE_LIMIT

SCHEMA: Literal[4] = 4
"""The version of the graded-result record this code writes. Schema 2 added ``demo`` and
``agreed_on``; schema 3 (tool format 2) added ``subject``, ``calendar``, a tool's own scale
and its ``good_or_better`` grades, sections not applicable, the form's numbers and computed
answers, and ``case_type: worker`` for a worker audit; schema 4 added ``themes`` (the
organisation's themes the findings raise) and ``moderation`` (what a moderation re-audit
moderates, and the agreed grade once known). Readers accept 1 to 3 too (a schema-1 record
is a real audit's, no dates known; 1 and 2 are case audits on ofsted or met; a record
without themes or moderation raises none and moderates nothing)."""
Schema = Literal[1, 2, 3, 4]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
"""Audit and action ids: also file names in a folder hub, so no dots, slashes or spaces."""

Id = Annotated[str, Field(pattern=ID_PATTERN)]
# One source for the limits: a value is refused where it is typed (domain.records), so
# nothing the store took can fail every sync later.
Name = Annotated[StrictStr, Field(min_length=1, max_length=NAME_LIMIT)]
Note = Annotated[StrictStr, Field(max_length=NOTE_LIMIT)]
Grade = Annotated[StrictStr, Field(min_length=1, max_length=40)]
ScaleId = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
"""``ofsted``, ``met`` or a tool's own scale (format 2)."""
FormNumber = Annotated[StrictStr, Field(min_length=1, max_length=20)]
"""The number a form shows for a section or question (format 2 ``number``, else automatic)."""
Percent = Annotated[StrictInt | StrictFloat, Field(ge=0, le=100)]
Scalar = StrictStr | StrictInt | StrictFloat | StrictBool
AnswerValue = Scalar | list[Scalar] | None


class _Record(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, populate_by_name=True
    )


class SectionResult(_Record):
    section_id: Name
    """The section's id in the audit tool."""
    percent: Percent | None
    """The section's score, 0..100, for score sections; null otherwise."""
    suggested: Grade | None
    """The grade the tool's rules suggested."""
    final: Grade | None
    """The grade that stands: the auditor's choice, else the suggestion."""
    overridden: StrictBool
    """The auditor chose a grade other than the suggestion."""
    rationale: Note | None = None
    """Why the auditor overrode; only when evidence text is shared."""
    number: FormNumber | None = None
    """The section's number on the form (schema 3)."""
    not_applicable: StrictBool = False
    """The auditor marked the section not applicable (schema 3); it was not graded."""
    na_reason: Note | None = None
    """Why it did not apply; only when evidence text is shared (schema 3)."""


class OverallResult(_Record):
    percent: Percent | None
    """The weighted score, 0..100, when the overall rule is ``score``."""
    suggested: Grade | None
    """The overall grade the tool's rules suggested."""
    final: Grade | None
    """The overall grade that stands."""
    overridden: StrictBool
    """The auditor chose an overall grade other than the suggestion."""
    rationale: Note | None = None
    """Why the auditor overrode; only when evidence text is shared."""


class AnswerResult(_Record):
    question_id: Name
    """The question's id in the audit tool."""
    section_id: Name
    """The section the question belongs to."""
    value: AnswerValue
    """The answer as stored (yes/partly/no/na, a grade, option ids, a number, a date);
    null when withheld."""
    withheld: StrictBool = False
    """The answer is free text and stayed on the auditor's machine."""
    tags: tuple[Name, ...] = ()
    """The question's themes (e.g. ``voice``, ``planning``), for the themes report."""
    evidence: Note | None = None
    """The evidence note; only when evidence text is shared."""
    number: FormNumber | None = None
    """The question's number on the form (schema 3)."""
    computed: StrictBool = False
    """Worked out from two dates (format 2 ``compute``), not typed (schema 3)."""


class ActionResult(_Record):
    id: Id
    """The action's id; the key a team manager completes it by."""
    owner: Name
    """Who does it (a name or a role)."""
    due: dt.date
    """Due date, in working days from the audit's completion."""
    status: Literal["open", "done", "cancelled"]
    """Where the action stands."""
    completed_on: dt.date | None = None
    """When it was done."""
    text: Note | None = None
    """What is to be done; travels unless the organisation keeps action text local."""
    agreed_on: dt.date | None = None
    """When the action was agreed: a completion dated before it is refused (schema 2)."""


class MeasureValue(_Record):
    """How a measure question (format 2 ``measure``) was answered, where it was shown."""

    tool: Name
    """The audit tool's id: a measure is known by its tool and question."""
    question: Name
    """The question's id."""
    value: Literal["yes", "partly", "no"]
    """The answer; a question hidden, unanswered or answered N/A is not listed."""


THEMES_PER_KIND = 100
"""More themes than any organisation's list holds: a longer list in a record is refused."""


class ThemesResult(_Record):
    """The organisation's themes an audit's findings raise (schema 4): names from the
    organisation's list (``[organisation] themes``), never the findings' own words."""

    strengths: Annotated[tuple[Name, ...], Field(max_length=THEMES_PER_KIND)] = ()
    """Themes recorded as strengths."""
    development: Annotated[tuple[Name, ...], Field(max_length=THEMES_PER_KIND)] = ()
    """Themes recorded as areas for development."""

    @field_validator("strengths", "development")
    @classmethod
    def _distinct(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(names)) != len(names):
            raise ValueError("a theme is named twice")
        if not all(name.isprintable() for name in names):
            raise ValueError("a theme's name holds a control character")
        return names


class ModerationResult(_Record):
    """A moderation re-audit's link to the audit it moderates, and the agreed grade once
    ``moderation agree`` has recorded it on the machine that sent this revision (schema 4).
    The reason for the agreement is free text and stays local."""

    moderates: Id
    """The moderated (original) audit's id."""
    agreed_grade: Grade | None = None
    """The grade the moderator and the original auditor agreed; null until agreed."""
    agreed_by: Name | None = None
    """Who recorded the agreement."""
    agreed_at: dt.datetime | None = None
    """When the agreement was recorded (UTC)."""

    @model_validator(mode="after")
    def _agreed_whole(self) -> ModerationResult:
        if (self.agreed_grade is None) != (self.agreed_at is None):
            raise ValueError("an agreed grade comes with the time it was agreed, and only with it")
        return self


class GradedResult(_Record):
    """One ended revision of one audit, as a hub stores it."""

    schema_: Schema = Field(default=SCHEMA, alias="schema")
    """The record's format version."""
    audit_id: Id
    """The audit's id (a random UUID, not a case reference)."""
    revision: Annotated[StrictInt, Field(ge=1)]
    """1 for the first ending; each reopen and re-ending adds one. A hub keeps the highest."""
    status: Literal["finalised", "closed_incomplete"]
    """How this revision ended."""
    recorded_at: dt.datetime
    """When this revision ended (UTC)."""
    tool_id: Name
    """The audit tool's id."""
    tool_version: Annotated[StrictInt, Field(ge=1)]
    """The tool version the audit was done on."""
    scale: ScaleId | None
    """The grading scale of the tool (ofsted, met, or from schema 3 the tool's own); null only
    when the tool is unknown and nothing was graded."""
    good_or_better: tuple[Grade, ...] | None = None
    """A tool's own scale: the grades that count as good or better (schema 3)."""
    subject: Literal["case", "worker"] = "case"
    """A child's case, or (schema 3) a practitioner's own file."""
    case_key: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    """HMAC-SHA256 under the organisation's key of the case reference, or of the
    practitioner's name for a worker audit."""
    case_type: Name
    """EH, CIN, CP, CLA, CL, PF or PB; ``worker`` for a worker audit, which has no case
    (schema 3: reports by case type then show worker audits as a group of their own)."""
    calendar: Literal["england-and-wales", "scotland", "northern-ireland"] | None = None
    """The working-day calendar computed answers were counted in (schema 3)."""
    team: Name
    """The team that holds the case."""
    auditor: Name
    """Who did the audit."""
    practitioner_present: StrictBool
    """The audit was done with the practitioner (target 75%)."""
    kind: Name
    """case_file, themed, dip_sample, deep_dive or moderation."""
    started_on: dt.date
    """When the audit started."""
    ended_on: dt.date
    """When it was finalised or closed: the date the monthly measures count it under."""
    complete: StrictBool
    """Every required question answered, evidenced and graded against the tool."""
    end_reason: Note | None = None
    """Why it was closed incomplete; only when evidence text is shared."""
    sections: tuple[SectionResult, ...]
    """Every section's grade, in tool order."""
    overall: OverallResult
    """The audit's overall grade."""
    answers: tuple[AnswerResult, ...]
    """Every answered question, in tool order."""
    actions: tuple[ActionResult, ...] = ()
    """The follow-up actions as they stood when this revision ended."""
    findings: dict[Name, Note | None] | None = None
    """Reflection, strengths, development, summary; only when evidence text is shared."""
    demo: StrictBool = False
    """Made by ``auditui demo``: only a demo hub takes it, and a real hub refuses it."""
    measures: Annotated[tuple[MeasureValue, ...], Field(max_length=500)] = ()
    """Each measure question shown and answered yes, partly or no, in a finalised audit
    (``sync.measure_counts``); none in a record from an older auditui."""
    themes: ThemesResult = ThemesResult()
    """The organisation's themes the findings raise, as strengths and as areas for
    development (schema 4); none in an older record."""
    moderation: ModerationResult | None = None
    """For an audit of kind ``moderation``: what it moderates and the agreed grade
    (schema 4); null for every other audit, and in an older record."""

    @model_validator(mode="after")
    def _moderation_of_a_moderation(self) -> GradedResult:
        if self.moderation is not None and self.kind != "moderation":
            raise ValueError(f"an audit of kind {self.kind!r} carries a moderation")
        if self.moderation is not None and self.moderation.moderates == self.audit_id:
            raise ValueError("an audit cannot moderate itself")
        return self

    def dump(self) -> dict[str, Any]:
        """The JSON-ready form a hub stores (``schema`` spelled as in the file)."""
        return self.model_dump(mode="json", by_alias=True)


class ActionState(_Record):
    """An action's state sent on its own: completed, cancelled or changed after the audit ended."""

    schema_: Schema = Field(default=SCHEMA, alias="schema")
    """The record's format version."""
    action_id: Id
    """The action's id."""
    audit_id: Id
    """The audit it belongs to."""
    source: Literal["owner", "hub"]
    """``owner``: the audit owner's machine; ``hub``: a team manager working over the hub."""
    recorded_at: dt.datetime
    """When the change was made (UTC); the earliest completion wins."""
    status: Literal["open", "done", "cancelled"]
    """Where the action stands."""
    completed_on: dt.date | None = None
    """When it was done."""
    owner: Name | None = None
    """Who does it; null in a team manager's completion, which changes the status only."""
    due: dt.date | None = None
    """Due date; null in a team manager's completion."""
    text: Note | None = None
    """What is to be done; travels unless the organisation keeps action text local."""
    evidence: Note | None = None
    """How it was done; only when evidence text is shared."""
    agreed_on: dt.date | None = None
    """When the action was agreed (the owner's records only; schema 2)."""

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
