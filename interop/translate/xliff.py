"""Human review through XLIFF 1.2, the format CAT tools read.

Export: one ``<file>`` per source language, one ``<group>`` per translatable field (its id is
the field's path), one ``<trans-unit>`` per sentence (id ``PATH#N``, ``extradata`` holding
``sha256:`` of the source sentence). Protected tokens are inline ``<x/>`` placeholders. A
sentence's current translation is pre-filled as the target and repeated in ``<alt-trans>`` so
that the import can tell an accepted suggestion from an edited one:
machine output has ``state="needs-review-translation"`` (``state-qualifier="mt-suggestion"``),
a human translation ``state="translated"`` (``final`` when reviewed).

Import (decided in :mod:`interop.translate.review`): every unit must belong to the document
(id exists, source hash matches), every target must keep the placeholders of its source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from lxml import etree

from interop import __version__
from interop.translate import inline
from interop.translate.document import Piece, pieces
from interop.translate.fields import Field, fields, known_names
from interop.translate.protect import protect

if TYPE_CHECKING:
    from interop.translate.glossary import Glossary
    from interop.translate.memory import Memory
    from interop.translate.protect import Protected

XLIFF: Final = inline.XLIFF
_X: Final = f"{{{XLIFF}}}"
# Provenance of a suggestion travels in alt-trans/@extradata as key=value pairs.
_KEYS: Final = ("origin", "status", "engine", "model", "modelVersion", "translatedAt", "translator")


def source_hash(text: str) -> str:
    """The fingerprint of a source sentence that a unit carries."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of one field, as exported and as expected back."""

    field: Field
    source: str  # language of the original
    index: int  # 1-based among the field's sentences
    piece: Piece
    protected: Protected

    @property
    def unit_id(self) -> str:
        return f"{self.field.path}#{self.index}"

    @property
    def tokens(self) -> dict[int, str]:
        return inline.tokens_by_id(self.protected)


def sentences(tree: etree._ElementTree, target: str) -> list[Sentence]:
    """Every sentence to translate into ``target``, field by field."""

    names = known_names(tree)
    found: list[Sentence] = []
    for field in fields(tree):
        original = field.original()
        if original is None or original.get("lang") == target:
            continue
        source = original.get("lang", "")
        cores = [p for p in pieces(original.text or "", source) if p.core]
        for index, piece in enumerate(cores, 1):
            # No glossary here: a reviewer must see the legal terms, not placeholders.
            protected = protect(piece.core, known=names, source=source, target=target)
            found.append(Sentence(field, source, index, piece, protected))
    return found


