"""Offline sentence segmentation for legal free text.

Engines translate sentence by sentence, and the translation memory stores sentences, so free
text is cut into sentences first. Argos's own splitters download models on first use, so we
never call them; this module is rule-based and needs nothing but the text.

The law: ``"".join(sentences(text, language)) == text``. Whitespace after a sentence stays
with it, so a caller can strip, translate and put the whitespace back.

What we do not split at, because legal text is full of it: abbreviations (``Art.``, ``Abs.``,
``z.B.``, ``k.p.k.``), initials (``K. Nowak``), list numbers (``1.``), ordinal days in languages
that write ``24. März``, dates and decimals (no space after the dot), ellipses and full stops
followed by a lower-case word, and full stops inside brackets (``[...]``). Cutting too little
costs a longer segment; cutting at an abbreviation mangles the translation, so every doubt
goes to "no split".
"""

from __future__ import annotations

import re
from typing import Final

# Abbreviations common in legal text across the languages we ship, compared case-insensitively
# without their final dot. One set for all languages: a German text quotes "art. 177 k.p.k.".
_ABBREVIATIONS: Final = frozenset(
    """
    abs absatz abschn al alin anh anl anm art artt aufl az bd bde bearb bes beschl best bl bsp
    buchst bzgl bzw ca cf chap cit co corp dh dr dres ds dt ebd eg einschl entspr etc evtl
    f ff fig gem ges gg ggf gz hd hg hl hr hrsg ie inc inkl insb iv ivm jh jr kap lfd lit
    ltd mio mr mrd mrs ms mw mwn nr no nos nº n° o oa op par para paras pkt pp pr prof rdnr
    rn rs s sa sen sg sog sr sra srta st str sz tab tel tj tzn ua ul ust usw uu vgl vol vs
    z zb zf ziff zit zzgl
    ap apdo avda cap cod cód dña dott doc ecc es ex fasc gen lett mme mlle mm nn núm pág pag
    pagg pt reg rif sig sigg ss sygn poz np nb ndr resp vz zák čl odst písm sb tzv t.j
    kpk kk kc kpc kpw
    """.split()
)
# After these a capital letter does begin a new sentence ("..., pears etc. The next ...").
_MAY_END: Final = frozenset({"etc", "usw", "usf", "ecc", "itd", "itp", "enz", "osv", "mfl"})
# Languages that write ordinals with a dot ("24. März", "3. Strafsenat"): there a short number
# followed by a dot does not end a sentence.
_ORDINAL_DOT: Final = frozenset(
    "de cs sk sl hr sr bs pl hu fi et lv lt da nb nn no is fo tr".split()
)
# Full stops that need no space after them (CJK); the others need whitespace or the end.
_CJK_STOPS: Final = "。！？｡"  # noqa: RUF001 - CJK full stops, on purpose
_STOPS: Final = ".!?…؟۔" + _CJK_STOPS  # noqa: RUF001 - the Arabic and Urdu ones
_CLOSERS: Final = "\"'”’»›)]}」』）〕】"  # noqa: RUF001 - quotes of many languages
_OPENERS: Final = "([{„“‚«‹¿¡"  # noqa: RUF001

# A candidate boundary: a run of full stops, closing quotes or brackets, then the whitespace
# that follows (kept with the sentence). Newlines always end a segment: engines like Argos
# fold a newline inside a segment into a space, which would lose the layout.
_CANDIDATE: Final = re.compile(
    rf"[{re.escape(_STOPS)}]+[{re.escape(_CLOSERS)}]*(?:[^\S\n]*\n\s*|[^\S\n]+|$)"
    rf"|[{re.escape(_CJK_STOPS)}][{re.escape(_CLOSERS)}]*\s*"
    r"|[^\S\n]*\n\s*"
)
_BRACKETS: Final = frozenset(_OPENERS + _CLOSERS)
_SHORT_NUMBER: Final = re.compile(r"\d{1,3}")
_WINDOW: Final = 80  # characters before a full stop that decide whether it ends a sentence
_LAST_PART: Final = re.compile(r"[-./]")
_DAY_MONTH: Final = re.compile(r"\d{1,2}\.\d{1,2}")
_DOTTED: Final = re.compile(r"(?:\w{1,3}\.)+\w{1,3}")


def sentences(text: str, language: str) -> list[str]:
    """Cut ``text`` into sentences; joining the result gives ``text`` back.

    Args:
        text: free text in one language.
        language: its ISO 639-1 code (ordinal dots, scripts without spaces).

    Returns:
        The sentences in order, each with the whitespace that follows it. Empty text gives an
        empty list.
    """
    cuts: list[int] = []
    language = language.lower().split("-")[0]
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if 0 < end < len(text) and _is_boundary(text, match, language):
            cuts.append(end)
    pieces = []
    start = 0
    for cut in cuts:
        if cut > start:
            pieces.append(text[start:cut])
            start = cut
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _is_boundary(text: str, match: re.Match[str], language: str) -> bool:
    found = match.group()
    if "\n" in found:
        return True
    stripped = found.rstrip()
    if not stripped:
        return False
    if stripped[0] in _CJK_STOPS:
        return True
    # Windows, not the whole rest of the text: slicing it per candidate would be quadratic.
    following = text[match.end() : match.end() + 1]
    if following.islower():
        return False  # "e.g. the", "Art. 5 ... and", "... oder"
    before = text[max(0, match.start() - _WINDOW) : match.start()]
    if stripped[0] == "." or stripped[0] == "…":
        return _period_ends(before, stripped, following, language)
    return True


def _period_ends(before: str, stops: str, following: str, language: str) -> bool:
    """Whether a full stop (or an ellipsis) after ``before`` ends the sentence."""
    word = _last_word(before)
    if stops.startswith(("...", "…")) and before[-1:] in _OPENERS:
        return False  # an omission: "[...]"
    key = word.lower().rstrip(".")
    if key in _MAY_END:
        return True
    if _SHORT_NUMBER.fullmatch(word):
        # A list number ("1. The court") or, where ordinals take a dot, a day ("24. März").
        return not (language in _ORDINAL_DOT or _starts_sentence(before, word))
    return not (
        key in _ABBREVIATIONS
        or key.replace(".", "") in _ABBREVIATIONS
        or _LAST_PART.split(key)[-1] in _ABBREVIATIONS  # "Ass.-Nr.", "Gesch.-Z."
        or (len(word) == 1 and word.isalpha())  # an initial ("K. Nowak"), a list letter
        or _DOTTED.fullmatch(key)  # "z.B", "i.V.m", "k.p.k", "U.S"
        or _DAY_MONTH.fullmatch(word)  # "am 24.03. wurde"
    )


def _last_word(before: str) -> str:
    """The word just before a full stop (a regex search for it would rescan every start)."""
    start = len(before)
    while start > 0 and not (before[start - 1].isspace() or before[start - 1] in _BRACKETS):
        start -= 1
    return before[start:]


def _starts_sentence(before: str, word: str) -> bool:
    """Whether ``word`` (just before the dot) is the first word of its sentence: a list number."""
    head = before[: len(before) - len(word)].rstrip()
    return not head or head[-1] in _STOPS or head[-1] == ":"
