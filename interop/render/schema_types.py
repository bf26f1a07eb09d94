"""What the templates need to know from the schemas: each element's type, each code's English name.

Derived from the bundled XSDs (read once, through the hardened parser), not from a hand-kept
model: a template asks "what type is this element?" to format a date, a code, a yes/no or a
free text, and asks for the English name of a code, which is also the gettext message id of
its translations (the code lists' ``xs:documentation`` is the source text of the catalogs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

from lxml import etree

from interop.resources import xsd_dir
from interop.xmlio import parse_file

XS: Final = "http://www.w3.org/2001/XMLSchema"
_X: Final = f"{{{XS}}}"
# Types whose values are never translated: names of algorithms are the same in every language.
UNTRANSLATED_LISTS: Final = frozenset({"HashAlgorithmCode"})


def _qname(node: etree._Element, prefixed: str) -> str:
    """``{namespace}local`` of a prefixed name used in an XSD attribute."""
    prefix, _, local = prefixed.rpartition(":")
    namespace = node.nsmap.get(prefix or None, "")
    return f"{{{namespace}}}{local}" if namespace else local


@dataclass(slots=True)
class ComplexType:
    """The child elements and attributes one complex type allows (inherited ones included)."""

    children: dict[str, str] = field(default_factory=dict)  # element tag -> type key
    attributes: dict[str, str] = field(default_factory=dict)  # attribute name -> type key
    base: str | None = None
    simple_content: str | None = None  # base type of the text, for simple content


@dataclass(slots=True)
class SchemaIndex:
    """Global elements, complex types and enumerations of every bundled schema."""

    elements: dict[str, str] = field(default_factory=dict)  # global element tag -> type key
    types: dict[str, ComplexType] = field(default_factory=dict)
    simple_bases: dict[str, str] = field(default_factory=dict)  # simple type -> base type
    enumerations: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> code -> doc
    # Answers computed once: rendering asks the same questions thousands of times.
    _child_types: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _primitives: dict[str, str] = field(default_factory=dict)
    _local_children: dict[str, frozenset[str]] = field(default_factory=dict)

    def child_type(self, parent_type: str, tag: str) -> str | None:
        """The type key of child ``tag`` inside an element of ``parent_type``."""
        key = (parent_type, tag)
        if key not in self._child_types:
            self._child_types[key] = self._find_child_type(parent_type, tag)
        return self._child_types[key]

    def local_children(self, type_key: str) -> frozenset[str]:
        """Local names of the children a type allows (inherited ones included)."""
        if type_key not in self._local_children:
            names: set[str] = set()
            for current in self._chain(type_key):
                names.update(local(tag) for tag in self.types[current].children)
            self._local_children[type_key] = frozenset(names)
        return self._local_children[type_key]

    def _chain(self, type_key: str) -> list[str]:
        """The type and its base types, as far as they are complex types we know."""
        chain: list[str] = []
        current: str | None = type_key
        while current is not None and current in self.types and current not in chain:
            chain.append(current)
            current = self.types[current].base
        return chain

    def _find_child_type(self, parent_type: str, tag: str) -> str | None:
        seen: set[str] = set()
        current: str | None = parent_type
        while current is not None and current not in seen:
            seen.add(current)
            complex_type = self.types.get(current)
            if complex_type is None:
                return None
            if tag in complex_type.children:
                return complex_type.children[tag]
            current = complex_type.base
        return None

    def type_of(self, element: etree._Element) -> str | None:
        """The type key of ``element``, found by walking from its document's root."""
        path = list(_ancestors_and_self(element))
        current = self.elements.get(str(path[0].tag))
        for node in path[1:]:
            if current is None:
                return None
            current = self.child_type(current, str(node.tag))
        return current

    def primitive(self, type_key: str) -> str:
        """The built-in or code-list type at the root of ``type_key``'s restrictions."""
        if type_key not in self._primitives:
            self._primitives[type_key] = self._find_primitive(type_key)
        return self._primitives[type_key]

    def _find_primitive(self, type_key: str) -> str:
        seen: set[str] = set()
        current = type_key
        while current not in seen:
            seen.add(current)
            if current in self.enumerations:
                return current
            complex_type = self.types.get(current)
            if complex_type is not None and complex_type.simple_content:
                current = complex_type.simple_content
                continue
            base = self.simple_bases.get(current)
            if base is None:
                return current
            current = base
        return current

    def code_name(self, type_key: str, code: str) -> str | None:
        """The English name of ``code`` in the code list ``type_key`` (None: not a code)."""
        return self.enumerations.get(self.primitive(type_key), {}).get(code)


