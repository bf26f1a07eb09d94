"""Mapping specs: TOML files that pair national paths with common paths.

    [format]
    name = "example"            # the name used with --from / --to
    version = "1.0"
    description = "..."
    document_type = "evidence-request"
    national_root = "x:ersuchen"
    common_root = "r:evidenceRequest"
    schema = "example.xsd"      # optional: the national XSD, relative to the spec

    [namespaces]
    x = "urn:example"           # c, cl, r, n, e are predefined

    [tables.roles]              # national code = common code
    BES = "suspect"

    [[map]]                     # a field: one value each way
    national = "x:datum"
    common = "c:issueDate"
    transform = "date:%d.%m.%Y"
    required = true             # an empty result is reported as unfilled

    [[map]]                     # a group: one common element per national node
    national = "x:person"
    common = "r:personsConcerned/c:party"
      [[map.map]]               # fields and groups inside, paths relative to the group
      national = "@nr"
      common = "@id"

Other keys of a field:
- ``default``: a constant when the source has nothing; nothing is written back when the value
  equals it. With an empty ``common`` it is a constant of the national side (a code list's
  version, say): written every time, and checked on reading.
- ``join``: a separator; one national value holds several common values (given names).
- ``when_national`` / ``when_common``: an XPath condition on that direction's source node.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interop.convert.mapping.transforms import Transform, compile_transform
from interop.errors import SchemaError

COMMON_NAMESPACES = {
    "c": "urn:interop:common:1",
    "cl": "urn:interop:codelist:1",
    "r": "urn:interop:request:1",
    "n": "urn:interop:notification:1",
    "e": "urn:interop:evidence:1",
}
_FIELD_KEYS = frozenset(
    {
        "national",
        "common",
        "transform",
        "required",
        "default",
        "join",
        "when_national",
        "when_common",
        "map",
    }
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``[[map]]`` entry: a field, or a group when it has ``children``."""

    national: str
    common: str
    transform: Transform | None
    required: bool
    default: str | None
    join: str | None
    when_national: str | None
    when_common: str | None
    children: tuple[Rule, ...]
    where: str  # "spec.toml: map[3]" for messages

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True, slots=True)
class Spec:
    """A whole mapping spec."""

    path: Path
    name: str
    version: str
    description: str
    document_type: str
    national_root: str
    common_root: str
    schema: Path | None
    extension: str
    namespaces: Mapping[str, str]
    rules: tuple[Rule, ...]
    tables: Mapping[str, Mapping[str, str]]  # national code -> common code, per table


def load_spec(path: Path) -> Spec:
    """Read and check a mapping spec.

    Raises:
        SchemaError: the file is not valid TOML or breaks the spec format (file and entry named).
    """
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read mapping spec: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{path}: not valid TOML: {exc}") from None
    head = _table(data, "format", path)
    tables = {k: {str(a): str(b) for a, b in v.items()} for k, v in data.get("tables", {}).items()}
    namespaces = {
        **COMMON_NAMESPACES,
        **{str(k): str(v) for k, v in data.get("namespaces", {}).items()},
    }
    rules = tuple(
        _rule(entry, tables, f"{path.name}: map[{i + 1}]")
        for i, entry in enumerate(data.get("map", []))
    )
    schema = head.get("schema")
    return Spec(
        path=path,
        name=_text(head, "name", path),
        version=_text(head, "version", path),
        description=str(head.get("description", "")),
        document_type=_text(head, "document_type", path),
        national_root=_text(head, "national_root", path),
        common_root=_text(head, "common_root", path),
        schema=(path.parent / schema).resolve() if schema else None,
        extension=str(head.get("extension", ".xml")),
        namespaces=namespaces,
        rules=rules,
        tables=tables,
    )


def _rule(entry: Any, tables: Mapping[str, Mapping[str, str]], where: str) -> Rule:
    if not isinstance(entry, dict):
        raise SchemaError(f"{where}: each [[map]] entry is a table")
    unknown = set(entry) - _FIELD_KEYS
    if unknown:
        raise SchemaError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(_FIELD_KEYS)}")
    if not entry.get("national") and not entry.get("common"):
        raise SchemaError(f"{where}: a map entry needs 'national', 'common' or both")
    if not (entry.get("national") and entry.get("common")) and "default" not in entry:
        raise SchemaError(f"{where}: an entry with one side only needs a 'default'")
    children = tuple(
        _rule(child, tables, f"{where}.map[{i + 1}]")
        for i, child in enumerate(entry.get("map", []))
    )
    transform = entry.get("transform")
    return Rule(
        national=str(entry.get("national", "")),
        common=str(entry.get("common", "")),
        transform=compile_transform(str(transform), tables, where) if transform else None,
        required=bool(entry.get("required", False)),
        default=str(entry["default"]) if "default" in entry else None,
        join=str(entry["join"]) if "join" in entry else None,
        when_national=entry.get("when_national"),
        when_common=entry.get("when_common"),
        children=children,
        where=where,
    )


def _table(data: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise SchemaError(f"{path}: the [{key}] table is missing")
    return value


def _text(table: Mapping[str, Any], key: str, path: Path) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise SchemaError(f'{path}: [format] needs {key} = "..."')
    return value
