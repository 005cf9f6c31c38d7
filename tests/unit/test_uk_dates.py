"""One way to write a day, a month and a period on screen (issue 13 items 7 and 11)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from auditui.domain.uk_dates import (
    format_day,
    format_month,
    format_period,
    format_short_day,
    month_label,
)


def test_days_months_and_periods_the_uk_way() -> None:
    assert format_day(dt.date(2026, 10, 31)) == "Sat 31 Oct 2026"
    assert format_short_day(dt.date(2026, 6, 1)) == "1 Jun 2026"
    assert format_month(2026, 11) == "Nov 2026"
    assert month_label("2026-11") == "Nov 2026"
    assert format_period(dt.date(2026, 6, 1), dt.date(2026, 11, 30)) == "1 Jun 2026 to 30 Nov 2026"
    assert format_period(None, dt.date(2026, 11, 30)) == "the first to 30 Nov 2026"
    assert format_period(dt.date(2026, 6, 1), None) == "1 Jun 2026 to today"


def test_a_group_that_is_not_a_month_is_left_as_it_is() -> None:
    for text in ("All", "North Locality", "2026-13", "2026-00", "2026-1", "x2026-11", ""):
        assert month_label(text) == text


@given(st.text(max_size=20))
def test_month_label_never_fails(text: str) -> None:
    assert isinstance(month_label(text), str)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_every_month_reads_back(day: dt.date) -> None:
    label = month_label(f"{day:%Y-%m}")
    assert dt.datetime.strptime(label, "%b %Y").date().replace(day=1) == day.replace(day=1)
