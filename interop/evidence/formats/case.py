"""CASE/UCO JSON-LD <-> evidence manifests.

Reading (``to_common``), with the document's own ``@context`` (see :mod:`.jsonld`):

* every ``case-investigation:ProvenanceRecord`` with an ``exhibitNumber`` names an exhibit:
  the observable it is about (``uco-core:object``) becomes one item. Several records of one
  observable (the seizing agency's number, then the lab's) give one item: the first number is
  its exhibit number, the others go into its note. A graph without such records gives one
  item per File or ContentData observable with a hash (its ``@id`` stands in, reported).
* the observable gives the item type (Device: physical; Image: forensic-image; File,
  ContentData and anything else: digital-file), ``FileFacet`` the path (a relative
  ``filePath``) or the source path (an absolute one), size and file times, ``ContentDataFacet``
  the size, media type and hashes (``hashMethod`` + ``hashValue``), ``DeviceFacet`` make,
  model and serial number.
* ``InvestigativeAction``s, in time order, by ``uco-core:name``: ``seized`` gives the seizure of
  its objects and results, ``acquired`` the acquisition of its results (tool = ``instrument``
  with ``uco-tool:version``, by the ``performer``), ``imaged``/``extracted``/
  ``parsed``/``executed``/``examined`` a custody event (imaging, extraction, examination) on its
  objects and the acquisition of its results,
  ``custody-receive``/``custody-<purpose>``/``transfer`` a custody event to the performer (from
  ``uco-action:participant`` or the item's last holder). Every ``uco-identity:Person`` becomes a
  holder; the ``location`` gives the place. An action without a start time with a time zone is
  reported, not placed in time by guess.
* what CASE does not say (function, organisation and country of a person, the country of a
  place, legal basis and decision of a seizure) is filled from the compiling authority or left
  to the rules, and reported; every node and property not read is reported by its ``@id``.

Writing (``from_common``, in :mod:`.case_writer`) gives one JSON-LD graph with the CASE 1.x /
UCO 1.x context IRIs: a Person per holder, an observable + ProvenanceRecord per item, an
InvestigativeAction per seizure, acquisition and custody event; what UCO has no property for
(a holder's function and organisation, the item type, a place's country, the means of a
hand-over) goes into properties of the ``interop-evidence:`` vocabulary, so that reading it
back gives the same items, hashes, holders and custody events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any, Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.formats.csv_document import Authority
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.errors import UnreadableInput, UsageError
from interop.evidence.formats.draft import (
    MANIFEST,
    Acquisition,
    DraftOptions,
    Event,
    Holder,
    Item,
    Means,
    Seizure,
    Tool,
    algorithm_code,
    authority_holder,
    build,
    evidence_path,
    hash_problem,
    unfilled,
    utc_instant,
)
from interop.evidence.formats.jsonld import Graph, Node, Ref, load

UCO: Final = "https://ontology.unifiedcyberontology.org/uco/"
INV: Final = "https://ontology.caseontology.org/case/investigation/"
OURS: Final = "urn:interop:evidence:1#"
E: Final = "urn:interop:evidence:1"
C: Final = "urn:interop:common:1"
NS: Final = {"e": E, "c": C}
_PURPOSES: Final = frozenset(
    {
        "seizure",
        "transfer",
        "storage",
        "imaging",
        "extraction",
        "examination",
        "transport",
        "return",
        "destruction",
    }
)
_NOT_STATED: Final = "not stated"


def u(module: str, local: str) -> str:
    return f"{UCO}{module}/{local}"


# Properties read (and written).
NAME, DESCRIPTION, OBJECT, FACET = (
    u("core", n) for n in ("name", "description", "object", "hasFacet")
)
START, END, PERFORMER, PARTICIPANT, INSTRUMENT, LOCATION, RESULT = (
    u("action", n)
    for n in (
        "startTime",
        "endTime",
        "performer",
        "participant",
        "instrument",
        "location",
        "result",
    )
)
ACTION_OBJECT: Final = u("action", "object")
EXHIBIT: Final = f"{INV}exhibitNumber"
RECORD: Final = f"{INV}ProvenanceRecord"
ACTION: Final = f"{INV}InvestigativeAction"
VERSION: Final = u("tool", "version")
HASH: Final = u("observable", "hash")


class CaseJsonLd(DraftOptions):
    """CASE/UCO JSON-LD graphs <-> evidence manifests (reading gives a draft)."""

    name = "case"
    version = "1.x"
    description = "CASE/UCO JSON-LD: exhibits, hashes, holders, custody actions (both ways)"
    directions = frozenset({Direction.TO_COMMON, Direction.FROM_COMMON})
    document_types = ("evidence-manifest",)
    extension = ".json"
    extensions = (".json", ".jsonld")

    def __init__(
        self,
        *,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        compiled_by: Authority | None = None,
    ) -> None:
        super().__init__(
            document_id=document_id,
            issue_date=issue_date,
            document_language=document_language,
            case_reference=case_reference,
            compiled_by=compiled_by,
        )

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read a CASE graph into a draft manifest; what is not read is reported."""
        graph = Graph(load(data, source), source)
        loss: list[LossEntry] = []
        investigation = next(
            (n for n in graph.nodes.values() if f"{INV}Investigation" in n.types), None
        )
        name = graph.literal(investigation, NAME) if investigation else None
        header = self.header(loss, case_reference=name)
        reading = _Reading(graph, header.authority, loss)
        if investigation is not None and header.case_reference == name:
            reading.mark(investigation, NAME, OBJECT)
        reading.read()
        tree = build(header, reading.holder_list(header, loss), reading.item_list(), reading.events)
        reading.report_unread()
        return ToCommon(tree, LossReport(tuple(loss)))

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Write the manifest as one CASE/UCO JSON-LD graph."""
        root = document.getroot()
        if etree.QName(root).text != f"{{{E}}}evidenceManifest":
            raise UsageError("case writes evidence manifests only")
        from interop.evidence.formats.case_writer import CaseWriter  # noqa: PLC0415

        writer = CaseWriter(root)
        data = json.dumps(writer.write(), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
        return FromCommon(data, LossReport(tuple(writer.unwritten())), "application/ld+json")


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------
class _Reading:
    def __init__(self, graph: Graph, authority: Authority, loss: list[LossEntry]) -> None:
        self.g = graph
        self.authority = authority
        self.loss = loss
        self.read_props: set[tuple[str, str]] = set()
        self.read_nodes: set[str] = set()
        self.items: dict[str, Item] = {}
        self.holders: dict[str, Holder] = {}
        self.holder_of: dict[str, str] = {}
        self.events: list[Event] = []
        self.dangling: set[tuple[str, str, str]] = set()

    def mark(self, node: Node, *props: str) -> None:
        self.read_nodes.add(node.id)
        self.read_props.update((node.id, prop) for prop in props)

    def lit(self, node: Node, prop: str) -> str | None:
        self.mark(node, prop)
        return self.g.literal(node, prop)

    def refs(self, node: Node, prop: str, chain: tuple[str, ...] = ()) -> list[Node]:
        """The nodes ``prop`` refers to; a reference to an undefined node is reported once."""
        self.mark(node, prop)
        for value in self.g.values(node, prop):
            if isinstance(value, Ref) and value.id not in self.g.nodes:
                key = (node.id, prop, value.id)
                if key not in self.dangling:
                    self.dangling.add(key)
                    where = f"{self.g.compact(node.id)}/{self.g.compact(prop)}"
                    self.loss.append(
                        LossEntry(
                            LossKind.REJECTED,
                            where,
                            self.g.compact(value.id),
                            "refers to a node the graph does not define",
                        )
                    )
        return self.g.follow(node, prop, chain)

    # items ---------------------------------------------------------------------------------
    def read(self) -> None:
        records = [
            n for n in self.g.nodes.values() if RECORD in n.types and EXHIBIT in n.properties
        ]
        for record in records:
            self.record(record)
        if not records:
            for node in self.g.nodes.values():
                facets = [node, *self.g.refs(node, FACET)]
                if _is_file(node) and any(HASH in facet.properties for facet in facets):
                    self.item(node, self.g.compact(node.id), None)
                    self.loss.append(
                        unfilled(
                            f"{MANIFEST}/e:items/e:item/e:exhibitNumber",
                            self.g.compact(node.id),
                            "no ProvenanceRecord gives an exhibit number; the @id stands in",
                        )
                    )
        for node in self.g.nodes.values():
            if u("identity", "Person") in node.types:
                self.holder(node)
        if not self.items:
            raise UnreadableInput(
                self.g.source,
                "no exhibit (ProvenanceRecord with exhibitNumber) and no hashed file in the graph",
            )
        self.actions()
        self.check_derivation()

    def target(self, record: Node) -> Node:
        """The observable a record is about (through records of records, without cycles)."""
        chain: tuple[str, ...] = ()
        node = record
        while RECORD in node.types:
            found = self.refs(node, OBJECT, chain)
            if not found:
                return node
            chain = (*chain, node.id)
            node = found[0]
        return node

    def record(self, record: Node) -> None:
        number = self.lit(record, EXHIBIT) or self.g.compact(record.id)
        observable = self.target(record)
        description = self.lit(record, DESCRIPTION)
        kind = self.lit(record, OURS + "itemType")
        item = self.items.get(observable.id)
        if item is None:
            self.item(observable, number, description, kind)
        elif number != item.exhibit_number:
            also = f"Also exhibit {number}" + (f" ({description})" if description else "")
            item.note = f"{item.note}; {also}" if item.note else also

    def item(
        self, node: Node, number: str, description: str | None, kind: str | None = None
    ) -> Item:
        self.mark(node)
        item_type = (
            kind
            if kind in ("physical", "document", "digital-file", "forensic-image", "extraction")
            else _item_type(node)
        )
        text = description or self.lit(node, NAME) or self.lit(node, DESCRIPTION) or number
        item = Item(
            id=f"I{len(self.items) + 1}", type=item_type, exhibit_number=number, description=text
        )
        self.items[node.id] = item
        for facet in self.facets(node):
            self.facet(item, facet)
        for code, value in self.hashes_of(node):
            problem = hash_problem(code, value) or item.add_hash(code, value)
            if problem:
                self.loss.append(
                    LossEntry(LossKind.REJECTED, self.g.compact(node.id), preview(value), problem)
                )
        return item

    def facets(self, node: Node) -> list[Node]:
        """The facets of ``node``, and their facets, refusing cycles."""
        found: list[Node] = []
        stack: list[tuple[Node, tuple[str, ...]]] = [(node, (node.id,))]
        while stack:
            current, chain = stack.pop()
            for facet in self.refs(current, FACET, chain[:-1]):
                found.append(facet)
                stack.append((facet, (*chain, facet.id)))
        return found

    def hashes_of(self, node: Node) -> list[tuple[str, str]]:
        found = []
        for facet in [node, *self.g.refs(node, FACET)]:
            for digest in self.g.follow(facet, HASH, (node.id,)):
                self.mark(digest, u("types", "hashMethod"), u("types", "hashValue"))
                self.mark(facet, HASH)
                method = self.g.literal(digest, u("types", "hashMethod")) or ""
                value = self.g.literal(digest, u("types", "hashValue")) or ""
                code = algorithm_code(method)
                if code is None:
                    self.loss.append(
                        LossEntry(
                            LossKind.REJECTED,
                            self.g.compact(digest.id),
                            preview(value),
                            f"unknown hash method {method!r}",
                        )
                    )
                else:
                    found.append((code, value))
        return found

    def facet(self, item: Item, facet: Node) -> None:
        def ob(local: str) -> str:
            return u("observable", local)

        raw_path = self.lit(facet, ob("filePath"))
        if raw_path:
            checked = evidence_path(raw_path, None)
            if checked.path:
                item.path = checked.path
                if checked.path.rsplit("/", 1)[-1] == self.g.literal(facet, ob("fileName")):
                    self.mark(facet, ob("fileName"))
            else:
                item.source_path = raw_path
        source_path = self.lit(facet, OURS + "sourcePath")
        if source_path:
            item.source_path = source_path
        size = self.lit(facet, ob("sizeInBytes"))
        if size and size.isdigit():
            item.size = int(size)
        media = self.lit(facet, ob("mimeType"))
        if media and "/" in media:
            item.media_type = media
        for key, local in (
            ("created", "observableCreatedTime"),
            ("modified", "modifiedTime"),
            ("changed", "metadataChangeTime"),
            ("accessed", "accessedTime"),
        ):
            value = self.lit(facet, ob(local))
            if value:
                item.times[key] = value
        for key, local in (
            ("manufacturer", "manufacturer"),
            ("model", "model"),
            ("serialNumber", "serialNumber"),
        ):
            value = self.lit(facet, ob(local))
            if value:
                item.device[key] = value

    # actions -------------------------------------------------------------------------------
    def actions(self) -> None:
        timed = []
        for node in self.g.nodes.values():
            if ACTION in node.types or u("action", "Action") in node.types:
                name = (self.g.literal(node, NAME) or "").lower()
                start = utc_instant(self.g.literal(node, START) or "")
                if _kind(name) and start:
                    timed.append((start, node, name))
                elif _kind(name) and any(
                    prop in node.properties for prop in (PERFORMER, ACTION_OBJECT, RESULT)
                ):  # an action on items; a bare lifecycle phase of the same name is not
                    self.loss.append(
                        LossEntry(
                            LossKind.REJECTED,
                            self.g.compact(node.id),
                            name,
                            "no uco-action:startTime with a time zone; the action is not read",
                        )
                    )
        for start, node, name in sorted(timed, key=lambda entry: entry[0]):
            self.mark(node, NAME, START)
            self.action(node, _kind(name) or "", name, start)

    def action(self, node: Node, kind: str, name: str, start: str) -> None:
        end = utc_instant(self.lit(node, END) or "") or start
        performers = [self.holder(p) for p in self.refs(node, PERFORMER)]
        if not performers:
            label = self.g.compact(node.id)
            self.loss.append(
                LossEntry(LossKind.REJECTED, label, name, "the action has no performer")
            )
            return
        performer = performers[0]
        objects = self.item_ids(self.refs(node, ACTION_OBJECT))
        results = [i for i in self.item_ids(self.refs(node, RESULT)) if i not in objects]
        tools = [t for t in (self.tool(n) for n in self.refs(node, INSTRUMENT)) if t]
        if kind != "acquisition":
            locality, country = self.place(node)
        if kind == "seizure":
            for key in objects + results:
                self.items[key].seizure = Seizure(start, locality, country, performer)
                self.holder_of[key] = performer
            return
        if kind != "acquisition":
            purpose = _custody_purpose(name) if kind == "custody" else kind
            participants = [self.holder(p) for p in self.refs(node, PARTICIPANT)]
            template = Event(
                "",
                [],
                participants[0] if participants else "",
                performer,
                start,
                locality,
                country,
                purpose,
                tools,
                note=self.lit(node, DESCRIPTION),
                means=self.means(node),
                seals_intact=_boolean(self.lit(node, OURS + "sealsIntact")),
            )
            self.custody(objects + results if kind == "custody" else objects, template, node)
            if kind == "custody":
                return
        self.acquired(
            node,
            results,
            objects,
            Acquisition(
                end, performer, tools[0] if tools else None, start if end != start else None
            ),
        )

    def acquired(
        self, node: Node, results: list[str], objects: list[str], acquisition: Acquisition
    ) -> None:
        """The results of an action were made from its objects (one source, or not said)."""
        source = self.items[objects[0]].id if len(objects) == 1 else None
        if len(objects) > 1 and results:
            sources = " ".join(self.items[key].id for key in objects)
            self.loss.append(
                LossEntry(
                    LossKind.REJECTED,
                    f"{self.g.compact(node.id)}/uco-action:object",
                    sources,
                    "made from several items; derivedFrom names exactly one, so none is given",
                )
            )
        for key in results:
            item = self.items[key]
            item.acquisition = acquisition
            item.derived_from = item.derived_from or source
            self.holder_of[key] = acquisition.acquired_by

    def custody(self, keys: list[str], template: Event, node: Node) -> None:
        """One event per holder the items come from (``template.from_holder`` if given)."""
        groups: dict[str, list[str]] = {}
        for key in keys:
            start = template.from_holder or self.holder_of.get(key)
            if start is None:
                start = template.to_holder
                self.loss.append(
                    unfilled(
                        f"{MANIFEST}/e:custody/e:custodyEvent/e:from",
                        self.items[key].exhibit_number,
                        f"{self.g.compact(node.id)}: no earlier holder; the receiver stands in",
                    )
                )
            groups.setdefault(start, []).append(self.items[key].id)
            self.holder_of[key] = template.to_holder
        for start, ids in groups.items():
            self.events.append(
                replace(
                    template,
                    id=f"CE{len(self.events) + 1}",
                    items=ids,
                    from_holder=start,
                    tools=list(template.tools),
                )
            )

    def item_ids(self, nodes: Iterable[Node]) -> list[str]:
        keys: list[str] = []
        for node in nodes:
            target = self.target(node) if RECORD in node.types else node
            if target.id in self.items and target.id not in keys:
                keys.append(target.id)
        return keys

    def place(self, action: Node) -> tuple[str, str]:
        for location in self.refs(action, LOCATION):
            self.mark(location)
            name = self.lit(location, NAME) or self.lit(location, DESCRIPTION)
            for facet in self.refs(location, FACET):
                name = name or self.lit(facet, u("location", "locality"))
            country = self.lit(location, OURS + "country")
            if name:
                return name, country or self.authority.country
        self.loss.append(
            unfilled(
                f"{MANIFEST}//e:place/c:locality",
                _NOT_STATED,
                f"{self.g.compact(action.id)} names no place",
            )
        )
        return _NOT_STATED, self.authority.country

    def tool(self, node: Node) -> Tool | None:
        self.mark(node)
        name = self.lit(node, NAME)
        if not name:
            self.loss.append(
                unfilled(
                    f"{MANIFEST}//e:tool",
                    self.g.compact(node.id),
                    "the instrument has no uco-core:name",
                )
            )
            return None
        return Tool(name, self.lit(node, VERSION))

    def holder(self, node: Node) -> str:
        found = self.holders.get(node.id)
        if found:
            return found.id
        self.mark(node)
        name = self.lit(node, NAME)
        for facet in self.refs(node, FACET):
            given = self.lit(facet, u("identity", "givenName"))
            family = self.lit(facet, u("identity", "familyName"))
            name = name or " ".join(p for p in (given, family) if p) or None
        if not name:
            name = self.g.compact(node.id)
            self.loss.append(
                unfilled(
                    f"{MANIFEST}/e:holders/e:holder/e:name",
                    name,
                    "the person has no name in the graph; the @id stands in",
                )
            )
        function = self.lit(node, OURS + "function")
        organisation = self.lit(node, OURS + "organisation")
        country = self.lit(node, OURS + "country")
        if not (function and organisation):
            self.loss.append(
                unfilled(
                    f"{MANIFEST}/e:holders/e:holder",
                    name,
                    "CASE gives no function or organisation: 'not stated' and the "
                    "compiling authority stand in",
                )
            )
        holder = Holder(
            f"H{len(self.holders) + 1}",
            name,
            function or _NOT_STATED,
            organisation or self.authority.name,
            country or self.authority.country,
            unit=self.lit(node, OURS + "unit"),
            service_number=self.lit(node, OURS + "serviceNumber"),
        )
        self.holders[node.id] = holder
        return holder.id

    def means(self, node: Node) -> Means | None:
        """How the items travelled (our own vocabulary; UCO has no property for it)."""
        method = self.lit(node, OURS + "transferMethod")
        if method is None:
            return None
        self.mark(node, OURS + "containerSeal")
        seals = self.g.values(node, OURS + "containerSeal")
        return Means(
            method,
            self.lit(node, OURS + "carrier"),
            self.lit(node, OURS + "trackingReference"),
            tuple(seal for seal in seals if isinstance(seal, str)),
        )

    def check_derivation(self) -> None:
        by_id = {item.id: item for item in self.items.values()}
        for item in by_id.values():
            seen = [item.id]
            current = item
            while current.derived_from:
                if current.derived_from in seen:
                    loop = " -> ".join([*seen, current.derived_from])
                    raise UnreadableInput(
                        self.g.source,
                        f"derivation cycle between items {loop}; nothing is made from itself",
                    )
                seen.append(current.derived_from)
                current = by_id[current.derived_from]

    # results -------------------------------------------------------------------------------
    def holder_list(self, header: Any, loss: list[LossEntry]) -> list[Holder]:
        holders = list(self.holders.values())
        return holders or [authority_holder(header, loss)]

    def item_list(self) -> list[Item]:
        items = list(self.items.values())
        for item in items:
            if item.seizure is None and item.derived_from is None:
                self.loss.append(
                    unfilled(
                        f"{MANIFEST}/e:items/e:item[@id='{item.id}']/e:seizure",
                        item.exhibit_number,
                        "no seizure action and no single source item in the graph (EVD-020)",
                    )
                )
        if any(item.seizure for item in items):
            self.loss.append(
                unfilled(
                    f"{MANIFEST}/e:items/e:item/e:seizure/e:legalBasis",
                    "",
                    "CASE has no legal basis or decision of a seizure (EVD-018, EVD-019)",
                )
            )
        return items

    def report_unread(self) -> None:
        for node in self.g.nodes.values():
            label = self.g.compact(node.id)
            if node.id not in self.read_nodes:
                kinds = " ".join(self.g.compact(t) for t in node.types)
                self.loss.append(
                    LossEntry(LossKind.UNCONSUMED, label, preview(kinds), "node not read")
                )
                continue
            for prop, values in node.properties.items():
                if (node.id, prop) not in self.read_props and values:
                    shown = [self.g.compact(v.id) if isinstance(v, Ref) else v for v in values]
                    self.loss.append(
                        LossEntry(
                            LossKind.UNCONSUMED,
                            f"{label}/{self.g.compact(prop)}",
                            preview(" ".join(shown)),
                        )
                    )
        for node_id, keyword in self.g.keywords:
            where = f"{self.g.compact(node_id)}/{keyword}"
            self.loss.append(LossEntry(LossKind.UNCONSUMED, where, "", "JSON-LD keyword not read"))
        for context in self.g.remote:
            self.loss.append(
                LossEntry(
                    LossKind.UNCONSUMED,
                    "@context",
                    preview(context),
                    "remote contexts are never fetched",
                )
            )


def _boolean(value: str | None) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get((value or "").lower())


def _is_file(node: Node) -> bool:
    return any(
        t.endswith(("/File", "/ContentData", "/Image", "/RasterPicture")) for t in node.types
    )


def _item_type(node: Node) -> str:
    if any(t.endswith("/Device") for t in node.types):
        return "physical"
    if any(t.endswith("/Image") for t in node.types):
        return "forensic-image"
    return "digital-file"


_KINDS: Final = (
    (("seiz",), "seizure"),
    (("acquired",), "acquisition"),
    (("imag",), "imaging"),
    (("extract",), "extraction"),
    (("pars", "execut", "examin", "analy"), "examination"),
    (("custody", "transfer", "receive"), "custody"),
)


def _kind(name: str) -> str | None:
    """What an action named ``name`` (lower case) is for the manifest, None: not read."""
    return next((kind for prefixes, kind in _KINDS if name.startswith(prefixes)), None)


def _custody_purpose(name: str) -> str:
    purpose = name.removeprefix("custody-")
    return purpose if purpose in _PURPOSES else "transfer"
