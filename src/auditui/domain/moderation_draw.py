"""Which ended audits a month's moderation takes, and who moderates each.

Reproducible like a plan (``domain.sampling``): Python's ``random.Random``
(Mersenne Twister MT19937) seeded with the text ``'<seed>:moderation:<month>'``.
First each auditor gets their minimum (``min_per_auditor``, or all they have
if fewer), then audits are drawn from the rest until the percentage of the
month's audits is reached (rounded up: 10% of 11 audits is 2). Each picked
audit goes to the moderator with the fewest so far who is not its own
auditor (names compared ignoring case), ties broken in a seeded order; ``None`` marks an audit no named
moderator may take, which the caller refuses.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from fractions import Fraction

from auditui.domain.plan_items import same_name

GENERATOR = (
    "Python random.Random (Mersenne Twister MT19937), seeded with '<seed>:moderation:<month>'"
)


def draw(
    audits: Mapping[str, str],
    percent: float,
    min_per_auditor: int,
    seed: str,
    month: str,
) -> list[str]:
    """The ids picked from ``audits`` (audit id to its auditor), in the order drawn."""
    rng = random.Random(f"{seed}:moderation:{month}")
    by_auditor: dict[str, list[str]] = {}
    for audit_id in sorted(audits):
        by_auditor.setdefault(audits[audit_id], []).append(audit_id)
    picked: list[str] = []
    rest: list[str] = []
    for auditor in sorted(by_auditor):
        ids = by_auditor[auditor]
        rng.shuffle(ids)
        picked += ids[:min_per_auditor]
        rest += ids[min_per_auditor:]
    target = math.ceil(len(audits) * Fraction(repr(float(percent))) / 100)
    rest.sort()
    rng.shuffle(rest)
    picked += rest[: max(0, target - len(picked))]
    return picked


def allocate(
    picked: Sequence[str], auditors: Mapping[str, str], moderators: Sequence[str], seed: str
) -> dict[str, str | None]:
    """Each picked audit's moderator: never its own auditor, loads kept level."""
    order = list(moderators)
    random.Random(f"{seed}:moderators").shuffle(order)
    load = {name: 0 for name in order}
    out: dict[str, str | None] = {}
    for audit_id in picked:
        allowed = [m for m in order if not same_name(m, auditors[audit_id])]
        if not allowed:
            out[audit_id] = None
            continue
        chosen = min(allowed, key=lambda m: load[m])
        load[chosen] += 1
        out[audit_id] = chosen
    return out
