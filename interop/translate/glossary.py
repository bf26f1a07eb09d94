"""Approved translations of legal terms (TBX or CSV), and checks that a translation uses them.

A glossary is enforced in two places: :mod:`interop.translate.protect` replaces a source term
by a placeholder whose restored value is the approved target term (so an engine cannot choose
another word), and :meth:`Glossary.violations` finds translations (a reviewer's, the memory's)
that lack an approved term.

Formats read:
- TBX: TBX-Basic / TBX v2 (``martif``/``termEntry``/``langSet``/``tig``/``term``) and TBX 2019
  (``tbx``/``conceptEntry``/``langSec``/``termSec``/``term``), with or without namespaces. In
  every language the first preferred (else first not deprecated) term is the approved one;
  every term of the source language is matched.
- CSV with the header ``source_lang,source,target_lang,target``: one directed pair per row.

The shipped core glossary (``data/core-glossary.tbx``) is generated from the gettext catalogs by
``scripts/gen_core_glossary.py``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Final

from lxml import etree

from interop.errors import UnreadableInput
from interop.xmlio import DEFAULT_LIMITS, parse_bytes, parse_file, read_capped

_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY: Final = frozenset({"termEntry", "conceptEntry"})
_LANG: Final = frozenset({"langSet", "langSec"})
_TERM_GROUP: Final = frozenset({"tig", "ntig", "termSec"})
_CSV_COLUMNS: Final = ("source_lang", "source", "target_lang", "target")
_QUOTES: Final = " \t\n\"'(„“«»‚‘"  # noqa: RUF001 - opening quotes of many languages
_SHORT_TYPES: Final = frozenset(
    {"shortForm", "abbreviation", "acronym", "initialism", "clippedTerm", "shortcut"}
)
_NOT_APPROVED: Final = ("deprecated", "superseded")
CORE_RESOURCE: Final = "core-glossary.tbx"

# The terms of one language pair (longest first), their pattern, case-folded term -> approved.
_Compiled = tuple[list[tuple[str, str]], re.Pattern[str], dict[str, str]]
# Language -> terms, the approved term first; None first: the language has only deprecated terms.
Concept = Mapping[str, tuple[str | None, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a glossary term in a source text."""

    start: int
    end: int
    source_term: str
    target_term: str  # the approved term, capitalised like the occurrence


