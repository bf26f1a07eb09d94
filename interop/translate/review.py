"""Bring a reviewed XLIFF 1.2 file back into its document, keeping the translation trail.

Checked first, before anything changes: the file is XLIFF 1.2 with one target language, every
unit's id names a sentence of the document and its ``sha256:`` matches that sentence (else the
XLIFF was made from another version: exit 2), every target keeps exactly the placeholders of
its source, or for an existing human translation the ones it was exported with (else the review
is rejected: exit 1).

A unit counts as reviewed when it is approved (``approved="yes"``), signed off or final, or
``translated`` after a machine suggestion or with an edit. A field is written only when all its
sentences are reviewed, and then (Directive 2010/64/EU wants the trail, so nothing is dropped):
- machine suggestions accepted unchanged: ``origin="machine"``, engine and model kept,
  ``status="reviewed"``, ``reviewedBy``/``reviewedAt``;
- any sentence edited, or written from scratch: ``origin="human"``, ``translator`` names
  everyone who worked on the text (an earlier translator, then the reviewer), reviewed; when
  it was post-edited from machine output, the engine and model stay on the text;
- the document's own translation confirmed unchanged: the same text and provenance, now
  reviewed; one that was already reviewed stays as it was, reviewer included.
Every reviewed sentence goes into the memory as reviewed: ``human`` when a person wrote or
edited it, ``machine`` when a person approved the machine's words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from lxml import etree

from interop.errors import InteropError, UnreadableInput
from interop.translate import inline
from interop.translate.document import join_distinct, pieces, place_translation
from interop.translate.fields import Field
from interop.translate.memory import MemoryEntry
from interop.translate.xliff import XLIFF, Sentence, sentences, source_hash, unpack

if TYPE_CHECKING:
    from interop.translate.memory import Memory

_X: Final = f"{{{XLIFF}}}"
_SIGNED: Final = frozenset({"signed-off", "final"})


class XliffMismatch(InteropError):
    """The XLIFF file was not made from this version of the document (exit status 2)."""

    exit_code = 2


class ReviewRejected(InteropError):
    """A reviewed target breaks a check, e.g. a protected token was lost (exit status 1)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class FieldResult:
    path: str
    outcome: str  # "reviewed" | "human" | "unchanged" | "incomplete"
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What the import did."""

    target: str
    fields: tuple[FieldResult, ...]
    stored: int  # sentences stored in the memory

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for result in self.fields:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
        parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        return f"{parts or 'no fields'}; {self.stored} sentences stored in the memory"


@dataclass(slots=True)
class _Unit:
    sentence: Sentence
    text: str | None  # resolved target, None when empty
    reviewed: bool
    edited: bool
    prior: dict[str, str] = field(default_factory=dict)  # the suggestion's provenance


def import_xliff(
    tree: etree._ElementTree,
    xliff: etree._ElementTree,
    *,
    name: str,
    reviewer: str,
    memory: Memory | None = None,
) -> ImportReport:
    """Write the reviewed translations of ``xliff`` into ``tree`` (changed in place).

    Raises:
        UnreadableInput: not an XLIFF 1.2 file (exit 2).
        XliffMismatch: units that do not belong to this document (exit 2).
        ReviewRejected: a target whose placeholders differ from its source (exit 1).
    """
    target = _target_language(xliff, name)
    expected = {s.unit_id: s for s in sentences(tree, target)}
    units = _read_units(xliff, expected, name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    by_field: dict[int, list[_Unit]] = {}
    for unit in units:
        by_field.setdefault(id(unit.sentence.field.element), []).append(unit)
    results = []
    for field_units in by_field.values():
        results.append(_apply(field_units, expected, target, reviewer, now))
    stored = _remember(units, target, reviewer, now, memory) if memory is not None else 0
    return ImportReport(target, tuple(results), stored)


def _target_language(xliff: etree._ElementTree, name: str) -> str:
    root = xliff.getroot()
    if root.tag != f"{_X}xliff" or root.get("version") != "1.2":
        found = etree.QName(root).localname
        raise UnreadableInput(name, f"not an XLIFF 1.2 file (root element {found})")
    languages = {f.get("target-language") for f in root.iter(f"{_X}file")}
    if len(languages) != 1 or None in languages:
        raise UnreadableInput(name, "every <file> needs the same target-language; export again")
    return str(languages.pop())


def _read_units(xliff: etree._ElementTree, expected: dict[str, Sentence], name: str) -> list[_Unit]:
    mismatches: list[str] = []
    rejected: list[str] = []
    units: list[_Unit] = []
    for node in xliff.getroot().iter(f"{_X}trans-unit"):
        unit_id = node.get("id", "")
        sentence = expected.get(unit_id)
        if sentence is None:
            mismatches.append(f"unit {unit_id!r} names no sentence of the document")
        elif node.get("extradata") != source_hash(sentence.piece.core):
            mismatches.append(f"unit {unit_id!r}: its source sentence differs from the document's")
        else:
            try:
                units.append(_unit(node, sentence))
            except (inline.InlineError, ValueError) as exc:
                rejected.append(f"unit {unit_id!r}: {exc}")
    if mismatches:
        raise XliffMismatch(
            f"{name}: {_first(mismatches)}; this file was exported from another version of the "
            "document: export again"
        )
    if rejected:
        raise ReviewRejected(f"{name}: {_first(rejected)}")
    return units


def _first(problems: list[str]) -> str:
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more)" if more else "")


def _unit(node: etree._Element, sentence: Sentence) -> _Unit:
    target = node.find(f"{_X}target")
    alt = node.find(f"{_X}alt-trans")
    prior = unpack(alt.get("extradata")) if alt is not None else {}
    if target is None or (not "".join(target.itertext()).strip() and not len(target)):
        return _Unit(sentence, None, False, False, prior)
    tokens = sentence.tokens
    parts = inline.read_inline(target)
    suggestion = alt.find(f"{_X}target") if alt is not None else None
    given = inline.read_inline(suggestion) if suggestion is not None else None
    want = inline.placeholders(inline.source_inline(sentence.protected))
    if given is not None and prior.get("origin") == "human":
        # A human translation may write a token its own way ("10 000 EUR" for "10.000 EUR"):
        # it must keep the placeholders it was given, not all of the source's.
        want = inline.placeholders(given)
    got = inline.placeholders(parts)
    if got != want:
        raise ValueError(
            f"the target's placeholders {_ids(got)} differ from the source's {_ids(want)}; "
            "keep every protected token (names, numbers, references) exactly once"
        )
    text = inline.resolve(parts, tokens).strip()
    suggested = inline.resolve(given, tokens).strip() if given is not None else None
    edited = text != suggested
    state = target.get("state", "")
    signed = node.get("approved") == "yes" or state in _SIGNED
    confirmed = state == "translated" and (edited or prior.get("origin") != "human")
    return _Unit(sentence, text, signed or confirmed, edited, prior)


def _ids(counts: Counter[int]) -> str:
    return "{" + ", ".join(str(i) for i in sorted(counts.elements())) + "}"


def _apply(
    units: list[_Unit], expected: dict[str, Sentence], target: str, reviewer: str, now: str
) -> FieldResult:
    found: Field = units[0].sentence.field
    wanted = sum(1 for s in expected.values() if s.field.element is found.element)
    ready = [u for u in units if u.reviewed and u.text is not None]
    if len(ready) != wanted or len(units) != wanted:
        return FieldResult(
            found.path, "incomplete", f"{len(ready)} of {wanted} sentences reviewed; left as it was"
        )
    text = _reassemble(found, units)
    existing = found.version(target)
    unedited = not any(u.edited for u in units)
    if unedited and existing is not None and (existing.text or "") == text:
        if existing.get("status") == "reviewed":
            return FieldResult(found.path, "unchanged", "already reviewed")
        # The document's own text, confirmed: its provenance stays, the review is added.
        attributes = {str(k): str(v) for k, v in existing.attrib.items()}
        attributes.update(status="reviewed", reviewedBy=reviewer, reviewedAt=now)
        outcome = "reviewed"
    elif unedited and {u.prior.get("origin") for u in units} == {"machine"}:
        attributes = {
            "origin": "machine",
            "engine": join_distinct(u.prior.get("engine") for u in units) or "unknown",
            "model": join_distinct(u.prior.get("model") for u in units) or "unknown",
            "modelVersion": join_distinct(u.prior.get("modelVersion") for u in units),
            "translatedAt": max(u.prior.get("translatedAt", now) for u in units),
            "status": "reviewed",
            "reviewedBy": reviewer,
            "reviewedAt": now,
        }
        outcome = "reviewed"
    else:
        attributes = _human(units, existing, reviewer, now)
        outcome = "human"
    place_translation(found, target, text, {k: v for k, v in attributes.items() if v})
    return FieldResult(found.path, outcome)


def _human(
    units: list[_Unit], existing: etree._Element | None, reviewer: str, now: str
) -> dict[str, str]:
    translators = [u.prior.get("translator") for u in units]
    if existing is not None and existing.get("origin") == "human":
        translators.insert(0, existing.get("translator"))
    machine = [u.prior for u in units if u.prior.get("origin") == "machine"]
    attributes = {
        "origin": "human",
        "translator": join_distinct([*translators, reviewer], "; "),
        "status": "reviewed",
        "reviewedBy": reviewer,
        "reviewedAt": now,
    }
    if machine:  # post-edited machine output: the engine stays on record
        attributes["engine"] = join_distinct(m.get("engine") for m in machine)
        attributes["model"] = join_distinct(m.get("model") for m in machine)
        attributes["modelVersion"] = join_distinct(m.get("modelVersion") for m in machine)
        attributes["translatedAt"] = max(m.get("translatedAt", now) for m in machine)
    return attributes


def _reassemble(found: Field, units: list[_Unit]) -> str:
    original = found.original()
    assert original is not None
    texts = iter(u.text for u in sorted(units, key=lambda u: u.sentence.index))
    source = original.get("lang", "")
    return "".join(
        p.lead + ((next(texts) or "") if p.core else "") + p.trail
        for p in pieces(original.text or "", source)
    )


def _remember(units: list[_Unit], target: str, reviewer: str, now: str, memory: Memory) -> int:

    stored = 0
    for unit in units:
        if not unit.reviewed or unit.text is None:
            continue
        machine = not unit.edited and unit.prior.get("origin") == "machine"
        memory.store(
            MemoryEntry(
                source_text=unit.sentence.piece.core,
                target_text=unit.text,
                source=unit.sentence.source,
                target=target,
                origin="machine" if machine else "human",
                status="reviewed",
                engine=unit.prior.get("engine") if machine else None,
                model=unit.prior.get("model") if machine else None,
                model_version=unit.prior.get("modelVersion") if machine else None,
                reviewed_by=reviewer,
                created_at=now,
            )
        )
        stored += 1
    return stored
