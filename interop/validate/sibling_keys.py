"""A linear-time stand-in for the XPath 1 predicate ``[K = following-sibling::T/K]``.

Uniqueness rules ask, for each item, whether a later sibling has the same key (an id, an
exhibit number). libxml2 evaluates that as written: each item against all the items after it,
quadratic in the number of items (a 6,000-file manifest took 45 s). The rules stay plain
XPath 1 so that any Schematron engine runs them; our XPath 1 binding rewrites this one
predicate shape, when it finds it, into a call of :func:`later_equal`, which answers the same
question from one pass over the siblings, remembered for the document being checked.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any, Final

from lxml import etree

NAMESPACE: Final = "urn:interop:xpath-extensions"
PREFIX: Final = "interop-ext"
# K: a relative path without predicates (e:exhibitNumber, @id, */@id); T: a name test.
_SHAPE: Final = re.compile(
    r"\[\s*(?P<key>[\w@*][\w:@*./-]*)\s*=\s*following-sibling::(?P<test>\*|[\w-]+(?::[\w-]+)?)"
    r"/(?P=key)\s*\]"
)
_state = threading.local()


def rewrite(expression: str) -> str:
    """``expression`` with every ``[K = following-sibling::T/K]`` turned into a call."""
    return _SHAPE.sub(
        lambda m: f"[{PREFIX}:later-equal('{m.group('test')}', '{m.group('key')}')]", expression
    )


def begin_document() -> None:
    """Forget what was remembered: a new document (or a changed one) is being checked."""
    _state.memo = {}


def functions(namespaces: Mapping[str, str]) -> dict[tuple[str, str], Any]:
    """The extension functions to give ``etree.XPath`` (``extensions=``)."""
    keys: dict[str, etree.XPath] = {}

    def later_equal(context: Any, test: str, key: str) -> bool:
        node = context.context_node
        parent = node.getparent()
        if parent is None:
            return False
        memo: dict[tuple[Any, str, str], dict[Any, bool]] = getattr(_state, "memo", None) or {}
        _state.memo = memo
        answers = memo.get((parent, test, key))
        if answers is None:
            compiled = keys.get(key)
            if compiled is None:
                # The keys of all the children in one call: one call per child cost more
                # than the comparison itself on a manifest of a few thousand items.
                compiled = keys[key] = etree.XPath(f"*/{key}", namespaces=dict(namespaces))
            answers = memo[(parent, test, key)] = _answers(parent, test, compiled, namespaces)
        return answers.get(node, False)

    return {(NAMESPACE, "later-equal"): later_equal}


def _answers(
    parent: etree._Element, test: str, keys: etree.XPath, namespaces: Mapping[str, str]
) -> dict[Any, bool]:
    """For each child of ``parent``: does a later sibling matching ``test`` share a key value?

    A child is compared only with siblings after it that match ``test``, as the predicate
    does; any value of its key equal to any value of theirs counts (node-set comparison).
    ``keys`` selects the key values of all the children (``*/K``) from ``parent``.
    """
    tag = None if test == "*" else _clark(test, namespaces)
    children = list(parent.iterchildren(etree.Element))
    index_of = {child: index for index, child in enumerate(children)}
    values: list[set[str]] = [set() for _ in children]
    found = keys(parent)
    for item in found if isinstance(found, list) else [found]:
        owner, value = _owner_and_string(item, parent)
        if owner is not None:
            values[index_of[owner]].add(value)
    last: dict[str, int] = {}
    for index, child in enumerate(children):
        if tag is None or child.tag == tag:
            for value in values[index]:
                last[value] = index
    return {
        child: any(last.get(value, -1) > index for value in values[index])
        for index, child in enumerate(children)
    }


def _owner_and_string(item: Any, parent: etree._Element) -> tuple[Any, str]:
    """The child of ``parent`` a key value belongs to, and the value's string."""
    node: etree._Element | None
    if isinstance(item, etree._Element):
        node, text = item, "".join(item.itertext())
    else:  # an attribute or text node: lxml gives the element that holds it
        node, text = item.getparent(), str(item)
    while node is not None:
        above = node.getparent()
        if above is parent:
            return node, text
        node = above
    return None, text


def _clark(test: str, namespaces: Mapping[str, str]) -> str:
    prefix, _, local = test.rpartition(":")
    return f"{{{namespaces[prefix]}}}{local}" if prefix else local