class Glossary:
    """Approved translations of terms for pairs of languages (ISO 639-1 codes)."""

    __slots__ = ("_cache", "_concepts", "_pairs", "_phrases_only")

    def __init__(
        self,
        concepts: Sequence[Concept] = (),
        pairs: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
        *,
        phrases_only: bool = False,
    ) -> None:
        """Build from concepts (all languages of one meaning) and directed pairs.

        Args:
            concepts: language -> (approved term or None, every term), one per meaning.
            pairs: (source language, target language) -> {source term: approved target term}.
                Pairs win over concepts when both define a source term.
            phrases_only: enforce only the concepts' source terms of several words (pairs
                are always enforced).
        """
        self._phrases_only = phrases_only
        self._concepts: tuple[Concept, ...] = tuple(concepts)
        self._pairs: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
        for (source, target), table in (pairs or {}).items():
            layer = self._pairs.setdefault((_lang(source), _lang(target)), {})
            for term, approved in table.items():
                layer[_key(term)] = (" ".join(term.split()), " ".join(approved.split()))
        self._cache: dict[tuple[str, str], _Compiled] = {}

    @classmethod
    def load(cls, path: Path) -> Glossary:
        """Read a ``.tbx`` (or ``.xml``) or ``.csv`` glossary.

        Raises:
            UnreadableInput: unreadable, malformed, hostile, or not a glossary.
        """
        if path.suffix.lower() == ".csv":
            return _read_csv(path)
        if path.suffix.lower() in {".tbx", ".xml"}:
            # Terminology tools write an external TBX DOCTYPE: accepted, never loaded.
            return _read_tbx(parse_file(path, external_doctype=True), str(path))
        raise UnreadableInput(str(path), "not a glossary; give a .tbx or .csv file")

    @classmethod
    def core(cls) -> Glossary:
        """The shipped core glossary: instruments, measures, roles and offence categories."""
        return _core()

    def merged(self, other: Glossary) -> Glossary:
        """This glossary with ``other`` on top: ``other`` wins where both define a term."""
        result = Glossary(self._concepts, phrases_only=self._phrases_only)
        result._pairs = {key: dict(value) for key, value in self._pairs.items()}
        # Concepts of `other` must win over our pairs too, so they become pairs of the result.
        languages = {lang for concept in other._concepts for lang in concept}
        for source in languages:
            for target in languages - {source}:
                layer = _concept_pairs(other._concepts, source, target)
                if layer:
                    result._pairs.setdefault((source, target), {}).update(layer)
        for key, value in other._pairs.items():
            result._pairs.setdefault(key, {}).update(value)
        return result

    def languages(self) -> frozenset[str]:
        """Every language the glossary has terms for."""
        found = {lang for concept in self._concepts for lang in concept}
        found.update(lang for pair in self._pairs for lang in pair)
        return frozenset(found)

    def terms(self, source: str, target: str) -> list[tuple[str, str]]:
        """(source term, approved target term) for a pair of languages, longest first."""
        return list(self._compiled(source, target)[0])

    def matches(self, text: str, source: str, target: str) -> list[Match]:
        """Occurrences of source terms in ``text``, longest term first where they overlap.

        Matching ignores case and treats any run of whitespace as one space; a term matches
        whole words only. The approved term takes the capital of an occurrence that starts a
        sentence ("Arson ..." -> "Podpalenie ...").
        """
        table, pattern, lookup = self._compiled(source, target)
        if not table:
            return []
        found = []
        for match in pattern.finditer(text):
            occurrence = match.group()
            approved = lookup[_key(occurrence)]
            target_term = _capitalised(approved, occurrence, text[: match.start()])
            found.append(Match(match.start(), match.end(), occurrence, target_term))
        return found

    def violations(self, source_text: str, translated: str, source: str, target: str) -> list[str]:
        """Approved terms a translation lacks, one message per term.

        A term used n times in the source must appear at least n times in the translation
        (case and whitespace ignored).
        """
        needed: Counter[str] = Counter()
        first_source: dict[str, str] = {}
        for match in self.matches(source_text, source, target):
            approved = _key(match.target_term)
            needed[approved] += 1
            first_source.setdefault(approved, match.source_term)
        messages = []
        for approved, count in needed.items():
            if _count(approved, translated) < count:
                term = next(t for _, t in self.terms(source, target) if _key(t) == approved)
                messages.append(
                    f'glossary: "{first_source[approved]}" must be translated as "{term}"'
                )
        return messages

    def _compiled(self, source: str, target: str) -> _Compiled:
        key = (_lang(source), _lang(target))
        cached = self._cache.get(key)
        if cached is None:
            table = _concept_pairs(self._concepts, *key)
            if self._phrases_only:
                table = {k: v for k, v in table.items() if len(v[0].split()) > 1}
            table.update(self._pairs.get(key, {}))
            terms = sorted(table.values(), key=lambda item: (-len(item[0]), item[0]))
            lookup = {_key(term): approved for term, approved in terms}
            cached = (terms, _pattern(term for term, _ in terms), lookup)
            self._cache[key] = cached
        return cached


def _lang(code: str) -> str:
    """The primary language subtag, lower case ("de-DE" -> "de")."""
    return code.replace("_", "-").split("-")[0].lower()


def _key(term: str) -> str:
    return " ".join(term.split()).casefold()


def _capitalised(approved: str, occurrence: str, before: str) -> str:
    # Only at the start of a sentence: German capitalises every noun ("einen Verteidiger").
    starts = not before.rstrip(_QUOTES) or before.rstrip(_QUOTES)[-1] in ".!?:"
    if starts and occurrence[:1].isupper() and approved[:1].islower():
        return approved[0].upper() + approved[1:]
    return approved


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so that the alternation prefers "accused person" over "person".
    words = [r"\s+".join(re.escape(word) for word in term.split()) for term in terms]
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def _count(term_key: str, text: str) -> int:
    return len(_pattern([term_key]).findall(text))


def _concept_pairs(
    concepts: Sequence[Concept], source: str, target: str
) -> dict[str, tuple[str, str]]:
    """Case-folded source term -> (source term, approved target term).

    A source term that two concepts translate differently is left out: enforcing either
    approved term could be wrong, so the engine (and the reviewer) decide.
    """
    table: dict[str, tuple[str, str]] = {}
    ambiguous: set[str] = set()
    for concept in concepts:
        if source not in concept or target not in concept:
            continue
        approved = concept[target][0]
        if approved is None:
            continue
        for term in concept[source][1]:
            key = _key(term)
            if key in table and table[key][1] != approved:
                ambiguous.add(key)
            table[key] = (term, approved)
    for key in ambiguous:
        del table[key]
    return table


