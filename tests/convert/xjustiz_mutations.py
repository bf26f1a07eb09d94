"""Mutated common documents for the XJustiz round-trip tests (hypothesis strategies).

``mutated()`` varies the evidence manifests of examples/evidence (which items, exhibit
numbers, descriptions, sizes, hashes); ``mutated_document()`` varies any common example (issue
date, document id, file numbers, the carried names of the parties). Each draws a document that
stays schema-valid, and the name of the example it came from.
"""

from __future__ import annotations

import copy
import uuid
from datetime import date

from hypothesis import strategies as st
from lxml import etree

from tests.conftest import COMMON_EXAMPLES, EXAMPLES

MANIFESTS = sorted((EXAMPLES / "evidence").glob("*.xml"))
E = "urn:interop:evidence:1"
C = "urn:interop:common:1"
NS = {
    "e": E,
    "c": C,
    "r": "urn:interop:request:1",
    "n": "urn:interop:notification:1",
    "tns": "http://www.xjustiz.de",
}
CARRIED_TEXT = (
    "(e:description/c:text[@lang = 'de'] | e:description/c:text[@origin = 'original']"
    "[not(../c:text[@lang = 'de'])])[1]"
)
CARRIED_NAME = (
    "(c:name[@script = 'Latn'][not(@form) or @form = 'original'] | c:name[@form = "
    "'transliterated'][not(../c:name[@script = 'Latn'][not(@form) or @form = 'original'])])[1]"
)
PARTIES = (
    "r:personsConcerned/r:party | r:requestedPerson | n:recipient/n:party"
    " | n:recipient[c:role] | n:personConcerned | n:summonedPerson | n:person"
    " | e:persons/e:party"
)

LATIN = (
    st.text(
        alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzÄÖÜäöüßéèçñøłśźżąęőű ")),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
EXHIBIT = st.from_regex(r"[A-Z]{1,4}[ -]?[0-9]{1,5}(/[0-9]{2})?( Nr\. [0-9]{1,3})?", fullmatch=True)
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[etree._ElementTree, str]:
    """An example manifest with some items left out and new exhibit numbers, texts, sizes."""
    manifest = draw(st.sampled_from(MANIFESTS))
    tree = copy.deepcopy(etree.parse(str(manifest)))
    root = tree.getroot()
    items = root.findall("e:items/e:item", NS)
    keep = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    if not any(keep):
        keep[0] = True
    kept = {item.get("id") for item, flag in zip(items, keep, strict=True) if flag}
    for item, flag in zip(items, keep, strict=True):
        parent = item.getparent()
        if not flag and parent is not None:
            parent.remove(item)
    for item in root.iterfind("e:items/e:item", NS):
        if item.get("derivedFrom") not in (None, *kept):
            del item.attrib["derivedFrom"]
        number = item.find("e:exhibitNumber", NS)
        assert number is not None
        number.text = draw(EXHIBIT)
        text = item.xpath(CARRIED_TEXT, namespaces=NS)
        if isinstance(text, list) and text and isinstance(text[0], etree._Element):
            text[0].text = draw(LATIN)
        size = item.find("e:size", NS)
        if size is not None:
            size.text = str(draw(st.integers(min_value=0, max_value=10**13)))
        for digest in item.iterfind("e:hash[@algorithm = 'SHA-256']", NS):
            digest.text = draw(HEX)
    return tree, manifest.name


REFERENCE = st.from_regex(r"[0-9]{1,3} (Js|AR|Ds|EU) [0-9]{1,5}/[0-9]{2}", fullmatch=True)
DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)).map(date.isoformat)


@st.composite
def mutated_document(draw: st.DrawFn) -> tuple[etree._ElementTree, str]:
    """Any common example with a new issue date, id, file numbers and party names."""
    example = draw(st.sampled_from(COMMON_EXAMPLES))
    tree = copy.deepcopy(etree.parse(str(example)))
    root = tree.getroot()
    issued = root.find("c:issueDate", NS)
    assert issued is not None
    issued.text = draw(DAY)
    identifier = root.find("c:documentId", NS)
    assert identifier is not None
    if draw(st.booleans()):
        identifier.text = f"urn:uuid:{uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))}"
    for reference in root.iterfind("*/c:reference", NS):
        reference.text = draw(REFERENCE)
    for party in root.xpath(PARTIES, namespaces=NS):
        person = party.find("c:naturalPerson", NS)
        name = person.xpath(CARRIED_NAME, namespaces=NS) if person is not None else []
        for family in name[0].iterfind("c:familyName", NS) if name else []:
            family.text = draw(LATIN)
        legal = party.find("c:legalPerson/c:name", NS)
        if legal is not None:
            legal.text = draw(LATIN)
    return tree, example.name
