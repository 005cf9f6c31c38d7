"""The parts of a graded result that the local store holds outside the outbox snapshot.

A snapshot is frozen when the audit ends; the themes its findings raise are
kept in their own table (read-only once the audit has ended), and a
moderation re-audit's link to the audit it moderates, with the agreed grade
``moderation agree`` records afterwards, in the moderation tables. Sync
reads them here, for a whole batch at once, in the thread that owns the
store, and hands them to ``build.graded_result`` with each snapshot.

The agreed grade goes in the record of the revision being sent: one agreed
after that revision reached a hub travels in the programme's agreed-grade
records (``programme_sync``), not in a new copy of the same revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from auditui.store.db import Store
    from auditui.store.result_themes import ModerationLink

THEME_KINDS = ("strengths", "development")
"""The two kinds of theme, as the store and the graded result name them."""


class ResultExtras(NamedTuple):
    themes: Mapping[str, tuple[str, ...]] | None = None
    """The audit's themes by kind; None when it records none."""
    moderation: ModerationLink | None = None
    """For a moderation re-audit: the audit it moderates and the agreement."""


def result_extras(store: Store, audit_ids: Iterable[str]) -> dict[str, ResultExtras]:
    """The extras of each given audit that has any (an audit absent has none)."""
    from auditui.store.result_themes import moderation_links, themes_of_audits

    ids = list(dict.fromkeys(audit_ids))
    if not ids:
        return {}
    themes = themes_of_audits(store, ids)
    links = moderation_links(store, ids)
    return {
        audit_id: ResultExtras(themes.get(audit_id), links.get(audit_id))
        for audit_id in ids
        if audit_id in themes or audit_id in links
    }


def all_result_extras(store: Store) -> dict[str, ResultExtras]:
    """The extras of every audit in the store that has any (the local report's)."""
    from auditui.store.result_themes import moderation_links, themes_of_audits

    themes = themes_of_audits(store)
    links = moderation_links(store)
    return {
        audit_id: ResultExtras(themes.get(audit_id), links.get(audit_id))
        for audit_id in themes.keys() | links.keys()
    }
