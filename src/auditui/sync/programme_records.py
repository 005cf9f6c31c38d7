"""The audit programme in a folder hub: plan items, moderation allocations and results.

    programme/plan.<item_id>.json             a plan item, signed by the QA lead
    programme/moderation.<allocation_id>.json  a moderation allocation, signed by the QA lead
    programme/result.<allocation_id>.json      the agreed grade, signed by who recorded it
    programme/details.<allocation_id>.json     the case details of an allocation made from
                                               the hub, sealed by the original auditor's machine
    programme/reaudit.<allocation_id>.json     which audit re-audited it, written by the
                                               moderator's machine once the re-audit ended
    programme/progress.<item_id>.json          the audit an auditor started for a plan item,
                                               its status and dates (rewritten as it moves)

Case references (and the worker's name) are sealed (``case_seal``) so only
holders of the organisation key read them; the pseudonym travels alongside.
A plan item or an allocation is believed only when its seal holds, its name
says its id, and it is signed by the QA lead's key that ``hub.json`` names
(pinned by this reader). A result is believed when signed by the QA lead or
by a key the lead's trust file allows for the audit's team; the newest
believed result of an allocation stands. Case details are believed only when
signed by the key that signed the audit itself in the hub (its binding), and a
re-audit link only when signed by the key that signed the re-audit (so the
hub's moderation report pairs an audit with the moderator's own re-audit).
A progress record is believed only for an item the lead signed, and only when
signed by the key that signed its audit in the hub, or by a key that signed
an audit of the item's auditor there (that auditor's machine), by the lead,
or by a key the lead's trust file allows for the item's team.
Everything else is listed, with the reason, and left where it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from auditui.errors import HubError
from auditui.sync.folder_files import Problem, fsync_dir, listed_names, read_json, write_once
from auditui.sync.folder_judge import schema_problem
from auditui.sync.result import ID_PATTERN, Id, Name
from auditui.sync.signing import canonical, short, unseal

if TYPE_CHECKING:
    from auditui.sync.folder import FolderHub

PROGRAMME_DIR = "programme"
MAX_RECORD_BYTES = 64 * 1024
MAX_FILES = 100_000
_ID = ID_PATTERN.strip("^$")
FILE_NAME = re.compile(rf"^(plan|moderation|result|details|reaudit|progress)\.({_ID})\.json$")
KINDS = {
    "plan": "plan-item",
    "moderation": "moderation-allocation",
    "result": "moderation-result",
    "details": "moderation-case-details",
    "reaudit": "moderation-reaudit",
    "progress": "plan-item-progress",
}

MonthText = Annotated[StrictStr, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Sealed = Annotated[StrictStr, Field(min_length=1, max_length=1_000)]
Short = Annotated[StrictStr, Field(max_length=200)]
Reason = Annotated[StrictStr, Field(min_length=1, max_length=20_000)]
Grades = Annotated[dict[Id, Annotated[StrictStr, Field(max_length=64)]], Field(max_length=500)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class PlanItemRecord(_Record):
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: Id
    plan_id: Id
    month: MonthText
    case_ref: Sealed
    case_key: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    case_type: Short
    team: Name
    practitioner: Sealed | None
    tool: Id
    kind: Id
    auditor: Name
    planned_by: Name


class AllocationRecord(_Record):
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: Id
    month: MonthText
    audit_id: Id
    auditor: Name
    team: Name
    tool: Id
    tool_version: Annotated[StrictInt, Field(ge=0, le=1_000_000)]
    """0 (with no case details) for an allocation drawn from the hub's results."""
    case_ref: Sealed | None
    case_key: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")] | None
    case_type: Short
    practitioner: Sealed | None
    practitioner_present: StrictBool
    moderator: Name
    original_grades: Grades
    seed: Short
    allocated_by: Name


class ResultRecord(_Record):
    schema_: Literal[1] = Field(default=1, alias="schema")
    allocation_id: Id
    audit_id: Id
    team: Name
    agreed_grade: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    agreed_by: Name
    agreed_reason: Reason
    agreed_at: dt.datetime


class DetailsRecord(_Record):
    """What the original auditor's machine alone knows of an audit picked from the hub."""

    schema_: Literal[1] = Field(default=1, alias="schema")
    allocation_id: Id
    audit_id: Id
    tool_version: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    case_ref: Sealed
    case_type: Short
    practitioner: Sealed
    practitioner_present: StrictBool
    original_grades: Grades


class ReauditRecord(_Record):
    """Which audit is the moderator's blind re-audit of an allocated one."""

    schema_: Literal[1] = Field(default=1, alias="schema")
    allocation_id: Id
    audit_id: Id
    moderation_audit_id: Id


