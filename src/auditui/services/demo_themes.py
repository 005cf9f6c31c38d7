"""The themes each demo audit's findings raise, so reports of demo data show some.

Drawn from the organisation's list with weights that follow what councils'
audits report most often (plans not SMART, no contingency, drift and delay
as areas for development; the child's voice and partnership working as
strengths), and fewer strengths and more areas for development the weaker
the practice. Each audit's draw has its own random stream, seeded by the
audit's id, so adding themes left every other demo value as it was.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

DEVELOPMENT_WEIGHTS = {
    "SMART planning": 5,
    "Contingency planning": 5,
    "Drift and delay": 4,
    "Chronology and genogram": 4,
    "Management oversight": 3,
    "Recording quality": 3,
    "Reflective supervision": 2,
    "Risk assessment": 2,
    "Voice of the child": 2,
    "Partnership working": 1,
}
STRENGTH_WEIGHTS = {
    "Voice of the child": 5,
    "Partnership working": 4,
    "Risk assessment": 3,
    "Recording quality": 2,
    "Management oversight": 2,
    "Reflective supervision": 2,
    "Chronology and genogram": 1,
    "SMART planning": 1,
    "Contingency planning": 1,
    "Drift and delay": 0,  # never a strength
}


def demo_themes(audit_id: str, listed: Sequence[str], quality: float) -> dict[str, tuple[str, ...]]:
    """Strengths and areas for development for one finalised demo audit, in list order.

    ``quality`` is the demo's 0..1 draw for how good the practice is; a theme
    the weights do not know (an organisation's own list) weighs 1.
    """
    rng = random.Random(f"themes:{audit_id}")
    strengths = _draw(rng, listed, STRENGTH_WEIGHTS, 1 + round(quality * 2))
    development = _draw(rng, listed, DEVELOPMENT_WEIGHTS, round((1 - quality) * 4))
    order = {theme: n for n, theme in enumerate(listed)}
    return {
        "strengths": tuple(sorted(strengths, key=order.__getitem__)),
        "development": tuple(sorted(development, key=order.__getitem__)),
    }


def _draw(
    rng: random.Random, listed: Sequence[str], weights: dict[str, int], count: int
) -> set[str]:
    pool = {theme: weights.get(theme, 1) for theme in listed}
    chosen: set[str] = set()
    while len(chosen) < count:
        candidates = [t for t, w in pool.items() if w > 0 and t not in chosen]
        if not candidates:
            break
        chosen.add(rng.choices(candidates, [pool[t] for t in candidates])[0])
    return chosen
