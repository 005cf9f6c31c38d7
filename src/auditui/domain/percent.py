"""Percentages as people and spreadsheets round them: half up, one decimal.

Python's ``round`` rounds half to even on binary floats, so 25/80 (31.25)
showed as 31.2 where Excel and PostgreSQL's ``round(numeric, 1)`` say 31.3.
Every percentage auditui shows or exports (the local store, both hubs, the
TUI, CSV) goes through ``percent`` so they all agree to the last digit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_TENTH = Decimal("0.1")


def percent(numerator: int, denominator: int) -> float | None:
    """``100 * numerator / denominator`` to one decimal, half up; None when dividing by 0."""
    if not denominator:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(_TENTH, rounding=ROUND_HALF_UP))


def round_half_up(value: float | int, digits: int = 1) -> float:
    """A number already computed (a score, a ratio times 100) rounded half up.

    The float is read through its shortest decimal spelling (``repr``), so
    31.25 is 31.25 and not the binary 31.249999..., and rounds to 31.3.
    """
    exact = Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
