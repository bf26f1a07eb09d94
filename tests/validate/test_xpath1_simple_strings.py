"""Value-of selects read straight from the element give what libxml2's ``string()`` gives."""

from __future__ import annotations

import pytest
from lxml import etree

from interop.validate.xpath1_lxml import XPath1Binding

NS = {"e": "urn:test"}
DOC = etree.fromstring(
    b'<e:root xmlns:e="urn:test" id="r">'
    b'<e:item id="i1" n="">  <e:number> 001 </e:number><e:number>002</e:number></e:item>'
    b"<e:item><e:number>a<e:b>b</e:b>c<!-- x -->d</e:number><number>plain</number></e:item>"
    b"<e:item><e:number/><e:number><?pi x?></e:number></e:item>"
    b"</e:root>"
)
SELECTS = ["@id", "@n", "@missing", "e:number", "number", "e:missing", "../@id", "../e:item"]


@pytest.mark.parametrize("select", SELECTS)
def test_same_string_as_libxml2(select: str) -> None:
    binding = XPath1Binding(NS)
    compiled = binding.compile(select, "string", ())
    assert not isinstance(compiled.native, etree.XPath), "the quick path is taken"
    reference = etree.XPath(f"string({select})", namespaces=NS)
    for node in [DOC, *DOC.iter("{urn:test}item", "{urn:test}number")]:
        assert compiled.native(node) == reference(node), (select, etree.tostring(node))


def test_other_expressions_go_to_libxml2() -> None:
    binding = XPath1Binding(NS)
    for select in ["e:item/@id", "local-name()", "@e:id", "normalize-space(.)", "$x"]:
        assert isinstance(binding.compile(select, "string", ("x",)).native, etree.XPath)
