"""Evidence manifest -> CASE/UCO JSON-LD (the writing half of the ``case`` converter).

One graph with the CASE 1.x / UCO 1.x context IRIs: a Person per holder, an observable (File,
Image, Device) with FileFacet, ContentDataFacet (hashes) and DeviceFacet plus a
ProvenanceRecord per item, and an InvestigativeAction per seizure (``seized``), acquisition
(``acquired``) and custody event (``custody-<purpose>``: participant = from, performer = to).
What UCO has no property for goes into the ``interop-evidence:`` vocabulary, so that
:mod:`interop.evidence.formats.case` reads the same manifest back. Node ids are UUIDv5 of the
manifest's document id and the local id, so the same manifest always gives the same graph.
Whatever is not written is reported by its path in the manifest.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from lxml import etree

from interop.convert.loss import LossEntry, LossKind, preview
from interop.evidence.formats.case import INV, NS, OURS, UCO, C, E
from interop.validate.locate import named_xpath

CONTEXT: Final = {
    "kb": "http://example.org/kb/",
    "case-investigation": INV,
    "uco-action": f"{UCO}action/",
    "uco-core": f"{UCO}core/",
    "uco-identity": f"{UCO}identity/",
    "uco-location": f"{UCO}location/",
    "uco-observable": f"{UCO}observable/",
    "uco-tool": f"{UCO}tool/",
    "uco-types": f"{UCO}types/",
    "uco-vocabulary": f"{UCO}vocabulary/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "interop-evidence": OURS,
}
_HASH_NAMES: Final = {
    "MD5": "MD5",
    "SHA-1": "SHA1",
    "SHA-256": "SHA256",
    "SHA-512": "SHA512",
    "SHA3-256": "SHA3-256",
}


class CaseWriter:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.used: set[etree._Element] = {root}
        self.graph: list[dict[str, Any]] = []
        self.namespace = uuid.uuid5(
            uuid.NAMESPACE_URL, self.text(root, "c:documentId") or "manifest"
        )
        self.places: dict[tuple[str, str], str] = {}
        self.tools: dict[tuple[str, str | None], str] = {}
        self.derived: list[etree._Element] = []

    def id(self, kind: str, local: str) -> str:
        return f"kb:{kind}-{uuid.uuid5(self.namespace, kind + ':' + local)}"

    def find(self, parent: etree._Element, path: str) -> list[etree._Element]:
        found: list[etree._Element] = parent.findall(path, NS)
        for element in found:
            self.used.update(element.iter())
        return found

    def text(self, parent: etree._Element, path: str) -> str | None:
        """The text of the first match (only that one counts as written)."""
        found: etree._Element | None = parent.find(path, NS)
        if found is None:
            return None
        self.used.update(found.iter())
        return (found.text or "").strip()

    def holder_ref(self, parent: etree._Element, path: str, holders: dict[str, str]) -> str:
        found: etree._Element | None = parent.find(path, NS)
        if found is None:
            return ""
        self.used.add(found)
        return holders.get(found.get("holder", ""), "")

    def write(self) -> dict[str, Any]:
        root = self.root
        holders = {h.get("id", ""): self.person(h) for h in self.find(root, "e:holders/e:holder")}
        items = {i.get("id", ""): self.item(i) for i in root.findall("e:items/e:item", NS)}
        for item in root.findall("e:items/e:item", NS):
            self.seizure(item, items, holders)
            self.acquisition(item, items, holders)
        for event in root.findall("e:custody/e:custodyEvent", NS):
            self.event(event, items, holders)
        self.derived = [
            i
            for i in root.findall("e:items/e:item[@derivedFrom]", NS)
            if i.find("e:acquisition", NS) is None
        ]
        reference = self.text(root, "e:reference/c:number") or ""
        self.graph.insert(
            0,
            {
                "@id": self.id("investigation", reference),
                "@type": "case-investigation:Investigation",
                "uco-core:name": reference,
                "uco-core:object": [{"@id": node["@id"]} for node in self.graph],
            },
        )
        return {"@context": CONTEXT, "@graph": self.graph}

    def person(self, holder: etree._Element) -> str:
        node_id = self.id("person", holder.get("id", ""))
        self.used.add(holder)
        node: dict[str, Any] = {
            "@id": node_id,
            "@type": "uco-identity:Person",
            "uco-core:name": self.text(holder, "e:name"),
        }
        for local in ("function", "organisation", "unit", "country", "serviceNumber"):
            value = self.text(holder, f"e:{local}")
            if value:
                node[f"interop-evidence:{local}"] = value
        self.graph.append(node)
        return node_id

    def item(self, item: etree._Element) -> str:
        local = item.get("id", "")
        self.used.add(item)
        kind = item.get("type", "")
        types = {
            "physical": ["uco-observable:Device"],
            "forensic-image": ["uco-observable:File", "uco-observable:Image"],
        }.get(kind, ["uco-observable:File"])
        facets: list[dict[str, Any]] = []
        path = self.text(item, "e:path")
        source_path = self.text(item, "e:sourcePath")
        size = self.text(item, "e:size")
        file_facet: dict[str, Any] = {
            "@id": self.id("file-facet", local),
            "@type": "uco-observable:FileFacet",
        }
        if path:
            file_facet["uco-observable:filePath"] = path
            file_facet["uco-observable:fileName"] = path.rsplit("/", 1)[-1]
        if source_path:
            file_facet["interop-evidence:sourcePath"] = source_path
        for key, prop in (
            ("created", "observableCreatedTime"),
            ("modified", "modifiedTime"),
            ("changed", "metadataChangeTime"),
            ("accessed", "accessedTime"),
        ):
            value = self.text(item, f"e:fileTimes/e:{key}")
            if value:
                file_facet[f"uco-observable:{prop}"] = {"@type": "xsd:dateTime", "@value": value}
        self.find(item, "e:fileTimes")
        if len(file_facet) > 2:
            facets.append(file_facet)
        hashes = [
            {
                "@id": self.id("hash", f"{local}:{h.get('algorithm')}"),
                "@type": "uco-types:Hash",
                "uco-types:hashMethod": {
                    "@type": "uco-vocabulary:HashNameVocab",
                    "@value": _HASH_NAMES.get(h.get("algorithm", ""), h.get("algorithm", "")),
                },
                "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": (h.text or "").strip()},
            }
            for h in self.find(item, "e:hash")
        ]
        media = self.text(item, "e:mediaType")
        if hashes or size or media:
            content: dict[str, Any] = {
                "@id": self.id("content-data-facet", local),
                "@type": "uco-observable:ContentDataFacet",
            }
            if size:
                content["uco-observable:sizeInBytes"] = {"@type": "xsd:integer", "@value": size}
            if media:
                content["uco-observable:mimeType"] = media
            if hashes:
                content["uco-observable:hash"] = hashes
            facets.append(content)
        device = {
            k: self.text(item, f"e:device/e:{k}") for k in ("manufacturer", "model", "serialNumber")
        }
        if any(device.values()):
            facets.append(
                {
                    "@id": self.id("device-facet", local),
                    "@type": "uco-observable:DeviceFacet",
                    **{f"uco-observable:{k}": v for k, v in device.items() if v},
                }
            )
        observable: dict[str, Any] = {"@id": self.id("observable", local), "@type": types}
        if facets:
            observable["uco-core:hasFacet"] = facets
        self.graph.append(observable)
        record = {
            "@id": self.id("provenance-record", local),
            "@type": "case-investigation:ProvenanceRecord",
            "case-investigation:exhibitNumber": self.text(item, "e:exhibitNumber"),
            "uco-core:description": self.text(item, "e:description/c:text"),
            "interop-evidence:itemType": kind,
            "uco-core:object": {"@id": observable["@id"]},
        }
        self.graph.append(record)
        return str(record["@id"])

    def place(self, parent: etree._Element) -> str:
        locality = self.text(parent, "e:place/c:locality") or ""
        country = self.text(parent, "e:place/c:country") or ""
        key = (locality, country)
        if key not in self.places:
            node_id = self.id("location", f"{locality}|{country}")
            self.graph.append(
                {
                    "@id": node_id,
                    "@type": "uco-location:Location",
                    "uco-core:name": locality,
                    "interop-evidence:country": country,
                }
            )
            self.places[key] = node_id
        return self.places[key]

    def tool(self, tool: etree._Element) -> str:
        key = (self.text(tool, "e:name") or "", self.text(tool, "e:version"))
        if key not in self.tools:
            node_id = self.id("tool", f"{key[0]}|{key[1]}")
            node: dict[str, Any] = {
                "@id": node_id,
                "@type": "uco-tool:Tool",
                "uco-core:name": key[0],
            }
            if key[1]:
                node["uco-tool:version"] = key[1]
            self.graph.append(node)
            self.tools[key] = node_id
        return self.tools[key]

    def action(
        self, kind: str, local: str, name: str, at: str | None, performer: str, **extra: Any
    ) -> None:
        node: dict[str, Any] = {
            "@id": self.id(kind, local),
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": name,
        }
        if at:
            node["uco-action:startTime"] = {"@type": "xsd:dateTime", "@value": at}
        node["uco-action:performer"] = {"@id": performer}
        node.update(extra)
        self.graph.append(node)

    def seizure(self, item: etree._Element, items: dict[str, str], holders: dict[str, str]) -> None:
        seizure: etree._Element | None = item.find("e:seizure", NS)
        if seizure is None:
            return
        self.used.update((seizure, *seizure.findall("e:place", NS)))
        holder = self.holder_ref(seizure, "e:seizedBy", holders)
        self.action(
            "seizure",
            item.get("id", ""),
            "seized",
            self.text(seizure, "e:at"),
            holder,
            **{
                "uco-action:location": {"@id": self.place(seizure)},
                "uco-action:result": [{"@id": items[item.get("id", "")]}],
            },
        )

    def acquisition(
        self, item: etree._Element, items: dict[str, str], holders: dict[str, str]
    ) -> None:
        found = item.findall("e:acquisition", NS)
        if not found:
            return
        acquisition = found[0]
        self.used.add(acquisition)
        by = self.holder_ref(acquisition, "e:acquiredBy", holders)
        started = self.text(acquisition, "e:startedAt")
        acquired = self.text(acquisition, "e:acquiredAt")
        extra: dict[str, Any] = {"uco-action:result": [{"@id": items[item.get("id", "")]}]}
        if started and acquired:
            extra["uco-action:endTime"] = {"@type": "xsd:dateTime", "@value": acquired}
        tools = self.find(acquisition, "e:tool")
        if tools:
            extra["uco-action:instrument"] = {"@id": self.tool(tools[0])}
        source = item.get("derivedFrom")
        if source and source in items:
            extra["uco-action:object"] = [{"@id": items[source]}]
        self.action("acquisition", item.get("id", ""), "acquired", started or acquired, by, **extra)

    def event(self, event: etree._Element, items: dict[str, str], holders: dict[str, str]) -> None:
        self.used.add(event)
        source = self.holder_ref(event, "e:from", holders)
        target = self.holder_ref(event, "e:to", holders)
        purpose = self.text(event, "e:purpose") or "transfer"
        targets = [{"@id": items[i]} for i in (event.get("items") or "").split() if i in items]
        extra: dict[str, Any] = {
            "uco-action:participant": {"@id": source},
            "uco-action:location": {"@id": self.place(event)},
            "uco-action:object": targets,
        }
        tools = [{"@id": self.tool(t)} for t in self.find(event, "e:tool")]
        if tools:
            extra["uco-action:instrument"] = tools
        note = self.text(event, "e:note/c:text")
        if note:
            extra["uco-core:description"] = note
        extra.update(self.means(event))
        intact = self.text(event, "e:sealsIntact")
        if intact:
            extra["interop-evidence:sealsIntact"] = intact in ("true", "1")
        self.action(
            "custody",
            event.get("id", ""),
            f"custody-{purpose}",
            self.text(event, "e:at"),
            target,
            **extra,
        )

    def means(self, event: etree._Element) -> dict[str, Any]:
        means: etree._Element | None = event.find("e:means", NS)
        if means is None:
            return {}
        self.used.add(means)
        found: dict[str, Any] = {}
        for local, key in (
            ("method", "transferMethod"),
            ("carrier", "carrier"),
            ("trackingReference", "trackingReference"),
        ):
            value = self.text(means, f"e:{local}")
            if value:
                found[f"interop-evidence:{key}"] = value
        seals = [(s.text or "").strip() for s in self.find(means, "e:containerSeal")]
        if seals:
            found["interop-evidence:containerSeal"] = seals
        return found

    def unwritten(self) -> list[LossEntry]:
        loss = [
            LossEntry(
                LossKind.UNCONSUMED,
                named_xpath(item, {E: "e", C: "c"}) + "/@derivedFrom",
                item.get("derivedFrom", ""),
                "written only with an acquisition",
            )
            for item in self.derived
        ]
        for element in self.root.iter():
            if not isinstance(element.tag, str) or element in self.used:
                continue
            text = (element.text or "").strip()
            if text or len(element) == 0:
                loss.append(
                    LossEntry(
                        LossKind.UNCONSUMED,
                        named_xpath(element, {E: "e", C: "c"}),
                        preview(text),
                        "CASE export does not carry it",
                    )
                )
        return loss
