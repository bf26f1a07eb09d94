"""The registry of common formats, built from the bundled catalog and schemas.

Nothing here is a hand-kept list: ``xsd/catalog.xml`` names every namespace and its schema, each
schema's global elements are the document types, and each family's business rules live in
``xsd/rules/<family>-<major>.sch`` next to ``common-<major>.sch``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

from lxml import etree

from interop.resources import xsd_dir
from interop.xmlcatalog import file_path, load_catalog
from interop.xmlio import parse_file

XS: Final = "http://www.w3.org/2001/XMLSchema"
_FAMILY_NS: Final = re.compile(r"^urn:interop:(?P<family>[a-z]+):(?P<major>\d+)$")
_SHARED_FAMILIES: Final = frozenset({"common", "codelist"})


@dataclass(frozen=True, slots=True)
class DocumentFormat:
    """One document type of the common formats.

    Attributes:
        name: kebab-case name of the type, e.g. ``evidence-request``.
        family: request, notification or evidence.
        namespace: the family namespace, carrying the major version.
        root: local name of the root element.
        version: the schema's version attribute (major.minor).
        schema: the family XSD.
        rules: Schematron files that apply (common rules first).
        documentation: the root element's documentation, one line.
    """

    name: str
    family: str
    namespace: str
    root: str
    version: str
    schema: Path
    rules: tuple[Path, ...]
    documentation: str


@dataclass(frozen=True, slots=True)
class Registry:
    """Every bundled document type, and the prefixes the formats use for their namespaces."""

    formats: tuple[DocumentFormat, ...]
    prefixes: dict[str, str]  # namespace -> prefix
    by_tag: dict[str, DocumentFormat] = field(default_factory=dict)  # "{ns}root" -> format

    def __post_init__(self) -> None:
        self.by_tag.update({f"{{{f.namespace}}}{f.root}": f for f in self.formats})

    def detect(self, tree: etree._ElementTree) -> DocumentFormat | None:
        """The document type of a parsed document, from its root element's name."""
        tag = tree.getroot().tag
        return self.by_tag.get(tag) if isinstance(tag, str) else None

    def by_name(self, name: str) -> DocumentFormat | None:
        return next((f for f in self.formats if f.name == name), None)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry of the bundled formats (read once per process)."""
    root = xsd_dir()
    catalog = load_catalog(root / "catalog.xml")
    formats: list[DocumentFormat] = []
    prefixes: dict[str, str] = {}
    for namespace, uri in sorted(catalog.exact.items()):
        match = _FAMILY_NS.match(namespace)
        if not match:
            continue
        schema_path = file_path(uri)
        schema = parse_file(schema_path).getroot()
        prefixes.update(_own_prefix(schema, namespace))
        if match["family"] in _SHARED_FAMILIES:
            continue
        rules = _rules_for(root, match["family"], match["major"])
        formats.extend(_document_types(schema, namespace, match["family"], schema_path, rules))
    return Registry(tuple(sorted(formats, key=lambda f: (f.family, f.name))), prefixes)


def _own_prefix(schema: etree._Element, namespace: str) -> dict[str, str]:
    for prefix, uri in schema.nsmap.items():
        if uri == namespace and prefix:
            return {namespace: prefix}
    return {}


def _rules_for(root: Path, family: str, major: str) -> tuple[Path, ...]:
    candidates = (root / "rules" / f"common-{major}.sch", root / "rules" / f"{family}-{major}.sch")
    return tuple(p for p in candidates if p.is_file())


def _document_types(
    schema: etree._Element, namespace: str, family: str, path: Path, rules: tuple[Path, ...]
) -> list[DocumentFormat]:
    version = schema.get("version", "1.0")
    found = []
    for element in schema.iterchildren(f"{{{XS}}}element"):
        root = element.get("name", "")
        doc = element.findtext(f"{{{XS}}}annotation/{{{XS}}}documentation") or ""
        found.append(
            DocumentFormat(
                name=_kebab(root),
                family=family,
                namespace=namespace,
                root=root,
                version=version,
                schema=path,
                rules=rules,
                documentation=" ".join(doc.split()),
            )
        )
    return found


def _kebab(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", camel).lower()
