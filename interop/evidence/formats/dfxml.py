"""DFXML (Digital Forensics XML) -> draft evidence manifests, in both dialects found in use.

* **1.x**, as real tools write it (md5deep/hashdeep ``-d``, fiwalk): elements in no namespace,
  or the old ``http://md5deep.sourceforge.net/md5deep/`` namespace on parts of the file.
* **2.0** (the dfxml_schema ``dfxml.xsd``): everything in the namespace
  ``http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML``.

Each ``fileobject`` (anywhere: under ``dfxml``, inside a ``volume``, or the document itself)
becomes one ``digital-file`` item: ``filename`` the path (relative to the evidence folder: a
``..`` refuses the file, an absolute name needs ``-O root=FOLDER``), ``filesize`` the size,
``hashdigest`` the hashes (md5, sha1, sha256, sha512; others, empty values, values of the
wrong length and conflicting values are reported), ``crtime``, ``mtime``, ``ctime`` and
``atime`` the ``e:fileTimes``. ``creator/program`` and ``creator/version`` name the tool of
the acquisition, at ``execution_environment/start_time``, by a stand-in holder (reported).
Everything else (volumes, byte runs, inodes, rusage ...) is reported as not carried. The file
is read only through :mod:`interop.xmlio` (no DTD, no entities, size and depth caps).
"""

from __future__ import annotations

import re
from typing import Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.errors import UnreadableInput, UsageError
from interop.evidence.formats.draft import (
    MANIFEST,
    Acquisition,
    FileListOptions,
    Item,
    Tool,
    algorithm_code,
    authority_holder,
    build,
    evidence_path,
    hash_problem,
    unfilled,
    utc_instant,
)
from interop.validate.locate import named_xpath
from interop.xmlio import parse_bytes

DFXML_2: Final = "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"
MD5DEEP: Final = "http://md5deep.sourceforge.net/md5deep/"
_OURS: Final = frozenset({None, DFXML_2, MD5DEEP})
_PREFIXES: Final = {DFXML_2: "dfxml", MD5DEEP: "md5deep"}
_TIMES: Final = {"crtime": "created", "mtime": "modified", "ctime": "changed", "atime": "accessed"}
_DATETIME: Final = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


def _local(element: etree._Element) -> str | None:
    """The local name of an element of DFXML (either dialect), None for anything else."""
    if not isinstance(element.tag, str):
        return None
    name = etree.QName(element)
    return name.localname if name.namespace in _OURS else None


def _child(parent: etree._Element, local: str) -> etree._Element | None:
    return next((child for child in parent if _local(child) == local), None)


class Dfxml(FileListOptions):
    """DFXML 1.x and 2.0 file listings -> a draft evidence manifest."""

    name = "dfxml"
    version = "2.0"
    description = "DFXML 1.x (md5deep, fiwalk) and 2.0 file objects with hashes (draft manifest)"
    directions = frozenset({Direction.TO_COMMON})
    document_types = ("evidence-manifest",)
    extensions = (".xml", ".dfxml")

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read the file objects; everything not carried is in the loss report."""
        document = parse_bytes(data, source).getroot()
        if _local(document) not in ("dfxml", "fileobject"):
            raise UnreadableInput(
                source, f"not DFXML: the root element is {etree.QName(document).text}"
            )
        reading = _Reading(source, self.root)
        reading.consumed.add(document)
        objects = (
            [document]
            if _local(document) == "fileobject"
            else [element for element in document.iter() if _local(element) == "fileobject"]
        )
        for element in objects:
            reading.file_object(element)
        if not reading.items:
            raise UnreadableInput(source, "no fileobject names a file with a filename")
        loss: list[LossEntry] = []
        header = self.header(loss)
        holder = authority_holder(header, loss)
        reading.creator(document, holder.id)
        for name, value in document.attrib.items():
            path = f"{reading.where(document)}/@{etree.QName(name).localname}"
            reading.loss.append(LossEntry(LossKind.UNCONSUMED, path, preview(value)))
        reading.unconsumed(document)
        loss[:0] = reading.loss
        items = f"{MANIFEST}/e:items/e:item"
        loss.append(
            unfilled(
                f"{items}/e:exhibitNumber", "", "DFXML has no exhibit numbers; the path stands in"
            )
        )
        loss.append(
            unfilled(f"{items}/e:seizure", "", "DFXML records no seizure or source item (EVD-020)")
        )
        tree = build(header, [holder], list(reading.items.values()), [])
        return ToCommon(tree, LossReport(tuple(loss)))

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Not offered: DFXML is written by forensic tools, manifests by interop."""
        raise UsageError("dfxml is only read; export manifests with --to case")


