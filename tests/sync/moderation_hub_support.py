"""Audits graded exactly as a test says, and an independent moderation agreement.

``graded_audit`` and ``regrade`` go through the real services (answers with
evidence, a grade and rationale per scope, finalise) so what a sync sends is
what an auditor's finalise really queues. ``independent`` works the figures
out from first principles, written apart from ``domain.moderation``: kappa
from the k-by-k contingency matrix with quadratic weights, not from moments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

from sync_support import TODAY, answer_shown

from auditui.services import audits
from auditui.services.workspace import Workspace
from auditui.tools.scales import SCALES

TOOL = "smart-plans"
SCOPES = ("smart", "contingency", "engagement", "overall")
OFSTED = SCALES["ofsted"].grades
O, G, R, I = OFSTED  # noqa: E741 - outstanding, good, requires improvement, inadequate


def grade_and_end(ws: Workspace, audit_id: str, grades: Sequence[str]) -> None:
    """Answer every shown question, grade each scope as given (with a rationale), finalise."""
    answer_shown(ws, audit_id, "Read.")
    for scope, grade in zip(SCOPES, grades, strict=True):
        audits.set_grade(ws, audit_id, scope, grade, "Graded so for the moderation test.")
    audits.finalise(ws, audit_id, on=ws.today())


def graded_audit(ws: Workspace, case_ref: str, team: str, grades: Sequence[str]) -> str:
    tool = ws.library.latest(TOOL)
    audit_id = audits.start_audit(
        ws,
        TOOL,
        case_ref,
        (tool.applies_to or ["CP"])[0],
        team,
        "Sam Taylor",
        True,
        started_on=TODAY - dt.timedelta(days=3),
    )
    grade_and_end(ws, audit_id, grades)
    return audit_id


def independent(pairs: Sequence[tuple[str, str]], order: Sequence[str] = OFSTED) -> dict:
    """Pairs, agreement and quadratic-weighted kappa of (original, moderator's) grades."""
    k, n = len(order), len(pairs)
    observed = [[0] * k for _ in range(k)]
    for original, moderated in pairs:
        observed[order.index(original)][order.index(moderated)] += 1
    rows = [sum(observed[i]) for i in range(k)]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]

    def weight(i: int, j: int) -> Fraction:
        return Fraction((i - j) ** 2, (k - 1) ** 2)

    disagree = sum(weight(i, j) * observed[i][j] for i in range(k) for j in range(k))
    chance = sum(weight(i, j) * Fraction(rows[i] * cols[j], n) for i in range(k) for j in range(k))
    steps = [order.index(m) - order.index(o) for o, m in pairs]
    return {
        "pairs": n,
        "exact": sum(1 for s in steps if s == 0),
        "within_one": sum(1 for s in steps if abs(s) <= 1),
        "kappa": None if chance == 0 else round(float(1 - disagree / chance), 3),
        "original_higher": sum(1 for s in steps if s > 0),
        "original_lower": sum(1 for s in steps if s < 0),
    }


SPEC_KEYS = (
    "pairs",
    "exact_agreement_pct",
    "within_one_pct",
    "weighted_kappa",
    "original_higher",
    "original_lower",
    "groups",
)


def spec_part(report: dict) -> dict:
    """The keys spec/cli.md gives ``report moderation --format json``."""
    return {key: report[key] for key in SPEC_KEYS}
