"""Named XPaths for findings: ``/req:evidenceRequest/req:persons/c:person[2]/c:birthDate``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.validate.locate import attribute_xpath, named_xpath
from interop.xmlio import parse_bytes

REQ, COMMON = "urn:example:request:1", "urn:example:common:1"
PREFIXES = {REQ: "req", COMMON: "c"}

REQUEST = f"""<r:evidenceRequest xmlns:r="{REQ}" xmlns:k="{COMMON}">
  <r:persons>
    <k:person id="p1"><k:name>Anna</k:name></k:person>
    <k:person k:ref="x" xml:lang="de">
      <k:name>Jan</k:name><k:birthDate>1990-01-01</k:birthDate>
    </k:person>
    <r:note>first<!-- a comment --><?pi data?>tail text</r:note>
  </r:persons>
</r:evidenceRequest>""".encode()


def first(tree: etree._ElementTree, path: str) -> etree._Element:
    found = tree.xpath(path, namespaces={"req": REQ, "c": COMMON})
    assert isinstance(found, list)
    assert found, path
    node = found[0]
    assert isinstance(node, etree._Element)
    return node


@pytest.fixture
def request_tree() -> etree._ElementTree:
    return parse_bytes(REQUEST, "request.xml")


def test_prefixes_from_the_mapping_replace_the_documents_own(
    request_tree: etree._ElementTree,
) -> None:
    birth = first(request_tree, "//c:birthDate")
    assert named_xpath(birth, PREFIXES) == (
        "/req:evidenceRequest/req:persons/c:person[2]/c:birthDate"
    )


def test_without_a_mapping_the_documents_own_prefixes_are_used(
    request_tree: etree._ElementTree,
) -> None:
    birth = first(request_tree, "//c:birthDate")
    assert named_xpath(birth) == "/r:evidenceRequest/r:persons/k:person[2]/k:birthDate"


def test_positions_only_where_a_qualified_name_repeats(request_tree: etree._ElementTree) -> None:
    # Two c:person siblings get positions; the single req:note and c:name do not.
    name = first(request_tree, "//c:person[1]/c:name")
    note = first(request_tree, "//req:note")
    assert named_xpath(name, PREFIXES) == "/req:evidenceRequest/req:persons/c:person[1]/c:name"
    assert named_xpath(note, PREFIXES) == "/req:evidenceRequest/req:persons/req:note"


def test_same_local_name_in_two_namespaces_is_not_a_repetition() -> None:
    tree = parse_bytes(f'<a xmlns:x="{REQ}" xmlns:y="{COMMON}"><x:b/><y:b/></a>'.encode(), "t")
    second = tree.getroot()[1]
    assert named_xpath(second, PREFIXES) == "/a/c:b"


def test_default_namespace_without_a_known_prefix_is_a_wildcard() -> None:
    tree = parse_bytes(f'<root xmlns="{REQ}"><item/><item/></root>'.encode(), "t")
    item = tree.getroot()[1]
    assert named_xpath(item) == "/*:root/*:item[2]"
    assert named_xpath(item, {REQ: "req"}) == "/req:root/req:item[2]"


def test_no_namespace_names_stay_plain() -> None:
    tree = parse_bytes(b"<root><item><code>1</code></item></root>", "t")
    code = tree.getroot()[0][0]
    assert named_xpath(code, PREFIXES) == "/root/item/code"


def test_attributes(request_tree: etree._ElementTree) -> None:
    plain = request_tree.xpath("//c:person[1]/@id", namespaces={"c": COMMON})
    namespaced = request_tree.xpath("//c:person[2]/@c:ref", namespaces={"c": COMMON})
    lang = request_tree.xpath("//c:person[2]/@xml:lang", namespaces={"c": COMMON})
    assert isinstance(plain, list)
    assert isinstance(namespaced, list)
    assert isinstance(lang, list)
    person = "/req:evidenceRequest/req:persons/c:person"
    assert named_xpath(plain[0], PREFIXES) == f"{person}[1]/@id"
    assert named_xpath(namespaced[0], PREFIXES) == f"{person}[2]/@c:ref"
    assert named_xpath(namespaced[0]) == "/r:evidenceRequest/r:persons/k:person[2]/@k:ref"
    assert named_xpath(lang[0], PREFIXES) == f"{person}[2]/@xml:lang"
    element = first(request_tree, "//c:person[1]")
    assert attribute_xpath(element, "id", PREFIXES) == f"{person}[1]/@id"


def test_text_comments_and_processing_instructions_report_their_parent(
    request_tree: etree._ElementTree,
) -> None:
    note = first(request_tree, "//req:note")
    expected = "/req:evidenceRequest/req:persons/req:note"
    texts = request_tree.xpath("//req:note/text()", namespaces={"req": REQ})
    assert isinstance(texts, list)
    assert [named_xpath(t, PREFIXES) for t in texts] == [expected, expected]
    comment, pi = note[0], note[1]
    assert named_xpath(comment, PREFIXES) == expected
    assert named_xpath(pi, PREFIXES) == expected


def test_a_tail_belongs_to_the_parent_of_its_element() -> None:
    tree = parse_bytes(b"<a><b/>tail</a>", "t")
    tail = tree.xpath("/a/text()")
    assert isinstance(tail, list)
    assert named_xpath(tail[0]) == "/a"


# A law: with every namespace in the mapping, the named path selects exactly its element.
NAMES = st.sampled_from(["a", "b", "c"])
NAMESPACES = st.sampled_from([None, REQ, COMMON])


@st.composite
def trees(draw: st.DrawFn) -> etree._Element:
    root = etree.Element("root")
    parents = [root]
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        parent = draw(st.sampled_from(parents))
        namespace, name = draw(NAMESPACES), draw(NAMES)
        tag = f"{{{namespace}}}{name}" if namespace else name
        parents.append(etree.SubElement(parent, tag))
    return root


@settings(max_examples=60, deadline=None)
@given(trees())
def test_named_path_selects_exactly_its_element(root: etree._Element) -> None:
    namespaces = {"req": REQ, "c": COMMON}
    for element in root.iter():
        path = named_xpath(element, PREFIXES)
        assert root.getroottree().xpath(path, namespaces=namespaces) == [element], path
