"""Make and edit e:evidenceManifest trees: the document, its holders, items and seizures.

Shared by ``evidence build``, ``evidence custody`` and the imports (CASE, DFXML, hash lists).
Elements are written in the order evidence-1.xsd fixes; nothing here decides what is valid,
that is the validator's job (the XSD and the EVD rules) on the finished tree.

The small ``X;Y;Z`` values of the command line (a holder, an authority, a decision) are parsed
here too, so that every command reads them the same way.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final

from lxml import etree

from interop.errors import UsageError

E_NS: Final = "urn:interop:evidence:1"
C_NS: Final = "urn:interop:common:1"
NSMAP: Final = {"e": E_NS, "c": C_NS}
DIGITAL_TYPES: Final = ("digital-file", "forensic-image", "extraction")


def e(tag: str) -> str:
    """The qualified name of an element of the evidence namespace."""
    return f"{{{E_NS}}}{tag}"


def c(tag: str) -> str:
    """The qualified name of an element of the common namespace."""
    return f"{{{C_NS}}}{tag}"


# ----- values given on the command line -------------------------------------------------------


def _fields(spec: str, option: str, names: Sequence[str], required: int) -> list[str]:
    parts = [p.strip() for p in spec.split(";")]
    if len(parts) < required or len(parts) > len(names) or any(not p for p in parts[:required]):
        shape = ";".join(n if i < required else f"[{n}]" for i, n in enumerate(names))
        raise UsageError(f"{option} {spec!r}: expected {shape}")
    return parts + [""] * (len(names) - len(parts))


@dataclass(frozen=True, slots=True)
class Holder:
    """A person (or courier company) who holds items at some point of the chain of custody."""

    name: str
    function: str
    organisation: str
    country: str
    service_number: str = ""

    @classmethod
    def parse(cls, spec: str, option: str = "--holder") -> Holder:
        """``NAME;FUNCTION;ORGANISATION;CC[;SERVICE-NUMBER]``."""
        names = ("NAME", "FUNCTION", "ORGANISATION", "CC", "SERVICE-NUMBER")
        name, function, organisation, country, number = _fields(spec, option, names, 4)
        return cls(name, function, organisation, country.upper(), number)


@dataclass(frozen=True, slots=True)
class Authority:
    """An authority: name, kind (court, prosecutor, police...) and country."""

    name: str
    kind: str
    country: str

    @classmethod
    def parse(cls, spec: str, option: str = "--compiled-by") -> Authority:
        """``NAME;KIND;CC``, e.g. ``Staatsanwaltschaft Berlin;prosecutor;DE``."""
        name, kind, country = _fields(spec, option, ("NAME", "KIND", "CC"), 3)
        return cls(name, kind, country.upper())


@dataclass(frozen=True, slots=True)
class Reference:
    """A file number, decision or record: number, and where known issuer, country, date."""

    number: str
    issuer: str = ""
    country: str = ""
    date: str = ""

    @classmethod
    def parse(cls, spec: str, option: str = "--decision") -> Reference:
        """``NUMBER[;ISSUER[;CC[;YYYY-MM-DD]]]``."""
        names = ("NUMBER", "ISSUER", "CC", "YYYY-MM-DD")
        number, issuer, country, when = _fields(spec, option, names, 1)
        if when:
            try:
                date.fromisoformat(when)
            except ValueError:
                raise UsageError(
                    f"{option} {spec!r}: {when!r} is not a date (YYYY-MM-DD)"
                ) from None
        return cls(number, issuer, country.upper(), when)


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A legal basis: instrument code (national-law, eio-directive-2014-41...), title, article."""

    instrument: str
    title: str = ""
    article: str = ""

    @classmethod
    def parse(cls, spec: str, option: str = "--legal-basis") -> LegalBasis:
        """``INSTRUMENT[;TITLE[;ARTICLE]]``, e.g. ``national-law;Strafprozessordnung;§ 94``."""
        instrument, title, article = _fields(spec, option, ("INSTRUMENT", "TITLE", "ARTICLE"), 1)
        return cls(instrument, title, article)


