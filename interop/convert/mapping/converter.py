"""A converter made from a mapping spec: what a ministry writes instead of Python."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.mapping.engine import Engine
from interop.convert.mapping.spec import load_spec
from interop.errors import UnreadableInput, UsageError
from interop.validate.findings import Finding
from interop.validate.xsd import compile_schema, xsd_findings
from interop.xmlio import parse_bytes, serialize


class SpecConverter:
    """Converts both ways as a TOML mapping spec says; checks output against the spec's XSD."""

    directions = frozenset({Direction.TO_COMMON, Direction.FROM_COMMON})

    def __init__(self, spec_path: Path) -> None:
        self.spec = load_spec(spec_path)
        self.engine = Engine(self.spec)
        self.name = self.spec.name
        self.version = self.spec.version
        self.description = self.spec.description
        self.document_types: tuple[str, ...] = (self.spec.document_type,)
        self.extension = self.spec.extension
        self.extensions: tuple[str, ...] = (self.spec.extension,)

    def to_common(self, data: bytes, source: str) -> ToCommon:
        tree = parse_bytes(data, source)
        self._expect_root(tree, self.spec.national_root, source)
        document, loss = self.engine.to_common(tree)
        return ToCommon(document, loss)

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        self._expect_root(document, self.spec.common_root, "the common document")
        tree, loss = self.engine.from_common(document)
        return FromCommon(serialize(tree), loss)

    def check_output(self, data: bytes) -> list[Finding]:
        """Validate what :meth:`from_common` wrote against the national XSD, if the spec has one."""
        if self._schema is None:
            return []
        prefixes = {uri: prefix for prefix, uri in self.spec.namespaces.items()}
        return xsd_findings(self._schema, parse_bytes(data, "output"), prefixes)

    @cached_property
    def _schema(self) -> etree.XMLSchema | None:
        return compile_schema(self.spec.schema) if self.spec.schema else None

    def _expect_root(self, tree: etree._ElementTree, step: str, source: str) -> None:
        expected = self.engine.qname(step)
        if tree.getroot().tag != expected:
            found = etree.QName(tree.getroot()).text
            raise UnreadableInput(source, f"{self.name} expects root {step}, found {found}")


def from_spec_file(path: str) -> SpecConverter:
    """A converter from a spec file named on the command line (``--from my-format.toml``).

    Raises:
        UsageError: the file does not exist.
    """
    spec = Path(path)
    if not spec.is_file():
        raise UsageError(f"{path}: no such mapping spec")
    return SpecConverter(spec)
