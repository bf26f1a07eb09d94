"""Translated free text as the page shows it, and the clerk's edits back into the document.

A passage is one translatable field in one translation language, split into the sentences the
XLIFF review works on. The page shows each sentence's current translation with its protected
tokens (names, file numbers, dates...) written out, so a clerk edits plain text; on saving,
the tokens are found again in the edited text and the edits go through the same XLIFF import as
a CAT tool's file (:func:`interop.translate.review.import_xliff`): the same checks (every
protected token kept), the same record (reviewer, time, a post-edited machine translation
becoming a human one that keeps the engine on record).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from lxml import etree

from interop import xmlio
from interop.render.labels import N_
from interop.translate import inline
from interop.translate.memory import Memory
from interop.translate.review import ImportReport, import_xliff
from interop.translate.xliff import XLIFF, Sentence, export_xliff, sentences, unpack

_X: Final = f"{{{XLIFF}}}"
_PROVENANCE: Final = ("origin", "status", "engine", "model", "translator", "reviewedBy")


@dataclass(frozen=True, slots=True)
class SentenceView:
    unit_id: str
    source: str
    target: str  # the current translation, "" when there is none


@dataclass(frozen=True, slots=True)
class Passage:
    """One field's translation into one language.

    Attributes:
        path: the field's path (``/n:summons/n:subject``).
        name: the field's local name (for its label).
        language: the translation's language.
        source_language: the original's language.
        original: the original text.
        provenance: the translation's attributes (origin, status, engine, model, translator,
            reviewedBy), each "" when absent (all of them when the field has no translation in
            ``language``).
    """

    path: str
    name: str
    language: str
    source_language: str
    original: str
    provenance: Mapping[str, str]
    sentences: tuple[SentenceView, ...]

    @property
    def key(self) -> str:
        return f"{self.language}:{self.path}"


def passages(tree: etree._ElementTree, languages: tuple[str, ...]) -> list[Passage]:
    """The passages of ``tree`` in each of ``languages`` (none for a field in its own language)."""
    found: list[Passage] = []
    for language in dict.fromkeys(languages):
        listed = sentences(tree, language)
        units = _units(tree, language, listed)
        by_field: dict[int, list[Sentence]] = {}
        for sentence in listed:
            by_field.setdefault(id(sentence.field.element), []).append(sentence)
        for group in by_field.values():
            field = group[0].field
            original = field.original()
            assert original is not None  # sentences() only lists fields with an original
            version = field.version(language)
            # Every key present ("" when absent): the page's templates are strict.
            provenance = {
                k: (version.get(k) or "") if version is not None else "" for k in _PROVENANCE
            }
            views = tuple(
                SentenceView(s.unit_id, s.piece.core, units.get(s.unit_id, "")) for s in group
            )
            found.append(
                Passage(
                    field.path,
                    etree.QName(field.element).localname,
                    language,
                    group[0].source,
                    original.text or "",
                    provenance,
                    views,
                )
            )
    return found


def _units(tree: etree._ElementTree, language: str, listed: list[Sentence]) -> dict[str, str]:
    """Each sentence's current translation, as the XLIFF export aligns it (tokens written out)."""
    expected = {s.unit_id: s for s in listed}
    xliff = xmlio.parse_bytes(export_xliff(tree, language, original="page"), "page.xlf")
    found: dict[str, str] = {}
    for unit in xliff.getroot().iter(f"{_X}trans-unit"):
        target = unit.find(f"{_X}target")
        sentence = expected.get(unit.get("id", ""))
        if target is not None and sentence is not None:
            found[sentence.unit_id] = inline.resolve(inline.read_inline(target), sentence.tokens)
    return found


class TokenMissing(ValueError):
    """Nothing to save, or an edited sentence lost (or doubled) a protected token."""

    def __init__(self, tokens: list[str], sentence: str) -> None:
        self.tokens = tokens
        self.sentence = sentence
        written = ", ".join(f"“{token}”" for token in tokens)
        super().__init__(f"keep {written} exactly once, as in the original sentence “{sentence}”")

    def page_message(self) -> dict[str, object]:
        """The message as the page words it in its language (``page_message``, ``variables``)."""
        return {
            "page_message": N_(
                "Keep %(tokens)s exactly once, as in the original sentence “%(sentence)s”. "
                "Nothing was saved."
            ),
            "variables": {
                "tokens": ", ".join(f"“{token}”" for token in self.tokens),
                "sentence": self.sentence,
            },
        }


def apply_review(
    tree: etree._ElementTree,
    language: str,
    edits: Mapping[str, str],
    reviewed: set[str],
    *,
    reviewer: str,
    memory: Memory | None = None,
) -> ImportReport:
    """Write the reviewed fields (paths in ``reviewed``) into ``tree``, edited as ``edits``.

    The document's own XLIFF export is the starting point, so each unit keeps the suggestion
    it had (``alt-trans``), from which the import tells an accepted sentence from an edited one.
    ``edits`` maps unit ids to the text of the page's text boxes; a sentence not in ``edits``
    keeps its current translation.

    Raises:
        TokenMissing: nothing to save, or an edited sentence without one of its protected
            tokens (the document is left as it was).
        ReviewRejected, XliffMismatch: as the XLIFF import raises them.
    """
    expected = {s.unit_id: s for s in sentences(tree, language)}
    xliff = xmlio.parse_bytes(export_xliff(tree, language, original="page"), "page.xlf")
    kept = 0
    for group in list(xliff.getroot().iter(f"{_X}group")):
        if group.get("id") not in reviewed:
            parent = group.getparent()
            assert parent is not None
            parent.remove(group)
            continue
        for unit in group.iter(f"{_X}trans-unit"):
            sentence = expected[unit.get("id", "")]
            _edit(unit, sentence, edits.get(sentence.unit_id))
            kept += 1
    if not kept:
        raise ValueError("no passage of the document is ticked reviewed")
    return import_xliff(tree, xliff, name="page", reviewer=reviewer, memory=memory)


def _edit(unit: etree._Element, sentence: Sentence, text: str | None) -> None:
    """Mark ``unit`` signed off, its target replaced by ``text`` when one is given."""
    unit.set("approved", "yes")
    target = unit.find(f"{_X}target")
    if target is None:
        source = unit.find(f"{_X}source")
        assert source is not None
        target = etree.Element(f"{_X}target")
        source.addnext(target)
    target.set("state", "final")
    if text is None:
        return
    tokens = sentence.tokens
    parts = inline.text_inline(text.strip(), tokens)
    got = inline.placeholders(parts)
    wanted = _wanted(unit, sentence)
    if got != wanted:
        lost = [tokens[i] for i in sorted(wanted) if got[i] != wanted[i]]
        raise TokenMissing(lost, sentence.piece.core)
    for child in list(target):
        target.remove(child)
    target.text = None
    inline.fill(target, parts, tokens)


def _wanted(unit: etree._Element, sentence: Sentence) -> Counter[int]:
    """The placeholders a target must keep, as the XLIFF import decides: the source's, or a
    human suggestion's own (a person may write a token their own way)."""
    alt = unit.find(f"{_X}alt-trans")
    if alt is not None and unpack(alt.get("extradata")).get("origin") == "human":
        suggestion = alt.find(f"{_X}target")
        if suggestion is not None:
            return inline.placeholders(inline.read_inline(suggestion))
    return inline.placeholders(inline.source_inline(sentence.protected))
