"""Translate the free text of common documents, with the provenance of every translation.

The steps, in this order: find the translatable fields (schema markers), take each field's
original, split it into sentences, look each sentence up in the translation memory, protect
names, numbers and references in the others, send them to the engine in one batch per language
pair, restore the protected tokens (a lost token leaves the whole field untranslated, with the
reason), check the glossary, store the new machine sentences in the memory, and add the
translation next to the original with its provenance. The original is never changed, and a
text already in the target language is kept (``force`` replaces only unreviewed machine text).

Provenance of a field whose sentences come from different places, kept honest:
- ``origin="human"`` only when every sentence is a human translation from the memory;
  any machine sentence makes the whole field ``origin="machine"``;
- ``status="reviewed"`` only when every sentence was reviewed (and the reviewer is known);
- engine, model and version list every engine that made a sentence of the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from lxml import etree

from interop.translate.engine import EngineError, select
from interop.translate.fields import TEXT, Field, fields, known_names
from interop.translate.memory import Memory, MemoryEntry
from interop.translate.protect import Protected, TokenLost, protect, restore
from interop.translate.segment import sentences

if TYPE_CHECKING:
    from interop.translate.engine import Engine, EngineInfo
    from interop.translate.glossary import Glossary

Selector = Callable[[str, str], "Engine"]
# Provenance attributes a translation may carry; cleared when a machine text is replaced.
_PROVENANCE: Final = (
    "origin",
    "engine",
    "model",
    "modelVersion",
    "translatedAt",
    "translator",
    "status",
    "reviewedBy",
    "reviewedAt",
)


class Outcome(StrEnum):
    """What happened to one field."""

    TRANSLATED = "translated"  # a translation was added (some sentences may be from memory)
    FROM_MEMORY = "from-memory"  # a translation was added, every sentence from the memory
    KEPT = "kept"  # a text in the target language exists and was kept
    FLAGGED = "flagged"  # left untranslated; the reason says why


@dataclass(frozen=True, slots=True)
class FieldReport:
    """The result for one field."""

    path: str
    outcome: Outcome
    source: str | None = None  # language of the original
    reason: str = ""
    segments: int = 0
    from_memory: int = 0
    violations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """The result for one document."""

    target: str
    fields: tuple[FieldReport, ...]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.fields if f.outcome is outcome)

    @property
    def flagged(self) -> list[FieldReport]:
        return [f for f in self.fields if f.outcome is Outcome.FLAGGED]

    @property
    def violations(self) -> list[tuple[str, str]]:
        return [(f.path, v) for f in self.fields for v in f.violations]

    def summary(self) -> str:
        """One line: how many fields were translated, reused, kept and flagged."""
        return (
            f"{self.count(Outcome.TRANSLATED)} translated, "
            f"{self.count(Outcome.FROM_MEMORY)} from memory, {self.count(Outcome.KEPT)} kept, "
            f"{self.count(Outcome.FLAGGED)} flagged, {len(self.violations)} glossary warnings"
        )


@dataclass(frozen=True, slots=True)
class Piece:
    """One sentence of a field: the text sent for translation and the whitespace around it."""

    lead: str
    core: str
    trail: str


def pieces(text: str, language: str) -> list[Piece]:
    """The sentences of ``text``; joining lead + core + trail of all gives ``text`` back."""

    found: list[Piece] = []
    for sentence in sentences(text, language):
        core = sentence.strip()
        start = sentence.find(core) if core else len(sentence)
        found.append(Piece(sentence[:start], core, sentence[start + len(core) :]))
    return found


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """What to translate into, and how.

    Attributes:
        target: ISO 639-1 code of the language to translate into.
        engine: use this engine (``apertium``, ``argos``) instead of choosing by ``order``.
        order: engines to try for a language pair, first usable wins (None: the configured
            order, $INTEROP_ENGINES or apertium, argos).
        force: replace unreviewed machine translations already in the document.
    """

    target: str
    engine: str | None = None
    order: tuple[str, ...] | None = None
    force: bool = False


@dataclass(slots=True)
class _Sentence:
    piece: Piece
    entry: MemoryEntry | None = None  # found in the memory
    protected: Protected | None = None  # to be machine translated
    translated: str | None = None
    info: EngineInfo | None = None
    lost: str | None = None  # why restoration failed


@dataclass(slots=True)
class _Job:
    field: Field
    source: str
    sentences: list[_Sentence]


class Translator:
    """Translates documents in place; engines, memory and glossary are set up once."""

    def __init__(
        self,
        options: TranslateOptions,
        memory: Memory,
        *,
        glossary: Glossary | None = None,
        select: Selector | None = None,
    ) -> None:
        self.options = options
        self.memory = memory
        self.glossary = glossary
        self._select = select or self._default_select

    def _default_select(self, source: str, target: str) -> Engine:
        return select(source, target, engine=self.options.engine, order=self.options.order)

    def translate(self, tree: etree._ElementTree) -> Report:
        """Translate the free text of one document (changed in place)."""
        return self.translate_many([tree])[0]

    def translate_many(self, trees: Sequence[etree._ElementTree]) -> list[Report]:
        """Translate several documents with one engine call per language pair.

        Raises:
            EngineError: no engine for a language pair needed (nothing is changed then).
        """
        plans = [self._plan(tree) for tree in trees]
        self._machine_translate([item for plan in plans for item in plan if isinstance(item, _Job)])
        now = _now()
        return [
            Report(
                self.options.target,
                tuple(
                    item if isinstance(item, FieldReport) else self._finish(item, now)
                    for item in plan
                ),
            )
            for plan in plans
        ]

    def _plan(self, tree: etree._ElementTree) -> list[FieldReport | _Job]:
        """Per field, in document order: settled without translating, or the job to do."""
        target = self.options.target
        names = known_names(tree)
        plan: list[FieldReport | _Job] = []
        for found in fields(tree):
            original = found.original()
            if original is None:
                reason = "no single original text to translate"
                plan.append(FieldReport(found.path, Outcome.FLAGGED, reason=reason))
                continue
            source = original.get("lang", "")
            kept = self._kept_because(found, source)
            if kept:
                plan.append(FieldReport(found.path, Outcome.KEPT, source, kept))
                continue
            job = _Job(found, source, [])
            for piece in pieces(original.text or "", source):
                sentence = _Sentence(piece)
                if piece.core:
                    sentence.entry = self.memory.lookup(piece.core, source, target)
                    if sentence.entry is None:
                        sentence.protected = protect(
                            piece.core,
                            known=names,
                            glossary=self.glossary,
                            source=source,
                            target=target,
                        )
                job.sentences.append(sentence)
            plan.append(job)
        return plan

    def _kept_because(self, found: Field, source: str) -> str:
        target = self.options.target
        if source == target:
            return f"the original is in {target}"
        existing = found.version(target)
        if existing is None:
            return ""
        origin, status = existing.get("origin"), existing.get("status")
        if origin == "human":
            return "a human translation exists"
        if status == "reviewed":
            return "a reviewed machine translation exists"
        return "" if self.options.force else "a machine translation exists (force replaces it)"

    def _machine_translate(self, jobs: list[_Job]) -> None:
        by_pair: dict[tuple[str, str], list[_Sentence]] = {}
        for job in jobs:
            for sentence in job.sentences:
                if sentence.protected is not None:
                    by_pair.setdefault((job.source, self.options.target), []).append(sentence)
        # Choose every engine before translating anything, so that a missing pair changes
        # nothing.
        engines = {pair: self._select(*pair) for pair in by_pair}
        for (source, target), pending in by_pair.items():
            engine = engines[(source, target)]
            info = engine.info(source, target)
            # A sentence repeated (boilerplate, across documents) goes to the engine once; its
            # own tokens are restored into each occurrence.
            texts = list(dict.fromkeys(s.protected.text for s in pending if s.protected))
            translated = engine.translate(texts, source, target)
            if len(translated) != len(texts):
                raise EngineError(
                    f"{engine.name} returned {len(translated)} translations for {len(texts)} "
                    "sentences; report this as a bug"
                )
            by_text = dict(zip(texts, translated, strict=True))
            outputs = [by_text[s.protected.text] for s in pending if s.protected]
            for sentence, output in zip(pending, outputs, strict=True):
                assert sentence.protected is not None
                sentence.info = info
                try:
                    sentence.translated = restore(output, sentence.protected)
                except TokenLost as exc:
                    sentence.lost = str(exc)

    def _finish(self, job: _Job, now: str) -> FieldReport:
        target = self.options.target
        path = job.field.path
        lost = [(i, s.lost) for i, s in enumerate(job.sentences, 1) if s.lost]
        self._remember(job, now)
        reused = sum(1 for s in job.sentences if s.entry is not None)
        counted = sum(1 for s in job.sentences if s.piece.core)
        if lost:
            reasons = "; ".join(f"sentence {i}: {why}" for i, why in lost)
            return FieldReport(
                path, Outcome.FLAGGED, job.source, f"left untranslated ({reasons})", counted, reused
            )
        translated = "".join(
            s.piece.lead + (_target_text(s) if s.piece.core else "") + s.piece.trail
            for s in job.sentences
        )
        source_text = "".join(s.piece.lead + s.piece.core + s.piece.trail for s in job.sentences)
        violations: tuple[str, ...] = ()
        if self.glossary is not None:
            violations = tuple(
                self.glossary.violations(source_text, translated, job.source, target)
            )
        sources = [x for s in job.sentences if (x := s.entry or s.info) is not None]
        attributes = provenance(sources, now)
        place_translation(job.field, target, translated, attributes)
        outcome = Outcome.FROM_MEMORY if reused == counted else Outcome.TRANSLATED
        return FieldReport(path, outcome, job.source, "", counted, reused, violations)

    def _remember(self, job: _Job, now: str) -> None:

        for sentence in job.sentences:
            if sentence.translated is None or sentence.info is None:
                continue
            self.memory.store(
                MemoryEntry(
                    source_text=sentence.piece.core,
                    target_text=sentence.translated,
                    source=job.source,
                    target=self.options.target,
                    origin="machine",
                    status="unreviewed",
                    engine=sentence.info.engine,
                    model=sentence.info.model,
                    model_version=sentence.info.model_version,
                    reviewed_by=None,
                    created_at=now,
                )
            )


def _target_text(sentence: _Sentence) -> str:
    if sentence.entry is not None:
        return sentence.entry.target_text
    assert sentence.translated is not None
    return sentence.translated


def provenance(sources: Sequence[EngineInfo | MemoryEntry], now: str) -> dict[str, str]:
    """The attributes of a translation assembled from sentences of these origins.

    A sentence's source is a memory entry, or the engine that just translated it.
    """

    entries = [s for s in sources if isinstance(s, MemoryEntry)]
    fresh = [s for s in sources if not isinstance(s, MemoryEntry)]
    human = not fresh and bool(entries) and all(e.origin == "human" for e in entries)
    reviewed = (
        not fresh
        and bool(entries)
        and all(e.status == "reviewed" and e.reviewed_by for e in entries)
    )
    attributes = {"origin": "human" if human else "machine"}
    if not human:
        machine = [s for s in sources if not isinstance(s, MemoryEntry) or s.origin != "human"]
        attributes["engine"] = join_distinct(m.engine for m in machine) or "unknown"
        attributes["model"] = join_distinct(m.model for m in machine) or "unknown"
        version = join_distinct(m.model_version for m in machine)
        if version:
            attributes["modelVersion"] = version
    attributes["translatedAt"] = now if fresh or not entries else max(e.created_at for e in entries)
    if human:
        translators = join_distinct((e.reviewed_by for e in entries), "; ")
        # The memory may not know who translated a sentence; say so instead of inventing one.
        attributes["translator"] = translators or "not recorded (translation memory)"
    attributes["status"] = "reviewed" if reviewed else "unreviewed"
    if reviewed:
        attributes["reviewedBy"] = join_distinct((e.reviewed_by for e in entries), "; ")
        attributes["reviewedAt"] = max(e.created_at for e in entries)
    return attributes


def join_distinct(values: Iterable[str | None], separator: str = " + ") -> str:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return separator.join(seen)


def place_translation(
    found: Field, language: str, text: str, attributes: dict[str, str]
) -> etree._Element:
    """Put ``text`` in ``language`` into the field: replaces that language's version, or is
    added after the last version (keeping the indentation)."""
    existing = found.version(language)
    if existing is not None:
        for name in _PROVENANCE:
            existing.attrib.pop(name, None)
        node = existing
    else:
        versions = [t for t in found.element if t.tag == TEXT]
        last = versions[-1]
        node = etree.Element(TEXT)
        before = last.getprevious()
        indent = before.tail if before is not None else found.element.text
        node.tail, last.tail = last.tail, indent
        last.addnext(node)
    node.set("lang", language)
    for name in _PROVENANCE:
        if name in attributes:
            node.set(name, attributes[name])
    node.text = text
    return node


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
