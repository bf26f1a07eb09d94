"""The view of a document derives everything from the schemas: types, labels, code names."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interop.render.labels import FIELD_LABELS
from interop.render.schema_types import local, schema_index
from interop.xmlio import parse_file
from tests.conftest import COMMON_EXAMPLES, EXAMPLES


def test_every_element_of_the_schemas_has_a_label() -> None:
    index = schema_index()
    names = {local(tag) for t in index.types.values() for tag in t.children}
    names |= {local(tag) for tag in index.elements}
    assert sorted(names - set(FIELD_LABELS)) == []
    assert sorted(set(FIELD_LABELS) - names) == [], "labels of elements no schema has"


@pytest.mark.parametrize("path", COMMON_EXAMPLES, ids=lambda p: p.name)
def test_every_element_of_every_example_has_a_type(path: Path) -> None:
    index = schema_index()
    untyped = [
        etree.QName(e).localname
        for e in parse_file(path).getroot().iter()
        if isinstance(e.tag, str) and index.type_of(e) is None
    ]
    assert untyped == []


def test_codes_have_their_english_names() -> None:
    index = schema_index()
    assert index.code_name("{urn:interop:codelist:1}RightCode", "remain-silent") == (
        "right to remain silent"
    )
    # The same local name has different types in different places: the walk finds the right one.
    decision = parse_file(EXAMPLES / "notification" / "decision-postponed.xml").getroot()
    ground = decision.find(
        "{urn:interop:notification:1}postponement/{urn:interop:notification:1}ground"
    )
    assert ground is not None
    assert local(index.type_of(ground) or "") == "PostponementGroundCode"
