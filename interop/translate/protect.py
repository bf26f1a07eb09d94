"""Keep names, numbers and references away from the engine, and put them back verbatim.

Before a segment goes to an engine, every token that must not be translated (names known from
the document, file and case numbers, legal references, dates, amounts, e-mail addresses, URLs,
IBANs, BICs, phone numbers, IMEIs, hashes) and every glossary term is replaced by a
placeholder; after translation each placeholder is replaced by the original token, or by the
approved target term for a glossary term. A placeholder that does not come back exactly once
makes the segment fail (:class:`TokenLost`), so that it is flagged and left untranslated.

The placeholder is ``ZQ<n>Z``: plain ASCII letters and digits, so SentencePiece (Argos) keeps
it in one piece and does not turn anything into a space (it turns ``_`` into one), and
Apertium passes it through as an unknown word (marked ``*`` only without ``-u``). Measured with
apertium eng-spa, spa-eng and fr-es: copied verbatim in every position, also next to
punctuation and when the sentence is reordered. On the way back whitespace inside or around a
placeholder is tolerated (``ZQ 1 Z``); nothing else is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from interop.errors import InteropError
from interop.translate.patterns import GENERIC, PRECISE, date_patterns, identifiers

if TYPE_CHECKING:
    from interop.translate.glossary import Glossary

# What restore recognises as a placeholder (whitespace inside tolerated, any Unicode digit).
PLACEHOLDER: Final = re.compile(r"Z\s*Q\s*(\d+)\s*Z")
# Lookalikes in the source (also without the final Z) are protected themselves, so that no
# text next to a placeholder can ever combine with it into another one ("ZQ 7 " + "ZQ1Z").
_LOOKALIKE: Final = re.compile(r"Z\s*Q\s*\d+(?:\s*Z)?")


class TokenLost(InteropError):
    """A protected token did not come back from the engine exactly once.

    ``str(exc)`` is the reason, e.g. ``placeholder 3 (HRB 1234) lost``.
    """


@dataclass(frozen=True, slots=True)
class Protected:
    """A segment ready for an engine.

    Attributes:
        text: the segment with placeholders in place of the protected tokens.
        tokens: placeholder -> text to put back (the original token, or the glossary's
            approved target term), in order of appearance.
    """

    text: str
    tokens: dict[str, str]


def placeholder(number: int) -> str:
    """The placeholder for the ``number``-th protected token (from 1)."""
    return f"ZQ{number}Z"


def protect(
    text: str,
    *,
    known: Sequence[str] = (),
    glossary: Glossary | None = None,
    source: str,
    target: str,
) -> Protected:
    """Replace every token an engine must not touch by a placeholder.

    Args:
        text: one segment of free text.
        known: names from the document (parties, authorities, places), protected verbatim.
        glossary: approved terms; a source term is replaced by the approved target term.
        source: the language of ``text`` (ISO 639-1).
        target: the language it is translated into.

    Returns:
        The text for the engine and what each placeholder stands for.
    """
    spans = list(_spans(text, known, source))
    if glossary is not None:
        spans.extend(
            (match.start, match.end, match.target_term, _PRECISE_RANK)
            for match in glossary.matches(text, source, target)
        )
    chosen = _longest_first(spans)
    parts: list[str] = []
    tokens: dict[str, str] = {}
    position = 0
    for number, (start, end, value) in enumerate(chosen, start=1):
        key = placeholder(number)
        parts += [text[position:start], key]
        tokens[key] = value
        position = end
    parts.append(text[position:])
    return Protected("".join(parts), tokens)


def restore(translated: str, protected: Protected) -> str:
    """Put the protected tokens back into an engine's output.

    Raises:
        TokenLost: a placeholder is missing, repeated or unknown; the message says which.
    """
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        key = placeholder(int(match.group(1)))
        if key not in protected.tokens:
            raise TokenLost(f"placeholder {match.group(1)} appeared but was never sent")
        if key in seen:
            raise TokenLost(f"{_describe(key, protected)} repeated")
        seen.add(key)
        return protected.tokens[key]

    result = PLACEHOLDER.sub(replace, translated)
    for key in protected.tokens:
        if key not in seen:
            raise TokenLost(f"{_describe(key, protected)} lost")
    return result


def _describe(key: str, protected: Protected) -> str:
    # On one line, whatever the token holds: the reason goes into reports and attributes.
    return f"placeholder {key[2:-1]} ({' '.join(protected.tokens[key].split())})"


# A span: start, end, value to restore, rank (lower wins an overlap before length does).
_Span = tuple[int, int, str, int]
_LOOKALIKE_RANK, _PRECISE_RANK, _GENERIC_RANK = 0, 1, 2


def _spans(text: str, known: Sequence[str], source: str) -> Iterable[_Span]:
    for match in _LOOKALIKE.finditer(text):
        # First: a lookalike left in the text could merge with a placeholder.
        yield match.start(), match.end(), match.group(), _LOOKALIKE_RANK
    for patterns, rank in (
        ((*PRECISE, *date_patterns(source)), _PRECISE_RANK),
        (GENERIC, _GENERIC_RANK),
    ):
        for pattern in patterns:
            for match in pattern.finditer(text):
                has_token = "token" in pattern.groupindex and match.start("token") >= 0
                start, end = match.span("token") if has_token else match.span()
                if end > start:
                    yield start, end, text[start:end], rank
    for start, end in identifiers(text):
        yield start, end, text[start:end], _GENERIC_RANK
    names = _names_pattern(tuple(sorted({name.strip() for name in known if name.strip()})))
    if names is not None:
        for match in names.finditer(text):
            yield match.start(), match.end(), match.group(), _PRECISE_RANK


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = sorted((re.escape(name) for name in names), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _longest_first(spans: Iterable[_Span]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans in text order; of overlapping spans the best ranked, then the
    longest wins."""
    chosen: list[tuple[int, int, str]] = []
    taken = bytearray()  # 1 where a chosen span covers the text; linear, not quadratic
    for start, end, value, _ in sorted(spans, key=lambda s: (s[3], s[0] - s[1], s[0])):
        if len(taken) < end:
            taken.extend(bytes(end - len(taken)))
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, value))
    return sorted(chosen)
