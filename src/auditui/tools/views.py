"""What the whole-tool checks see of a tool: from a valid model, or the valid parts of a refused file.

The checks run twice over the same shapes: on an ``AuditTool`` that pydantic
accepted, and on whatever parts of a refused file are valid on their own
(so a file with an unknown key and a bad ``show_if`` reports both at once).
These views are that common shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from auditui.tools.condition_models import Condition
from auditui.tools.format2_models import ScaleDef
from auditui.tools.models import Question, Rule
from auditui.tools.scales import SCALES, Scale

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

_CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)


@dataclass
class SectionView:
    """What the checks need of one section; ``questions`` holds the valid ones."""

    index: int
    id: str | None
    rule: Rule | None
    questions: list[tuple[int, Question]]
    stand_ins: frozenset[int] = frozenset()
    """Indexes of refused questions kept only for their id: not checked themselves."""
    show_if: Condition | None = None
    allow_na: bool = False
    number: Any = None
    given: frozenset[str] = frozenset()
    """The keys the file gives for this section."""


@dataclass
class ToolView:
    """What the checks need of the tool's top level."""

    format: int | None
    subject: str | None
    applies_to: tuple[str, ...] | None
    scale_name: str
    scales: list[ScaleDef]
    scale: Scale
    overall: Rule | None
    given: frozenset[str] = field(default_factory=frozenset)

    @property
    def format2(self) -> bool:
        return self.format == 2

    @classmethod
    def partial(
        cls, data: dict[str, Any], scales: list[ScaleDef], overall: Rule | None
    ) -> ToolView:
        fmt = data.get("format")
        subject = data.get("subject")
        applies = data.get("applies_to")
        name = data.get("scale", "ofsted")
        name = name if isinstance(name, str) else "ofsted"
        return cls(
            format=fmt if type(fmt) is int else None,
            subject=subject if subject in ("case", "worker") else None,
            applies_to=tuple(a for a in applies if isinstance(a, str))
            if isinstance(applies, list)
            else None,
            scale_name=name,
            scales=scales,
            scale=scale_named(name, scales),
            overall=overall,
            given=frozenset(k for k in data if isinstance(k, str)),
        )


def scale_named(name: str, scales: list[ScaleDef]) -> Scale:
    """The tool's scale: one of its own, else a fixed one (ofsted when the name is unknown)."""
    for own in scales:
        if own.id == name and len(own.grades) >= 2:
            return own.to_scale()
    return SCALES.get(name) or SCALES["ofsted"]


def condition_of(raw: Any) -> Condition | None:
    """A section's ``show_if`` if it is valid on its own, else None."""
    if raw is None:
        return None
    try:
        return _CONDITION.validate_python(raw)
    except ValidationError:
        return None
