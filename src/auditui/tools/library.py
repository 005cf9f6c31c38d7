"""The set of audit tools a user has: shipped ones plus their organisation's.

Tools are found in the shipped directory (package data) and in the user's
tools directories. Every version of a tool is kept, because an audit is
finished and graded on the version it started on; the highest version is
the one new audits use. A broken file is set aside with its problems and
the others still load.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from auditui.errors import ToolFileError, UnknownToolError
from auditui.tools.tool_bytes import one_line

if TYPE_CHECKING:  # the models and the loader need pydantic: imported when a file is read
    from auditui.tools.models import AuditTool
    from auditui.tools.parse_cache import ParseCache

TOOL_SUFFIXES = (".yaml", ".yml")


def shipped_tools_dir() -> Path:
    """The tools that come with auditui: package data in a wheel, `audit_tools/` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "audit_tools"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "audit_tools"


def user_tools_dirs(extra: Iterable[Path] = (), env: Mapping[str, str] | None = None) -> list[Path]:
    """Where an organisation's own tools are looked for, in order."""
    env = os.environ if env is None else env
    dirs = list(extra)
    if env.get("AUDITUI_TOOLS"):
        dirs += [Path(p) for p in env["AUDITUI_TOOLS"].split(os.pathsep) if p]
    dirs.append(Path(platformdirs.user_config_dir("auditui")) / "tools")
    return dirs


@dataclass
class ToolLibrary:
    """Loaded tools by (id, version), with the problems of the files that were refused."""

    tools: dict[tuple[str, int], AuditTool] = field(default_factory=dict)
    sources: dict[tuple[str, int], Path] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)
    """The files that were set aside, each once, in the order they were read."""

    @classmethod
    def load(
        cls, dirs: Iterable[Path] | None = None, include_shipped: bool = True, cache: bool = True
    ) -> ToolLibrary:
        """Every tool in the shipped directory and ``dirs``; unchanged valid files come from
        the parse cache (see ``parse_cache``) unless ``cache`` is False."""
        from auditui.tools.parse_cache import ParseCache

        library = cls()
        parsed = ParseCache() if cache else None
        for path in library_files(dirs, include_shipped):
            library.add_file(path, parsed)
        if parsed is not None:
            parsed.save()
        return library

    def add_file(self, path: Path, cache: ParseCache | None = None) -> AuditTool | None:
        from auditui.tools.loader import load_tool_file

        try:
            tool = load_tool_file(path, cache)
        except ToolFileError as exc:
            self.problems.extend(exc.problems)
            self.refused.append(path)
            return None
        except Exception as exc:  # noqa: BLE001 - one file must never stop every command
            # The loader bounds and reports every problem the fuzz suite has found; this is
            # the net for one it has not, so the other tools still load.
            self.problems.append(
                one_line(
                    f"{path}:1: {path.stem}: this file could not be read "
                    f"({type(exc).__name__}); please report it"
                )
            )
            self.refused.append(path)
            return None
        if tool.key in self.tools:
            if self.sources[tool.key].resolve() != path.resolve():
                self.problems.append(
                    f"{path}:1: {tool.id}: version {tool.version} is already loaded from "
                    f"{self.sources[tool.key]}; bump the version"
                )
                self.refused.append(path)
            return None
        self.tools[tool.key] = tool
        self.sources[tool.key] = path
        return tool

    def latest(self, tool_id: str) -> AuditTool:
        versions = [t for (tid, _), t in self.tools.items() if tid == tool_id]
        if not versions:
            raise UnknownToolError(
                f"No audit tool '{tool_id}' is loaded; known tools: {', '.join(self.ids()) or 'none'}."
            )
        return max(versions, key=lambda t: t.version)

    def get(self, tool_id: str, version: int | None = None) -> AuditTool:
        if version is None:
            return self.latest(tool_id)
        tool = self.tools.get((tool_id, version))
        if tool is None:
            self.latest(tool_id)  # names the tool if it is unknown altogether
            raise UnknownToolError(f"Audit tool '{tool_id}' has no version {version} loaded.")
        return tool

    def ids(self) -> list[str]:
        return sorted({tid for tid, _ in self.tools})

    def current(self) -> list[AuditTool]:
        """The newest version of each tool, by title."""
        return sorted((self.latest(tid) for tid in self.ids()), key=lambda t: t.title)


def library_files(dirs: Iterable[Path] | None = None, include_shipped: bool = True) -> list[Path]:
    """The files ``ToolLibrary.load`` reads, in the order it reads them (earlier wins)."""
    shipped = shipped_tools_dir()
    # Earlier versions of shipped tools live in versions/, so an audit started on
    # one is still finished and graded on it after the tool moves on.
    search = ([shipped, shipped / "versions"] if include_shipped else []) + list(dirs or [])
    return [path for directory in search for path in tool_files(directory)]


def tool_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in TOOL_SUFFIXES and p.is_file())
