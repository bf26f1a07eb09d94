"""Readable locations of nodes: absolute paths with element names instead of ``*[3]`` steps.

A clerk reads ``/req:evidenceRequest/req:persons/c:person[2]/c:birthDate`` far more easily than
lxml's ``getpath()`` output; a position predicate appears only where a name repeats.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

# lxml hands out attribute and text nodes as "smart strings" that remember their parent.
Locatable = etree._Element | etree._ElementUnicodeResult


def named_xpath(
    node: Locatable, prefixes: Mapping[str, str] | None = None, memo: PathMemo | None = None
) -> str:
    """Return the absolute path of ``node`` with qualified element names.

    Args:
        node: an element, or an attribute or text result from an lxml XPath call. Comments,
            processing instructions and text resolve to the path of their parent element.
        prefixes: namespace URI -> prefix to use; namespaces not listed use the document's own
            prefix, and a default namespace without a known prefix is written ``*:local``.

    Returns:
        A path such as ``/req:evidenceRequest/c:person[2]/@id``; ``/`` for a detached node.
    """
    known = prefixes or {}
    if isinstance(node, etree._ElementUnicodeResult):
        return _smart_string_path(node, known, memo)
    if not isinstance(node.tag, str):  # comment, processing instruction, entity
        parent = node.getparent()
        return element_path(parent, known, memo) if parent is not None else "/"
    return element_path(node, known, memo)


def attribute_xpath(
    element: etree._Element, name: str, prefixes: Mapping[str, str] | None = None
) -> str:
    """Return the path of the attribute ``name`` (Clark notation) on ``element``."""
    known = prefixes or {}
    return f"{element_path(element, known)}/@{_attribute_name(element, name, known)}"


class PathMemo:
    """Paths and sibling positions of one document, each computed once.

    Naming many nodes of a document (the findings of a large manifest, the entries of a loss
    report) would otherwise count the same siblings again and again: quadratic in the number
    of siblings. The memo holds the elements it has seen, which keeps lxml's proxies (and so
    their identity) alive while it is in use; make one per document and drop it afterwards.
    """

    __slots__ = ("paths", "positions")

    def __init__(self) -> None:
        self.paths: dict[etree._Element, str] = {}
        self.positions: dict[etree._Element, dict[etree._Element, str]] = {}

    def step(self, element: etree._Element, prefixes: Mapping[str, str]) -> str:
        parent = element.getparent()
        if parent is None or not isinstance(element.tag, str):
            return _step(element, prefixes)
        steps = self.positions.get(parent)
        if steps is None:
            steps = self.positions[parent] = _child_steps(parent, prefixes)
        return steps[element]


def _child_steps(parent: etree._Element, prefixes: Mapping[str, str]) -> dict[etree._Element, str]:
    """The step of every element child of ``parent``, from one pass over the children."""
    by_tag: dict[str, list[etree._Element]] = {}
    for child in parent.iterchildren(etree.Element):
        by_tag.setdefault(str(child.tag), []).append(child)
    steps: dict[etree._Element, str] = {}
    for same in by_tag.values():
        name = _qualified(etree.QName(same[0]), same[0].prefix, prefixes)
        for index, child in enumerate(same, start=1):
            steps[child] = name if len(same) == 1 else f"{name}[{index}]"
    return steps


def element_path(
    element: etree._Element, prefixes: Mapping[str, str], memo: PathMemo | None = None
) -> str:
    """Return the named path of an element by walking up its ancestors (``memo``: see
    :class:`PathMemo`)."""
    if memo is None:
        steps: list[str] = []
        current: etree._Element | None = element
        while current is not None:
            steps.append(_step(current, prefixes))
            current = current.getparent()
        return "/" + "/".join(reversed(steps))
    path = memo.paths.get(element)
    if path is None:
        parent = element.getparent()
        above = element_path(parent, prefixes, memo) if parent is not None else ""
        path = memo.paths[element] = f"{above}/{memo.step(element, prefixes)}"
    return path


def _smart_string_path(
    node: etree._ElementUnicodeResult, prefixes: Mapping[str, str], memo: PathMemo | None
) -> str:
    parent = node.getparent()
    if parent is None:
        return "/"
    if node.is_attribute and node.attrname is not None:
        name = _attribute_name(parent, node.attrname, prefixes)
        return f"{element_path(parent, prefixes, memo)}/@{name}"
    if node.is_tail:
        # A tail belongs to the element's parent in the XPath data model.
        grandparent = parent.getparent()
        return element_path(grandparent, prefixes, memo) if grandparent is not None else "/"
    return named_xpath(parent, prefixes, memo)


def _step(element: etree._Element, prefixes: Mapping[str, str]) -> str:
    tag = element.tag
    name = _qualified(etree.QName(element), element.prefix, prefixes)
    if element.getparent() is None or not isinstance(tag, str):
        return name
    # Counting same-named siblings in both directions is cheaper than any XPath call.
    before = sum(1 for _ in element.itersiblings(tag, preceding=True))
    if before == 0 and next(element.itersiblings(tag), None) is None:
        return name
    return f"{name}[{before + 1}]"


def _qualified(qname: etree.QName, own_prefix: str | None, prefixes: Mapping[str, str]) -> str:
    namespace = qname.namespace
    if namespace is None:
        return qname.localname
    prefix = prefixes.get(namespace, own_prefix)
    if prefix:
        return f"{prefix}:{qname.localname}"
    return f"*:{qname.localname}"


def _attribute_name(element: etree._Element, name: str, prefixes: Mapping[str, str]) -> str:
    qname = etree.QName(name)
    if qname.namespace is None:
        return qname.localname
    # Attributes never use the default namespace, so look for a declared prefix.
    own = next((p for p, uri in element.nsmap.items() if uri == qname.namespace and p), None)
    if qname.namespace == "http://www.w3.org/XML/1998/namespace":
        own = "xml"
    return _qualified(qname, own, prefixes)
