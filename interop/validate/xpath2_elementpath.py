"""The XPath 2/3 query binding on elementpath, also used by XPath 1 where lxml cannot go.

elementpath evaluates on its own node tree; building it is the expensive part, so it is built
once per document and a single :class:`elementpath.XPathContext` is reused, with only its focus
(item, position, size) and variables changed between evaluations.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import Any, cast

from elementpath import (
    ElementPathError,
    XPath1Parser,
    XPath2Parser,
    XPathContext,
    XPathToken,
    get_node_tree,
)
from elementpath.xpath3 import XPath30Parser, XPath31Parser
from elementpath.xpath_nodes import (
    AttributeNode,
    DocumentNode,
    ElementNode,
    TextNode,
    XPathNode,
)
from lxml import etree

from interop.validate.locate import attribute_xpath, named_xpath
from interop.validate.xpath_bindings import (
    CompiledXPath,
    EvaluationError,
    Kind,
    Variables,
    XPathCompileError,
)
from interop.validate.xpath_text import context_expression, is_plain_path

_PARSERS: dict[str, type[XPath1Parser]] = {
    "xpath1": XPath1Parser,
    "xpath2": XPath2Parser,
    "xpath3": XPath30Parser,
    "xpath31": XPath31Parser,
}
# Errors a well-formed expression can still raise on some document: bad casts, wrong types.
_RUNTIME_ERRORS = (ElementPathError, ArithmeticError, TypeError, ValueError, LookupError)


def parse_expression(parser: XPath1Parser, source: str) -> XPathToken:
    """Parse ``source`` once; elementpath reports unknown functions and prefixes here."""
    try:
        return parser.parse(source)
    except ElementPathError as exc:
        raise XPathCompileError(str(exc)) from None


class ElementpathBinding:
    """XPath 2.0, 3.0 or 3.1 through elementpath."""

    def __init__(self, name: str, namespaces: Mapping[str, str]) -> None:
        self.name = name
        self._namespaces = dict(namespaces)
        self._parser = _PARSERS[name](namespaces=self._namespaces)

    def compile(self, source: str, kind: Kind, variables: Collection[str]) -> CompiledXPath:
        """Parse an expression (variables are checked when evaluated)."""
        return CompiledXPath(source, kind, parse_expression(self._parser, source))

    def compile_context(
        self, pattern: str, variables: Collection[str], *, non_elements: bool
    ) -> CompiledXPath:
        """Parse a rule context as an expression evaluated from the document node."""
        try:
            source = context_expression(pattern)
        except ValueError as exc:
            raise XPathCompileError(str(exc)) from None
        compiled = self.compile(source, "select", variables)
        if is_plain_path(source):
            compiled.plain_select = _plain_select(source, self._namespaces)
        return compiled

    def prepare_fallback(self, expr: CompiledXPath) -> None:
        """elementpath focuses on any node, so there is nothing to prepare."""

    def inline_let(self, source: str, *, in_rule: bool) -> str | None:
        """elementpath binds any value, nodes of every kind included."""
        return None

    def combine_tests(self, sources: list[str]) -> str | None:
        """elementpath's cost is in evaluating tokens, not in calls: no combining."""
        return None

    def failing_nodes(self, pattern: str, tests: list[tuple[str, bool]]) -> str | None:
        """No single-call shortcut: contexts are partly selected by libxml2 (see above)."""
        return None

    def any_failing(self, rules: list[tuple[str, tuple[tuple[str, bool], ...]]]) -> str | None:
        """No whole-schema screen either."""
        return None

    def open(self, tree: etree._ElementTree) -> ElementpathDocument:
        """Start on one document; its node tree is built once, when first needed."""
        return ElementpathDocument(tree, self._namespaces)