class ProgressRecord(_Record):
    """How far an auditor has got with a planned audit, as their machine reports it."""

    schema_: Literal[1] = Field(default=1, alias="schema")
    item_id: Id
    audit_id: Id
    auditor: Name
    status: Literal["draft", "finalised", "closed_incomplete"]
    started_on: dt.date
    ended_on: dt.date | None


@dataclass
class HubProgramme:
    """What this reader believes of the hub's programme, and the files it does not."""

    items: dict[str, PlanItemRecord] = field(default_factory=dict)
    allocations: dict[str, AllocationRecord] = field(default_factory=dict)
    results: dict[str, ResultRecord] = field(default_factory=dict)
    details: dict[str, DetailsRecord] = field(default_factory=dict)
    reaudits: dict[str, ReauditRecord] = field(default_factory=dict)
    progress: dict[str, ProgressRecord] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)


def write_records(
    hub: FolderHub,
    items: list[PlanItemRecord],
    allocations: list[AllocationRecord],
    results: list[ResultRecord],
    details: list[DetailsRecord] | None = None,
    reaudits: list[ReauditRecord] | None = None,
    progress: list[ProgressRecord] | None = None,
) -> int:
    """Seal and write the records (the same record, the same bytes: a retry changes
    nothing); how many files were new or changed."""
    if not (items or allocations or results or details or reaudits or progress):
        return 0
    folder = hub.root / PROGRAMME_DIR
    if folder.is_symlink():
        raise HubError(f"{folder} is a link to somewhere else; nothing was written there.")
    key, written = hub.key, 0
    named: list[tuple[str, str, _Record]] = [("plan", i.id, i) for i in items]
    named += [("moderation", a.id, a) for a in allocations]
    named += [("result", r.allocation_id, r) for r in results]
    named += [("details", d.allocation_id, d) for d in details or []]
    named += [("reaudit", r.allocation_id, r) for r in reaudits or []]
    named += [("progress", p.item_id, p) for p in progress or []]
    try:
        folder.mkdir(exist_ok=True)
        for prefix, record_id, record in named:
            data = canonical(key.seal(KINDS[prefix], record.dump()))
            if write_once(folder, f"{prefix}.{record_id}.json", data) is not None:
                written += 1
        fsync_dir(folder)
    except OSError as exc:
        raise HubError(
            f"Could not write to the folder hub {hub.root} ({exc.strerror or exc}); "
            "the plan and moderation records will be written on the next sync."
        ) from None
    return written


def read_programme(
    hub: FolderHub,
    lead: str | None,
    trust: Any,
    bound: dict[str, str] | None = None,
    auditor_keys: dict[str, set[str]] | None = None,
) -> HubProgramme:
    """Every programme record this reader believes, judged by ``lead`` (the QA lead's pinned
    key), ``trust`` (the lead's trust file, for results), ``bound`` (each audit's signer
    in the hub, for case details) and ``auditor_keys`` (the keys that signed each auditor's
    audits in the hub, for progress)."""
    out = HubProgramme()
    folder = hub.root / PROGRAMME_DIR
    results: list[tuple[str, ResultRecord, str]] = []
    details: list[tuple[str, DetailsRecord, str]] = []
    reaudits: list[tuple[str, ReauditRecord, str]] = []
    progress: list[tuple[str, ProgressRecord, str]] = []
    for name in _names(folder, out):
        shown = f"{PROGRAMME_DIR}/{name}"
        match = FILE_NAME.match(name)
        if match is None:
            out.refused.append((shown, "not a file name auditui writes in programme/"))
            continue
        opened = _open(folder / name, match[1], match[2])
        if isinstance(opened, str):
            out.refused.append((shown, opened))
            continue
        record, signer = opened
        if isinstance(record, ResultRecord):
            results.append((shown, record, signer))
            continue
        if isinstance(record, DetailsRecord):
            details.append((shown, record, signer))
            continue
        if isinstance(record, ReauditRecord):
            reaudits.append((shown, record, signer))
            continue
        if isinstance(record, ProgressRecord):
            progress.append((shown, record, signer))
            continue
        if lead is None:
            out.refused.append((shown, "the hub has no QA lead key, so no plan is believed"))
        elif signer != lead:
            out.refused.append(
                (shown, f"signed by key {short(signer)}, not by the QA lead's key {short(lead)}")
            )
        elif isinstance(record, PlanItemRecord):
            out.items[record.id] = record
        elif isinstance(record, AllocationRecord):
            out.allocations[record.id] = record
    for shown, result, signer in sorted(results, key=lambda r: (r[1].agreed_at, r[0])):
        allocation = out.allocations.get(result.allocation_id)
        if allocation is None or allocation.audit_id != result.audit_id:
            out.refused.append((shown, "a result for a moderation this hub does not hold"))
        elif result.team != allocation.team:
            out.refused.append((shown, f"names team {result.team!r}, not {allocation.team!r}"))
        elif signer != lead and not trust.allows(signer, allocation.team):
            out.refused.append(
                (
                    shown,
                    f"signed by key {short(signer)}, which the hub's trust file does not "
                    f"allow for team {allocation.team!r}",
                )
            )
        else:
            out.results[result.allocation_id] = result
    linked: list[tuple[str, DetailsRecord | ReauditRecord, str]] = [*details, *reaudits]
    for shown, record, signer in linked:
        why = _linked_problem(out, record, signer, bound or {})
        if why is not None:
            out.refused.append((shown, why))
        elif isinstance(record, DetailsRecord):
            out.details[record.allocation_id] = record
        else:
            out.reaudits[record.allocation_id] = record
    for shown, report, signer in progress:
        why = _progress_problem(out, report, signer, lead, trust, bound or {}, auditor_keys or {})
        if why is None:
            out.progress[report.item_id] = report
        else:
            out.refused.append((shown, why))
    return out