@dataclass(frozen=True, slots=True)
class Place:
    """A locality and its country."""

    locality: str
    country: str

    @classmethod
    def parse(cls, spec: str, option: str = "--place") -> Place:
        """``LOCALITY;CC``, e.g. ``Berlin;DE``."""
        locality, country = _fields(spec, option, ("LOCALITY", "CC"), 2)
        return cls(locality, country.upper())


def utc_instant(text: str, option: str = "--at") -> str:
    """An ISO 8601 instant with its offset (or Z), in the manifest's UTC form.

    A local time without offset is refused: it is ambiguous, and custody times are compared.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: not an ISO 8601 time; write e.g. 2026-03-05T09:10:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(
            f"{option} {text!r}: the time has no offset; add Z (UTC) or the local offset,"
            " e.g. +01:00"
        )
    moment = moment.astimezone(UTC)
    millis = f".{moment.microsecond // 1000:03d}" if moment.microsecond >= 1000 else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + millis + "Z"


# ----- building the tree ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seizure:
    """The seizure of items (held as holder ids)."""

    at: str  # UTC, as made by utc_instant
    place: Place
    seized_by: str  # holder id
    legal_bases: tuple[LegalBasis, ...] = ()
    decision: Reference | None = None
    witnesses: tuple[str, ...] = ()
    record: Reference | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A digital item as the build and the imports know it."""

    exhibit_number: str
    description: str
    path: str | None = None
    size: int | None = None
    media_type: str | None = None
    hashes: tuple[tuple[str, str], ...] = ()  # (algorithm code, hex value)
    type: str = "digital-file"
    item_id: str | None = None
    seizure: Seizure | None = None
    derived_from: tuple[str, ...] = ()
    source_path: str | None = None
    extra: tuple[etree._Element, ...] = field(default=())  # fileTimes, acquisition, note


def new_manifest(
    *,
    case: str,
    compiled_by: Authority,
    language: str,
    request: Reference | None = None,
    legal_bases: Iterable[LegalBasis] = (),
    issue_date: str | None = None,
    document_id: str | None = None,
) -> etree._ElementTree:
    """An evidence manifest with its header and empty holders and items (fill both)."""
    root = etree.Element(e("evidenceManifest"), nsmap=NSMAP)
    _text(root, c("documentId"), document_id or f"urn:uuid:{uuid.uuid4()}")
    _text(root, c("issueDate"), issue_date or date.today().isoformat())
    _text(root, c("documentLanguage"), language)
    _reference(root, e("reference"), Reference(case, compiled_by.name, compiled_by.country))
    if request is not None:
        link = etree.SubElement(root, e("request"))
        _reference(link, e("reference"), request)
    for basis in legal_bases:
        _legal_basis(root, e("legalBasis"), basis)
    authority = etree.SubElement(root, e("compiledBy"))
    _text(authority, c("name"), compiled_by.name)
    _text(authority, c("kind"), compiled_by.kind)
    _text(authority, c("country"), compiled_by.country)
    etree.SubElement(root, e("holders"))
    etree.SubElement(root, e("items"))
    return root.getroottree()


class Ids(set[str]):
    """The ids used in a manifest, handing out new ones (``F1``, ``F2``...) without a rescan."""

    def __init__(self, used: Iterable[str] = ()) -> None:
        super().__init__(used)
        self._next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        """The first ``prefix<n>`` not used yet (now used)."""
        number = self._next.get(prefix, 1)
        while f"{prefix}{number}" in self:
            number += 1
        self._next[prefix] = number + 1
        found = f"{prefix}{number}"
        self.add(found)
        return found


def ids(tree: etree._ElementTree) -> Ids:
    """Every id used in the manifest."""
    return Ids(str(v) for v in tree.getroot().xpath("//@id"))


def next_id(taken: set[str], prefix: str) -> str:
    """The first ``prefix<n>`` not in ``taken`` (which it is then added to)."""
    if isinstance(taken, Ids):
        return taken.new(prefix)
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    found = f"{prefix}{number}"
    taken.add(found)
    return found


def holders(tree: etree._ElementTree) -> list[etree._Element]:
    """The e:holder elements."""
    return list(tree.getroot().iterfind("e:holders/e:holder", NSMAP))


