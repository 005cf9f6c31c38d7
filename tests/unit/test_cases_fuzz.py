"""Fuzz the case list reader: any bytes are a case list or one sentence, never a traceback.

Three generators: raw bytes; text shaped like CSV (quotes, separators, line
ends, a byte order mark, cells that look like dates and references); and
well-formed CSV of arbitrary cells under a real header. Whatever comes in,
``parse_cases`` returns checked rows or raises ``ProgrammeError`` with one
line naming the file; and whatever it accepts keeps to the same rules the
import promises (a valid reference, each case once, ISO dates).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.config import Config, UserConfig
from auditui.domain.records import CASE_TYPE_LABELS
from auditui.errors import ProgrammeError
from auditui.services.case_csv import CaseRow, parse_cases
from auditui.services.cases import import_cases, list_cases
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

ORG = Config().organisation
ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def outcome(data: bytes) -> list[CaseRow] | ProgrammeError:
    try:
        return parse_cases(data, "fuzz.csv", ORG, {"ref": "case_ref"})
    except ProgrammeError as exc:
        return exc


def holds(result: list[CaseRow] | ProgrammeError) -> None:
    if isinstance(result, ProgrammeError):
        assert result.message.startswith("fuzz.csv"), result.message
        assert "\n" not in result.message
        return
    assert result
    assert len({c.case_ref for c in result}) == len(result)
    for case in result:
        assert re.fullmatch(ORG.case_reference_pattern, case.case_ref)
        assert case.case_type in ("", *CASE_TYPE_LABELS)
        for day in (case.opened_on, case.closed_on):
            assert day is None or ISO.fullmatch(day)


pieces = st.sampled_from(
    [
        ",",
        '"',
        '""',
        "\r\n",
        "\n",
        "\r",
        "\ufeff",
        "case_ref",
        "ref",
        "team",
        "case_type",
        "opened_on",
        "closed_on",
        "CF12",
        "North",
        "CP",
        "Child Protection",
        "01/02/2026",
        "2026-02-30",
        "31/12/9999",
        "\x00",
        "\x1b[2J",
        "é",
        "\u202e",
        " ",
        "=cmd",
    ]
)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    holds(outcome(data))


@settings(max_examples=300)
@given(st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=60))
def test_text_shaped_like_csv(parts: list[str]) -> None:
    text = "".join(parts)
    for encoding in ("utf-8", "utf-16"):
        holds(outcome(text.encode(encoding, errors="surrogatepass")))


cell = st.one_of(
    st.from_regex(r"[A-Z]{2}[0-9]{1,8}", fullmatch=True),
    st.sampled_from(["CP", "CIN", "cla", "Early Help", "", "North", "01/02/2026", "2026-13-01"]),
    st.text(max_size=30),
)


@settings(max_examples=200)
@given(st.lists(st.lists(cell, min_size=0, max_size=8), max_size=30))
def test_well_formed_csv_of_any_cells(rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ref", "case_type", "team", "practitioner", "opened_on", "closed_on"])
    writer.writerows(rows)
    holds(outcome(out.getvalue().encode("utf-8-sig")))


@settings(max_examples=25)
@given(st.binary(max_size=400))
def test_through_a_real_file_and_database(tmp_path_factory: object, data: bytes) -> None:
    """The whole import, file to database: a refusal leaves the list as it was."""
    root = Path(tmp_path_factory.mktemp("fuzz"))  # type: ignore[attr-defined]
    config = Config(user=UserConfig(name="Quinn"))
    ws = Workspace.open(root / "auditui.db", ToolLibrary.load([], include_shipped=False), config)
    try:
        (root / "good.csv").write_text("case_ref,team\r\nCF1,North\r\n", encoding="utf-8")
        import_cases(ws, root / "good.csv")
        (root / "fuzz.csv").write_bytes(data)
        try:
            import_cases(ws, root / "fuzz.csv")
        except ProgrammeError:
            assert [c["case_ref"] for c in list_cases(ws)] == ["CF1"]
    finally:
        ws.close()