class ElementpathDocument:
    """One document as an elementpath node tree, with one reusable dynamic context."""

    def __init__(self, tree: etree._ElementTree, namespaces: Mapping[str, str]) -> None:
        self._tree = tree
        self._namespaces = dict(namespaces)
        self._root: DocumentNode | None = None
        self._context: XPathContext | None = None

    @property
    def root(self) -> DocumentNode:
        """The node tree, built on first use: documents no rule applies to never need it."""
        return self._build()[0]

    def _build(self) -> tuple[DocumentNode, XPathContext]:
        if self._root is None or self._context is None:
            # elementpath's stubs do not know lxml's tree type; an ElementTree gives a document.
            self._root = cast(DocumentNode, get_node_tree(cast(Any, self._tree)))
            self._context = XPathContext(self._root, namespaces=self._namespaces)
        return self._root, self._context

    @property
    def document(self) -> object:
        """The document node."""
        return self.root

    def contexts(self, expr: CompiledXPath, variables: Variables) -> list[object]:
        """The nodes a rule context selects."""
        if expr.plain_select is not None:
            found = expr.plain_select(self._tree)
            return [self.node_for(node) for node in found] if isinstance(found, list) else []
        context = self._focus(self.root, variables)
        try:
            return list(expr.native.select(context))
        except _RUNTIME_ERRORS as exc:
            raise EvaluationError(str(exc)) from exc

    def global_value(self, expr: CompiledXPath, variables: Variables) -> object:
        """A let evaluated on the document node."""
        return self.evaluate(expr.native, self.root, variables)

    def value(self, expr: CompiledXPath, node: object, variables: Variables) -> object:
        """A let evaluated on a context node."""
        return self.evaluate(expr.native, node, variables)

    def test(self, expr: CompiledXPath, node: object, variables: Variables) -> bool:
        """The effective boolean value of ``expr`` on ``node``."""
        return self.boolean(expr.native, node, variables)

    def string(self, expr: CompiledXPath, node: object, variables: Variables) -> str:
        """String values joined by spaces, as xsl:value-of does in XSLT 2."""
        return self.text(expr.native, node, variables)

    def evaluate(self, token: XPathToken, node: object, variables: Variables) -> Any:
        """Evaluate a parsed expression with ``node`` in focus."""
        context = self._focus(node, variables)
        try:
            return token.evaluate(context)
        except _RUNTIME_ERRORS as exc:
            raise EvaluationError(str(exc)) from exc

    def boolean(self, token: XPathToken, node: object, variables: Variables) -> bool:
        """The effective boolean value of a parsed expression."""
        context = self._focus(node, variables)
        try:
            return bool(token.boolean_value(token.evaluate(context)))
        except _RUNTIME_ERRORS as exc:
            raise EvaluationError(str(exc)) from exc

    def text(self, token: XPathToken, node: object, variables: Variables) -> str:
        """The string value of a parsed expression (a sequence joined by spaces)."""
        result = self.evaluate(token, node, variables)
        items = result if isinstance(result, list) else [result]
        return " ".join(str(token.string_value(item)) for item in items if item is not None)

    def identity(self, node: object) -> Hashable:
        """elementpath keeps one node object per node, so the node is its own key."""
        return node

    def order(self, node: object) -> tuple[int, ...]:
        """Node positions are assigned in document order when the tree is built."""
        return (getattr(node, "position", 0),)

    def locate(self, node: object, prefixes: Mapping[str, str]) -> tuple[int | None, str]:
        """The line and named XPath of an elementpath node."""
        if isinstance(node, AttributeNode) and isinstance(node.parent, ElementNode):
            owner = node.parent.value
            if isinstance(owner, etree._Element):
                return owner.sourceline, attribute_xpath(owner, str(node.name), prefixes)
        # Text and namespace nodes report their parent element; like the ISO skeleton, a
        # document-level finding points at the root element.
        current = node.getroot() if isinstance(node, DocumentNode) else node
        while isinstance(current, XPathNode):
            value = current.value
            if isinstance(value, etree._Element):
                return value.sourceline, named_xpath(value, prefixes)
            current = current.parent
        return None, "/"

    def node_for(self, node: object) -> XPathNode:
        """The elementpath node for an lxml element, attribute or text result, or the tree."""
        if isinstance(node, XPathNode):
            return node
        if isinstance(node, etree._ElementTree):
            return self.root
        if isinstance(node, etree._ElementUnicodeResult):
            return self._smart_string_node(node)
        return self.root.elements[node]

    def _smart_string_node(self, node: etree._ElementUnicodeResult) -> XPathNode:
        owner = cast(ElementNode, self.root.elements[node.getparent()])
        if node.is_attribute:
            return next(a for a in owner.attributes if a.name == node.attrname)
        if node.is_text:
            return next(c for c in owner.children if isinstance(c, TextNode))
        # A tail is the text node right after its element among the parent's children.
        siblings: list[Any] = cast(Any, owner.parent).children
        return cast(XPathNode, siblings[siblings.index(owner) + 1])

    def _focus(self, node: object, variables: Variables) -> XPathContext:
        """The one dynamic context, focused on ``node`` with ``variables`` in scope."""
        context = self._build()[1]
        context.item = node  # type: ignore[assignment]
        context.position = context.size = 1
        context.axis = None
        context.variables = variables
        return context


def _plain_select(source: str, namespaces: Mapping[str, str]) -> etree.XPath | None:
    """An lxml XPath for a plain path, or None where libxml2 does not accept it (``*:x``)."""
    try:
        return etree.XPath(source, namespaces=dict(namespaces), smart_strings=True)
    except etree.XPathSyntaxError:
        return None


def fallback_parser(namespaces: Mapping[str, str]) -> XPath1Parser:
    """The XPath 1 parser the lxml binding uses for nodes libxml2 cannot focus on."""
    return XPath1Parser(namespaces=dict(namespaces))
