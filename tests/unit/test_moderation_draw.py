"""Properties of the moderation draw: the percentage and each auditor's minimum are met,
nothing is picked twice, the same seed draws the same, and no audit goes to its auditor."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from auditui.domain.moderation_draw import allocate, draw

NAMES = st.sampled_from(["Ann", "Bob", "Cai", "Dee"])
AUDITS = st.dictionaries(st.uuids().map(str), NAMES, min_size=1, max_size=40)


@given(AUDITS, st.integers(1, 100), st.integers(0, 5), st.text(max_size=5))
def test_the_draw_meets_the_percentage_and_the_minimum(audits, percent, minimum, seed):
    picked = draw(audits, percent, minimum, seed, "2026-11")
    assert len(set(picked)) == len(picked) and set(picked) <= set(audits)
    assert len(picked) >= math.ceil(len(audits) * percent / 100)
    for auditor in set(audits.values()):
        theirs = [a for a in audits if audits[a] == auditor]
        assert sum(1 for a in picked if audits[a] == auditor) >= min(minimum, len(theirs))
    assert picked == draw(audits, percent, minimum, seed, "2026-11")


@given(AUDITS, st.lists(NAMES, min_size=1, max_size=4, unique=True), st.text(max_size=5))
def test_no_audit_goes_to_its_own_auditor_and_loads_stay_level(audits, moderators, seed):
    picked = draw(audits, 100, 0, seed, "2026-11")
    given_to = allocate(picked, audits, moderators, seed)
    for audit_id, moderator in given_to.items():
        if moderator is None:
            assert moderators == [audits[audit_id]]
        else:
            assert moderator != audits[audit_id] and moderator in moderators


def test_ten_percent_of_eleven_is_two():
    audits = {f"a{n:02d}": "Ann" if n % 2 else "Bob" for n in range(11)}
    assert len(draw(audits, 10, 0, "x", "2026-11")) == 2
    assert len(draw(audits, 10.0, 0, "x", "2026-11")) == 2
    assert len(draw({f"a{n}": "Ann" for n in range(30)}, 10, 0, "x", "2026-11")) == 3