def _ancestors_and_self(element: etree._Element) -> Iterator[etree._Element]:
    chain = [element, *element.iterancestors()]
    return reversed(chain)


def local(type_key: str) -> str:
    """The local part of a type key."""
    return type_key.rpartition("}")[2]


@lru_cache(maxsize=1)
def schema_index() -> SchemaIndex:
    """The index of every bundled XSD (read once per process)."""
    index = SchemaIndex()
    for path in sorted(xsd_dir().rglob("*.xsd")):
        _read_schema(path, index)
    return index


def _read_schema(path: Path, index: SchemaIndex) -> None:
    root = parse_file(path).getroot()
    namespace = root.get("targetNamespace", "")
    for node in root:
        name = node.get("name")
        if name is None:
            continue
        key = f"{{{namespace}}}{name}"
        if node.tag == f"{_X}element":
            index.elements[key] = _element_type(node, namespace, index)
        elif node.tag == f"{_X}complexType":
            _read_complex(node, key, namespace, index)
        elif node.tag == f"{_X}simpleType":
            _read_simple(node, key, index)


def _element_type(node: etree._Element, namespace: str, index: SchemaIndex) -> str:
    declared = node.get("type")
    if declared:
        return _qname(node, declared)
    # An anonymous type is keyed by the element that declares it, which is unique in the file.
    anonymous = f"{{{namespace}}}#{id(node)}"
    inline = node.find(f"{_X}complexType")
    if inline is not None:
        _read_complex(inline, anonymous, namespace, index)
        return anonymous
    simple = node.find(f"{_X}simpleType")
    if simple is not None:
        _read_simple(simple, anonymous, index)
        return anonymous
    return f"{{{XS}}}string"


def _read_complex(node: etree._Element, key: str, namespace: str, index: SchemaIndex) -> None:
    complex_type = ComplexType()
    index.types[key] = complex_type
    for derivation in node.iterfind(f"{_X}complexContent/*"):
        complex_type.base = _qname(derivation, derivation.get("base", ""))
    for derivation in node.iterfind(f"{_X}simpleContent/*"):
        complex_type.simple_content = _qname(derivation, derivation.get("base", ""))
    for element in node.iter(f"{_X}element"):
        if element.get("name") is None or _nested_in_other_type(element, node):
            continue
        tag = f"{{{namespace}}}{element.get('name')}"
        complex_type.children[tag] = _element_type(element, namespace, index)
    for attribute in node.iter(f"{_X}attribute"):
        name = attribute.get("name")
        if name is not None and not _nested_in_other_type(attribute, node):
            declared = attribute.get("type")
            complex_type.attributes[name] = _qname(attribute, declared) if declared else "string"


def _nested_in_other_type(element: etree._Element, owner: etree._Element) -> bool:
    """Whether ``element`` belongs to an anonymous type nested inside ``owner``."""
    for ancestor in element.iterancestors():
        if ancestor is owner:
            return False
        if ancestor.tag == f"{_X}complexType":
            return True
    return False


def _read_simple(node: etree._Element, key: str, index: SchemaIndex) -> None:
    restriction = node.find(f"{_X}restriction")
    if restriction is None:
        return
    base = restriction.get("base")
    if base:
        index.simple_bases[key] = _qname(restriction, base)
    codes: dict[str, str] = {}
    for enumeration in restriction.iterfind(f"{_X}enumeration"):
        value = enumeration.get("value", "")
        doc = enumeration.findtext(f"{_X}annotation/{_X}documentation")
        codes[value] = " ".join((doc or value).split())
    if codes:
        index.enumerations[key] = codes