def add_holder(tree: etree._ElementTree, holder: Holder, taken: set[str] | None = None) -> str:
    """Add ``holder`` (or find the same person already listed); return their id."""
    for found in holders(tree):
        if (
            _holder_text(found, "name") == holder.name
            and _holder_text(found, "organisation") == holder.organisation
        ):
            return str(found.get("id"))
    new_id = next_id(taken if taken is not None else ids(tree), "H")
    parent = tree.getroot().find("e:holders", NSMAP)
    if parent is None:
        parent = etree.Element(e("holders"))
        items = tree.getroot().find("e:items", NSMAP)
        assert items is not None, "a manifest has items"
        items.addprevious(parent)
    element = etree.SubElement(parent, e("holder"), id=new_id)
    _text(element, e("name"), holder.name)
    _text(element, e("function"), holder.function)
    _text(element, e("organisation"), holder.organisation)
    _text(element, e("country"), holder.country)
    if holder.service_number:
        _text(element, e("serviceNumber"), holder.service_number)
    return new_id


def _holder_text(holder: etree._Element, name: str) -> str:
    return (holder.findtext(f"e:{name}", "", NSMAP) or "").strip()


_ITEM: Final = e("item")
_EXHIBIT_NUMBER: Final = e("exhibitNumber")
_DESCRIPTION: Final = e("description")
_TEXT: Final = c("text")
_PATH: Final = e("path")
_SOURCE_PATH: Final = e("sourcePath")
_SIZE: Final = e("size")
_MEDIA_TYPE: Final = e("mediaType")
_HASH: Final = e("hash")


def add_item(
    tree: etree._ElementTree, item: Item, language: str, taken: set[str] | None = None
) -> etree._Element:
    """Append ``item`` to the manifest's items; its id is ``item.item_id`` or the next F<n>."""
    return ItemWriter(tree, language, taken).add(item)


class ItemWriter:
    """Appends items to one manifest, making what they share only once.

    A build adds thousands of items of one shape (the same optional parts, the same hash
    algorithms, one shared seizure). The first item of each shape is made element by element
    and kept as a prototype; the others are copies of it (made by libxml2 in one call) with
    their own values filled in: six times faster than making each from scratch.
    """

    def __init__(
        self, tree: etree._ElementTree, language: str, taken: set[str] | None = None
    ) -> None:
        items = tree.getroot().find("e:items", NSMAP)
        assert items is not None, "a manifest has items"
        self._tree = tree
        self._items = items
        self._language = language
        self._taken = taken
        self._seizures: dict[Seizure, etree._Element] = {}
        self._prototypes: dict[tuple[object, ...], _Prototype] = {}

    def add(self, item: Item) -> etree._Element:
        """Append ``item``; its id is ``item.item_id`` or the next F<n>."""
        item_id = item.item_id
        if not item_id:
            if self._taken is None:
                self._taken = ids(self._tree)
            item_id = next_id(self._taken, "F")
        shape = _shape(item)
        prototype = self._prototypes.get(shape)
        if prototype is None:
            element, slots = self._make(item, item_id)
            self._prototypes[shape] = _Prototype(element, slots)
        else:
            element = prototype.copy(item_id, _values(item))
            self._items.append(element)
        element.extend(item.extra)
        return element

    def _make(self, item: Item, item_id: str) -> tuple[etree._Element, list[etree._Element]]:
        """Make ``item`` element by element; also return the elements that hold its values."""
        sub = etree.SubElement
        element: etree._Element = sub(self._items, _ITEM, id=item_id, type=item.type)
        if item.derived_from:
            element.set("derivedFrom", " ".join(item.derived_from))
        slots = [sub(element, _EXHIBIT_NUMBER)]
        description = sub(element, _DESCRIPTION)
        slots.append(sub(description, _TEXT, lang=self._language, origin="original"))
        if item.seizure is not None:
            self._seizure(element, item.seizure)
        for tag, value in (
            (_PATH, item.path),
            (_SOURCE_PATH, item.source_path),
            (_SIZE, item.size),
            (_MEDIA_TYPE, item.media_type),
        ):
            if value is not None:
                slots.append(sub(element, tag))
        for algorithm, _ in item.hashes:
            slots.append(sub(element, _HASH, algorithm=algorithm))
        for slot, value in zip(slots, _values(item), strict=True):
            slot.text = value
        return element, slots

    def _seizure(self, element: etree._Element, seizure: Seizure) -> None:
        made = self._seizures.get(seizure)
        if made is None:
            _seizure(element, seizure)
            self._seizures[seizure] = element[-1]
        else:
            element.append(copy.deepcopy(made))


