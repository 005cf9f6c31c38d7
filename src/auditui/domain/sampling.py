"""A month's sample and who audits it: pure, so the same inputs always give the same plan.

A QA lead must be able to show an inspector how a month's cases were
chosen and re-run the choice. So the draw uses Python's ``random.Random``
(the Mersenne Twister, MT19937) seeded with text: ``random`` turns a text
seed into the generator's state through SHA-512, which is the same on every
machine and every run (no hash randomisation). Each team gets its own
generator, seeded ``"<seed>:<team>"``, so adding a team or a case in
another team does not change this team's draw; and each team's eligible
cases are sorted first, so the order of rows in the exported file does not
matter either.

Allocation deals each team's items to the named auditors in turn,
continuing the rotation from one team to the next, so no auditor has more
than one item more than another, in a team or over the whole month.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GENERATOR = "Python random.Random (Mersenne Twister MT19937), seeded per team with '<seed>:<team>'"
"""Said in ``--help`` and stored with each plan, so the draw can be re-run elsewhere."""

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the unit a plan is made for (``YYYY-MM``)."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """The month ``text`` names in the form ``YYYY-MM``, or None."""
        found = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
        if found is None:
            return None
        year, month = int(found[1]), int(found[2])
        if not (1 <= month <= 12 and 1900 <= year <= 9999):
            return None
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Shortfall:
    """A team whose eligible cases are fewer than the quota."""

    team: str
    available: int


def shortfalls(eligible: Mapping[str, Sequence[str]], per_team: int) -> list[Shortfall]:
    """Teams that cannot give ``per_team`` cases, by team name."""
    return [
        Shortfall(team, len(refs))
        for team, refs in sorted(eligible.items())
        if len(refs) < per_team
    ]


def draw(eligible: Mapping[str, Sequence[str]], per_team: int, seed: str) -> dict[str, list[str]]:
    """``per_team`` case references from each team's eligible ones, in draw order.

    Call only when ``shortfalls`` is empty: a team with too few cases gives all it has.
    """
    drawn: dict[str, list[str]] = {}
    for team in sorted(eligible):
        refs = sorted(set(eligible[team]))
        rng = random.Random(f"{seed}:{team}")
        drawn[team] = rng.sample(refs, min(per_team, len(refs)))
    return drawn


def allocate(drawn: Mapping[str, Sequence[str]], auditors: Sequence[str]) -> dict[str, list[str]]:
    """The auditor for each drawn case, team by team (teams in name order), round-robin.

    Returns, per team, the auditor of each case in the same order as ``drawn``.
    """
    if not auditors:
        raise ValueError("allocate needs at least one auditor")
    turn = 0
    allocated: dict[str, list[str]] = {}
    for team in sorted(drawn):
        names = []
        for _ in drawn[team]:
            names.append(auditors[turn % len(auditors)])
            turn += 1
        allocated[team] = names
    return allocated


def unique_names(names: Sequence[str]) -> list[str]:
    """Names in the order given, each once (an auditor named twice is dealt in once)."""
    return list(dict.fromkeys(names))
