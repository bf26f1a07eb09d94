"""What the evidence importers share: the manifest around the items, checked paths and hashes.

An imported list of files (a hash list, DFXML, a CASE graph) knows the files, their hashes and
sometimes who handled them; it never knows the legal side of a seizure (legal basis, decision).
The importers therefore build a *draft manifest*, like the XJustiz 0500017 reader: schema-valid,
with every stand-in value reported as ``unfilled`` in the loss report, and without inventing
a seizure. The business rules then say what is missing (EVD-018, EVD-019, EVD-020 ...), and
the pipeline does not write a manifest that breaks them.

The document-level data a tool's output never holds (case reference, compiling authority) come
from the converter's options, exactly as for ``csv-evidence``; holders and places the source
does not place in a country are taken to be in the compiling authority's country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Final

from lxml import etree

from interop.convert.formats.csv_document import (
    Authority,
    DocumentOptions,
    Header,
    add_authority,
    add_reference,
    resolve,
    start_document,
    sub,
)
from interop.convert.loss import LossEntry, LossKind

E: Final = "urn:interop:evidence:1"
C: Final = "urn:interop:common:1"
NSMAP: Final[dict[str | None, str]] = {"e": E, "c": C}
MANIFEST: Final = "/e:evidenceManifest"
DEFAULT_LANGUAGE: Final = "en"

# cl:HashAlgorithmCode and the length of each value in hexadecimal characters.
HASH_LENGTHS: Final = {"MD5": 32, "SHA-1": 40, "SHA-256": 64, "SHA-512": 128, "SHA3-256": 64}
_ALGORITHMS: Final = {
    "md5": "MD5",
    "sha1": "SHA-1",
    "sha256": "SHA-256",
    "sha512": "SHA-512",
    "sha3256": "SHA3-256",
}
_HEX: Final = re.compile(r"[0-9a-fA-F]+")
_BAD = r'/\\:*?"<>|\x00-\x1f\x7f-\x9f'  # never in a segment of e:RelativePath
_SEGMENT = rf"(?:[^{_BAD}.\s]|[^{_BAD}\s][^{_BAD}]*[^{_BAD}.\s])"
_PATH: Final = re.compile(rf"(?=.{{1,1024}}$){_SEGMENT}(?:/{_SEGMENT})*")
_DRIVE: Final = re.compile(r"[A-Za-z]:")
_INSTANT: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})"
)


def algorithm_code(name: str) -> str | None:
    """The ``cl:HashAlgorithmCode`` of a tool's algorithm name (``sha256``, ``SHA-256``)."""
    return _ALGORITHMS.get(re.sub(r"[\s_\-]", "", name).lower())


def hash_problem(code: str, value: str) -> str | None:
    """Why ``value`` is not a ``code`` hash (not hexadecimal, wrong length), or None."""
    if not _HEX.fullmatch(value):
        return f"{code} value is not hexadecimal"
    if len(value) != HASH_LENGTHS[code]:
        return (
            f"{code} value has {len(value)} hexadecimal characters instead of {HASH_LENGTHS[code]}"
        )
    return None


@dataclass(frozen=True, slots=True)
class EvidencePath:
    """A file name from a tool, made relative to the evidence folder.

    Attributes:
        path: the path inside the evidence folder, or None when the name cannot be one.
        source_path: the name as the tool wrote it, when it differs from ``path``.
        hostile: why the name points outside the evidence folder (``..``, absolute without a
            root): such a list is refused, not imported in part.
        problem: why a harmless name is not a portable path (``*``, ``:`` ...): reported.
    """

    path: str | None
    source_path: str | None = None
    hostile: str | None = None
    problem: str | None = None


def evidence_path(raw: str, root: str | None) -> EvidencePath:
    """Check and shorten a file name from a tool's output (see :class:`EvidencePath`).

    ``root`` is the folder the tool ran in (the option ``root``): absolute names below it lose
    that prefix. Backslashes count as separators and ``.`` segments are dropped.
    """
    if any(ord(char) < 0x20 for char in raw):
        return EvidencePath(None, raw, hostile="contains control characters")
    name = raw.replace("\\", "/")
    if root:
        prefix = root.replace("\\", "/").rstrip("/") + "/"
        if name.startswith(prefix):
            name = name[len(prefix) :]
        elif _absolute(name):
            return EvidencePath(None, raw, hostile=f"absolute path outside the root {root}")
    elif _absolute(name):
        return EvidencePath(
            None,
            raw,
            hostile="absolute path; pass -O root=FOLDER (the folder the tool ran in) to make "
            "the names relative, or make the list with relative names",
        )
    segments = [segment for segment in name.split("/") if segment not in ("", ".")]
    if ".." in segments:
        return EvidencePath(None, raw, hostile="path with '..' leaves the evidence folder")
    path = "/".join(segments)
    source = raw if path != raw else None
    if not _PATH.fullmatch(path):
        return EvidencePath(
            None,
            raw,
            problem='not a portable path (no * ? : < > | " or segments ending in a dot or space)',
        )
    return EvidencePath(path, source)


