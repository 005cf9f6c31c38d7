"""The practice themes an audit records as strengths and as areas for development.

Themes are words from the organisation's list (``[organisation] themes`` in
config.toml), never free text, so they can be counted across audits and
sent to a hub when evidence notes are not. A theme outside the list is
refused in one sentence that names the list; a theme recorded before the
organisation dropped it from the list stays on the audit, and may be
kept or removed, but not added again. Like the written findings, themes
are read-only once the audit has ended (reopen it to change them); each
change is committed before the call returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from auditui.errors import InvalidAnswerError
from auditui.services.audit_state import current, current_draft
from auditui.services.workspace import Workspace
from auditui.store import themes as rows
from auditui.store.db import storage_errors

THEME_KINDS = rows.THEME_KINDS
KIND_LABELS = {"strengths": "Strengths", "development": "Areas for development"}

AuditThemes = dict[str, tuple[str, ...]]
"""Kind (``strengths``, ``development``) to its themes; both kinds always present."""


def themes_of(ws: Workspace, audit_id: str) -> AuditThemes:
    """The themes the audit records now (``audit_id`` may be a case reference)."""
    with storage_errors():
        entry = current(ws, ws.store.conn, audit_id)
        return rows.themes_of(ws.store.conn, entry.audit.id)


def set_themes(ws: Workspace, audit_id: str, changes: Mapping[str, Sequence[str]]) -> AuditThemes:
    """Replace the themes of each kind in ``changes`` (others unchanged); all or nothing.

    Each theme is taken in the organisation's spelling, whatever the letter
    case typed, and stored in the order the organisation lists them.
    """
    unknown = [kind for kind in changes if kind not in THEME_KINDS]
    if unknown:
        raise InvalidAnswerError(
            f"Unknown kind of theme '{str(unknown[0])[:40]}'; known: {', '.join(THEME_KINDS)}."
        )
    return _change(ws, audit_id, lambda before: changes)


def mark_theme(ws: Workspace, audit_id: str, kind: str, theme: str, recorded: bool) -> AuditThemes:
    """Record ``theme`` among the audit's ``kind`` themes, or (``recorded`` false) remove it.

    Said as the wanted state, not as a toggle, so a tick on a screen that
    another window has since changed does what the auditor saw.
    """
    if kind not in THEME_KINDS:
        raise InvalidAnswerError(f"Unknown kind of theme '{kind[:40]}'.")

    def marked(before: AuditThemes) -> Mapping[str, Sequence[str]]:
        others = [t for t in before[kind] if t != theme]
        return {kind: [*others, theme] if recorded else others}

    return _change(ws, audit_id, marked)


def _change(
    ws: Workspace,
    audit_id: str,
    changes_from: Callable[[AuditThemes], Mapping[str, Sequence[str]]],
) -> AuditThemes:
    """One transaction: read the audit's themes, work out the change, check it, write it."""
    with ws.store.transaction() as conn:
        entry = current_draft(ws, conn, audit_id)
        before = rows.themes_of(conn, entry.audit.id)
        changes = changes_from(before)
        checked = {kind: _checked(ws, themes, before[kind]) for kind, themes in changes.items()}
        now = ws.now()
        for kind, themes in checked.items():
            if themes != before[kind]:
                rows.set_themes(conn, entry.audit.id, kind, themes, now)
        return {kind: checked.get(kind, before[kind]) for kind in THEME_KINDS}


def offered(ws: Workspace, recorded: AuditThemes) -> tuple[str, ...]:
    """The themes to offer: the organisation's list, then any the audit records that the
    list no longer has (so they can still be seen and removed)."""
    listed = ws.config.organisation.themes
    extra = [t for kind in THEME_KINDS for t in recorded.get(kind, ()) if t not in listed]
    return (*listed, *dict.fromkeys(extra))


def _checked(ws: Workspace, themes: Iterable[str], recorded: Sequence[str]) -> tuple[str, ...]:
    organisation = ws.config.organisation
    if isinstance(themes, str):
        raise InvalidAnswerError("Themes must be a list of the organisation's themes.")
    chosen: set[str] = set()
    for theme in themes:
        if not isinstance(theme, str):
            raise InvalidAnswerError("A theme must be text, one of the organisation's themes.")
        kept = next((t for t in recorded if t.casefold() == theme.strip().casefold()), None)
        chosen.add(kept if kept is not None else organisation.theme_named(theme))
    order = {theme: n for n, theme in enumerate(dict.fromkeys((*organisation.themes, *recorded)))}
    return tuple(sorted(chosen, key=lambda theme: order.get(theme, len(order))))
