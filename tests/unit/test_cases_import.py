"""`cases import` through the service, on real CSV files and a real SQLite file.

A bad row refuses the whole file, naming its line and column, and leaves
the previous list exactly as it was; a good file replaces it. Files are
written the ways Excel writes them (UTF-8 with a byte order mark, the
Windows code page, CRLF).
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditui.config import Config, UserConfig, config_from_data
from auditui.errors import ProgrammeError
from auditui.services import case_csv
from auditui.services.cases import import_cases, list_cases
from auditui.services.workspace import Workspace
from auditui.tools.library import ToolLibrary

HEADER = "Case ID,Case Type,Team,Worker,Opened,Closed"
MAP = ("Case ID=case_ref", "Worker=practitioner", "Opened=opened_on", "Closed=closed_on")


def make_ws(db: Path, **organisation: object) -> Workspace:
    read = config_from_data({"organisation": organisation}, db.with_name("config.toml"))
    config = Config(user=UserConfig(name="Quinn Lead"), organisation=read.organisation)
    return Workspace.open(db, ToolLibrary.load([], include_shipped=True), config)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_ws(tmp_path / "auditui.db")
    yield workspace
    workspace.close()


def write(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def good_lines(n: int = 5, team: str = "North") -> list[str]:
    return [HEADER] + [f"CF{i:04d},CP,{team},Pat {i},01/02/2026," for i in range(1, n + 1)]


def refs(ws: Workspace) -> list[str]:
    return [c["case_ref"] for c in list_cases(ws)]


def test_an_excel_utf8_file_with_mapped_columns_becomes_the_case_list(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = good_lines(2) + ['CF0100,"Child Protection",South,"Siân O\'Neill",2026-03-04,5/6/2026']
    done = import_cases(ws, write(tmp_path / "cases.csv", lines), MAP)
    assert (done.cases, done.teams) == (3, 2)
    assert list_cases(ws, "South") == [
        {
            "case_ref": "CF0100",
            "case_type": "CP",
            "team": "South",
            "practitioner": "Siân O'Neill",
            "opened_on": "2026-03-04",
            "closed_on": "2026-06-05",
        }
    ]
    assert refs(ws) == ["CF0001", "CF0002", "CF0100"]


def test_excel_s_windows_code_page_file_is_read(ws: Workspace, tmp_path: Path) -> None:
    lines = ["case_ref,team,practitioner", "CF1,North,Siân Jones"]
    import_cases(ws, write(tmp_path / "cp.csv", lines, encoding="cp1252"))
    assert list_cases(ws)[0]["practitioner"] == "Siân Jones"


def test_columns_named_like_fields_need_no_map_and_others_are_ignored(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = ["Surname,Case Ref,TEAM,Opened-On", "Smith,CF1,North,2026-01-02", ",,,", ""]
    import_cases(ws, write(tmp_path / "c.csv", lines))
    assert list_cases(ws) == [
        {
            "case_ref": "CF1",
            "case_type": "",
            "team": "North",
            "practitioner": "",
            "opened_on": "2026-01-02",
            "closed_on": None,
        }
    ]


def test_a_good_file_replaces_the_previous_list(ws: Workspace, tmp_path: Path) -> None:
    import_cases(ws, write(tmp_path / "a.csv", good_lines(5)), MAP)
    import_cases(ws, write(tmp_path / "b.csv", good_lines(2, team="South")), MAP)
    assert [(c["case_ref"], c["team"]) for c in list_cases(ws)] == [
        ("CF0001", "South"),
        ("CF0002", "South"),
    ]


@pytest.mark.parametrize(
    ("bad_line", "column", "words"),
    [
        ("CF 99,CP,North,Pat,01/02/2026,", "Case ID", "not a reference from the recording system"),
        ("CF0099,XX,North,Pat,01/02/2026,", "Case Type", "'XX' is not a case type"),
        ("CF0099,CP,North,Pat,31/02/2026,", "Opened", "no such day"),
        ("CF0099,CP,North,Pat,2026/02/01,", "Opened", "is not a date"),
        ("CF0099,CP,North,Pat,01/02/2026,01/01/2026", "Closed", "closed (2026-01-01) before"),
        ("CF0001,CP,North,Pat,01/02/2026,", "Case ID", "also on line 2"),
        (",CP,North,Pat,01/02/2026,", "Case ID", "case reference is empty"),
        ("CF0099,CP,North,Pat\x1b[2J,01/02/2026,", "Worker", "control characters"),
        ("CF0099,CP,North," + "P" * 201 + ",01/02/2026,", "Worker", "longer than the 200"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_line_and_column_and_changes_nothing(
    ws: Workspace, tmp_path: Path, bad_line: str, column: str, words: str
) -> None:
    import_cases(ws, write(tmp_path / "first.csv", good_lines(3, team="East")), MAP)
    lines = good_lines(6)
    lines.insert(5, bad_line)  # line 6 of the file, after four good rows
    path = write(tmp_path / "bad.csv", lines)
    with pytest.raises(ProgrammeError) as refused:
        import_cases(ws, path, MAP)
    assert f"bad.csv line 6, column '{column}'" in refused.value.message
    assert words in refused.value.message
    assert "\n" not in refused.value.message
    assert refs(ws) == ["CF0001", "CF0002", "CF0003"]
    assert {c["team"] for c in list_cases(ws)} == {"East"}


def test_a_team_the_organisation_does_not_have_is_refused(tmp_path: Path) -> None:
    ws = make_ws(tmp_path / "auditui.db", teams=["North", "South"])
    try:
        lines = [*good_lines(2), "CF0009,CP,Nrth,Pat,01/02/2026,"]
        with pytest.raises(ProgrammeError, match=r"line 4, column 'Team': Team 'Nrth' is not one"):
            import_cases(ws, write(tmp_path / "t.csv", lines), MAP)
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("lines", "maps", "words"),
    [
        (["Case ID,Team", "CF1,North"], (), "no column is the case reference"),
        (["case_ref,Team", "CF1,North"], ("Ref=case_ref",), "column 'ref' the header does not"),
        (["case_ref,Team", "CF1,North"], ("Team=colour",), "'colour' is not one of"),
        (["case_ref,Team", "CF1,North"], ("Team",), "write it as COLUMN=FIELD"),
        (["case_ref,ref", "CF1,CF2"], ("ref=case_ref",), "case_ref is already column"),
        (["case_ref,team", "CF1,North,extra"], (), "line 2: 3 cells, but the header has 2"),
        (["case_ref,team"], (), "has no cases"),
        ([""], (), "has no cases"),
        (["case_ref,team", '"CF1,North'], (), "not readable CSV"),
    ],
)
def test_a_file_that_is_not_a_case_list_is_refused_in_one_sentence(
    ws: Workspace, tmp_path: Path, lines: list[str], maps: tuple[str, ...], words: str
) -> None:
    with pytest.raises(ProgrammeError) as refused:
        import_cases(ws, write(tmp_path / "x.csv", lines), maps)
    assert words in refused.value.message
    assert refs(ws) == []


def test_bytes_that_are_not_text_are_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"case_ref\r\nCF1\x81\x8d\r\n")
    with pytest.raises(ProgrammeError, match="line 2: the file is neither UTF-8 nor Windows"):
        import_cases(ws, path)
    path.write_bytes(b"case_ref\r\nCF1\x00\r\n")
    with pytest.raises(ProgrammeError, match="contains NUL bytes"):
        import_cases(ws, path)


def test_only_a_regular_file_is_read(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="is not a regular file"):
        import_cases(ws, tmp_path)
    with pytest.raises(ProgrammeError, match="Cannot read the case list"):
        import_cases(ws, tmp_path / "missing.csv")


def test_a_fifo_is_refused_without_waiting_for_a_writer(ws: Workspace, tmp_path: Path) -> None:
    fifo = tmp_path / "cases.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            import_cases(ws, fifo)
        except BaseException as exc:  # recorded for the assertion below
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader so the test process can end
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        time.sleep(0.1)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], ProgrammeError)
    assert "not a regular file" in outcome[0].message


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_csv, "MAX_BYTES", 1024)
    path = write(tmp_path / "big.csv", good_lines(100))
    with pytest.raises(ProgrammeError, match="is larger than"):
        import_cases(ws, path, MAP)
    assert refs(ws) == []


def test_a_file_over_the_row_bound_is_refused(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_csv, "MAX_ROWS", 10)
    import_cases(ws, write(tmp_path / "ten.csv", good_lines(10)), MAP)
    with pytest.raises(ProgrammeError, match="more than 10 cases"):
        import_cases(ws, write(tmp_path / "eleven.csv", good_lines(11)), MAP)
    assert len(refs(ws)) == 10


def test_the_case_list_stays_in_the_owner_only_database(ws: Workspace, tmp_path: Path) -> None:
    import_cases(ws, write(tmp_path / "cases.csv", good_lines(3)), MAP)
    assert stat.S_IMODE(ws.store.path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.db-journal"))
    last = ws.store.one("SELECT file_name, cases, imported_by FROM case_imports")
    assert last is not None and tuple(last) == ("cases.csv", 3, "Quinn Lead")


def test_an_import_that_fails_part_way_through_leaves_the_previous_list_whole(
    ws: Workspace, tmp_path: Path
) -> None:
    """The old list is deleted and the new rows inserted in one transaction: a failure
    at the fourth insert (a real SQLite abort, from a temporary trigger) undoes it all."""
    import_cases(ws, write(tmp_path / "first.csv", good_lines(3, team="East")), MAP)
    ws.store.conn.execute(
        "CREATE TEMP TRIGGER fail_fourth BEFORE INSERT ON cases WHEN NEW.case_ref = 'CF0004' "
        "BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
    )
    with pytest.raises(Exception, match="the disk went away"):
        import_cases(ws, write(tmp_path / "second.csv", good_lines(8)), MAP)
    assert [(c["case_ref"], c["team"]) for c in list_cases(ws)] == [
        ("CF0001", "East"),
        ("CF0002", "East"),
        ("CF0003", "East"),
    ]
    imports = ws.store.one("SELECT count(*) AS n FROM case_imports")
    assert imports is not None and imports["n"] == 1
