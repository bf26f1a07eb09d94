"""The one-query screen gives the same findings as rule-by-rule evaluation and as
lxml.isoschematron, for the rule shapes it rewrites (one-step contexts, unions, positional
predicates, several rules on one element name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from interop.validate.schematron import compile_schematron
from interop.xmlio import parse_bytes

SCH = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="x" uri="urn:x"/>
  <sch:pattern><sch:rule context="x:a[1]">
    <sch:assert id="first-a-has-b" test="@b">first a needs b</sch:assert></sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:a[@k = 'v'][not(@z)]">
    <sch:assert id="kv-has-c" test="@c">k=v needs c</sch:assert></sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:a">
    <sch:report id="a-no-d" test="@d = 'bad'">d is bad</sch:report></sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:a[last()] | x:e">
    <sch:assert id="last-or-e-has-f" test="@f">needs f</sch:assert></sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:a | x:e[@q]">
    <sch:assert id="a-or-eq-not-empty" test="string-length(@n) != 1">n not one char</sch:assert>
  </sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:r/x:e">
    <sch:assert id="e-in-r-has-g" test="@g">e needs g</sch:assert></sch:rule></sch:pattern>
  <sch:pattern><sch:rule context="x:g[x:e]">
    <sch:assert id="g-with-e-has-a" test="x:a">a group with e needs an a</sch:assert>
  </sch:rule></sch:pattern>
</sch:schema>
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("screen") / "shapes.sch"
    path.write_text(SCH)
    return path


ATTRS = st.fixed_dictionaries(
    {},
    optional={
        name: st.sampled_from(["v", "bad", "x", ""])
        for name in ("b", "k", "z", "c", "d", "f", "n", "q", "g")
    },
)
ELEMENT = st.tuples(st.sampled_from(["a", "e"]), ATTRS)


def _document(groups: list[list[tuple[str, dict[str, str]]]]) -> bytes:
    root = etree.Element("{urn:x}r", nsmap={None: "urn:x"})
    for group in groups:
        parent = etree.SubElement(root, "{urn:x}g")
        for name, attrs in group:
            etree.SubElement(parent, f"{{urn:x}}{name}", attrs)
        for name, attrs in group[:1]:
            etree.SubElement(root, f"{{urn:x}}{name}", attrs)
    return etree.tostring(root)


def _iso_ids(rules: Path, tree: etree._ElementTree) -> list[tuple[str, str]]:
    iso = isoschematron.Schematron(etree.parse(str(rules)), store_report=True)
    iso.validate(tree)
    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    found = []
    for node in iso.validation_report.iter(f"{svrl}failed-assert", f"{svrl}successful-report"):
        (target,) = tree.xpath(node.get("location"))
        found.append((node.get("id"), tree.getpath(target)))
    return sorted(found)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(ELEMENT, min_size=1, max_size=4), min_size=1, max_size=3))
def test_screen_agrees_with_isoschematron(
    rules: Path, groups: list[list[tuple[str, dict[str, str]]]]
) -> None:
    tree = parse_bytes(_document(groups), "doc.xml")
    ours = compile_schematron(rules).validate(tree)
    assert compile_schematron(rules)._screen is not None  # the screen is in play
    found = sorted(
        (f.rule, tree.getpath(tree.xpath(f.xpath, namespaces={"x": "urn:x"})[0])) for f in ours
    )
    assert found == _iso_ids(rules, tree)
