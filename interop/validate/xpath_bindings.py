"""Query bindings: how a Schematron schema's XPath expressions are compiled and evaluated.

Two engines sit behind one small interface so that the Schematron evaluator never needs to
know which one runs:

* ``xpath1`` (``queryBinding`` xslt, xslt1, xpath or none): libxml2 through ``lxml.etree.XPath``,
  fast, with an elementpath XPath 1 fallback for the few context nodes lxml cannot focus on
  (the document node, attributes, text).
* ``xpath2``, ``xpath3``, ``xpath31`` (xslt2, xpath2, xslt3, ...): elementpath on a node tree
  built once per document.

Expressions are compiled once per schema; a :class:`DocumentXPath` is opened once per document.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from lxml import etree

Kind = Literal["select", "test", "value", "string"]
"""What an expression is used for: node selection, a boolean test, a let value, or text."""

Variables = dict[str, Any]


class XPathCompileError(ValueError):
    """An expression that the binding cannot compile; the message says why."""


class EvaluationError(RuntimeError):
    """An expression that failed on one document (a type error, a failed cast, ...)."""


@dataclass(slots=True)
class CompiledXPath:
    """One expression compiled for one binding.

    Attributes:
        source: the expression as written (after parameter and ``current()`` substitution).
        kind: what the expression is used for.
        native: the engine's compiled form (an ``etree.XPath`` or an elementpath token).
        fallback: the elementpath token the XPath 1 binding uses off-element; None until needed.
        selects_document: a rule context with a ``/`` branch (lxml cannot return that node).
        plain_select: an ``etree.XPath`` selecting the same nodes, for XPath 2 rule contexts
            that are plain paths (libxml2 finds them far faster than elementpath).
    """

    source: str
    kind: Kind
    native: Any
    fallback: Any = None
    selects_document: bool = False
    plain_select: etree.XPath | None = None


class DocumentXPath(Protocol):
    """Evaluates compiled expressions on one document; nodes are engine-specific objects."""

    @property
    def document(self) -> object:
        """The document node, the focus of lets at schema, phase and pattern level."""

    def contexts(self, expr: CompiledXPath, variables: Variables) -> list[object]:
        """Nodes a rule context selects from the document, in document order."""

    def global_value(self, expr: CompiledXPath, variables: Variables) -> object:
        """The value of a schema, phase or pattern-level let."""

    def value(self, expr: CompiledXPath, node: object, variables: Variables) -> object:
        """The value of a rule-level let on a context node."""

    def test(self, expr: CompiledXPath, node: object, variables: Variables) -> bool:
        """The effective boolean value of an assert or report test."""

    def string(self, expr: CompiledXPath, node: object, variables: Variables) -> str:
        """The string value of an expression (value-of, name)."""

    def identity(self, node: object) -> Hashable:
        """A key that is equal for the same node, whichever rule selected it."""

    def order(self, node: object) -> tuple[int, ...]:
        """A sort key giving document order."""

    def locate(self, node: object, prefixes: Mapping[str, str]) -> tuple[int | None, str]:
        """The source line (or None) and the named XPath of a node."""


class Binding(Protocol):
    """A query language: compiles expressions once, opens documents."""

    name: str

    def compile(self, source: str, kind: Kind, variables: Collection[str]) -> CompiledXPath:
        """Compile an expression that may refer to ``variables``.

        Raises:
            XPathCompileError: syntax errors, unknown functions, prefixes or variables.
        """

    def compile_context(
        self, pattern: str, variables: Collection[str], *, non_elements: bool
    ) -> CompiledXPath:
        """Compile a rule context (an XSLT match pattern) as an expression from the root."""

    def prepare_fallback(self, expr: CompiledXPath) -> None:
        """Compile whatever evaluating ``expr`` off-element needs (no-op where not needed)."""

    def inline_let(self, source: str, *, in_rule: bool) -> str | None:
        """An expression to use in place of ``$name`` for this let, or None to bind it.

        Args:
            source: the let's value expression.
            in_rule: True for a rule-level let (evaluated on the rule's context node), False
                for one at schema, phase or pattern level.
        """

    def failing_nodes(self, pattern: str, tests: list[tuple[str, bool]]) -> str | None:
        """One expression selecting the context nodes on which any test fires, or None.

        ``tests`` are (test, is_report) pairs. Used for rules whose tests depend only on the
        context node, so that valid documents cost one engine call per rule.
        """
        ...

    def any_failing(self, rules: list[tuple[str, tuple[tuple[str, bool], ...]]]) -> str | None:
        """One expression selecting the nodes on which any of ``rules`` fires, or None.

        ``rules`` are (context pattern, tests) pairs as given to :meth:`failing_nodes`.
        """
        ...

    def combine_tests(self, sources: list[str]) -> str | None:
        """One string expression whose n-th character is ``1`` when test n is true.

        Returns None where one call per test costs no more than one combined call.
        """

    def open(self, tree: etree._ElementTree) -> DocumentXPath:
        """Start evaluating on one document."""


def binding_for(name: str, namespaces: Mapping[str, str]) -> Binding:
    """The binding for a normalised query binding name (xpath1, xpath2, xpath3, xpath31)."""
    # Imported here: the bindings import this module, and elementpath takes a quarter of a
    # second to import, which an XPath 1 schema should not pay.
    if name == "xpath1":
        from interop.validate.xpath1_lxml import XPath1Binding  # noqa: PLC0415

        return XPath1Binding(namespaces)
    from interop.validate.xpath2_elementpath import ElementpathBinding  # noqa: PLC0415

    return ElementpathBinding(name, namespaces)