# ----------------------------------------------------------------------------------------------
# Readers
# ----------------------------------------------------------------------------------------------
def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _read_tbx(tree: etree._ElementTree, name: str) -> Glossary:
    root = tree.getroot()
    if _local(root) not in {"martif", "tbx"}:
        raise UnreadableInput(
            name, f"not a TBX glossary (root element <{_local(root)}>, expected <martif> or <tbx>)"
        )
    concepts: list[Concept] = []
    for entry in root.iter():
        if _local(entry) in _ENTRY:
            concepts.extend(concept for concept in _concepts(entry, name) if concept)
    return Glossary(concepts)


def _concepts(entry: etree._Element, name: str) -> tuple[Concept, Concept]:
    """The full forms of an entry, and its short forms as a concept of their own.

    A short form (termType shortForm, abbreviation, acronym...) translates to the target
    language's short form, not to its full form: "search and seizure" is approved as
    "Durchsuchung und Beschlagnahme" even where the full term carries a "(coercive)".
    """
    full: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    short: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for lang_set in entry:
        if _local(lang_set) not in _LANG:
            continue
        lang = lang_set.get(_XML_LANG)
        if not lang:
            raise UnreadableInput(
                name,
                f"<{_local(lang_set)}> without xml:lang; add the language",
                lang_set.sourceline,
            )
        found = [item for group in lang_set if (item := _term(group)) is not None]
        for target, is_short in ((full, False), (short, True)):
            ranked = [(term, rank) for term, rank, kind in found if kind == is_short]
            if ranked:
                target[_lang(lang)] = _ranked(ranked)
    return full, short


def _ranked(ranked: list[tuple[str, int]]) -> tuple[str | None, tuple[str, ...]]:
    # Preferred terms first, then admitted ones; deprecated ones are only ever matched.
    ranked.sort(key=lambda item: item[1])
    approved = ranked[0][0] if ranked[0][1] < 2 else None
    return approved, tuple(dict.fromkeys(term for term, _ in ranked))


def _term(group: etree._Element) -> tuple[str, int, bool] | None:
    """A term, its rank (0 preferred, 1 admitted or unmarked, 2 deprecated), and whether it
    is a short form."""
    if _local(group) not in _TERM_GROUP:
        return None
    text = None
    rank = 1
    short = False
    for node in group.iter():
        local = _local(node)
        kind = node.get("type") if local == "termNote" else local
        value = (node.text or "").strip()
        if local == "term" and text is None:
            text = " ".join("".join(node.itertext()).split())
        elif kind == "administrativeStatus":
            if value.startswith("preferred"):
                rank = 0
            elif value.startswith(_NOT_APPROVED):
                rank = 2
        elif kind == "termType":
            short = value in _SHORT_TYPES
    return (text, rank, short) if text else None


def _read_csv(path: Path) -> Glossary:
    name = str(path)
    data = read_capped(path, DEFAULT_LIMITS.max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(name, f"not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [column for column in _CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise UnreadableInput(
            name,
            f"missing column(s) {', '.join(missing)}; the header must be " + ",".join(_CSV_COLUMNS),
            1,
        )
    pairs: dict[tuple[str, str], dict[str, str]] = {}
    try:
        for row in reader:
            values = [(row.get(column) or "").strip() for column in _CSV_COLUMNS]
            if not any(values):
                continue
            if not all(values):
                raise UnreadableInput(
                    name,
                    "every row needs source_lang, source, target_lang and target",
                    reader.line_num,
                )
            source_lang, source, target_lang, target = values
            pairs.setdefault((source_lang, target_lang), {})[source] = target
    except csv.Error as exc:
        raise UnreadableInput(name, f"not valid CSV: {exc}", reader.line_num) from None
    return Glossary((), pairs)


@lru_cache(maxsize=1)
def _core() -> Glossary:
    resource = files("interop.translate") / "data" / CORE_RESOURCE
    shipped = _read_tbx(parse_bytes(resource.read_bytes(), CORE_RESOURCE), CORE_RESOURCE)
    # The core glossary comes from the notice catalogs, where a code's name may be one common
    # word ("Betrug", "tiers", "Opfer"). Forcing such a word on free text would mistranslate
    # its every other use, so the core enforces phrases only ("trafficking in human beings",
    # "Europäische Ermittlungsanordnung"); a user's own glossary is enforced whole.
    return Glossary(shipped._concepts, phrases_only=True)
