"""Evidence inventories kept in spreadsheets -> evidence manifests (``e:evidenceManifest``).

One row per item: exhibit number, description, type, device data, the seizure (when, where,
by which officer, on which legal basis and order), the seal, for digital items the file, its
size and SHA-256 hash, for images and extractions the tool that made them, and the hand-over
to the next holder. Officers and the holders items are handed to become the manifest's
holders (one per name, function and organisation); rows handed over together (same holders,
time, place and purpose) become one custody event.

Places and holders are taken to be in the compiling authority's country: the inventory is that
authority's own. A row is only kept when the manifest can say what the business rules need
(a seizure or a source item, a hash and size for files, the tool for images); otherwise it is
skipped and reported with its row number, so that the output is always a valid manifest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.formats.csv_document import (
    Authority,
    C,
    DocumentOptions,
    Header,
    add_authority,
    add_free_text,
    add_reference,
    resolve,
    start_document,
    sub,
    utc,
)
from interop.convert.formats.csv_reader import (
    Row,
    Table,
    missing_columns,
    nothing_imported,
    read_table,
    source_order,
)
from interop.convert.formats.csv_spec import (
    Cell,
    HeaderSpec,
    TargetField,
    ValueType,
    builtin_spec,
    load_spec,
)
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.errors import UnreadableInput, UsageError

E: Final = "urn:interop:evidence:1"
_NSMAP: Final[dict[str | None, str]] = {"e": E, "c": C}
_BAD = r'/\\:*?"<>|\x00-\x1f\x7f-\x9f'  # never in a segment of e:RelativePath
_SEGMENT = rf"(?:[^{_BAD}.\s]|[^{_BAD}\s][^{_BAD}]*[^{_BAD}.\s])"
V = ValueType
_IMEI: Final = re.compile(r"[0-9]{15}")
_PATH: Final = re.compile(rf"(?=.{{1,1024}}$){_SEGMENT}(?:/{_SEGMENT})*")
_PATH_FORM: Final = "a path inside the evidence folder (no drive, no '..', none of * ? : < > |)"
_MEDIA: Final = re.compile(
    r"[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}", re.ASCII
)
_MEDIA_FORM: Final = "a media type such as application/pdf"
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
_SHA_FORM: Final = "64 hexadecimal characters (a SHA-256 value)"


def _slashes(path: str) -> str:
    """Windows exports write paths with backslashes; the manifest uses forward slashes."""
    return path.replace("\\", "/")


def _hex(value: str) -> str:
    """Tools print hashes in either case and sometimes in groups; the manifest wants one form."""
    return "".join(value.split()).lower()


F = TargetField
FIELDS: Final = (
    F("exhibit_number", V.TEXT, "e:items/e:item/e:exhibitNumber", required=True),
    F("description", V.TEXT, "e:items/e:item/e:description", required=True),
    F("type", V.CODE, "e:items/e:item/@type", code_list="EvidenceItemTypeCode", required=True),
    F("pages", V.INTEGER, "e:items/e:item/e:pages", minimum=1),
    F("manufacturer", V.TEXT, "e:items/e:item/e:device/e:manufacturer"),
    F("model", V.TEXT, "e:items/e:item/e:device/e:model"),
    F("serial_numbers", V.TEXT, "e:items/e:item/e:device/e:serialNumber", many=True),
    F("imei", V.TEXT, "e:items/e:item/e:device/e:imei", many=True, pattern=_IMEI, form="15 digits"),
    F("note", V.TEXT, "e:items/e:item/e:note"),
    F("seized_at", V.DATETIME, "e:items/e:item/e:seizure/e:at"),
    F("seizure_place", V.TEXT, "e:items/e:item/e:seizure/e:place/c:locality"),
    F("seizure_legal_basis", V.TEXT, "e:items/e:item/e:seizure/e:legalBasis/c:title"),
    F("seizure_decision", V.TEXT, "e:items/e:item/e:seizure/e:decision/c:number"),
    F("officer", V.TEXT, "e:holders/e:holder/e:name"),
    F("officer_function", V.TEXT, "e:holders/e:holder/e:function"),
    F("officer_organisation", V.TEXT, "e:holders/e:holder/e:organisation"),
    F("seal_number", V.TEXT, "e:items/e:item/e:seal/e:number", expected=True),
    F("sealed_at", V.DATETIME, "e:items/e:item/e:seal/e:sealedAt"),
    F("derived_from", V.TEXT, "e:items/e:item/@derivedFrom"),
    F("path", V.TEXT, "e:items/e:item/e:path", pattern=_PATH, form=_PATH_FORM, normalize=_slashes),
    F("size", V.INTEGER, "e:items/e:item/e:size", minimum=0),
    F("media_type", V.TEXT, "e:items/e:item/e:mediaType", pattern=_MEDIA, form=_MEDIA_FORM),
    F("sha256", V.TEXT, "e:items/e:item/e:hash", pattern=_SHA256, form=_SHA_FORM, normalize=_hex),
    F("tool", V.TEXT, "e:items/e:item/e:acquisition/e:tool/e:name"),
    F("tool_version", V.TEXT, "e:items/e:item/e:acquisition/e:tool/e:version"),
    F("acquired_at", V.DATETIME, "e:items/e:item/e:acquisition/e:acquiredAt"),
    F("handed_to", V.TEXT, "e:custody/e:custodyEvent/e:to", expected=True),
    F("handed_to_function", V.TEXT, "e:holders/e:holder/e:function"),
    F("handed_to_organisation", V.TEXT, "e:holders/e:holder/e:organisation"),
    F("handed_over_at", V.DATETIME, "e:custody/e:custodyEvent/e:at"),
    F("handed_over_place", V.TEXT, "e:custody/e:custodyEvent/e:place/c:locality"),
    F(
        "custody_purpose",
        V.CODE,
        "e:custody/e:custodyEvent/e:purpose",
        code_list="CustodyPurposeCode",
    ),
)
_OFFICER: Final = ("officer", "officer_function", "officer_organisation")
_SEIZURE: Final = (
    "seized_at",
    "seizure_place",
    "seizure_legal_basis",
    "seizure_decision",
    *_OFFICER,
)
_ACQUISITION: Final = ("acquired_at", "tool", "tool_version", *_OFFICER)
_HANDOVER: Final = (
    "handed_to",
    "handed_to_function",
    "handed_to_organisation",
    "handed_over_at",
    "handed_over_place",
    "custody_purpose",
)
_DIGITAL: Final = frozenset({"digital-file", "forensic-image", "extraction"})
_MADE: Final = frozenset({"forensic-image", "extraction"})  # acquired, not seized
_NEEDS_TOOLS: Final = frozenset({"imaging", "examination"})  # EVD-025: the sheet has no tools


@dataclass(frozen=True, slots=True)
class _Holder:
    name: str
    function: str
    organisation: str


@dataclass(frozen=True, slots=True)
class _Handover:
    to: _Holder
    at: str
    place: str
    purpose: str


@dataclass(slots=True)
class _Item:
    """A row on its way to becoming an item; the source is resolved once all rows are read."""

    row: Row
    kind: str
    officer: _Holder | None
    origin_at: str | None  # UTC time of the seizure or acquisition
    seized: bool
    acquired: bool
    seal_at: str | None = None
    handover: _Handover | None = None
    derived_id: str | None = None
    source_checked: bool = False

    @property
    def id(self) -> str:
        return f"row-{self.row.number}"

    def text(self, name: str) -> str:
        return str(self.row.values[name])


class CsvEvidence:
    """Reads an evidence inventory exported as CSV into an evidence manifest."""

    name = "csv-evidence"
    directions = frozenset({Direction.TO_COMMON})
    document_types = ("evidence-manifest",)
    extensions = (".csv", ".tsv")

    def __init__(
        self,
        spec_path: str | Path | None = None,
        *,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        compiled_by: Authority | None = None,
        time_zone: str | None = None,
    ) -> None:
        """Prepare the importer; ``spec_path`` replaces the built-in header spec.

        The other arguments are the manifest-level data a sheet does not hold; see
        :func:`~interop.convert.formats.csv_document.resolve` for defaults and errors.
        ``time_zone`` (e.g. ``Europe/Berlin``) is needed when the sheet gives local times.
        """
        self.spec: HeaderSpec = (
            load_spec(spec_path, self.document_types[0], FIELDS)
            if spec_path
            else builtin_spec(self.name, self.document_types[0], FIELDS)
        )
        self.version = self.spec.version
        self.description = self.spec.description
        self.options = DocumentOptions(
            document_id, issue_date, document_language, case_reference, compiled_by, time_zone
        )

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read the sheet; skipped rows and unused columns are in the loss report."""
        header = resolve(self.options, "compiled_by")
        table = read_table(data, source, self.spec)
        loss = list(table.loss)
        items = _Inventory(table, header, loss).items()
        if not items:
            raise UnreadableInput(source, nothing_imported(loss))
        if all(item.officer is None for item in items):
            # Only files derived from one another: the manifest would have no holder at all.
            raise UnreadableInput(source, "no row names the officer who seized or made an item")
        document = _build(header, items)
        loss.extend(_unfilled(table))
        return ToCommon(document, LossReport(source_order(loss)))

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Not offered: inventories are kept in spreadsheets, manifests are written as XML."""
        raise UsageError(f"{self.name} only reads spreadsheets; it cannot write them")


class _Inventory:
    """Turns checked rows into items, reporting every row or part of a row it cannot use."""

    def __init__(self, table: Table, header: Header, loss: list[LossEntry]) -> None:
        self.table = table
        self.header = header
        self.loss = loss

    def items(self) -> list[_Item]:
        drafts = [item for item in map(self._item, self.table.rows) if item is not None]
        drafts = self._unique(drafts)
        return self._resolve_sources(drafts)

    # -- one row ---------------------------------------------------------------------------
    def _item(self, row: Row) -> _Item | None:
        kind = str(row.values["type"])
        what = "a digital item needs its SHA-256 hash and size"
        if kind in _DIGITAL and not self._complete(row, ("sha256", "size"), what, needed=True):
            return None
        derived = "derived_from" in row.values
        seized = kind not in _MADE and self._complete(
            row,
            _SEIZURE,
            "the seizure needs its time, place, legal basis, order and officer",
            needed=not derived,
        )
        # Images and extractions are made, not seized; so may be a file exported from them.
        acquired = (
            kind in _DIGITAL
            and not seized
            and self._complete(
                row,
                _ACQUISITION,
                "the acquisition needs its time, tool, tool version and officer",
                needed=kind in _MADE,
            )
        )
        # EVD-020: an image or extraction is acquired; anything else is seized or has a source.
        if not (acquired if kind in _MADE else seized or derived):
            return None
        origin = (
            self._instant(row, "seized_at" if seized else "acquired_at")
            if seized or acquired
            else None
        )
        officer = self._officer(row, _OFFICER) if seized or acquired else None
        item = _Item(row, kind, officer, origin, seized, acquired)
        item.seal_at = self._seal(item)
        item.handover = self._handover(item)
        return item

    def _complete(self, row: Row, fields: tuple[str, ...], what: str, *, needed: bool) -> bool:
        """Whether ``row`` has all ``fields``; a part begun but not finished is reported."""
        missing = [f for f in fields if f not in row.values]
        if not missing:
            return True
        # The officer columns serve seizure, acquisition and seal alike: they begin no part.
        if needed or row.given & (set(fields) - set(_OFFICER)):
            effect = "the row was skipped" if needed else "that part was left out"
            self._reject(
                f"row {row.number}", "", f"{what}: {self.table.columns(missing)} empty; {effect}"
            )
        return False

    def _seal(self, item: _Item) -> str | None:
        values = item.row.values
        if "seal_number" not in values:
            return None
        when = self._instant(item.row, "sealed_at") if "sealed_at" in values else item.origin_at
        if item.officer is None or when is None:
            # The seal is applied by the seizing officer, at the seizure unless the sheet says when.
            reason = "a seal needs the officer who applied it and a time; the seal was left out"
            self._reject_cell(item.row, "seal_number", reason)
            return None
        return when

    def _handover(self, item: _Item) -> _Handover | None:
        row = item.row
        what = "the hand-over needs the holder's name, function, organisation, the time and place"
        if not self._complete(row, _HANDOVER, what, needed=False):
            return None
        problem = None
        at = self._instant(row, "handed_over_at")
        purpose = str(row.values["custody_purpose"])
        if item.officer is None:
            problem = "a hand-over needs the officer who released the item"
        elif purpose in _NEEDS_TOOLS:
            problem = f"a {purpose} must name its tools, which the sheet cannot give"
        elif item.origin_at is not None and at < item.origin_at:
            problem = "the item was handed over before it was seized or made"
        if problem:
            self._reject_cell(row, "handed_over_at", f"{problem}; the hand-over was left out")
            return None
        to = self._officer(row, ("handed_to", "handed_to_function", "handed_to_organisation"))
        return _Handover(to, at, str(row.values["handed_over_place"]), purpose)

    # -- rows against each other -------------------------------------------------------------
    def _unique(self, items: list[_Item]) -> list[_Item]:
        """Exhibit numbers are unique in a manifest (EVD-002); a later repeat is skipped."""
        first: dict[str, int] = {}
        kept = []
        for item in items:
            key = " ".join(item.text("exhibit_number").split())
            seen = first.setdefault(key, item.row.number)
            if seen == item.row.number:
                kept.append(item)
            else:
                self._reject_cell(
                    item.row, "exhibit_number", f"already given to row {seen}; the row was skipped"
                )
        return kept

    def _resolve_sources(self, items: list[_Item]) -> list[_Item]:
        """Resolve "derived from" to item ids; an item left without any origin is skipped.

        Skipping an item can leave another without its source, so this repeats until stable.
        """
        changed = True
        while changed:
            changed = False
            by_number = {" ".join(i.text("exhibit_number").split()): i for i in items}
            for item in [
                i for i in items if "derived_from" in i.row.values and not i.source_checked
            ]:
                source = by_number.get(" ".join(item.text("derived_from").split()))
                problem = _source_problem(item, source)
                if problem is None:
                    assert source is not None
                    item.derived_id = source.id
                    continue
                item.source_checked, item.derived_id = True, None
                # EVD-020: only images and extractions may lack both seizure and source.
                skip = not item.seized and item.kind not in _MADE
                effect = (
                    "the row was skipped (no seizure either)" if skip else "the value was left out"
                )
                self._reject_cell(item.row, "derived_from", f"{problem}; {effect}")
                if skip:
                    items.remove(item)
                    changed = True
        return items

    # -- helpers -----------------------------------------------------------------------------
    def _officer(self, row: Row, fields: tuple[str, str, str]) -> _Holder:
        name, function, organisation = (str(row.values[f]) for f in fields)
        return _Holder(name, function, organisation)

    def _instant(self, row: Row, name: str) -> str:
        value = row.values[name]
        assert isinstance(value, datetime)
        return utc(value, self.header.zone, f"row {row.number}, {self.table.columns([name])}")

    def _reject_cell(self, row: Row, name: str, reason: str) -> None:
        where = f"row {row.number}, {self.table.columns([name])}"
        self._reject(where, row.cells.get(name, ""), reason)

    def _reject(self, where: str, value: str, reason: str) -> None:
        self.loss.append(LossEntry(LossKind.REJECTED, where, preview(value), reason))


def _source_problem(item: _Item, source: _Item | None) -> str | None:
    if source is None:
        return "no imported item has this exhibit number"
    if source is item:
        return "an item cannot be made from itself"
    made, source_origin = item.origin_at if item.acquired else None, source.origin_at
    if made is not None and source_origin is not None and made < source_origin:
        return "the item was made before its source was seized or made"  # EVD-028
    return None


# ----------------------------------------------------------------------------------------------
# The manifest
# ----------------------------------------------------------------------------------------------
def _e(local: str) -> str:
    return f"{{{E}}}{local}"


def _c(local: str) -> str:
    return f"{{{C}}}{local}"


def _build(header: Header, items: list[_Item]) -> etree._ElementTree:
    holders: dict[_Holder, str] = {}
    for item in items:
        for holder in (item.officer, item.handover.to if item.handover else None):
            if holder is not None and holder not in holders:
                holders[holder] = f"H{len(holders) + 1}"
    root = start_document(_e("evidenceManifest"), _NSMAP, header)
    add_reference(root, _e("reference"), header)
    add_authority(root, _e("compiledBy"), header)
    listed = sub(root, _e("holders"))
    for holder, holder_id in holders.items():
        _holder(listed, holder, holder_id, header.authority.country)
    listed = sub(root, _e("items"))
    for item in items:
        _item(listed, item, holders, header)
    _custody(root, items, holders, header.authority.country)
    return etree.ElementTree(root)


def _holder(parent: etree._Element, holder: _Holder, holder_id: str, country: str) -> None:
    element = sub(parent, _e("holder"), id=holder_id)
    sub(element, _e("name"), holder.name)
    sub(element, _e("function"), holder.function)
    sub(element, _e("organisation"), holder.organisation)
    sub(element, _e("country"), country)


def _item(
    parent: etree._Element, item: _Item, holders: Mapping[_Holder, str], header: Header
) -> None:
    values = item.row.values
    attributes = {"id": item.id, "type": item.kind}
    if item.derived_id:
        attributes["derivedFrom"] = item.derived_id
    element = sub(parent, _e("item"), **attributes)
    sub(element, _e("exhibitNumber"), item.text("exhibit_number"))
    add_free_text(element, _e("description"), item.text("description"), header.language)
    _device(element, values)
    _optional(element, "pages", values)
    officer = holders[item.officer] if item.officer else ""
    if item.seized:
        _seizure(element, item, officer, header.authority.country)
    if item.seal_at:
        seal = sub(element, _e("seal"))
        sub(seal, _e("number"), item.text("seal_number"))
        sub(seal, _e("sealedBy"), holder=officer)
        sub(seal, _e("sealedAt"), item.seal_at)
    for name, local in (("path", "path"), ("size", "size"), ("media_type", "mediaType")):
        _optional(element, name, values, local)
    if "sha256" in values:
        sub(element, _e("hash"), item.text("sha256"), algorithm="SHA-256")
    if item.acquired:
        acquisition = sub(element, _e("acquisition"))
        tool = sub(acquisition, _e("tool"))
        sub(tool, _e("name"), item.text("tool"))
        sub(tool, _e("version"), item.text("tool_version"))
        sub(acquisition, _e("acquiredAt"), item.origin_at)
        sub(acquisition, _e("acquiredBy"), holder=officer)
    if "note" in values:
        add_free_text(element, _e("note"), item.text("note"), header.language)


def _device(parent: etree._Element, values: Mapping[str, Cell]) -> None:
    names = ("manufacturer", "model", "serial_numbers", "imei")
    if not any(n in values for n in names):
        return
    device = sub(parent, _e("device"))
    for name, local in zip(names, ("manufacturer", "model", "serialNumber", "imei"), strict=True):
        _optional(device, name, values, local)


def _optional(
    parent: etree._Element, name: str, values: Mapping[str, Cell], local: str = ""
) -> None:
    """One element per value of field ``name`` (none when the row has no value)."""
    value = values.get(name)
    for one in value if isinstance(value, tuple) else () if value is None else (value,):
        sub(parent, _e(local or name), str(one))


def _seizure(parent: etree._Element, item: _Item, officer: str, country: str) -> None:
    seizure = sub(parent, _e("seizure"))
    sub(seizure, _e("at"), item.origin_at)
    _place(seizure, _e("place"), item.text("seizure_place"), country)
    sub(seizure, _e("seizedBy"), holder=officer)
    basis = sub(seizure, _e("legalBasis"))
    # A seizure rests on the national code of criminal procedure; the cell names the provision.
    sub(basis, _c("instrument"), "national-law")
    sub(basis, _c("title"), item.text("seizure_legal_basis"))
    sub(sub(seizure, _e("decision")), _c("number"), item.text("seizure_decision"))


def _place(parent: etree._Element, tag: str, locality: str, country: str) -> None:
    place = sub(parent, tag)
    sub(place, _c("locality"), locality)
    sub(place, _c("country"), country)


def _custody(
    root: etree._Element, items: list[_Item], holders: Mapping[_Holder, str], country: str
) -> None:
    """One custody event per hand-over, shared by the rows handed over together, in time order."""
    events: dict[tuple[str, str, str, str, str], list[str]] = {}
    for item in items:
        if item.handover is None or item.officer is None:
            continue
        handover = item.handover
        key = (
            handover.at,
            holders[item.officer],
            holders[handover.to],
            handover.place,
            handover.purpose,
        )
        events.setdefault(key, []).append(item.id)
    if not events:
        return
    custody = sub(root, _e("custody"))
    # Sorting is stable: events at the same instant keep the order of their first row.
    for number, (key, item_ids) in enumerate(sorted(events.items(), key=lambda e: e[0][0]), 1):
        at, from_id, to_id, place, purpose = key
        event = sub(custody, _e("custodyEvent"), id=f"E{number}", items=" ".join(item_ids))
        sub(event, _e("from"), holder=from_id)
        sub(event, _e("to"), holder=to_id)
        sub(event, _e("at"), at)
        _place(event, _e("place"), place, country)
        sub(event, _e("purpose"), purpose)


def _unfilled(table: Table) -> list[LossEntry]:
    """The request link no sheet holds, and what the manifest lacks for want of a column."""
    request = LossEntry(
        LossKind.UNFILLED,
        "e:evidenceManifest/e:request",
        "",
        "the request this manifest answers is not in the sheet; add it unless the evidence is "
        "sent spontaneously",
    )
    return [request, *missing_columns(table, FIELDS)]