def _linked_problem(
    out: HubProgramme, record: DetailsRecord | ReauditRecord, signer: str, bound: dict[str, str]
) -> str | None:
    """Why case details or a re-audit link is not believed, or None. Each belongs to one
    moderation the hub holds and must be signed by the key that signed, in the hub, the
    original audit (case details) or the re-audit (the link)."""
    if isinstance(record, DetailsRecord):
        what, signed_audit = "case details for", record.audit_id
    else:
        what, signed_audit = "a re-audit of", record.moderation_audit_id
    allocation = out.allocations.get(record.allocation_id)
    if allocation is None or allocation.audit_id != record.audit_id:
        return f"{what} a moderation this hub does not hold"
    if bound.get(signed_audit) != signer:
        return f"signed by key {short(signer)}, not by the key that signed audit {signed_audit}"
    return None


def _progress_problem(
    out: HubProgramme,
    report: ProgressRecord,
    signer: str,
    lead: str | None,
    trust: Any,
    bound: dict[str, str],
    auditor_keys: dict[str, set[str]],
) -> str | None:
    """Why a progress report is not believed, or None. Its signer must be the audit's own
    key, a key that signed the item's auditor's audits here, the lead's, or one the lead's
    trust file allows for the item's team (so a new auditor's first draft can count)."""
    item = out.items.get(report.item_id)
    if item is None:
        return "progress of a plan item this hub does not hold"
    if (
        signer in (lead, bound.get(report.audit_id))
        or signer in auditor_keys.get(item.auditor, set())
        or trust.allows(signer, item.team)
    ):
        return None
    return (
        f"signed by key {short(signer)}, neither the key that signed audit {report.audit_id} "
        f"nor one that signed an audit of {item.auditor} in this hub (believed once that "
        "audit is in the hub)"
    )


def _open(path: Path, prefix: str, record_id: str) -> tuple[_Record, str] | str:
    data = read_json(path, cap=MAX_RECORD_BYTES)
    if isinstance(data, Problem):
        return str(data)
    opened = unseal(data, KINDS[prefix])
    if isinstance(opened, str):
        return opened
    raw, signer = opened
    try:
        record: _Record
        if prefix == "plan":
            record = PlanItemRecord.model_validate(raw)
        elif prefix == "moderation":
            record = AllocationRecord.model_validate(raw)
        elif prefix == "result":
            record = ResultRecord.model_validate(raw)
        elif prefix == "reaudit":
            record = ReauditRecord.model_validate(raw)
        elif prefix == "progress":
            record = ProgressRecord.model_validate(raw)
        else:
            record = DetailsRecord.model_validate(raw)
    except ValidationError as exc:
        return schema_problem(exc, KINDS[prefix].replace("-", " "))
    own_id = _own_id(record)
    if own_id != record_id:
        return f"holds record {own_id!r}, not the one its name says"
    return record, signer


def _own_id(record: _Record) -> str:
    if isinstance(record, PlanItemRecord | AllocationRecord):
        return record.id
    if isinstance(record, ProgressRecord):
        return record.item_id
    assert isinstance(record, ResultRecord | DetailsRecord | ReauditRecord)
    return record.allocation_id


def _names(folder: Path, out: HubProgramme) -> list[str]:
    return listed_names(folder, PROGRAMME_DIR, MAX_FILES, out.refused)
