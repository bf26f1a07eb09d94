"""A small, offline JSON-LD reader for CASE/UCO graphs: capped, expanded, references resolved.

Not a JSON-LD processor: it expands compact IRIs and terms with the document's own
``@context`` (a remote context is never fetched, only reported), flattens nested node objects
into one table by ``@id`` (blank nodes get ``_:bN``), and keeps values as literals or
references. The input is hostile until proven otherwise: a size cap, a depth cap checked
before any walk (so that no walk can recurse too deep), and a node cap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from interop.errors import UnreadableInput

MAX_BYTES: Final = 50 * 1024 * 1024
MAX_DEPTH: Final = 64
MAX_NODES: Final = 500_000
# Keywords of a node object this reader honours; any other one (@reverse, @included, @nest,
# a scoped @context) is reported, not silently dropped.
_UNDERSTOOD: Final = frozenset({"@id", "@type", "@graph"})


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to the node with this (expanded) ``@id``."""

    id: str


Value = Ref | str


@dataclass(slots=True)
class Node:
    """One node: expanded id, types and properties (expanded IRIs -> values)."""

    id: str
    types: list[str] = field(default_factory=list)
    properties: dict[str, list[Value]] = field(default_factory=dict)


def load(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> Any:
    """Parse JSON within the size and depth caps.

    Raises:
        UnreadableInput: too large, not UTF-8 JSON, or nested deeper than ``MAX_DEPTH``.
    """
    if len(data) > max_bytes:
        raise UnreadableInput(
            source, f"file is larger than the {max_bytes // (1024 * 1024)} MB limit for JSON-LD"
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UnreadableInput(source, "not UTF-8 text; JSON-LD is UTF-8") from None
    except json.JSONDecodeError as exc:
        raise UnreadableInput(source, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise UnreadableInput(source, f"JSON nested deeper than {MAX_DEPTH} levels") from None
    _check_depth(document, source)
    return document


def _check_depth(document: Any, source: str) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise UnreadableInput(source, f"JSON nested deeper than {MAX_DEPTH} levels")
        if count > MAX_NODES * 8:
            raise UnreadableInput(source, "too many JSON values; split the graph")
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)


class Graph:
    """The nodes of one JSON-LD document, with the document's prefixes for messages."""

    def __init__(self, document: Any, source: str) -> None:
        self.source = source
        self.prefixes: dict[str, str] = {}
        self.vocab: str | None = None
        self.remote: list[str] = []
        self.keywords: list[tuple[str, str]] = []  # (node id, keyword) not understood
        self.nodes: dict[str, Node] = {}
        self._blank = 0
        if isinstance(document, list):
            document = {"@graph": document}
        if not isinstance(document, dict):
            raise UnreadableInput(
                source, "not JSON-LD: the document is neither an object nor a list"
            )
        self._context(document.get("@context"))
        top = document.get("@graph")
        entries = top if isinstance(top, list) else [top] if isinstance(top, dict) else [document]
        for entry in entries:
            if isinstance(entry, dict):
                self._node(entry)

    # context -------------------------------------------------------------------------------
    def _context(self, context: Any) -> None:
        for part in context if isinstance(context, list) else [context]:
            if isinstance(part, str):
                self.remote.append(part)  # never fetched
            elif isinstance(part, dict):
                for term, value in part.items():
                    iri = value.get("@id") if isinstance(value, dict) else value
                    if term == "@vocab" and isinstance(iri, str):
                        self.vocab = iri
                    elif isinstance(iri, str) and not term.startswith("@"):
                        self.prefixes[term] = iri

    def expand(self, term: str) -> str:
        """An IRI for a compact IRI, term or absolute IRI, with the document's context."""
        prefix, colon, suffix = term.partition(":")
        if colon and not suffix.startswith("//"):
            base = self.prefixes.get(prefix)
            if base is not None:
                return base + suffix
            return term
        if colon or term.startswith("_:"):
            return term
        if term in self.prefixes:
            return self.prefixes[term]
        return (self.vocab or "") + term if self.vocab else term

    def compact(self, iri: str) -> str:
        """The shortest prefixed form of ``iri`` for messages."""
        best = iri
        for prefix, base in self.prefixes.items():
            if base and iri.startswith(base) and len(iri) - len(base) + len(prefix) + 1 < len(best):
                best = f"{prefix}:{iri[len(base) :]}"
        return best

    # nodes ---------------------------------------------------------------------------------
    def _node(self, entry: dict[str, Any]) -> Ref:
        raw_id = entry.get("@id")
        if isinstance(raw_id, str):
            node_id = self.expand(raw_id)
        else:
            self._blank += 1
            node_id = f"_:b{self._blank}"
        node = self.nodes.get(node_id)
        if node is None:
            if len(self.nodes) >= MAX_NODES:
                raise UnreadableInput(self.source, f"more than {MAX_NODES} nodes; split the graph")
            node = self.nodes[node_id] = Node(node_id)
        types = entry.get("@type", [])
        for kind in types if isinstance(types, list) else [types]:
            if isinstance(kind, str) and self.expand(kind) not in node.types:
                node.types.append(self.expand(kind))
        for key, raw in entry.items():
            if key.startswith("@"):
                if key not in _UNDERSTOOD:
                    self.keywords.append((node_id, key))
                continue
            values = node.properties.setdefault(self.expand(key), [])
            for value in _members(raw):
                converted = self._value(value)
                if converted is not None:
                    values.append(converted)
        return Ref(node_id)

    def _value(self, value: Any) -> Value | None:
        if isinstance(value, dict):
            return self._object(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        return None

    def _object(self, value: dict[str, Any]) -> Value | None:
        """A value object (literal), a reference or a nested node."""
        if "@value" in value:
            return str(value["@value"])
        if set(value) == {"@id"} and isinstance(value["@id"], str):
            return Ref(self.expand(value["@id"]))
        return self._node(value)

    # access --------------------------------------------------------------------------------
    def values(self, node: Node, prop: str) -> list[Value]:
        return node.properties.get(prop, [])

    def literal(self, node: Node, prop: str) -> str | None:
        for value in self.values(node, prop):
            if isinstance(value, str) and value.strip():
                return value.strip()
        return None

    def refs(self, node: Node, prop: str) -> list[Node]:
        return [
            self.nodes[value.id]
            for value in self.values(node, prop)
            if isinstance(value, Ref) and value.id in self.nodes
        ]

    def follow(self, node: Node, prop: str, chain: tuple[str, ...]) -> list[Node]:
        """``refs`` that refuses a reference back into ``chain`` (a cycle).

        Raises:
            UnreadableInput: a node refers, through ``prop``, to one it is part of.
        """
        found = self.refs(node, prop)
        for target in found:
            if target.id in chain or target.id == node.id:
                loop = " -> ".join(self.compact(i) for i in (*chain, node.id, target.id))
                raise UnreadableInput(
                    self.source,
                    f"reference cycle {loop} ({self.compact(prop)}); a node cannot contain itself",
                )
        return found


def _members(raw: Any) -> list[Any]:
    """The values of a property: a list, an ``@list``/``@set`` object, or one value."""
    if isinstance(raw, dict) and ("@list" in raw or "@set" in raw):
        raw = raw.get("@list", raw.get("@set"))
    return raw if isinstance(raw, list) else [raw]
