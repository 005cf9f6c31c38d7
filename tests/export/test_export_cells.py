"""The cell rules, and the promise that SQLite applies exactly the same ones."""

from __future__ import annotations

import sqlite3

import pytest
from export_support import HOSTILE, expected_cell, read_csv

from auditui.export.cells import FORMULA_STARTS, number_cell, sql_text_cell, text_cell


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_cell_reads_back_as_typed_with_formulas_neutralised(text: str) -> None:
    cell = text_cell(text)
    assert read_csv((cell + "\r\n").encode()) == [[expected_cell(text)]]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_gets_a_leading_quote(start: str) -> None:
    assert text_cell(start + "1") == f'"\'{start}1"'


def test_numbers_stay_numbers_even_negative_ones() -> None:
    assert [number_cell(n) for n in (-5, 0, 3, 2.5, 66.666666, 100.0, None)] == [
        "-5",
        "0",
        "3",
        "2.5",
        "66.67",
        "100",
        "",
    ]


def test_sqlite_builds_the_same_cells_as_python() -> None:
    conn = sqlite3.connect(":memory:")
    corpus = [*HOSTILE, "", "plain", "x" * 5000, "%s %w %q"]
    for text in corpus:
        (made,) = conn.execute(f"SELECT {sql_text_cell('?1')}", (text,)).fetchone()
        assert made == text_cell(text), repr(text)
    (null,) = conn.execute(f"SELECT {sql_text_cell('NULL')}").fetchone()
    assert read_csv((null + "\r\n").encode()) == [[""]]


def test_numbers_round_half_up_as_spreadsheets_do() -> None:
    assert number_cell(0.125) == "0.13"  # round() would say 0.12 (half to even)
    assert number_cell(31.25, 1) == "31.3"
    assert number_cell(2.5, 0) == "3"
