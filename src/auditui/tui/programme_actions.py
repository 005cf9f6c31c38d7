"""What a key does with a plan item or a moderation, shared by the screens that offer it.

Home (Enter on "Planned for you", `m` on a moderation audit), the list of
moderations and the walker all start or open the same way, through the
services (``programme.start_planned_audit``, ``moderation.start_moderation``,
``moderation_review.comparison``), so a planned audit is never started twice
and the original of a moderation is only ever shown by the side-by-side
screen, which asks the service (and is refused until the re-audit ends).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from auditui.domain.plan_items import PlanItem
from auditui.errors import AuditUIError, NotFoundError
from auditui.services.workspace import Workspace
from auditui.tui.feedback import show_error


def open_walker(screen: Screen[Any], workspace: Workspace, audit_id: str) -> None:
    from auditui.tui.screens.walker import WalkerScreen

    try:
        screen.app.push_screen(WalkerScreen(workspace, audit_id))
    except AuditUIError as error:
        show_error(screen, error)


def start_or_open_planned(
    screen: Screen[Any],
    workspace: Workspace,
    item: PlanItem,
    started: Callable[[str], None] | None = None,
) -> None:
    """Open the item's audit if it has one; else start it with the item's case details
    (asking for the practitioner when the case list gave none), then open it."""
    if item.audit_id is not None:
        open_walker(screen, workspace, item.audit_id)
        return
    if not item.practitioner:
        from auditui.tui.screens.reason import ReasonScreen

        def typed(name: str | None) -> None:
            if name:
                _start_planned(screen, workspace, item, name, started)

        screen.app.push_screen(
            ReasonScreen(
                f"Start the planned audit of {item.case_ref}",
                "The case list gave no practitioner for this case; whose work is it?",
            ),
            typed,
        )
        return
    _start_planned(screen, workspace, item, None, started)


def _start_planned(
    screen: Screen[Any],
    workspace: Workspace,
    item: PlanItem,
    practitioner: str | None,
    started: Callable[[str], None] | None,
) -> None:
    from auditui.services import programme

    try:
        audit_id = programme.start_planned_audit(workspace, item.id, practitioner=practitioner)
    except AuditUIError as error:
        show_error(screen, error)
        return
    screen.notify(f"Started the planned audit of {item.case_ref}.", markup=False, timeout=4)
    if started is not None:
        started(audit_id)
    open_walker(screen, workspace, audit_id)


def moderation_of(workspace: Workspace, audit_id: str) -> str | None:
    """The allocation id when ``audit_id`` is a moderation re-audit (or its original) on
    this machine; None when it is neither."""
    from auditui.services import moderation

    try:
        row = moderation.find(workspace, audit_id)
    except NotFoundError:
        return None
    return str(row["id"])


def open_comparison(screen: Screen[Any], workspace: Workspace, allocation_id: str) -> None:
    """Both audits side by side (the screen says so when the re-audit has not ended)."""
    from auditui.tui.screens.moderation_compare import ModerationCompareScreen

    screen.app.push_screen(ModerationCompareScreen(workspace, allocation_id))
