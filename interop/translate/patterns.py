"""Patterns of the tokens an engine must never translate (used by :mod:`protect`).

Each pattern matches a whole token, or marks the part to protect with a group named
``token`` (so that "Article" in "Article 6(1)(a)" is translated and "6(1)(a)" is kept).
Where patterns overlap, the protection keeps the longest match, so the patterns may be
generous: a protected token that did not need it costs a little fluency; a mangled file
number costs a case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

_NUMBER: Final = r"\d{1,3}(?:[.,\u00a0\u202f' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_CURRENCY: Final = (
    r"[€$£¥₺₽₴₹]|zł|złotych|Kč|kr\.?|Ft|lei|лв\.?|EUR|USD|GBP|PLN|CZK|HUF|RON|BGN|SEK"
    r"|DKK|NOK|CHF|TRY|RUB|UAH|ISK|JPY|CNY|[Ee]uros?"
)
AMOUNT: Final = re.compile(
    rf"(?<!\w)(?:{_CURRENCY})[ \u00a0]?(?:{_NUMBER})(?:,-)?(?![\d])"
    rf"|(?<![\w.,])(?:{_NUMBER})(?:,-)?[ \u00a0]?(?:{_CURRENCY})(?!\w)"
)

# Legal references. After an abbreviated head ("Art.", "§", "čl.") the whole reference is
# kept as written; after a full word ("Article", "Artikel") only the numbers are, and the
# engine translates the word.
_NUM: Final = r"\d+(?:[-.]\d+)*[a-z]?(?:\s?\(\s?(?:\d+[a-z]?|[a-z]{1,4})\s?\))*"
_SUB: Final = (
    r"(?:\s*,?\s*(?:Abs\.|Absatz|Satz|S\.|Nr\.|[Nn]o\.|lit\.|Buchst\.|Ziff\.|para\.|paragraph"
    r"|point|pkt\.?|ust\.|§|al\.|alinéa|sub|letter|let\.|odst\.|písm\.|pt\.|punto|apartado"
    r"|comma)\s*" + _NUM + r")*"
)
_LIST: Final = r"(?:\s*(?:,|and|und|et|i|y|e|oraz|bis|to|-|\u2013)\s*" + _NUM + _SUB + r")*"
_CODE: Final = r"(?:\s+(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|(?:[a-z]{1,4}\.){2,4}|kpk|kk|kpc|kc)(?!\w))?"
_REFERENCE: Final = _NUM + _SUB + _LIST + r"(?:\s*ff?\.)?" + _CODE
_ABBREVIATED_HEAD: Final = r"(?:[Aa]rtt?\.|Art(?=\s\d)|§§?|čl\.|[Ss]ec\.|[Pp]ara\.)"
_WORD_HEAD: Final = (
    r"(?:[Aa]rticles?|[Aa]rtikels?|[Aa]rtículos?|[Aa]rticol[oi]|[Aa]rtigos?|[Aa]rtykuł(?:u|y|ów)?"
    r"|[Čč]lán(?:ek|ku|ky)|[Ss]ections?|[Pp]aragra(?:ph|f)(?:s|en|u|ie)?|[Rr]ules?)"
)
# Not followed by a slash: "Nr. 2026/0117-01" is a file number, not a reference to "2026".
REFERENCE: Final = re.compile(rf"(?<!\w){_ABBREVIATED_HEAD}\s*{_REFERENCE}(?![\w/])")
WORD_REFERENCE: Final = re.compile(rf"(?<!\w){_WORD_HEAD}\s+(?P<token>{_REFERENCE})(?![\w/])")

# File and case numbers: "63 Js 11842/26", "II Kop 45/26", "612 KLs 7/25", "HRB 1234",
# "PV BR.21.LL.018342/2026", and whatever follows a label such as "Az." or "sygn. akt".
_NOT_CURRENCY: Final = rf"(?!(?:{_CURRENCY})(?!\w))"
CASE_NUMBER: Final = re.compile(
    r"(?<![\w.,/-])"
    + _NOT_CURRENCY
    + r"(?:[A-Z]{2,4}\s+)?(?:(?:\d{1,4}|[IVXLC]{1,6})\s+)?"
    + _NOT_CURRENCY
    + r"[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,5}\.?(?:\s+[A-Z][A-Za-z]{0,4}\.?)?\s+\d+(?:[/.-]\d+)+[a-z]?(?!\w)"
)
PREFIXED_ID: Final = re.compile(
    r"(?<![\w-])[A-Z]{2,6}(?:-[A-Z]{1,6})?(?:\s+[A-Z]{2,6})?\.?\s+(?=[\w./:-]*\d)"
    r"[A-Z0-9][\w./:-]*[A-Za-z0-9](?!\w)"
)
_ID_SEQUENCE: Final = (
    r"(?:(?:[IVXLC]{1,6}|[A-Z][A-Za-z]{0,5}\.?|\d[\w./-]*)\s+){0,4}"
    r"[A-Za-z]*\d(?:[\w./-]*[A-Za-z0-9])?"
)
LABELLED_ID: Final = re.compile(
    r"(?<!\w)(?i:Az\.|Aktenzeichen|Gz\.|Geschäftszeichen|sygn\.\s*akt|sygn\.|file\s+no\.|"
    r"file\s+number|case\s+no\.|case\s+number|ref\.|réf\.|n°\s*RG|RG\s*n°|spis\.\s*zn\.|č\.\s*j\.)"
    rf"\s*:?\s*(?P<token>{_ID_SEQUENCE})"
)
# Any word that mixes digits with letters, slashes or colons ("2014/41/EU", "11842/26",
# "ECLI:DE:BGH:2020:...", "A-123"), but not ordinals ("3rd") or plain decimals.
_ID_TOKEN: Final = re.compile(
    r"(?<![\w./:-])(?=[\w./:-]*\d)[A-Za-z0-9][\w./:-]*[A-Za-z0-9](?![\w/:-]|\.\w)"
)
_ORDINAL: Final = re.compile(r"\d+(?:st|nd|rd|th|er|re|e|ème|ère|º|ª|te|ste|ten|ter|tes)", re.I)
_PLAIN_NUMBER: Final = re.compile(r"[\d.,:-]+")

IBAN: Final = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)"
)
BIC: Final = re.compile(
    r"(?<!\w)(?:BIC|SWIFT)(?:[- ]?[Cc]ode)?\s*:?\s*"
    r"(?P<token>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?!\w)"
)
EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
URL: Final = re.compile(r"(?<!\w)(?:(?:https?|ftp)://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}]")
PHONE: Final = re.compile(
    r"(?<![\w+])\+\d{1,3}(?:[ ./-]?\(?\d{1,5}\)?){2,6}(?!\w)"
    r"|(?<!\w)(?i:tel\.?|telefon|telephone|phone|fax|mobile?|tél\.?|handy)\s*:?\s*"
    r"(?P<token>\(?0\d{1,5}\)?(?:[ /-]?\d{2,8}){1,4})(?!\w)"
)
IMEI: Final = re.compile(r"(?<!\w)\d{2}[- ]?\d{6}[- ]?\d{6}[- ]?\d(?!\w)")
LONG_NUMBER: Final = re.compile(r"(?<![\w.,])\d{5,}(?!\w)")
HASH: Final = re.compile(r"(?<!\w)[0-9a-fA-F]{16,}(?!\w)")
TIME: Final = re.compile(r"(?<![\w:.])\d{1,2}:\d{2}(?::\d{2})?(?![\w:])")

_NUMERIC_DATES: Final = (
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\d{1,2}\.\d{2}"
    r"|\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}"
)
DATE: Final = re.compile(rf"(?<![\w.,/-])(?:{_NUMERIC_DATES})(?![\w/-]|\.\d)")

# Patterns that rarely match anything but their kind of token: where one overlaps a match of a
# generic pattern below, it wins even when shorter ("24.03.2026 EUR 1.250,00" is a date and an
# amount, not the file number "2026 EUR 1.250").
PRECISE: Final = (
    AMOUNT,
    REFERENCE,
    WORD_REFERENCE,
    LABELLED_ID,
    IBAN,
    BIC,
    EMAIL,
    URL,
    PHONE,
    IMEI,
    HASH,
    TIME,
    DATE,
)
GENERIC: Final = (CASE_NUMBER, PREFIXED_ID, LONG_NUMBER)


def is_identifier(word: str) -> bool:
    """Whether a word with digits is an identifier rather than a number or an ordinal."""
    if _ORDINAL.fullmatch(word):
        return False
    return not _PLAIN_NUMBER.fullmatch(word) or "/" in word or ":" in word


def identifiers(text: str) -> list[tuple[int, int]]:
    """Spans of words that mix digits with letters, slashes or colons."""
    return [m.span() for m in _ID_TOKEN.finditer(text) if is_identifier(m.group())]


@lru_cache(maxsize=32)
def date_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """Dates written with the month's name in ``language`` ("24. März 2026", "March 24, 2026")."""
    months = _month_names(language.lower().split("-")[0])
    if not months:
        return ()
    names = "|".join(sorted((re.escape(name) for name in months), key=len, reverse=True))
    day = r"\d{1,2}(?:\.|er|º|ª|st|nd|rd|th)?"
    connector = r"(?:\s+(?:de|del|di))?"
    return (
        re.compile(
            rf"(?<!\w){day}{connector}\s+(?i:{names})\.?{connector}\s+\d{{4}}(?!\d)",
        ),
        re.compile(rf"(?<!\w)(?i:{names})\.?\s+{day},?\s+\d{{4}}(?!\d)"),
    )


def _month_names(language: str) -> list[str]:
    # Babel is a dependency already (rendering); imported here so that loading this module
    # stays cheap.
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415
    from babel.dates import get_month_names  # noqa: PLC0415

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return []
    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            names.update(
                str(name).rstrip(".")
                for name in get_month_names(width, context, locale).values()
                if len(str(name).rstrip(".")) >= 3
            )
    return sorted(names)