class _Reading:
    """The state of one file: items by path, nodes read, what was lost."""

    def __init__(self, source: str, root: str | None) -> None:
        self.source = source
        self.root = root
        self.items: dict[str, Item] = {}
        self.consumed: set[etree._Element] = set()
        self.loss: list[LossEntry] = []

    def where(self, element: etree._Element) -> str:
        return named_xpath(element, _PREFIXES)

    def text(self, element: etree._Element | None) -> str | None:
        if element is None:
            return None
        self.consumed.add(element)
        return (element.text or "").strip() or None

    def rejected(self, element: etree._Element, value: str, reason: str) -> None:
        self.loss.append(LossEntry(LossKind.REJECTED, self.where(element), preview(value), reason))

    def file_object(self, element: etree._Element) -> None:
        name_element = _child(element, "filename")
        raw = self.text(name_element)
        if name_element is None or raw is None:
            return  # reported with the rest of the object as not carried
        checked = evidence_path(raw, self.root)
        if checked.hostile:
            line = name_element.sourceline
            raise UnreadableInput(self.source, f"filename {raw!r}: {checked.hostile}", line)
        self.consumed.add(element)
        if checked.path is None:
            self.rejected(name_element, raw, checked.problem or "")
            return
        item = self.items.get(checked.path)
        if item is None:
            item = Item(
                id=f"I{len(self.items) + 1}",
                type="digital-file",
                exhibit_number=checked.path,
                description=checked.path,
                path=checked.path,
                source_path=checked.source_path,
            )
            self.items[checked.path] = item
        for child in element:
            local = _local(child)
            if local == "filesize":
                self.size(item, child)
            elif local == "hashdigest":
                self.digest(item, child)
            elif local in _TIMES:
                self.time(item, child, _TIMES[local])

    def size(self, item: Item, element: etree._Element) -> None:
        value = self.text(element) or ""
        if not value.isdigit():
            self.rejected(element, value, "filesize is not a number of bytes")
        elif item.size is not None and item.size != int(value):
            self.rejected(element, value, f"conflicts with the size {item.size} given before")
        else:
            item.size = int(value)

    def digest(self, item: Item, element: etree._Element) -> None:
        value = self.text(element) or ""
        kind = element.get("type", "")
        code = algorithm_code(kind)
        if code is None:
            self.rejected(element, value, f"unknown hash algorithm {kind!r}; the value is not kept")
            return
        problem = hash_problem(code, value) if value else f"empty {code} value"
        problem = problem or item.add_hash(code, value)
        if problem:
            self.rejected(element, value, problem)

    def time(self, item: Item, element: etree._Element, key: str) -> None:
        value = self.text(element) or ""
        if not _DATETIME.fullmatch(value):
            self.rejected(element, value, "not an ISO 8601 date and time")
        elif key in item.times and item.times[key] != value:
            self.rejected(element, value, f"conflicts with {item.times[key]} given before")
        else:
            item.times[key] = value

    def creator(self, document: etree._Element, holder: str) -> None:
        """``creator/program`` + ``version`` -> the acquisition tool of every item."""
        creator = _child(document, "creator")
        if creator is None:
            return
        program = _child(creator, "program")
        version = _child(creator, "version")
        environment = _child(creator, "execution_environment")
        start = _child(environment, "start_time") if environment is not None else None
        name = (program.text or "").strip() if program is not None else ""
        at = utc_instant(start.text or "") if start is not None else None
        if not name or at is None:
            return  # without a tool name and a time there is no acquisition to record
        tool = Tool(name, self.text(version))
        self.text(program)
        self.text(start)
        for item in self.items.values():
            item.acquisition = Acquisition(acquired_at=at, acquired_by=holder, tool=tool)
        self.loss.append(
            unfilled(
                f"{MANIFEST}/e:items/e:item/e:acquisition/e:acquiredBy",
                holder,
                "DFXML does not name who ran the tool; the stand-in holder is given",
            )
        )

    def unconsumed(self, element: etree._Element) -> None:
        """Report what was not read: whole subtrees once, attributes of what was read."""
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child in self.consumed or any(node in self.consumed for node in child.iter()):
                for name, value in child.attrib.items():
                    if name != "type" or _local(child) != "hashdigest":
                        path = f"{self.where(child)}/@{etree.QName(name).localname}"
                        self.loss.append(LossEntry(LossKind.UNCONSUMED, path, preview(value)))
                self.unconsumed(child)
            else:
                text = " ".join(" ".join(child.itertext()).split())
                self.loss.append(LossEntry(LossKind.UNCONSUMED, self.where(child), preview(text)))
