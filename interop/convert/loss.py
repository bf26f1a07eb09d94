"""Loss reports: what a conversion could not carry over, so that nothing is lost silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

PREVIEW_LENGTH: Final = 60


class LossKind(StrEnum):
    """Why an item appears in a loss report."""

    UNCONSUMED = "unconsumed"  # a source element, attribute, JSON key or CSV cell not carried over
    UNFILLED = "unfilled"  # a target field left empty for lack of a source
    REJECTED = "rejected"  # a source value that could not be converted (bad date, unknown code)


@dataclass(frozen=True, slots=True)
class LossEntry:
    """One item that did not make it across.

    Attributes:
        kind: unconsumed, unfilled or rejected.
        path: where: a source path (XPath, JSON pointer, ``row 7, column "Name"``) for
            unconsumed and rejected items, a target path for unfilled ones.
        preview: the start of the value, for a person to recognise it.
        reason: why, when there is more to say than the kind.
    """

    kind: LossKind
    path: str
    preview: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "path": self.path,
            "preview": self.preview,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class LossReport:
    """Everything one conversion could not carry over, in source then target order."""

    entries: tuple[LossEntry, ...] = field(default_factory=tuple)

    @property
    def lossless(self) -> bool:
        return not self.entries

    def of_kind(self, kind: LossKind) -> tuple[LossEntry, ...]:
        return tuple(e for e in self.entries if e.kind is kind)

    def to_json(self) -> list[dict[str, str]]:
        return [entry.to_json() for entry in self.entries]


def preview(value: Any) -> str:
    """A one-line start of ``value`` for a loss report."""
    text = " ".join(str(value).split())
    return text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1] + "…"
