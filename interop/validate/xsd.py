"""XSD validation with libxml2 (through lxml): compile once, report findings with locations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from lxml import etree

from interop.errors import SchemaError, UnreadableInput
from interop.validate.findings import Finding, Severity
from interop.validate.locate import named_xpath
from interop.xmlcatalog import OfflineResolver, load_catalog
from interop.xmlio import parse_file

_CLARK: Final = re.compile(r"\{([^}]*)\}([\w.\-]+)")


@lru_cache(maxsize=32)
def compile_schema(path: Path, catalog: Path | None = None) -> etree.XMLSchema:
    """Compile an XSD and everything it imports, offline.

    Imports resolve relative to the schema (inside its folder tree) or through the OASIS
    catalog; every other load is refused.

    Raises:
        SchemaError: the schema does not compile, or an import is not available offline.
    """
    path = path.resolve()
    roots = [path.parent] + ([catalog.resolve().parent] if catalog else [])
    resolver = OfflineResolver(roots, load_catalog(catalog) if catalog else None)
    try:
        document = parse_file(path, resolver=resolver)
        return etree.XMLSchema(document)
    except UnreadableInput as exc:
        raise SchemaError(f"cannot read schema: {exc}") from None
    except etree.XMLSchemaParseError as exc:
        hint = ""
        if resolver.refused:
            hint = (
                f"; not available offline: {', '.join(sorted(set(resolver.refused)))} "
                "(pass --catalog with an OASIS catalog that maps it to a local file)"
            )
        raise SchemaError(f"{path}: schema does not compile: {exc}{hint}") from None


def xsd_findings(
    schema: etree.XMLSchema, tree: etree._ElementTree, prefixes: Mapping[str, str]
) -> list[Finding]:
    """Validate ``tree`` and turn libxml2's error log into findings."""
    if schema.validate(tree):
        return []
    return [_finding(entry, tree, prefixes) for entry in schema.error_log]


def _finding(
    entry: etree._LogEntry, tree: etree._ElementTree, prefixes: Mapping[str, str]
) -> Finding:
    return Finding(
        severity=Severity.ERROR,
        rule=f"xsd:{entry.type_name.removeprefix('SCHEMAV_').lower()}",
        message=_readable(entry.message, prefixes),
        line=entry.line or None,
        column=entry.column or None,
        xpath=_node_path(entry, tree, prefixes),
    )


def _readable(message: str, prefixes: Mapping[str, str]) -> str:
    """Write ``{urn:...}name`` as ``prefix:name`` so a person can read the message."""

    def short(match: re.Match[str]) -> str:
        prefix = prefixes.get(match.group(1))
        return f"{prefix}:{match.group(2)}" if prefix else match.group(0)

    return _CLARK.sub(short, message).strip()


def _node_path(
    entry: etree._LogEntry, tree: etree._ElementTree, prefixes: Mapping[str, str]
) -> str | None:
    # libxml2 reports a path built from the document's own prefixes; evaluate it to find the
    # node again and describe it with the well-known prefixes.
    if not entry.path:
        return None
    root = tree.getroot()
    namespaces = {k: v for k, v in root.nsmap.items() if k}
    try:
        found = tree.xpath(entry.path, namespaces=namespaces)
    except etree.XPathError:
        return entry.path
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return named_xpath(found[0], prefixes)
    return entry.path
