"""A pybabel extractor for the names of codes in the XSD code lists.

Each ``xs:enumeration`` of a simple type yields its English documentation as the message id,
with the type's name as context (``pgettext("RightCode", "right to remain silent")``), so the
same English words in two lists can be translated differently. Countries and languages are
left out: their names come from CLDR. Used through ``locales/babel.cfg``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Final

from interop.render.schema_types import UNTRANSLATED_LISTS, XS
from interop.xmlio import parse_bytes

_CLDR_LISTS: Final = frozenset({"CountryCode", "LanguageCode"})
_X: Final = f"{{{XS}}}"

Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_code_names(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Extracted]:
    """Yield ``(line, "pgettext", (type name, English name), [code])`` for every code."""
    root = parse_bytes(fileobj.read(), getattr(fileobj, "name", "schema.xsd")).getroot()
    for simple in root.iter(f"{_X}simpleType"):
        name = simple.get("name")
        if name is None or name in _CLDR_LISTS or name in UNTRANSLATED_LISTS:
            continue
        for enumeration in simple.iterfind(f"{_X}restriction/{_X}enumeration"):
            doc = enumeration.findtext(f"{_X}annotation/{_X}documentation")
            value = enumeration.get("value", "")
            english = " ".join((doc or value).split())
            yield enumeration.sourceline or 0, "pgettext", (name, english), [f"code: {value}"]
