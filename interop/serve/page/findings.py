"""Findings of a validation, grouped by the section of the document they concern.

A finding names its place as an XPath (``/n:summons/n:subject/c:text[1]``); the page shows it
as the labels of those elements in the page's language ("Subject, Text"), under the section
(the root's child) it belongs to. Findings without a place go under the document itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from interop.render.localize import Localizer

_STEP: Final = re.compile(r"^(?:[\w.-]+:)?([\w.-]+)(?:\[(\d+)\])?$")
_LONG_SET: Final = re.compile(r"\{[^{}]{80,}\}")
DOCUMENT: Final = ""
SEPARATOR: Final = " \u203a "  # a single right-pointing angle quotation mark


@dataclass(frozen=True, slots=True)
class FindingView:
    severity: str  # error | warning
    where: str  # the labels of the path, in the page's language
    message: str
    rule: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # the root child's local name, or "" for the document as a whole
    label: str
    findings: tuple[FindingView, ...]


def sections(report: dict[str, Any], text: Localizer) -> list[Section]:
    """The findings of a one-file JSON report, by section in order of first appearance."""
    grouped: dict[str, list[FindingView]] = {}
    for finding in report["files"][0]["findings"]:
        steps = _steps(finding.get("xpath"))
        key = steps[1] if len(steps) > 1 else DOCUMENT
        where = SEPARATOR.join(text.label(step) for step in steps[2:])
        grouped.setdefault(key, []).append(
            FindingView(
                finding["severity"],
                where,
                plain(finding["message"]),
                finding.get("rule") or "",
                finding.get("line"),
            )
        )
    return [
        Section(key, text.label(key) if key else text.gettext("Whole document"), tuple(found))
        for key, found in grouped.items()
    ]


def _steps(xpath: str | None) -> list[str]:
    return [name for name, _ in _indexed(xpath)]


def _indexed(xpath: str | None) -> list[tuple[str, str | None]]:
    found = []
    for step in (xpath or "").split("/"):
        match = _STEP.match(step)
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def place(path: str, text: Localizer) -> str:
    """A field's path in plain words below the root: its labels, joined by chevrons."""
    steps = _indexed(path)[1:]
    return SEPARATOR.join(
        f"{text.label(name)} {index}" if index else text.label(name) for name, index in steps
    )


def plain(message: str) -> str:
    """A schema message without its list of every allowed value (the rule names the list)."""
    return _LONG_SET.sub("{…}", message)