class _Prototype:
    """An item element to copy, and where in it each of an item's values goes."""

    __slots__ = ("_element", "_paths")

    def __init__(self, made: etree._Element, slots: list[etree._Element]) -> None:
        # A copy: the item it was made for gets its extra elements appended afterwards.
        self._element = copy.copy(made)
        # Each slot as child positions from the item (e:exhibitNumber is (0,), the text of
        # e:description (1, 0)): reaching a slot then makes no proxy for the seizure's elements.
        self._paths = [_child_path(made, slot) for slot in slots]

    def copy(self, item_id: str, values: list[str]) -> etree._Element:
        element = copy.copy(self._element)
        element.set("id", item_id)
        for path, value in zip(self._paths, values, strict=True):
            slot = element
            for position in path:
                slot = slot[position]
            slot.text = value
        return element


def _child_path(top: etree._Element, node: etree._Element) -> tuple[int, ...]:
    path: list[int] = []
    while node is not top:
        parent = node.getparent()
        assert parent is not None, "a slot is inside its item"
        path.append(parent.index(node))
        node = parent
    return tuple(reversed(path))


def _shape(item: Item) -> tuple[object, ...]:
    """What items made from one prototype share: everything but their values."""
    return (
        item.type,
        item.derived_from,
        item.seizure,
        item.path is not None,
        item.source_path is not None,
        item.size is not None,
        item.media_type is not None,
        tuple(algorithm for algorithm, _ in item.hashes),
    )


def _values(item: Item) -> list[str]:
    """The texts of an item, in the order of the elements that hold them."""
    optional = (item.path, item.source_path, item.size, item.media_type)
    return [
        item.exhibit_number,
        item.description,
        *(str(value) for value in optional if value is not None),
        *(hex_value for _, hex_value in item.hashes),
    ]


def free_text(parent: etree._Element, tag: str, text: str, language: str) -> etree._Element:
    """A free-text element with one original text."""
    element: etree._Element = etree.SubElement(parent, tag)
    _text(element, c("text"), text).attrib.update({"lang": language, "origin": "original"})
    return element


def _seizure(item: etree._Element, seizure: Seizure) -> None:
    element = etree.SubElement(item, e("seizure"))
    _text(element, e("at"), seizure.at)
    place(element, e("place"), seizure.place)
    etree.SubElement(element, e("seizedBy"), holder=seizure.seized_by)
    for witness in seizure.witnesses:
        _text(element, e("witness"), witness)
    for basis in seizure.legal_bases:
        _legal_basis(element, e("legalBasis"), basis)
    if seizure.decision is not None:
        _reference(element, e("decision"), seizure.decision)
    if seizure.record is not None:
        _reference(element, e("record"), seizure.record)


def place(parent: etree._Element, tag: str, where: Place) -> etree._Element:
    """A c:PlaceType element."""
    element: etree._Element = etree.SubElement(parent, tag)
    _text(element, c("locality"), where.locality)
    _text(element, c("country"), where.country)
    return element


def _reference(parent: etree._Element, tag: str, reference: Reference) -> None:
    element = etree.SubElement(parent, tag)
    _text(element, c("number"), reference.number)
    for name, value in (
        ("issuer", reference.issuer),
        ("country", reference.country),
        ("date", reference.date),
    ):
        if value:
            _text(element, c(name), value)


def _legal_basis(parent: etree._Element, tag: str, basis: LegalBasis) -> None:
    element = etree.SubElement(parent, tag)
    _text(element, c("instrument"), basis.instrument)
    if basis.title:
        _text(element, c("title"), basis.title)
    if basis.article:
        _text(element, c("article"), basis.article)


def _text(parent: etree._Element, tag: str, value: str) -> etree._Element:
    element: etree._Element = etree.SubElement(parent, tag)
    element.text = value
    return element