def export_xliff(
    tree: etree._ElementTree,
    target: str,
    *,
    original: str,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
) -> bytes:
    """The XLIFF 1.2 file for reviewing the translation of ``tree`` into ``target``."""
    root = etree.Element(f"{_X}xliff", nsmap={None: XLIFF}, version="1.2")
    bodies: dict[str, etree._Element] = {}
    groups: dict[int, etree._Element] = {}
    for sentence in sentences(tree, target):
        body = bodies.get(sentence.source)
        if body is None:
            body = bodies[sentence.source] = _file(root, original, sentence.source, target)
        group = groups.get(id(sentence.field.element))
        if group is None:
            group = etree.SubElement(body, f"{_X}group", id=sentence.field.path)
            group.set("resname", sentence.field.path)
            groups[id(sentence.field.element)] = group
        _unit(group, sentence, target, _suggestion(sentence, target, memory), glossary)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _file(root: etree._Element, original: str, source: str, target: str) -> etree._Element:
    node = etree.SubElement(root, f"{_X}file", original=original, datatype="xml")
    node.set("source-language", source)
    node.set("target-language", target)
    node.set("tool-id", "interop")
    header = etree.SubElement(node, f"{_X}header")
    tool = etree.SubElement(header, f"{_X}tool")
    tool.set("tool-id", "interop")
    tool.set("tool-name", "interop")
    tool.set("tool-version", __version__)
    body: etree._Element = etree.SubElement(node, f"{_X}body")
    return body


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The current translation of a sentence and where it came from."""

    text: str
    provenance: dict[str, str]


def _suggestion(sentence: Sentence, target: str, memory: Memory | None) -> Suggestion | None:
    """The document's human translation, else the memory's best entry, else the document's
    machine translation (document versions only when their sentences align with the source's).
    """
    in_document = _aligned(sentence, target)
    if in_document is not None and in_document.provenance.get("origin") == "human":
        return in_document
    entry = memory.lookup(sentence.piece.core, sentence.source, target) if memory else None
    if entry is None:
        return in_document
    found = {
        "origin": entry.origin,
        "status": entry.status,
        "engine": entry.engine,
        "model": entry.model,
        "modelVersion": entry.model_version,
        "translatedAt": entry.created_at,
        "translator": entry.reviewed_by if entry.origin == "human" else None,
    }
    return Suggestion(entry.target_text, {k: v for k, v in found.items() if v})


def _aligned(sentence: Sentence, target: str) -> Suggestion | None:
    existing = sentence.field.version(target)
    original = sentence.field.original()
    if existing is None or not existing.text or original is None:
        return None
    cores = [p.core for p in pieces(existing.text, target) if p.core]
    source_count = sum(1 for p in pieces(original.text or "", sentence.source) if p.core)
    if len(cores) != source_count:
        return None
    attributes = {k: v for k in _KEYS if (v := existing.get(k))}
    return Suggestion(cores[sentence.index - 1], attributes)


def _unit(
    group: etree._Element,
    sentence: Sentence,
    target: str,
    suggestion: Suggestion | None,
    glossary: Glossary | None,
) -> None:
    unit = etree.SubElement(group, f"{_X}trans-unit", id=sentence.unit_id)
    unit.set("extradata", source_hash(sentence.piece.core))
    tokens = sentence.tokens
    inline.fill(
        etree.SubElement(unit, f"{_X}source"), inline.source_inline(sentence.protected), tokens
    )
    if suggestion is not None:
        parts = inline.text_inline(suggestion.text, tokens)
        node = etree.SubElement(unit, f"{_X}target", state=_state(suggestion.provenance))
        if suggestion.provenance.get("origin") == "machine":
            node.set("state-qualifier", "mt-suggestion")
        if suggestion.provenance.get("status") == "reviewed":
            unit.set("approved", "yes")
        inline.fill(node, parts, tokens)
        alt = etree.SubElement(unit, f"{_X}alt-trans")
        human = suggestion.provenance.get("origin") == "human"
        alt.set("alttranstype", "previous-version" if human else "proposal")
        alt.set("origin", suggestion.provenance.get("engine", "human" if human else "machine"))
        alt.set("extradata", _pack(suggestion.provenance))
        inline.fill(etree.SubElement(alt, f"{_X}target"), parts, tokens)
    for term, approved in _terms(sentence, target, glossary):
        note = etree.SubElement(unit, f"{_X}note", annotates="source")
        note.set("from", "glossary")
        note.text = f"{term} = {approved}"


def _state(provenance: dict[str, str]) -> str:
    reviewed = provenance.get("status") == "reviewed"
    if provenance.get("origin") == "machine":
        return "signed-off" if reviewed else "needs-review-translation"
    return "final" if reviewed else "translated"


def _terms(sentence: Sentence, target: str, glossary: Glossary | None) -> list[tuple[str, str]]:
    if glossary is None:
        return []
    text = sentence.piece.core.casefold()
    return [(s, t) for s, t in glossary.terms(sentence.source, target) if s.casefold() in text]


def _pack(provenance: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in provenance.items() if k in _KEYS)


def unpack(extradata: str | None) -> dict[str, str]:
    """The provenance a suggestion carried (see :func:`_pack`)."""
    found: dict[str, str] = {}
    for item in (extradata or "").split(";"):
        key, sep, value = item.partition("=")
        if sep and key in _KEYS:
            found[key] = value
    return found


_STRUCTURE: Final = frozenset(
    f"{_X}{n}" for n in ("xliff", "file", "header", "body", "group", "trans-unit", "alt-trans")
)


def _indent(element: etree._Element, depth: int = 0) -> None:
    """Indent the structure only: whitespace inside source and target is content."""
    if element.tag not in _STRUCTURE or not len(element):
        return
    element.text = "\n" + "  " * (depth + 1)
    for child in element:
        _indent(child, depth + 1)
        child.tail = "\n" + "  " * (depth + 1)
    element[-1].tail = "\n" + "  " * depth
