"""The long jobs the TUI starts (sync, export), as plain functions over services.

Each job opens its own workspace on the same database, because it runs in
a worker thread while the screens keep using theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from auditui.services.workspace import Workspace
from auditui.store.db import open_store

Progress = Callable[[int, int], None]
TABLES = ("audits", "answers", "actions")


def _own(ws: Workspace) -> Workspace:
    return Workspace(
        store=open_store(ws.store.path, same_file_as=ws.store.identity),
        library=ws.library,
        config=ws.config,
        today=ws.today,
        now=ws.now,
    )


def sync_job(ws: Workspace) -> Callable[[Progress], str]:
    def job(progress: Progress) -> str:
        from auditui.services.sync import run_sync

        own = _own(ws)
        try:
            report = run_sync(own, progress=progress)
        finally:
            own.close()
        # The CLI's own sentence (one summary per job for both faces), then what it lists.
        text = report.summary()
        for line in report.problems + report.warnings + report.refused:
            text += f"\n{line}"
        return text

    return job


def default_export_dir(ws: Workspace) -> Path:
    return Path.home() / f"auditui-export-{ws.today().isoformat()}"


def export_job(ws: Workspace, folder: str) -> Callable[[Progress], str]:
    def job(progress: Progress) -> str:
        from auditui.errors import StorageError
        from auditui.export.csv_export import export_csv

        target = Path(folder).expanduser()
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {target}: {exc.strerror}.") from exc
        own = _own(ws)
        written = []
        try:
            for index, table in enumerate(TABLES):

                def step(done: int, total: int, index: int = index) -> None:
                    progress(index * 1000 + (1000 * done // max(total, 1)), len(TABLES) * 1000)

                result = export_csv(own, table, target / f"{table}.csv", progress=step)
                written.append(f"{table}.csv ({result.rows} rows)")
        finally:
            own.close()
        stamp = dt.datetime.now().strftime("%H:%M")
        return f"Wrote {', '.join(written)} to {target} at {stamp}."

    return job
