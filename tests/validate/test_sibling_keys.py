"""The linear stand-in for ``[K = following-sibling::T/K]`` selects what libxml2 selects."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.validate import sibling_keys

NS = {"e": "urn:test"}
EXPRESSIONS = [
    "/e:list/e:item[e:key = following-sibling::e:item/e:key]",
    "/e:list/*[@id = following-sibling::*/@id]",
    "/e:list/e:item[@id = following-sibling::e:item/@id]",
    "/e:list/*[*/@id = following-sibling::*/*/@id]",
    "/e:list/*[e:sub/@id = following-sibling::e:item/e:sub/@id]",
    "/e:list/e:other[e:key = following-sibling::*/e:key]",
]

children = st.lists(
    st.tuples(
        st.sampled_from(["item", "other"]),
        st.lists(st.sampled_from(["a", "b", "c", " a", ""]), max_size=2),
        st.sampled_from(["x", "y", "z"]),
    ),
    max_size=8,
)


def _tree(spec: list[tuple[str, list[str], str]]) -> etree._Element:
    root = etree.Element("{urn:test}list")
    for tag, keys, ident in spec:
        child = etree.SubElement(root, f"{{urn:test}}{tag}", id=ident)
        for key in keys:
            etree.SubElement(child, "{urn:test}key").text = key
        sub = etree.SubElement(child, "{urn:test}sub", id=ident + "".join(keys))
        sub.text = "s"
    return root


@settings(max_examples=150, deadline=None)
@given(children)
def test_same_nodes_as_libxml2(spec: list[tuple[str, list[str], str]]) -> None:
    root = _tree(spec)
    for expression in EXPRESSIONS:
        fast = sibling_keys.rewrite(expression)
        assert fast != expression
        sibling_keys.begin_document()
        quick = etree.XPath(
            fast,
            namespaces={**NS, sibling_keys.PREFIX: sibling_keys.NAMESPACE},
            extensions=sibling_keys.functions(NS),
        )(root)
        slow = etree.XPath(expression, namespaces=NS)(root)
        assert quick == slow, expression


def test_other_expressions_are_left_alone() -> None:
    for expression in ["e:item[@id = preceding-sibling::e:item/@id]", "count(e:item) = 1"]:
        assert sibling_keys.rewrite(expression) == expression


def test_a_changed_document_is_not_answered_from_memory() -> None:
    root = _tree([("item", ["a"], "x"), ("item", ["b"], "y")])
    find = etree.XPath(
        sibling_keys.rewrite("/e:list/e:item[e:key = following-sibling::e:item/e:key]"),
        namespaces={**NS, sibling_keys.PREFIX: sibling_keys.NAMESPACE},
        extensions=sibling_keys.functions(NS),
    )
    sibling_keys.begin_document()
    assert find(root) == []
    root[1][0].text = "a"
    sibling_keys.begin_document()
    assert find(root) == [root[0]]
