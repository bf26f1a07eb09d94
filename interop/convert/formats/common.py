"""The common formats themselves, as a converter: ``--from common`` / ``--to common``."""

from __future__ import annotations

from lxml import etree

from interop import __version__
from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.loss import LossReport
from interop.errors import UnreadableInput
from interop.formats import registry
from interop.xmlio import parse_bytes, serialize


class CommonFormat:
    """Reads and writes documents of the bundled common formats unchanged."""

    name = "common"
    version = __version__
    directions = frozenset({Direction.TO_COMMON, Direction.FROM_COMMON})
    description = "the interop common formats (request, notification, evidence), version 1"

    @property
    def document_types(self) -> tuple[str, ...]:
        return tuple(f.name for f in registry().formats)

    def to_common(self, data: bytes, source: str) -> ToCommon:
        tree = parse_bytes(data, source)
        if registry().detect(tree) is None:
            root = etree.QName(tree.getroot()).text
            raise UnreadableInput(source, f"not a common document (root element {root})")
        return ToCommon(tree, LossReport())

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        return FromCommon(serialize(document), LossReport())