def _absolute(name: str) -> bool:
    return name.startswith("/") or bool(_DRIVE.match(name))


def utc_instant(text: str) -> str | None:
    """An ISO 8601 instant with a time zone as ``e:UtcDateTime`` (milliseconds at most), or None.

    Instants without a time zone are not guessed: None.
    """
    value = text.strip()
    if not _INSTANT.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        stamp += f".{moment.microsecond // 1000:03d}".rstrip("0").rstrip(".")
    return stamp + "Z"


# ----------------------------------------------------------------------------------------------
# The draft
# ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Holder:
    id: str
    name: str
    function: str
    organisation: str
    country: str
    unit: str | None = None
    service_number: str | None = None


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    version: str | None = None


@dataclass(slots=True)
class Seizure:
    at: str
    locality: str
    country: str
    seized_by: str


@dataclass(slots=True)
class Acquisition:
    acquired_at: str
    acquired_by: str
    tool: Tool | None = None
    started_at: str | None = None
    method: str | None = None


@dataclass(slots=True)
class Item:
    """One item of the draft; ``add_hash`` keeps one value per algorithm or reports a conflict."""

    id: str
    type: str
    exhibit_number: str
    description: str
    device: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    source_path: str | None = None
    size: int | None = None
    media_type: str | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)
    times: dict[str, str] = field(default_factory=dict)  # created, modified, changed, accessed
    seizure: Seizure | None = None
    acquisition: Acquisition | None = None
    derived_from: str | None = None
    note: str | None = None

    def add_hash(self, code: str, value: str) -> str | None:
        """Add a checked hash; a second, different value for the algorithm drops both.

        Returns:
            None, or why the value conflicts with one given before (then the item has no value
            for that algorithm: which one is right is not guessed).
        """
        value = value.lower()
        if code in self.conflicts:
            return f"a third {code} value for the same file"
        known = self.hashes.get(code)
        if known is None:
            self.hashes[code] = value
            return None
        if known == value:
            return None
        del self.hashes[code]
        self.conflicts.add(code)
        return (
            f"{code} {value} conflicts with {known} given before for the same file; neither is kept"
        )


@dataclass(slots=True)
class Event:
    id: str
    items: list[str]
    from_holder: str
    to_holder: str
    at: str
    locality: str
    country: str
    purpose: str
    tools: list[Tool] = field(default_factory=list)
    note: str | None = None
    means: Means | None = None
    seals_intact: bool | None = None


@dataclass(frozen=True, slots=True)
class Means:
    """How items travelled (``e:MeansType``)."""

    method: str
    carrier: str | None = None
    tracking_reference: str | None = None
    container_seals: tuple[str, ...] = ()


class DraftOptions:
    """The manifest-level options every evidence importer takes (as ``csv-evidence`` does)."""

    def __init__(
        self,
        *,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        compiled_by: Authority | None = None,
    ) -> None:
        self.options = DocumentOptions(
            document_id, issue_date, document_language, case_reference, compiled_by
        )

    def header(self, loss: list[LossEntry], case_reference: str | None = None) -> Header:
        """The checked header; a missing document language is English (our own texts are).

        ``case_reference`` is the source's own, used when the option does not give one.
        """
        options = self.options
        if case_reference and not options.case_reference:
            options = replace(options, case_reference=case_reference)
        if not options.document_language:
            options = replace(options, document_language=DEFAULT_LANGUAGE)
            loss.append(
                unfilled(
                    f"{MANIFEST}/c:documentLanguage",
                    DEFAULT_LANGUAGE,
                    "the source does not say; pass --document-language",
                )
            )
        return resolve(options, "compiled_by (--authority NAME;KIND;CC)")


class FileListOptions(DraftOptions):
    """Options of importers of file lists made by a tool (DFXML, hash lists), which name
    files by the tool's own, often absolute, paths."""

    def __init__(
        self,
        *,
        root: str | None = None,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        compiled_by: Authority | None = None,
    ) -> None:
        """``root``: the folder the tool ran in; absolute names below it become relative."""
        super().__init__(
            document_id=document_id,
            issue_date=issue_date,
            document_language=document_language,
            case_reference=case_reference,
            compiled_by=compiled_by,
        )
        self.root = root


def unfilled(path: str, value: str, reason: str) -> LossEntry:
    return LossEntry(LossKind.UNFILLED, path, value, reason)


def authority_holder(header: Header, loss: list[LossEntry]) -> Holder:
    """A holder standing for the compiling authority, when the source names no person."""
    name = header.authority.name
    loss.append(
        unfilled(
            f"{MANIFEST}/e:holders/e:holder",
            name,
            "the source names no holder; the compiling authority stands in",
        )
    )
    return Holder("H1", name, "evidence custodian", name, header.authority.country)


