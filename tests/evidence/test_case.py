"""CASE/UCO JSON-LD <-> evidence manifests: the fixtures, round trips, hostile graphs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from interop.convert import registry
from interop.convert.loss import LossKind
from interop.errors import UnreadableInput
from interop.evidence.formats import jsonld
from interop.xmlio import parse_file
from tests.conftest import EXAMPLES, FIXTURES, run_cli
from tests.evidence.formats_support import (
    AUTHORITY,
    CLI_OPTIONS,
    NS,
    OPTIONS,
    hashes,
    items,
    losses,
    read,
    rule_errors,
)

LIFECYCLE = FIXTURES / "case" / "forensic_lifecycle.json"
FILE = FIXTURES / "case" / "file.json"
HOLDER_FIELDS = ("name", "function", "organisation", "unit", "country", "serviceNumber")
MANIFESTS = sorted((EXAMPLES / "evidence").glob("*.xml"))
CONTEXT = {
    "kb": "http://example.org/kb/",
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
}
TYPES = "https://ontology.unifiedcyberontology.org/uco/types/"
SHA = "8c8b39473c4064f6b4db11a67251ffdf65c42ebadc5c3e02a009f95f6cf7c9e8"


def graph(*nodes: dict[str, Any], context: Any = None) -> bytes:
    return json.dumps({"@context": context or CONTEXT, "@graph": list(nodes)}).encode()


def exhibit(record: str, number: str, target: str) -> dict[str, Any]:
    return {
        "@id": record,
        "@type": "case-investigation:ProvenanceRecord",
        "case-investigation:exhibitNumber": number,
        "uco-core:object": {"@id": target},
    }


def text(element: etree._Element, path: str) -> str | None:
    return element.findtext(path, namespaces=NS)


def summary(tree: etree._ElementTree) -> dict[str, Any]:
    """What a round trip must keep: items, hashes, holders and custody, by name, not id."""
    root = tree.getroot()
    holder = {h.get("id"): text(h, "e:name") for h in root.iterfind("e:holders/e:holder", NS)}
    number = {i.get("id"): text(i, "e:exhibitNumber") for i in items(tree)}
    return {
        "holders": sorted(
            tuple(text(h, f"e:{local}") for local in HOLDER_FIELDS)
            for h in root.iterfind("e:holders/e:holder", NS)
        ),
        "items": [
            (
                text(i, "e:exhibitNumber"),
                i.get("type"),
                text(i, "e:description/c:text"),
                text(i, "e:path"),
                text(i, "e:size"),
                hashes(i),
                number.get(i.get("derivedFrom")),
                text(i, "e:seizure/e:at"),
                holder.get(i.find("e:seizure/e:seizedBy", NS).get("holder"))
                if i.find("e:seizure", NS) is not None
                else None,
                text(i, "e:acquisition/e:acquiredAt"),
                text(i, "e:acquisition/e:tool/e:name"),
                text(i, "e:acquisition/e:tool/e:version"),
            )
            for i in items(tree)
        ],
        "custody": [
            (
                [number[i] for i in (e.get("items") or "").split()],
                holder[e.find("e:from", NS).get("holder")],
                holder[e.find("e:to", NS).get("holder")],
                text(e, "e:at"),
                text(e, "e:place/c:locality"),
                text(e, "e:place/c:country"),
                text(e, "e:purpose"),
                [(text(t, "e:name"), text(t, "e:version")) for t in e.iterfind("e:tool", NS)],
                text(e, "e:note/c:text"),
                [(m.tag, m.text) for m in e.iterfind("e:means/*", NS)],
                text(e, "e:sealsIntact"),
            )
            for e in root.iterfind("e:custody/e:custodyEvent", NS)
        ],
    }


# ---- the fixtures -----------------------------------------------------------------------------
def test_forensic_lifecycle_keeps_exhibit_numbers_and_custody_actions() -> None:
    result = read("case", LIFECYCLE.read_bytes(), str(LIFECYCLE))
    tree = result.document
    numbers = [text(i, "e:exhibitNumber") for i in items(tree)]
    notes = " ".join(text(i, "e:note/c:text") or "" for i in items(tree))
    source = json.loads(LIFECYCLE.read_text())["@graph"]
    expected = [
        n["case-investigation:exhibitNumber"]
        for n in source
        if "case-investigation:exhibitNumber" in n
    ]
    assert len(expected) == 21
    # Every exhibit number survives: one item per exhibit; the lab's second number of the
    # phone (the seizing agency's comes first) is in the phone's note.
    assert all(n in numbers or f"Also exhibit {n}" in notes for n in expected)
    assert numbers[0] == "ACME-676553402357" and "Also exhibit DFL-20140712-001A" in notes
    phone, _sd_card, phone_image = items(tree)[:3]
    assert phone.get("type") == "physical" and phone_image.get("type") == "forensic-image"
    assert text(phone, "e:seizure/e:at") == "2010-01-15T17:59:43.25Z"
    assert phone_image.get("derivedFrom") == phone.get("id")
    assert text(phone_image, "e:acquisition/e:acquiredAt") == "2010-01-15T19:59:43.25Z"
    # The custody actions, in time order: receipt at FedEx, two imagings, parsing, parser run.
    events = tree.getroot().findall("e:custody/e:custodyEvent", NS)
    assert [text(e, "e:purpose") for e in events] == [
        "transfer", "transfer", "imaging", "imaging", "examination", "examination"
    ]  # fmt: skip
    name = {h.get("id"): text(h, "e:name") for h in tree.getroot().iterfind("e:holders/", NS)}
    first = events[0]
    assert first.get("items") == phone.get("id")
    assert text(first, "e:at") == "2010-01-15T17:59:43.25Z"
    # The seizing investigator hands the phone to the examiner who receives it.
    assert name[first.find("e:from", NS).get("holder")].startswith("kb:investigator-ae05a88b")
    assert name[first.find("e:to", NS).get("holder")].startswith("kb:examiner-fef59198")
    assert phone.find("e:seizure/e:seizedBy", NS).get("holder") == first.find("e:from", NS).get(
        "holder"
    )
    # What CASE lacks is reported, and the rules refuse the draft for the legal side.
    unfilled = " ".join(path + reason for path, reason in losses(result, LossKind.UNFILLED))
    assert "legal basis" in unfilled and "no name in the graph" in unfilled
    unconsumed = [path for path, _ in losses(result, LossKind.UNCONSUMED)]
    assert any(p.startswith("kb:acme-ufed-arguments-facet") for p in unconsumed)
    assert {"EVD-018", "EVD-019", "EVD-020"} <= rule_errors(tree)


def test_file_fixture_keeps_hashes_sizes_media_types_and_times() -> None:
    result = read("case", FILE.read_bytes(), str(FILE))
    by_number = {text(i, "e:exhibitNumber"): i for i in items(result.document)}
    attachment = by_number["kb:decoded_attachment-b7589f93-79b0-483b-b17d-46f5d9774704"]
    assert hashes(attachment) == {"MD5": "3d137a188c1e82247b815209ce44af2c", "SHA-256": SHA}
    assert text(attachment, "e:size") == "3500"
    assert text(attachment, "e:mediaType") == "image/jpg"
    tar = by_number["kb:tar_archive_file-2857804a-91d7-4cfb-8929-8448d92bb8de"]
    # An absolute path on the source medium is the source path, never a path in the folder.
    assert text(tar, "e:sourcePath") == "/some/files/in/archive/attachment.jpg"
    assert text(tar, "e:path") is None
    assert text(tar, "e:fileTimes/e:modified") == "2009-01-15T17:59:43.25Z"
    assert any("@id stands in" in reason for _, reason in losses(result, LossKind.UNFILLED))


# ---- export and round trips -------------------------------------------------------------------
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.stem)
def test_round_trip_common_case_common_keeps_items_hashes_holders_and_custody(path: Path) -> None:
    converter = registry.create("case", OPTIONS)
    original = parse_file(path)
    exported = converter.from_common(original)
    document = json.loads(exported.data)
    assert document["@context"]["uco-core"] == CONTEXT["uco-core"]
    assert document["@context"]["case-investigation"] == CONTEXT["case-investigation"]
    defined = {node["@id"] for node in document["@graph"]}
    assert len(defined) == len(document["@graph"])  # one node per @id
    assert _references(document["@graph"]) <= defined  # no dangling reference
    # Without --case-reference, the investigation's name gives it.
    reader = registry.create("case", {"compiled_by": AUTHORITY})
    back = reader.to_common(exported.data, "exported.json")
    assert summary(back.document) == summary(original)
    # The manifest's case reference comes back from the investigation's name.
    assert text(back.document.getroot(), "e:reference/c:number") == text(
        original.getroot(), "e:reference/c:number"
    )
    # What CASE cannot carry is in the export's loss report, by its path in the manifest.
    lost = [e.path for e in exported.loss.entries]
    if original.getroot().find("e:items/e:item/e:seizure/e:legalBasis", NS) is not None:
        assert any("/e:seizure/e:legalBasis" in p for p in lost)


def _references(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            found.add(value["@id"])
        for child in value.values():
            found |= _references(child)
    elif isinstance(value, list):
        for child in value:
            found |= _references(child)
    return found


# ---- JSON-LD reading ----------------------------------------------------------------------------
def test_own_prefixes_absolute_iris_nested_nodes_and_remote_contexts() -> None:
    data = json.dumps(
        {
            "@context": [
                "https://ontology.unifiedcyberontology.org/uco/context.jsonld",
                {"ex": "http://example.org/kb/", "core": CONTEXT["uco-core"],
                 "inv": CONTEXT["case-investigation"], "obs": CONTEXT["uco-observable"]},
            ],
            "@graph": [
                {
                    "@id": "ex:record-1",
                    "@type": "inv:ProvenanceRecord",
                    "inv:exhibitNumber": "EX-1",
                    "core:object": {
                        "@id": "ex:file-1",
                        "@type": "obs:File",
                        "core:hasFacet": [{
                            "@type": "obs:ContentDataFacet",
                            "https://ontology.unifiedcyberontology.org/uco/observable/hash": {
                                "@list": [{
                                    "@type": f"{TYPES}Hash",
                                    f"{TYPES}hashMethod": "SHA256",
                                    f"{TYPES}hashValue": SHA,
                                }]
                            },
                        }],
                    },
                }
            ],
        }
    ).encode()  # fmt: skip
    result = read("case", data)
    (item,) = items(result.document)
    assert text(item, "e:exhibitNumber") == "EX-1"
    assert hashes(item) == {"SHA-256": SHA}
    remote = [e for e in result.loss.entries if e.path == "@context"]
    assert remote and remote[0].reason == "remote contexts are never fetched"


def test_wrong_hash_values_and_methods_are_reported() -> None:
    data = graph(
        exhibit("kb:r1", "EX-1", "kb:f1"),
        {
            "@id": "kb:f1",
            "@type": "uco-observable:File",
            "uco-core:hasFacet": {
                "@id": "kb:c1",
                "@type": "uco-observable:ContentDataFacet",
                "uco-observable:hash": [
                    {"uco-types:hashMethod": "SHA256", "uco-types:hashValue": SHA[:40]},
                    {"uco-types:hashMethod": "CRC32", "uco-types:hashValue": "abcd"},
                ],
            },
        },
    )  # fmt: skip
    result = read("case", data)
    reasons = [reason for _, reason in losses(result, LossKind.REJECTED)]
    assert "SHA-256 value has 40 hexadecimal characters instead of 64" in reasons
    assert "unknown hash method 'CRC32'" in reasons
    assert hashes(items(result.document)[0]) == {}


# ---- hostile graphs -----------------------------------------------------------------------------
def test_facet_cycle_is_one_clear_error() -> None:
    data = graph(
        exhibit("kb:r1", "EX-1", "kb:a"),
        {"@id": "kb:a", "@type": "uco-observable:File", "uco-core:hasFacet": {"@id": "kb:b"}},
        {"@id": "kb:b", "@type": "uco-observable:FileFacet", "uco-core:hasFacet": {"@id": "kb:a"}},
    )
    with pytest.raises(UnreadableInput, match=r"reference cycle kb:a -> kb:b -> kb:a"):
        read("case", data, "cycle.json")


def test_record_cycle_and_self_reference_are_refused() -> None:
    data = graph(
        exhibit("kb:r1", "EX-1", "kb:r2"),
        {
            "@id": "kb:r2",
            "@type": "case-investigation:ProvenanceRecord",
            "uco-core:object": {"@id": "kb:r1"},
        },
    )
    with pytest.raises(UnreadableInput, match="reference cycle"):
        read("case", data)
    with pytest.raises(UnreadableInput, match="reference cycle"):
        read("case", graph(exhibit("kb:r1", "EX-1", "kb:r1")))


def test_derivation_cycle_is_refused() -> None:
    def acquired(action: str, source: str, result: str, at: str) -> dict[str, Any]:
        return {
            "@id": action,
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": "acquired",
            "uco-action:startTime": at,
            "uco-action:performer": {"@id": "kb:examiner"},
            "uco-action:object": [{"@id": source}],
            "uco-action:result": [{"@id": result}],
        }

    data = graph(
        exhibit("kb:r1", "EX-1", "kb:a"),
        exhibit("kb:r2", "EX-2", "kb:b"),
        {"@id": "kb:a", "@type": "uco-observable:File"},
        {"@id": "kb:b", "@type": "uco-observable:File"},
        {"@id": "kb:examiner", "@type": "uco-identity:Person", "uco-core:name": "A. Examiner"},
        acquired("kb:x1", "kb:r1", "kb:r2", "2026-01-01T10:00:00Z"),
        acquired("kb:x2", "kb:r2", "kb:r1", "2026-01-02T10:00:00Z"),
    )
    with pytest.raises(UnreadableInput, match="derivation cycle between items I1 -> I2 -> I1"):
        read("case", data)


def test_deep_nesting_is_refused_before_any_walk() -> None:
    deep = b'{"@graph": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(UnreadableInput, match="nested deeper than 64 levels"):
        read("case", deep)
    nested = {"@id": "kb:x"}
    for _ in range(200):
        nested = {"@id": "kb:x", "uco-core:hasFacet": nested}
    with pytest.raises(UnreadableInput, match="nested deeper"):
        read("case", graph(nested))


def test_size_cap_and_malformed_json() -> None:
    with pytest.raises(UnreadableInput, match="larger than the 1 MB limit"):
        jsonld.load(b" " * (1024 * 1024 + 1), "big.json", max_bytes=1024 * 1024)
    with pytest.raises(UnreadableInput, match="not JSON") as caught:
        read("case", b'{\n  "@graph": [,]\n}')
    assert (caught.value.line, caught.value.column) == (2, 14)
    with pytest.raises(UnreadableInput, match="no exhibit"):
        read("case", graph({"@id": "kb:x", "@type": "uco-identity:Person"}))


def test_cli_refuses_a_200_mb_file_by_the_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    done = run_cli("convert", str(big), "--from", "case", "--to", "common", *CLI_OPTIONS)
    assert done.returncode == 2
    assert "larger than the 50 MB limit" in done.stderr and "Traceback" not in done.stderr


def test_cli_cycle_is_one_line_exit_2(tmp_path: Path) -> None:
    cyclic = tmp_path / "cycle.json"
    cyclic.write_bytes(graph(exhibit("kb:r1", "EX-1", "kb:r1")))
    done = run_cli("convert", str(cyclic), "--from", "case", "--to", "common", *CLI_OPTIONS)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "reference cycle" in done.stderr


def test_cli_export_and_import(tmp_path: Path) -> None:
    exported = tmp_path / "manifest.json"
    done = run_cli(
        "convert", str(MANIFESTS[0]), "--from", "common", "--to", "case", "-o", str(exported)
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(exported.read_text())["@graph"]
    back = tmp_path / "back.xml"
    done = run_cli(
        "convert", str(exported), "--from", "case", "--to", "common", "-o", str(back),
        "--authority", "Landeskriminalamt Berlin;police;DE",
    )  # fmt: skip
    # CASE has no legal basis or decision of a seizure: the draft is not written.
    assert done.returncode == 1, done.stderr
    assert "[EVD-018]" in done.stderr and not back.exists()
    done = run_cli(
        "convert", str(LIFECYCLE), "--from", "case", "--to", "common", "-o", str(back), *CLI_OPTIONS
    )
    assert done.returncode == 1 and "[EVD-019]" in done.stderr and not back.exists()


def test_unknown_keywords_and_actions_without_time_zone_are_reported() -> None:
    data = graph(
        exhibit("kb:r1", "EX-1", "kb:f1"),
        {"@id": "kb:f1", "@type": "uco-observable:File", "@reverse": {"uco-core:object": []}},
        {
            "@id": "kb:a1",
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": "seized",
            "uco-action:startTime": "2026-01-01T10:00:00",
            "uco-action:performer": {"@id": "kb:nobody"},
        },
    )
    result = read("case", data)
    assert ("kb:f1/@reverse", "JSON-LD keyword not read") in losses(result, LossKind.UNCONSUMED)
    assert any(
        "no uco-action:startTime with a time zone" in r
        for _, r in losses(result, LossKind.REJECTED)
    )


def test_references_to_undefined_nodes_are_reported() -> None:
    result = read("case", graph(exhibit("kb:r1", "EX-1", "kb:missing")))
    assert ("kb:r1/uco-core:object", "refers to a node the graph does not define") in losses(
        result, LossKind.REJECTED
    )
