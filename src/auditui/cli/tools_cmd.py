"""`auditui tools`: list, validate and try audit tools (spec/cli.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from auditui.cli.context import Settings, fail_on_error, pass_settings, print_json
from auditui.errors import InvalidAnswerError, ToolFileError


@click.group()
def tools() -> None:
    """List, validate and try audit tools."""


GUIDE = Path(__file__).resolve().parent.parent / "guide" / "tool-format.md"
"""The tool-format guide for QA leads, shipped inside the package (and the wheel)."""


@tools.command("guide")
@click.option("--print", "show", is_flag=True, help="Print the guide instead of its path.")
def guide(show: bool) -> None:
    """Where the guide to writing audit tools is, or (--print) the guide itself."""
    from auditui.errors import NotFoundError

    with fail_on_error():
        if not GUIDE.is_file():
            raise NotFoundError(f"The tool-format guide is missing from this install ({GUIDE}).")
        if show:
            click.echo(GUIDE.read_text(encoding="utf-8"), nl=False)
        else:
            click.echo(str(GUIDE))


@tools.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_settings
def list_tools(settings: Settings, fmt: str) -> None:
    """The loaded audit tools, every version."""
    library = settings.library
    rows: list[dict[str, Any]] = [
        {
            "id": tool.id,
            "version": tool.version,
            "title": tool.title,
            "scale": tool.scale,
            "applies_to": tool.applies_to or [],
            "sections": len(tool.sections),
            "questions": len(tool.questions),
            "latest": tool.version == library.latest(tool.id).version,
            "path": str(library.sources[key]),
        }
        for key, tool in sorted(library.tools.items())
    ]
    if fmt == "json":
        print_json(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "version", "title", "case types", "questions", box=None)
        for row in rows:
            table.add_row(
                row["id"],
                str(row["version"]) + ("" if row["latest"] else " (old)"),
                row["title"],
                " ".join(row["applies_to"]) or "any",
                str(row["questions"]),
            )
        Console().print(table)
    for problem in library.problems:
        click.echo(problem, err=True)


@tools.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pass_settings
def validate(settings: Settings, paths: tuple[Path, ...]) -> None:
    """Check tool files (default: every loaded tool); exit 1 on any problem."""
    from auditui.tools.library import ToolLibrary, tool_files
    from auditui.tools.loader import load_tool_file

    problems: list[str] = []
    checked = 0
    if paths:
        for path in paths:
            files = tool_files(path) if path.is_dir() else [path]
            if not path.exists():
                problems.append(f"{path}: no such file or directory")
            for file in files:
                checked += 1
                try:
                    tool = load_tool_file(file)
                    click.echo(f"ok {file} ({tool.id} version {tool.version})")
                except ToolFileError as exc:
                    problems.extend(exc.problems)
    else:
        library: ToolLibrary = settings.library
        for key, source in sorted(library.sources.items()):
            checked += 1
            click.echo(f"ok {source} ({key[0]} version {key[1]})")
        problems = library.problems
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(f"auditui: {len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"{checked} tool file(s) valid.")


@tools.command("grade")
@click.argument("tool_path", metavar="TOOL.yaml", type=click.Path(path_type=Path))
@click.argument("answers_path", metavar="ANSWERS.json", type=click.Path(path_type=Path))
def grade(tool_path: Path, answers_path: Path) -> None:
    """Grade a set of answers on a tool file and print the result as JSON.

    ANSWERS.json holds "answers" and optionally "evidence", "grades",
    "rationales", "sections_na" and "details" (spec/audit-tool-format.md).
    """
    from auditui.domain.grade_input import read_grade_input
    from auditui.domain.grading import grade_audit
    from auditui.tools.loader import load_tool_file

    try:
        tool = load_tool_file(tool_path)
    except ToolFileError as exc:
        # As `validate` prints them: each line starts `path:line:`, relative path or not.
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(1)
    with fail_on_error():
        given = read_grade_input(tool, _read_answers(answers_path), str(answers_path))
        result = grade_audit(
            tool,
            given.answers,
            given.evidence,
            given.grades,
            rationales=given.rationales,
            sections_na=given.sections_na,
            details=given.details,
            calendar=given.calendar,
        )
        click.echo(json.dumps(result.to_json()))


def _read_answers(path: Path) -> Any:
    from auditui.tools.loader import read_tool_bytes

    try:
        raw = read_tool_bytes(path, where=str(path))
    except ToolFileError as exc:
        raise InvalidAnswerError(exc.problems[0] + ".") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidAnswerError(f"{path}: not valid JSON ({type(exc).__name__}).") from None


COMMANDS = [tools]
