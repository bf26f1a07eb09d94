"""Which text of a free-text field a reader of one language gets, and what to say about it.

A free text holds the original and any translations (``c:text`` with ``@lang``, ``@origin``
and provenance). The reader gets, in this order: the original if it is in their language, a
reviewed human translation, a human translation, a reviewed machine translation, an unreviewed
machine translation; and when there is none in their language, the original with its
language named. Never silently: the choice is part of the result and of every rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from lxml import etree

C: Final = "urn:interop:common:1"
_TEXT: Final = f"{{{C}}}text"


class Shown(StrEnum):
    """Why this text was shown."""

    ORIGINAL = "original"  # the author's own text, in the reader's language
    HUMAN = "human"  # a human translation into the reader's language
    MACHINE = "machine"  # a machine translation into the reader's language
    UNTRANSLATED = "untranslated"  # no text in the reader's language: the original


@dataclass(frozen=True, slots=True)
class Choice:
    """The text a reader gets and its provenance."""

    text: str
    language: str
    shown: Shown
    reviewed: bool
    engine: str | None = None
    model: str | None = None
    model_version: str | None = None
    source_language: str | None = None  # language of the original a translation was made from
    translator: str | None = None
    reviewed_by: str | None = None
    translated_at: str | None = None


def choose(free_text: etree._Element, language: str) -> Choice | None:
    """The text of ``free_text`` for a reader of ``language`` (None: the field is empty)."""
    texts = [node for node in free_text if node.tag == _TEXT]
    candidates = [node for node in texts if node.get("lang") == language]
    originals = [node for node in texts if node.get("origin") == "original"] or texts
    source = originals[0].get("lang") if originals else None
    if candidates:
        return _choice(min(candidates, key=_rank), source, untranslated=False)
    return _choice(originals[0], source, untranslated=True) if originals else None


def _rank(node: etree._Element) -> int:
    origin = node.get("origin")
    reviewed = node.get("status") == "reviewed"
    if origin == "original":
        return 0
    if origin == "human":
        return 1 if reviewed else 2
    return 3 if reviewed else 4


def _choice(node: etree._Element, source: str | None, *, untranslated: bool) -> Choice:
    origin = node.get("origin", "original")
    if untranslated:
        shown = Shown.UNTRANSLATED
    elif origin == "machine":
        shown = Shown.MACHINE
    elif origin == "human":
        shown = Shown.HUMAN
    else:
        shown = Shown.ORIGINAL
    return Choice(
        text=node.text or "",
        language=node.get("lang", ""),
        shown=shown,
        reviewed=node.get("status") == "reviewed",
        engine=node.get("engine"),
        model=node.get("model"),
        model_version=node.get("modelVersion"),
        source_language=source,
        translator=node.get("translator"),
        reviewed_by=node.get("reviewedBy"),
        translated_at=node.get("translatedAt"),
    )
