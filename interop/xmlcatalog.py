"""OASIS XML catalogs and the resolver that loads schema imports offline.

A catalog maps namespaces, system identifiers and URI prefixes to local files (the way NIEM
and other exchange packages ship their schemas). :class:`OfflineResolver` answers every load
libxml2 makes while compiling a schema: through the catalog, or from a local file inside the
allowed folders; anything else (http, ftp, a file elsewhere) is refused and remembered so that
the error can say which import to add to a catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from interop.errors import SchemaError, UnreadableInput
from interop.xmlio import DEFAULT_LIMITS, check_bytes, parse_file, read_capped

CATALOG_NS: Final = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
_XML_BASE: Final = "{http://www.w3.org/XML/1998/namespace}base"
_MAX_NESTED_CATALOGS: Final = 32


@dataclass
class Catalog:
    """The entries of one catalog file and the catalogs it chains to (nextCatalog)."""

    exact: dict[str, str] = field(default_factory=dict)  # uri/system/public id -> file URI
    prefixes: list[tuple[str, str]] = field(default_factory=list)  # rewrite start -> prefix
    suffixes: list[tuple[str, str]] = field(default_factory=list)  # suffix -> file URI
    files: list[Path] = field(default_factory=list)  # every catalog file read

    def lookup(self, identifier: str) -> str | None:
        """The local URI for a namespace, system id or URI, or None when not catalogued."""
        if identifier in self.exact:
            return self.exact[identifier]
        # The longest matching prefix wins, as the OASIS specification requires.
        best = max(
            (p for p in self.prefixes if identifier.startswith(p[0])),
            key=lambda p: len(p[0]),
            default=None,
        )
        if best is not None:
            return best[1] + identifier[len(best[0]) :]
        for suffix, target in self.suffixes:
            if identifier.endswith(suffix):
                return target
        return None


def load_catalog(path: Path) -> Catalog:
    """Read an OASIS XML catalog and every catalog it chains to."""
    catalog = Catalog()
    _read_into(catalog, path.resolve(), depth=0)
    return catalog


def _read_into(catalog: Catalog, path: Path, depth: int) -> None:
    if depth > _MAX_NESTED_CATALOGS:
        raise SchemaError(f"{path}: catalogs chain deeper than {_MAX_NESTED_CATALOGS} levels")
    if path in catalog.files:
        return
    catalog.files.append(path)
    root = parse_file(path).getroot()
    qname = etree.QName(root)
    if (qname.namespace, qname.localname) != (CATALOG_NS, "catalog"):
        raise SchemaError(f"{path}: not an OASIS XML catalog (root is {qname.text})")
    _read_entries(catalog, root, path.as_uri(), depth)


def _read_entries(catalog: Catalog, parent: etree._Element, base: str, depth: int) -> None:
    for entry in parent.iterchildren(f"{{{CATALOG_NS}}}*"):
        here = urljoin(base, entry.get(_XML_BASE, "")) if entry.get(_XML_BASE) else base
        kind = etree.QName(entry).localname
        if kind == "group":
            _read_entries(catalog, entry, here, depth)
        elif kind in ("uri", "system", "public"):
            key = entry.get({"uri": "name", "system": "systemId", "public": "publicId"}[kind])
            if key and entry.get("uri"):
                catalog.exact.setdefault(key, urljoin(here, entry.get("uri", "")))
        elif kind in ("rewriteSystem", "rewriteURI"):
            start = entry.get("systemIdStartString") or entry.get("uriStartString")
            if start and entry.get("rewritePrefix") is not None:
                catalog.prefixes.append((start, urljoin(here, entry.get("rewritePrefix", ""))))
        elif kind in ("systemSuffix", "uriSuffix"):
            suffix = entry.get("systemIdSuffix") or entry.get("uriSuffix")
            if suffix and entry.get("uri"):
                catalog.suffixes.append((suffix, urljoin(here, entry.get("uri", ""))))
        elif kind == "nextCatalog" and entry.get("catalog"):
            _read_into(catalog, file_path(urljoin(here, entry.get("catalog", ""))), depth + 1)


class OfflineResolver(etree.Resolver):
    """Loads schema documents from the catalog or from allowed local folders, never the network.

    Attributes:
        refused: URLs that were asked for and refused, for the error message.
    """

    def __init__(self, allowed_roots: list[Path], catalog: Catalog | None = None) -> None:
        super().__init__()
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.catalog = catalog
        self.refused: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        target = self._locate(system_url, public_id)
        if target is None:
            self.refused.append(system_url or public_id or "?")
            return self.resolve_empty(context)
        try:
            data = read_capped(target, DEFAULT_LIMITS.max_bytes)
            check_bytes(data, str(target))
        except UnreadableInput as exc:
            self.refused.append(f"{system_url} ({exc.reason})")
            return self.resolve_empty(context)
        return self.resolve_string(data, context, base_url=target.as_uri())

    def _locate(self, system_url: str | None, public_id: str | None) -> Path | None:
        for identifier in (system_url, public_id):
            if identifier and self.catalog is not None:
                mapped = self.catalog.lookup(identifier)
                if mapped is not None:
                    return file_path(mapped)  # the catalog's author vouched for this file
        if system_url and urlparse(system_url).scheme in ("", "file"):
            path = file_path(system_url)
            if any(path.is_relative_to(root) for root in self.allowed_roots):
                return path
        return None


def file_path(uri: str) -> Path:
    """The local path a file: URI (or a plain path) names."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        raise SchemaError(f"catalog entry points outside the local disk: {uri}")
    return Path(unquote(parsed.path)).resolve()
