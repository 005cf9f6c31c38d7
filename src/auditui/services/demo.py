"""Realistic synthetic audits: how a newcomer tries auditui, and what benchmarks run on.

The data goes through the real grading engine and the real schema, over
every shipped tool, several teams and auditors and the last twelve months:
drafts, finalised and a few closed-incomplete audits, with and without the
practitioner, auditor overrides with their rationale, and actions done on
time, late and still open. It only ever adds rows, in one transaction, and
the same seed gives the same data (for the same ``today``). Every audit it
makes is marked demo (``audits.demo``): sync never sends one to a real hub,
only to a demo hub (``auditui demo --hub DIR``).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditui.domain.grading import AuditGrading
from auditui.domain.grading import grade_audit as _grade
from auditui.domain.records import Action, Audit
from auditui.services.audits import AuditState, ended_snapshot
from auditui.services.demo_answers import answers as demo_answers
from auditui.services.demo_themes import demo_themes
from auditui.services.workspace import Workspace
from auditui.store import demo_rows
from auditui.store.audits import grade_rows
from auditui.store.values import encode_document, encode_value
from auditui.tools.models import AuditTool

TEAMS = ("North Locality", "South Locality", "Children in Care", "Disabled Children", "Front Door")
AUDITORS = ("Priya Shah", "Tom Evans", "Grace Okafor", "Megan Hughes", "Daniel Price")
PRACTITIONERS = (
    "Sam Taylor",
    "Alex Morgan",
    "Jordan Lee",
    "Chris Walker",
    "Jamie Clarke",
    "Robin Davies",
    "Casey Jones",
    "Morgan Bell",
    "Ellis Ward",
    "Rowan Hall",
)
RATIONALES = (
    "Moderated with the team manager: impact for the child is stronger than the score shows.",
    "Recent drift outweighs the compliant record keeping.",
    "Practitioner's reflection evidenced learning already in place.",
)
CLOSE_REASONS = (
    "Case transferred to another authority before the audit could be completed.",
    "Practitioner left the service; no one able to join the audit.",
)
ACTION_TEXTS = (
    "Update the chronology and genogram",
    "Make the plan SMART: add timescales and who does what",
    "Record the contingency plan and share it with the family",
    "See the child alone and record their views in their own words",
    "Hold reflective supervision and record the analysis",
    "Offer advocacy and record the child's response",
)


@dataclass
class DemoReport:
    audits: int = 0
    answers: int = 0
    actions: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def generate_demo(
    ws: Workspace,
    audits: int = 200,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    as_demo: bool = True,
) -> DemoReport:
    """Add ``audits`` synthetic audits to the workspace's database in one transaction.

    The random stream depends on the seed and on how many audits are already
    there, so a second run adds new audits rather than colliding with the first.
    ``as_demo=False`` (benchmarks and tests only, never the CLI) makes them look like
    real audits, so they can be synced to a real hub.
    """
    rng = random.Random(f"{seed}:{demo_rows.audit_count(ws.store)}")
    today = ws.today()
    tools = ws.library.current()
    cal = ws.calendar
    report = DemoReport()
    rows = demo_rows.new_batch()
    with ws.store.transaction() as conn:
        for n in range(audits):
            tool = tools[n % len(tools)] if n < len(tools) else rng.choice(tools)
            _one_audit(ws, rng, tool, today, cal, rows, report, as_demo)
            if len(rows["answers"]) > 50_000:
                demo_rows.flush(conn, rows)
            if progress is not None and (n + 1) % 1000 == 0:
                progress(n + 1, audits)
        demo_rows.flush(conn, rows)
    if progress is not None:
        progress(audits, audits)
    return report


def _one_audit(
    ws: Workspace,
    rng: random.Random,
    tool: AuditTool,
    today: dt.date,
    cal: Any,
    rows: dict[str, list[tuple[Any, ...]]],
    report: DemoReport,
    as_demo: bool = True,
) -> None:
    audit_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    started = today - dt.timedelta(days=rng.randint(0, 364))
    roll = rng.random()
    status = "draft" if roll < 0.15 else "closed_incomplete" if roll < 0.19 else "finalised"
    if status == "draft":
        started = today - dt.timedelta(days=rng.randint(0, 30))
    quality = rng.betavariate(4, 2)  # most practice is good, some is not
    auditor = rng.choice(AUDITORS)
    stamp = f"{started.isoformat()}T{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00+00:00"
    share = 1.0 if status == "finalised" else rng.uniform(0.1, 0.8)
    case_types = tool.applies_to or ["CIN", "CP", "CLA"]
    worker = tool.is_worker_audit  # a practitioner's own file: no case
    case_type = "" if worker else rng.choice(case_types)
    kind = (
        rng.choice(("case_file", "themed", "dip_sample", "dip_sample", "deep_dive"))
        if tool.id != "case-file-audit"
        else "case_file"
    )
    present = rng.random() < 0.78
    details: dict[str, Any] = {
        "case_type": case_type or None,
        "kind": kind,
        "practitioner_present": present,
    }
    answers, evidence = demo_answers(rng, tool, quality, share, today, details)
    chosen, rationale, grading = _choices(rng, tool, answers, evidence, status, details)
    ended = None
    if status != "draft":
        ended = min(today, cal.add_working_days(started, rng.randint(0, 10)))
    audit = Audit(
        id=audit_id,
        tool_id=tool.id,
        tool_version=tool.version,
        case_ref="" if worker else f"{rng.choice('CEFP')}{rng.randint(100000, 999999)}",
        case_type=case_type,
        team=rng.choice(TEAMS),
        practitioner=rng.choice(PRACTITIONERS),
        auditor=auditor,
        kind=kind,
        practitioner_present=present,
        status=status,
        revision=1,
        started_on=started,
        ended_on=ended,
        end_reason=rng.choice(CLOSE_REASONS) if status == "closed_incomplete" else None,
        progress=grading.progress,
        overall_grade=grading.overall.final,
        complete=grading.complete,
        findings=_findings(rng, status),
        updated_at=stamp,
        demo=as_demo,
    )
    f = audit.findings
    rows["audits"].append(
        (
            audit.id,
            audit.tool_id,
            audit.tool_version,
            audit.case_ref,
            audit.case_type,
            audit.team,
            audit.practitioner,
            audit.auditor,
            audit.kind,
            int(audit.practitioner_present),
            status,
            1,
            started.isoformat(),
            ended.isoformat() if ended else None,
            audit.end_reason,
            grading.progress,
            grading.overall.final,
            int(grading.complete),
            f["strengths"],
            f["development"],
            f["reflection"],
            f["summary"],
            f["feedback_sought"],
            stamp,
            stamp,
            int(as_demo),
        )
    )
    if status == "finalised":
        found = demo_themes(audit_id, ws.config.organisation.themes, quality)
        for kind, themes in found.items():
            rows["themes"] += [(audit_id, kind, theme, n) for n, theme in enumerate(themes)]
    noted_only = [qid for qid in evidence if qid not in answers]  # computed questions' notes
    for qid in [*answers, *noted_only]:
        encoded = encode_value(answers.get(qid))
        note = evidence.get(qid)
        rows["answers"].append((audit_id, qid, encoded, note, auditor, stamp))
        if encoded is not None:
            rows["history"].append((audit_id, qid, "value", None, encoded, auditor, stamp))
        if note:
            rows["history"].append((audit_id, qid, "evidence", None, note, auditor, stamp))
    report.answers += len(answers)
    rows["grades"] += grade_rows(audit_id, grading, rationale)
    rows["events"].append((audit_id, 1, "started", None, auditor, stamp))
    actions: list[Action] = []
    if status == "finalised" and ended is not None:
        actions = _actions(rng, audit, ended, today, cal, tool)
        for a in actions:
            rows["actions"].append(
                (
                    a.id,
                    audit_id,
                    a.owner,
                    a.text,
                    a.due.isoformat(),
                    a.status,
                    a.created_on.isoformat(),
                    a.completed_on.isoformat() if a.completed_on else None,
                    a.evidence,
                    stamp,
                )
            )
        report.actions += len(actions)
    if ended is not None:
        rows["events"].append((audit_id, 1, status, audit.end_reason, auditor, stamp))
        state = AuditState(audit, tool, answers, evidence, chosen, rationale, grading)
        payload = ended_snapshot(audit, state, actions)
        rows["outbox"].append((audit_id, 1, status, encode_document(payload), stamp))
    report.audits += 1
    report.by_status[status] = report.by_status.get(status, 0) + 1


def _choices(
    rng: random.Random,
    tool: AuditTool,
    answers: dict[str, Any],
    evidence: dict[str, str],
    status: str,
    details: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str], AuditGrading]:
    """Judgement grades where the rule needs them, a few overrides with a rationale, the result."""
    chosen: dict[str, str] = {}
    rationale: dict[str, str] = {}

    def grade_audit(
        tool: AuditTool, answers: dict[str, Any], evidence: dict[str, str], chosen: Any = None
    ) -> AuditGrading:
        return _grade(tool, answers, evidence, chosen, rationales=rationale, details=details)

    first = grade_audit(tool, answers, evidence)
    if status == "draft" and rng.random() < 0.7:
        return chosen, rationale, first
    scale = tool.scale_def
    graded = {s.id for s in tool.sections if s.graded_by_rule}
    if first.shown_sections is not None:
        graded &= set(first.shown_sections)
    for sid, section in first.sections.items():
        if sid not in graded:
            continue
        if section.suggested is None:
            chosen[sid] = rng.choice(scale.grades[:3])
        elif rng.random() < 0.06:
            rank = max(
                0, min(len(scale.grades) - 1, scale.rank(section.suggested) + rng.choice((-1, 1)))
            )
            if scale.grades[rank] != section.suggested:
                chosen[sid] = scale.grades[rank]
                rationale[sid] = rng.choice(RATIONALES)
    second = grade_audit(tool, answers, evidence, chosen) if chosen else first
    if second.overall.suggested is None:
        finals = [s.final for s in second.sections.values() if s.final]
        chosen["overall"] = scale.worst(finals) or scale.grades[1]
        second = grade_audit(tool, answers, evidence, chosen)
    if second.missing_rationale:  # format 2 `rationale: always`: every judgement is written up
        for scope in second.missing_rationale:
            rationale[scope] = rng.choice(RATIONALES)
        second = grade_audit(tool, answers, evidence, chosen)
    if status == "finalised":  # finalising accepts every suggestion left (progress 100%)
        for scope in second.unconfirmed:
            grade = second.overall if scope == "overall" else second.sections[scope]
            if grade.final is not None and scope not in chosen:
                chosen[scope] = grade.final
        second = grade_audit(tool, answers, evidence, chosen)
    return chosen, rationale, second


def _findings(rng: random.Random, status: str) -> dict[str, str | None]:
    if status != "finalised":
        return dict.fromkeys(
            ("reflection", "strengths", "development", "summary", "feedback_sought")
        )
    return {
        "reflection": "The practitioner reflected that the plan needs clearer timescales.",
        "strengths": "Strong relationship with the child; views recorded in their own words.",
        "development": "Make the plan SMART and keep the chronology up to date.",
        "summary": "A caring piece of work where drift in planning is the main risk.",
        "feedback_sought": rng.choice(("yes", "no")),
    }


def _actions(
    rng: random.Random, audit: Audit, ended: dt.date, today: dt.date, cal: Any, tool: AuditTool
) -> list[Action]:
    out = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        due = cal.add_working_days(ended, tool.due_working_days)
        status, completed = "open", None
        if due < today:
            roll = rng.random()
            if roll < 0.68:
                status, completed = (
                    "done",
                    cal.add_working_days(ended, rng.randint(1, tool.due_working_days)),
                )
            elif roll < 0.88:
                status, completed = (
                    "done",
                    min(today, cal.add_working_days(due, rng.randint(1, 15))),
                )
        elif rng.random() < 0.3:
            status, completed = "done", min(today, cal.add_working_days(ended, rng.randint(1, 5)))
        if completed is not None and completed < ended:
            completed = ended
        out.append(
            Action(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                audit_id=audit.id,
                owner=audit.practitioner if rng.random() < 0.7 else "Team manager",
                text=rng.choice(ACTION_TEXTS),
                due=due,
                status=status,
                created_on=ended,
                completed_on=completed,
                evidence="Done; see case notes." if completed else None,
                team=audit.team,
                case_ref=audit.case_ref,
            )
        )
    return out
