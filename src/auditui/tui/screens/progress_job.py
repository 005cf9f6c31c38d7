"""A modal that runs one long job (sync, export) in a thread and shows its progress.

The job gets a ``progress(done, total)`` callback and returns one sentence
for the user; an ``AuditUIError`` becomes its own plain words. The UI stays
responsive, and the job opens its own database connection. Any other error
is the app's to log and announce (``AuditApp.worker_failed``); this window
then just stops waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from auditui.errors import AuditUIError
from auditui.tui.widgets.key_bar import KeyBar

Progress = Callable[[int, int], None]
Job = Callable[[Progress], str]


class ProgressJobScreen(ModalScreen[str | None]):
    """Runs ``job`` in a worker; dismisses with its summary (None if it failed)."""

    DEFAULT_CSS = """
    ProgressJobScreen { align: center middle; }
    ProgressJobScreen > Vertical {
        width: 70; max-width: 95%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ProgressJobScreen #job-message { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Close",
            tooltip="Close this window once the job is done.",
            id="job.close",
        ),
    ]

    def __init__(self, title: str, job: Job) -> None:
        super().__init__()
        self.title_text = title
        self.job = job
        self.finished = False
        self.summary: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]")
            yield ProgressBar(id="job-bar", show_eta=False)
            yield Static("Working…", id="job-message")
        yield KeyBar()  # this window's keys, not those of the screen beneath

    def on_mount(self) -> None:
        self.run_job()

    @work(thread=True, exclusive=True, group="long-job")
    def run_job(self) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            summary = self.job(progress)
        except AuditUIError as exc:
            self.app.call_from_thread(self._done, None, exc.message)
            return
        self.app.call_from_thread(self._done, summary, summary)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and not self.finished:
            self._done(None, "the job stopped on an unexpected error (see the notice).")

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _done(self, summary: str | None, message: str) -> None:
        self.finished = True
        self.summary = summary
        bar = self.query_one(ProgressBar)
        if summary is not None:
            bar.update(total=bar.total or 1, progress=bar.total or 1)
        words = escape(message)  # a path or "[sync]" in the message is words, not markup
        text = words if summary is not None else f"[b]Not done:[/b] {words}"
        self.query_one("#job-message", Static).update(f"{text}\n\n[dim]esc closes[/dim]")

    def action_close(self) -> None:
        if self.finished:
            self.dismiss(self.summary)
        else:
            self.notify("Still working; it will finish shortly.", timeout=2)
