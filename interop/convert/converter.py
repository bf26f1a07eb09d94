"""What every converter is: a name, a version, directions, document types, two functions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from lxml import etree

from interop.convert.loss import LossEntry, LossReport
from interop.errors import UsageError


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
class Attachment:
    """A file that travels with a national document and is written next to it.

    Attributes:
        name: a plain file name (no folder, no ``..``): it is written into the output's folder.
        data: the file's bytes.
        carries_only: what only this file carries, by source path: parts of the common
            document the national document itself lacks. These are not losses (the file
            goes with the output), so they never count for ``--strict``; the JSON report
            lists them so that a reader of the national document alone knows what is missing.
    """

    name: str
    data: bytes
    carries_only: tuple[LossEntry, ...] = ()

    def __post_init__(self) -> None:
        problem = plain_file_name_problem(self.name)
        if problem:
            raise UsageError(f"attachment {self.name!r}: {problem}")


@dataclass(frozen=True, slots=True)
class FromCommon:
    """The result of writing a national document: its bytes, what was lost, and its files.

    ``attachments`` are written next to the output, all of them or none (see the pipeline).
    """

    data: bytes
    loss: LossReport
    media_type: str = "application/xml"
    attachments: tuple[Attachment, ...] = ()


def plain_file_name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain file name inside one folder, or None when it is.

    File names come from documents (ours, or a message we read), so a name must never reach
    outside its folder: no separators, no ``..``, no drive, nothing empty or hidden.
    """
    if not name or name.strip() != name:
        return "empty, or with spaces at either end"
    if "/" in name or "\\" in name:
        return "contains a path separator; only a plain file name is allowed"
    if ".." in name:
        return "contains '..'; only a plain file name is allowed"
    if name.startswith(".") or ":" in name:
        return "a hidden file or a drive name; only a plain file name is allowed"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in name):
        return "contains control characters"
    return None


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
        """Write a common document in this national format (and any files that go with it).

        Raises:
            interop.errors.UsageError: this converter cannot write that document type.
        """
        ...
