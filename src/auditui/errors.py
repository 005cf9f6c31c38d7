"""One error hierarchy for both faces.

Every failure a user can cause or meet is an ``AuditUIError`` carrying a plain
sentence and a short title, so the TUI's notification and the CLI's stderr
line show the same words. Library code raises these; it never prints.
"""

from __future__ import annotations


class AuditUIError(Exception):
    """A failure to show the user: ``message`` is one plain sentence (or lines)."""

    title = "auditui"
    exit_code = 1

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class ToolFileError(AuditUIError):
    """An audit tool file broke the format; ``problems`` lists every one found."""

    title = "Audit tool refused"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class UnknownToolError(AuditUIError):
    title = "Unknown audit tool"


class InvalidAnswerError(AuditUIError):
    """An answer value its question cannot take."""

    title = "Answer refused"


class ConfigError(AuditUIError):
    title = "Configuration refused"


class NotFoundError(AuditUIError):
    title = "Not found"


class StateError(AuditUIError):
    """An operation the audit's or action's current state does not allow."""

    title = "Not allowed now"


class IncompleteAuditError(StateError):
    """Finalise refused; ``missing`` lists what is still to do, in tool order."""

    title = "Audit not complete"

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class StorageError(AuditUIError):
    """The database could not be read or written (locked, read-only, disk full)."""

    title = "Could not save"


class HubError(AuditUIError):
    """The aggregation store could not be reached or refused the data."""

    title = "Hub problem"


class ChangedElsewhereError(StateError):
    """A write refused because what it would replace changed since the writer read it
    (another window or a command saved in between); nothing was written."""

    title = "Changed elsewhere"

    def __init__(self, message: str, question_id: str, field: str) -> None:
        super().__init__(message)
        self.question_id = question_id
        self.field = field
        """"value" or "evidence": which part of the answer the writer had not seen."""


class ProgrammeError(AuditUIError):
    """A case list or a plan refused (a bad row, a month in the wrong form, a plan
    larger than the case list allows); nothing was changed."""

    title = "Audit programme"
