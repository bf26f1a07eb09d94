"""Items copied from a prototype are exactly the items made element by element."""

from __future__ import annotations

from lxml import etree

from interop.evidence.manifest import (
    Authority,
    Item,
    ItemWriter,
    LegalBasis,
    Place,
    Reference,
    Seizure,
    add_item,
    ids,
    new_manifest,
)


def _manifest() -> etree._ElementTree:
    return new_manifest(
        case="1 Js 1/26",
        compiled_by=Authority("StA Berlin", "prosecutor", "DE"),
        language="de",
        document_id="urn:uuid:17ae5648-3de3-40ae-9726-98ac2887f382",
        issue_date="2026-03-06",
    )


SEIZURE = Seizure(
    at="2026-03-05T08:10:00Z",
    place=Place("Berlin", "DE"),
    seized_by="H1",
    legal_bases=(LegalBasis("national-law", "StPO", "§ 94"),),
    decision=Reference("2 Gs 11/26", "AG Berlin", "DE", "2026-03-01"),
)


def _items() -> list[Item]:
    """New items each time: an extra element belongs to one tree only."""
    return [
        Item("001", "a.txt", "a.txt", 1, "text/plain", (("SHA-256", "a" * 64),), seizure=SEIZURE),
        Item(
            "002", "b <&> c.bin", "b <&> c.bin", 0, None, (("SHA-256", "b" * 64),), seizure=SEIZURE
        ),
        Item("003", "d.txt", "d.txt", 12, "text/plain", (("SHA-256", "c" * 64), ("MD5", "d" * 32))),
        Item("004", "e.txt", "e.txt", 7, "text/plain", (("SHA-256", "e" * 64),), seizure=SEIZURE),
        Item(
            "005",
            "image",
            None,
            None,
            None,
            (("SHA-256", "f" * 64),),
            type="forensic-image",
            derived_from=("F1",),
            source_path="/dev/sda",
        ),
        Item(
            "006",
            "f.txt",
            "f.txt",
            3,
            "text/plain",
            (("SHA-256", "0" * 64),),
            seizure=SEIZURE,
            extra=(etree.Element("{urn:interop:evidence:1}note"),),
        ),
        Item("007", "g.txt", "g.txt", 5, "text/plain", (("SHA-256", "1" * 64),), seizure=SEIZURE),
    ]


def test_copies_equal_items_made_one_by_one() -> None:
    shared, single = _manifest(), _manifest()
    writer = ItemWriter(shared, "de", ids(shared))
    for one, other in zip(_items(), _items(), strict=True):
        writer.add(one)
        add_item(single, other, "de")  # a new writer each time: every item made from scratch
    made = etree.tostring(shared, encoding="unicode")
    assert made == etree.tostring(single, encoding="unicode")
    assert made.count("xmlns:") == 2  # declared once on the root, never again on an item
    root = shared.getroot()
    notes = root.findall(".//{urn:interop:evidence:1}note")
    assert len(notes) == 1  # the extra of one item is not copied into the next of its shape
    values = [i.findtext("{urn:interop:evidence:1}path") for i in root.iter("{*}item")]
    assert values == ["a.txt", "b <&> c.bin", "d.txt", "e.txt", None, "f.txt", "g.txt"]
