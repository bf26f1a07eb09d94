"""What every converter is: a name, a version, directions, document types, two functions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from lxml import etree

from interop.convert.loss import LossReport


class Direction(StrEnum):
    """Which way a converter can go."""

    TO_COMMON = "to-common"  # national bytes -> common document
    FROM_COMMON = "from-common"  # common document -> national bytes


@dataclass(frozen=True, slots=True)
class ToCommon:
    """The result of reading a national document: a common document and what was lost."""

    document: etree._ElementTree
    loss: LossReport


@dataclass(frozen=True, slots=True)
class FromCommon:
    """The result of writing a national document: its bytes and what was lost."""

    data: bytes
    loss: LossReport
    media_type: str = "application/xml"


@runtime_checkable
class Converter(Protocol):
    """A national format. Implemented by mapping specs, Python classes or XSLT alike.

    Attributes:
        name: short name used on the command line (``xjustiz``, ``csv-recipients``).
        version: version of the national format it speaks (``3.6.2``).
        directions: what it can do.
        document_types: common document types it produces or consumes (``evidence-request``).
        description: one line for ``interop convert --list``.
    """

    name: str
    version: str
    directions: frozenset[Direction]
    document_types: tuple[str, ...]
    description: str

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read national bytes (``source`` names them in errors) into a common document.

        Raises:
            interop.errors.UnreadableInput: the bytes are not a document of this format.
        """
        ...

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Write a common document in this national format.

        Raises:
            interop.errors.UsageError: this converter cannot write that document type.
        """
        ...
