"""Which fields of a document may be translated, where they are, and which names they mention.

Translatable fields are found from the schemas, not from a list in Python: an element whose
declaration carries ``<xs:appinfo><ia:translatable/></xs:appinfo>``. The element types come
from the renderer's schema index (read once); the markers are read here, once, from the same
bundled XSDs, keyed by the complex type that declares the element.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from lxml import etree

from interop.formats import registry
from interop.render.schema_types import SchemaIndex, schema_index
from interop.resources import xsd_dir
from interop.validate.locate import element_path
from interop.xmlio import parse_file

C: Final = "urn:interop:common:1"
TEXT: Final = f"{{{C}}}text"
_XS: Final = "{http://www.w3.org/2001/XMLSchema}"
_MARKER: Final = f"{_XS}annotation/{_XS}appinfo/{{urn:interop:schema-annotations:1}}translatable"
# Elements that hold the names of people, authorities, companies and places. Their values are
# protected wherever they appear inside free text: an engine must never "translate" a name.
_NAME_ELEMENTS: Final = frozenset(
    {
        "givenName",
        "familyName",
        "birthName",
        "patronymic",
        "name",
        "locality",
        "city",
        "street",
        "region",
        "building",
        "issuer",
        "transmittedTo",
        "bankName",
        "organisation",
        "provider",
    }
)


@dataclass(frozen=True, slots=True)
class Field:
    """One translatable field of a document.

    Attributes:
        element: the field (its children are ``c:text`` versions).
        path: its stable location, e.g. ``/r:evidenceRequest/r:urgency/r:reason``.
    """

    element: etree._Element
    path: str

    def original(self) -> etree._Element | None:
        """The author's own text (``origin="original"``), if there is exactly one."""
        found = [t for t in self.element if t.tag == TEXT and t.get("origin") == "original"]
        return found[0] if len(found) == 1 and (found[0].text or "").strip() else None

    def version(self, language: str) -> etree._Element | None:
        """The text in ``language``, if any."""
        for text in self.element:
            if text.tag == TEXT and text.get("lang") == language:
                return text
        return None


def fields(tree: etree._ElementTree) -> list[Field]:
    """Every translatable field of ``tree``, in document order."""

    index = schema_index()
    root = tree.getroot()
    root_type = index.elements.get(str(root.tag))
    if root_type is None:
        return []
    prefixes = registry().prefixes
    return [Field(e, element_path(e, prefixes)) for e in _walk(root, root_type, index)]


def _walk(parent: etree._Element, type_key: str, index: SchemaIndex) -> Iterator[etree._Element]:
    marked = _marked()
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        tag = str(child.tag)
        if _is_marked(index, type_key, tag, marked):
            yield child
            continue
        child_type = index.child_type(type_key, tag)
        if child_type is not None and child_type in index.types:
            yield from _walk(child, child_type, index)


def _is_marked(
    index: SchemaIndex, type_key: str, tag: str, marked: frozenset[tuple[str | None, str]]
) -> bool:
    if "#" in type_key:  # an anonymous type: its markers are keyed by tag alone
        return (None, tag) in marked
    seen: set[str] = set()
    current: str | None = type_key
    while current is not None and current not in seen:
        if (current, tag) in marked:
            return True
        seen.add(current)
        found = index.types.get(current)
        current = found.base if found is not None else None
    return False


@lru_cache(maxsize=1)
def _marked() -> frozenset[tuple[str | None, str]]:
    """(declaring complex type, element tag) of every declaration marked translatable."""
    marked: set[tuple[str | None, str]] = set()
    for path in sorted(xsd_dir().rglob("*.xsd")):
        root = parse_file(path).getroot()
        namespace = root.get("targetNamespace", "")
        for declaration in root.iter(f"{_XS}element"):
            name = declaration.get("name")
            if name is None or declaration.find(_MARKER) is None:
                continue
            owner = next(declaration.iterancestors(f"{_XS}complexType"), None)
            owner_name = owner.get("name") if owner is not None else None
            owner_key = f"{{{namespace}}}{owner_name}" if owner_name else None
            marked.add((owner_key, f"{{{namespace}}}{name}"))
    return frozenset(marked)


def known_names(tree: etree._ElementTree) -> list[str]:
    """Names of parties, authorities and places found in the document, longest first.

    Given names and family names are also joined into full names, so that "Zoë Müller" is
    protected as one token as well as its parts.
    """
    names: set[str] = set()
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str) or len(element):
            continue
        if etree.QName(element).localname in _NAME_ELEMENTS and element.text:
            names.add(" ".join(element.text.split()))
    for name in tree.getroot().iter(f"{{{C}}}name"):
        parts = [
            " ".join((child.text or "").split())
            for child in name
            if isinstance(child.tag, str)
            and etree.QName(child).localname in ("givenName", "familyName")
        ]
        if len(parts) > 1:
            names.add(" ".join(p for p in parts if p))
    return sorted((n for n in names if n), key=lambda n: (-len(n), n))
