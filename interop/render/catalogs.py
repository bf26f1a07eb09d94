"""The gettext catalogs of locales/: which languages exist, their translations, their review state.

Catalogs are compiled to ``.mo`` at build time (``scripts/catalogs compile``, and the wheel's
build hook). A checkout whose ``.mo`` is missing or older than its ``.po`` is compiled in memory
instead, so a translator's edit shows up at once and a stale ``.mo`` is never used.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from interop.errors import UsageError
from interop.resources import locales_dir

DOMAIN: Final = "interop"
SOURCE_LANGUAGE: Final = "en"
# The 24 official languages of the EU, then the languages the issue adds for people who
# are often served notices and read none of them.
LANGUAGES: Final = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    "ar", "tr", "ru", "uk",
)  # fmt: skip
# Header field each catalog carries: "none" or who reviewed it and when.
REVIEW_HEADER: Final = "X-Legal-Review"
_REVIEW: Final = re.compile(rf'^"{REVIEW_HEADER}: ([^"\\]*)\\n"$', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Catalog:
    """One language's translations and whether a legal translator has reviewed them."""

    language: str
    translations: gettext.NullTranslations
    reviewed_by: str | None  # None: not reviewed by a legal translator

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)


def po_path(language: str) -> Path:
    """Where the source catalog of ``language`` lives."""
    return locales_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available() -> tuple[str, ...]:
    """Languages with a catalog, in the order of ``LANGUAGES``."""
    return tuple(language for language in LANGUAGES if po_path(language).is_file())


@cache
def catalog(language: str) -> Catalog:
    """The catalog of ``language``.

    Raises:
        UsageError: no catalog for that language (the message lists those there are).
    """
    po = po_path(language)
    if not po.is_file():
        raise UsageError(
            f"no catalog for language {language!r}; available: {', '.join(available())}"
        )
    translations = gettext.GNUTranslations(io.BytesIO(_mo_bytes(po)))
    return Catalog(language, translations, reviewed_by(po))


def reviewed_by(po: Path) -> str | None:
    """Who reviewed the catalog, from its header (None: not reviewed by a legal translator).

    Read from the ``.po`` itself: the header field is ours, and compilers drop fields they do
    not know.
    """
    with po.open(encoding="utf-8") as handle:
        head = handle.read(4096)
    match = _REVIEW.search(head)
    value = match.group(1).strip() if match else "none"
    return None if value.lower() in {"", "none", "no"} else value


def _mo_bytes(po: Path) -> bytes:
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    return compile_po(po)


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (fuzzy entries are left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only when not prebuilt
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with po.open("rb") as handle:
        messages = read_po(handle, locale=po.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, messages, use_fuzzy=False)
    return out.getvalue()
