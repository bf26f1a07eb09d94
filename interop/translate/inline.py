"""Sentences with protected tokens as XLIFF inline placeholders, and back.

A protected token (a name, a file number, a date...) appears in XLIFF as
``<x id="2" ctype="x-interop-protected" equiv-text="HRB 1234"/>``: CAT tools show it as a tag
the translator moves but cannot change. Ids count the distinct tokens of the sentence in order
of appearance, so that the same sentence, protected again at import, gives the same ids.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Final

from lxml import etree

if TYPE_CHECKING:
    from interop.translate.protect import Protected

XLIFF: Final = "urn:oasis:names:tc:xliff:document:1.2"
X: Final = f"{{{XLIFF}}}x"
PH: Final = f"{{{XLIFF}}}ph"
CTYPE: Final = "x-interop-protected"
# Inline elements that only wrap text (CAT tools add them for formatting or sub-segments).
_WRAPPERS: Final = frozenset({f"{{{XLIFF}}}g", f"{{{XLIFF}}}mrk"})

Inline = list[str | int]  # text runs and placeholder ids


def tokens_by_id(protected: Protected) -> dict[int, str]:
    """Placeholder id -> the text it stands for, ids in order of first appearance."""
    ids: dict[int, str] = {}
    for key in _keys_in_order(protected):
        ids[len(ids) + 1] = protected.tokens[key]
    return ids


def _keys_in_order(protected: Protected) -> list[str]:
    if not protected.tokens:
        return []
    pattern = "|".join(re.escape(k) for k in sorted(protected.tokens, key=len, reverse=True))
    seen: list[str] = []
    for match in re.finditer(pattern, protected.text):
        if match.group() not in seen:
            seen.append(match.group())
    return seen


def source_inline(protected: Protected) -> Inline:
    """The protected sentence as text runs and placeholder ids."""
    keys = _keys_in_order(protected)
    if not keys:
        return [protected.text]
    number = {key: i for i, key in enumerate(keys, 1)}
    pattern = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    result: Inline = []
    position = 0
    for match in re.finditer(pattern, protected.text):
        result.extend([protected.text[position : match.start()], number[match.group()]])
        position = match.end()
    result.append(protected.text[position:])
    return [part for part in result if part != ""]


def text_inline(text: str, tokens: dict[int, str]) -> Inline:
    """A translation (tokens verbatim in it) as text runs and placeholder ids.

    Longer tokens are claimed first, so that "Art. 7(2)" is not split by a token "7".
    """
    claimed: list[tuple[int, int, int]] = []  # start, end, id
    for number, token in sorted(tokens.items(), key=lambda item: -len(item[1])):
        start = 0
        while (found := text.find(token, start)) >= 0:
            end = found + len(token)
            if not any(found < e and s < end for s, e, _ in claimed):
                claimed.append((found, end, number))
            start = end
    result: Inline = []
    position = 0
    for start, end, number in sorted(claimed):
        result.extend([text[position:start], number])
        position = end
    result.append(text[position:])
    return [part for part in result if part != ""]


def fill(element: etree._Element, parts: Inline, tokens: dict[int, str]) -> None:
    """Write ``parts`` as the content of an XLIFF ``source`` or ``target`` element."""
    last: etree._Element | None = None
    for part in parts:
        if isinstance(part, int):
            last = etree.SubElement(
                element, X, id=str(part), ctype=CTYPE, attrib={"equiv-text": tokens[part]}
            )
        elif last is None:
            element.text = (element.text or "") + part
        else:
            last.tail = (last.tail or "") + part


class InlineError(ValueError):
    """Inline markup the importer does not understand."""


def read_inline(element: etree._Element) -> Inline:
    """The content of a ``source`` or ``target`` as text runs and placeholder ids."""
    parts: Inline = [element.text or ""]
    for child in element:
        if child.tag in (X, PH):
            try:
                parts.append(int(child.get("id", "")))
            except ValueError:
                raise InlineError(f"placeholder id {child.get('id')!r} is not ours") from None
        elif child.tag in _WRAPPERS:
            parts.extend(read_inline(child))
        elif isinstance(child.tag, str):
            raise InlineError(f"inline element <{etree.QName(child).localname}> is not supported")
        parts.append(child.tail or "")
    return [part for part in parts if part != ""]


def placeholders(parts: Inline) -> Counter[int]:
    """How often each placeholder id occurs."""
    return Counter(part for part in parts if isinstance(part, int))


def resolve(parts: Inline, tokens: dict[int, str]) -> str:
    """The plain text, each placeholder replaced by its token."""
    return "".join(tokens[part] if isinstance(part, int) else part for part in parts)