def build(
    header: Header, holders: list[Holder], items: list[Item], events: list[Event]
) -> etree._ElementTree:
    """The draft manifest, elements in schema order."""
    root = start_document(f"{{{E}}}evidenceManifest", dict(NSMAP), header)
    add_reference(root, f"{{{E}}}reference", header)
    add_authority(root, f"{{{E}}}compiledBy", header)
    holders_element = _e(root, "holders")
    for holder in holders:
        element = _e(holders_element, "holder", id=holder.id)
        _e(element, "name", holder.name)
        _e(element, "function", holder.function)
        _e(element, "organisation", holder.organisation)
        if holder.unit:
            _e(element, "unit", holder.unit)
        _e(element, "country", holder.country)
        if holder.service_number:
            _e(element, "serviceNumber", holder.service_number)
    items_element = _e(root, "items")
    for item in items:
        _item(items_element, item, header.language)
    if events:
        custody = _e(root, "custody")
        for event in events:
            _event(custody, event, header.language)
    return root.getroottree()


def _item(parent: etree._Element, item: Item, language: str) -> None:
    element = _e(parent, "item", id=item.id, type=item.type)
    if item.derived_from:
        element.set("derivedFrom", item.derived_from)
    _e(element, "exhibitNumber", item.exhibit_number)
    _text(element, "description", item.description, language)
    if item.device:
        device = _e(element, "device")
        for key in ("manufacturer", "model", "serialNumber"):
            if item.device.get(key):
                _e(device, key, item.device[key])
    if item.seizure:
        seizure = _e(element, "seizure")
        _e(seizure, "at", item.seizure.at)
        _place(seizure, item.seizure.locality, item.seizure.country)
        _e(seizure, "seizedBy", holder=item.seizure.seized_by)
    _digital(element, item)
    if item.acquisition:
        _acquisition(element, item.acquisition)
    if item.note:
        _text(element, "note", item.note, language)


def _digital(element: etree._Element, item: Item) -> None:
    """The file part of an item: path, size, media type, hashes, file times."""
    if item.path:
        _e(element, "path", item.path)
    if item.source_path:
        _e(element, "sourcePath", item.source_path)
    if item.size is not None:
        _e(element, "size", str(item.size))
    if item.media_type:
        _e(element, "mediaType", item.media_type)
    for code in HASH_LENGTHS:
        if code in item.hashes:
            _e(element, "hash", item.hashes[code], algorithm=code)
    if item.times:
        times = _e(element, "fileTimes")
        for key in ("created", "modified", "changed", "accessed"):
            if key in item.times:
                _e(times, key, item.times[key])


def _acquisition(parent: etree._Element, acquisition: Acquisition) -> None:
    element = _e(parent, "acquisition")
    if acquisition.tool:
        _tool(element, acquisition.tool)
    if acquisition.method:
        _e(element, "method", acquisition.method)
    if acquisition.started_at:
        _e(element, "startedAt", acquisition.started_at)
    _e(element, "acquiredAt", acquisition.acquired_at)
    _e(element, "acquiredBy", holder=acquisition.acquired_by)


def _event(parent: etree._Element, event: Event, language: str) -> None:
    element = _e(parent, "custodyEvent", id=event.id, items=" ".join(event.items))
    _e(element, "from", holder=event.from_holder)
    _e(element, "to", holder=event.to_holder)
    _e(element, "at", event.at)
    _place(element, event.locality, event.country)
    _e(element, "purpose", event.purpose)
    if event.note:
        _text(element, "note", event.note, language)
    if event.means:
        means = _e(element, "means")
        _e(means, "method", event.means.method)
        if event.means.carrier:
            _e(means, "carrier", event.means.carrier)
        if event.means.tracking_reference:
            _e(means, "trackingReference", event.means.tracking_reference)
        for seal in event.means.container_seals:
            _e(means, "containerSeal", seal)
    for tool in event.tools:
        _tool(element, tool)
    if event.seals_intact is not None:
        _e(element, "sealsIntact", "true" if event.seals_intact else "false")


def _tool(parent: etree._Element, tool: Tool) -> None:
    element = _e(parent, "tool")
    _e(element, "name", tool.name)
    if tool.version:
        _e(element, "version", tool.version)


def _place(parent: etree._Element, locality: str, country: str) -> None:
    place = _e(parent, "place")
    sub(place, f"{{{C}}}locality", locality)
    sub(place, f"{{{C}}}country", country)


def _text(parent: etree._Element, local: str, text: str, language: str) -> None:
    sub(_e(parent, local), f"{{{C}}}text", text, lang=language, origin="original")


def _e(
    parent: etree._Element, local: str, text: str | None = None, **attrib: str
) -> etree._Element:
    return sub(parent, f"{{{E}}}{local}", text, **attrib)
