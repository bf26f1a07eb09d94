"""The page's own language: chosen by the clerk (``ui``), else the browser's, else English.

The page speaks through the same catalogs as the notices (``locales/``), so every language a
notice can be written in is also a language the page can be used in.
"""

from __future__ import annotations

from typing import Final

from babel import Locale, UnknownLocaleError, negotiate_locale

from interop.render.catalogs import SOURCE_LANGUAGE, available
from interop.render.localize import Localizer, localizer

UI_FIELD: Final = "ui"


def languages() -> tuple[str, ...]:
    """The languages the page can be shown in (those with a catalog)."""
    return available()


def choose(asked: str | None, accept_language: str | None) -> str:
    """The page language for a request: ``asked`` if there is a catalog for it, else the best
    match of the browser's ``Accept-Language``, else English."""
    known = languages()
    if asked in known:
        return str(asked)
    preferred = [part.split(";", 1)[0].strip() for part in (accept_language or "").split(",")]
    preferred = [p.replace("-", "_") for p in preferred if p and p != "*"]
    found = negotiate_locale(preferred, list(known), sep="_") if preferred else None
    if found is None:  # "de-AT" matches "de": negotiate_locale only aliases whole tags
        bases = [p.split("_", 1)[0].lower() for p in preferred]
        found = next((b for b in bases if b in known), None)
    return found or SOURCE_LANGUAGE


def page_text(language: str) -> Localizer:
    """Wording, labels and formatting of the page in ``language``."""
    return localizer(language)


def language_choices(text: Localizer, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, name) pairs, names in the page language, sorted as that language sorts them."""
    named = [(code, text.language_name(code)) for code in codes]
    return sorted(named, key=lambda pair: pair[1].casefold())


def own_name(code: str) -> str:
    """A language's name in that language ("Deutsch"), for the page-language menu."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]
