"""The XPath 1 query binding: libxml2 through lxml, with an elementpath fallback.

libxml2 evaluates XPath 1 an order of magnitude faster than any pure-Python engine, but lxml
only puts elements in focus. Rules whose context is the document node (``/``), an attribute or
a text node are evaluated there by elementpath's XPath 1 parser instead; its node tree is built
only for documents that actually reach such a rule.

Known difference: lets at schema, phase and pattern level are evaluated with the root element in
focus (lxml cannot focus the document node), so they should use absolute paths.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Mapping
from typing import Any

from lxml import etree

from interop.validate import sibling_keys
from interop.validate.locate import PathMemo, named_xpath
from interop.validate.xpath_bindings import (
    CompiledXPath,
    EvaluationError,
    Kind,
    Variables,
    XPathCompileError,
)
from interop.validate.xpath_text import (
    CURRENT_VARIABLE,
    anchor_paths,
    context_expression,
    may_select_non_elements,
    split_top_level,
)

_WRAPPERS: dict[Kind, str] = {
    "select": "{}",
    "value": "{}",
    # Wrapping lets libxml2 apply XPath's own conversions (NaN is false, a node-set's first
    # node gives the string) and return a plain bool or str.
    "test": "boolean({})",
    "string": "string({})",
}
# One step with a name test (or *) and optional predicates: c:text, c:text[@x = 'y'], *[a].
_ONE_STEP = re.compile(r"^(?:[\w.\-]+:)?(?:[\w.\-]+|\*)(?:\[.*\])?$", re.DOTALL)
_NUMBER = re.compile(r"^[\d.\s+\-*()]+$")
_POSITIONAL = re.compile(r"\b(?:position|last)\s*\(")
# value-of selects a finding message uses most: @id, e:exhibitNumber, ../@id.
_NAME = r"[A-Za-z_][\w.\-]*"
_SIMPLE_STRING = re.compile(
    rf"^(?P<up>(?:\.\./)?)(?:@(?P<attribute>{_NAME})|(?P<element>(?:{_NAME}:)?{_NAME}))$"
)
# libxml2 reports these only when evaluating; a dry run at compile time turns them into errors.
_STATIC_ERRORS = frozenset(
    {"Undefined namespace prefix", "Unregistered function", "Undefined variable"}
)


class XPath1Binding:
    """XPath 1.0 on lxml, compiled once per schema."""

    name = "xpath1"

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = dict(namespaces)
        self._dummy = etree.Element("dry-run")
        self._fallback_parser: Any = None

    def compile(self, source: str, kind: Kind, variables: Collection[str]) -> CompiledXPath:
        """Compile with libxml2 and dry-run once to catch unknown names early."""
        wrapped = _WRAPPERS[kind].format(source)
        fast = sibling_keys.rewrite(wrapped)  # quadratic uniqueness predicates made linear
        extensions: dict[tuple[str, str], Any] = {}
        namespaces = self.namespaces
        if fast != wrapped:
            wrapped = fast
            extensions = sibling_keys.functions(self.namespaces)
            namespaces = {**self.namespaces, sibling_keys.PREFIX: sibling_keys.NAMESPACE}
        try:
            native = etree.XPath(
                wrapped,
                namespaces=namespaces,
                extensions=extensions or None,
                smart_strings=kind == "select",
            )
        except etree.XPathSyntaxError as exc:
            raise XPathCompileError(str(exc)) from None
        self._dry_run(native, variables)
        if kind == "string":
            simple = _SimpleString.of(source, self.namespaces, native)
            if simple is not None:
                return CompiledXPath(source, kind, simple)
        return CompiledXPath(source, kind, native)

    def compile_context(
        self, pattern: str, variables: Collection[str], *, non_elements: bool
    ) -> CompiledXPath:
        """Compile a rule context; a ``/`` branch is handled outside libxml2."""
        branches = [b.strip() for b in split_top_level(pattern, "|")]
        others = [b for b in branches if b != "/"]
        try:
            source = context_expression(" | ".join(others)) if others else "/.."
        except ValueError as exc:
            raise XPathCompileError(str(exc)) from None
        compiled = self.compile(source, "select", variables)
        compiled.selects_document = len(others) < len(branches)
        return compiled

    def inline_let(self, source: str, *, in_rule: bool) -> str | None:
        """Inline lets that may hold attribute or text nodes (libxml2 cannot bind them).

        The let's paths are anchored at the rule's context node (``$current/``), or at the
        root element for lets outside rules (where lxml puts the root element in focus).
        """
        if not may_select_non_elements(source):
            return None
        return anchor_paths(source, f"${CURRENT_VARIABLE}/" if in_rule else "/*/")

    def combine_tests(self, sources: list[str]) -> str | None:
        """All of a rule's tests in one libxml2 call (lxml's per-call set-up dominates).

        ``substring('01', 1 + number(boolean(t)), 1)`` is ``1`` when ``t`` holds, else ``0``.
        """
        if len(sources) < 2:
            return None
        flags = [f"substring('01', 1 + number(boolean({source})), 1)" for source in sources]
        return f"concat({', '.join(flags)})"

    def failing_nodes(self, pattern: str, tests: list[tuple[str, bool]]) -> str | None:
        """``(context)[not(all tests pass)]``: libxml2 walks the context nodes itself.

        Only for element contexts whose tests do not use ``position()`` or ``last()`` (inside
        a predicate they would count the context nodes, not mean what the rule meant).
        """
        if any(_POSITIONAL.search(test) for test, _ in tests) or pattern.strip() == "/":
            return None
        try:
            context = context_expression(pattern)
        except ValueError:
            return None
        return f"({context})[not({_passing(tests)})]"

    def any_failing(self, rules: list[tuple[str, tuple[tuple[str, bool], ...]]]) -> str | None:
        """Rules on the same element name share one walk of the document.

        A context branch that is one step (``c:text[@origin = 'machine']``) becomes a
        ``self::`` test inside the predicate of ``//c:text``; rules with other contexts keep
        their own ``(context)[not(...)]`` query. All of it is one union, one libxml2 call.
        """
        by_name: dict[str, list[str]] = {}
        queries: list[str] = []
        for pattern, tests in rules:
            passing = _passing(tests)
            branches = [b.strip() for b in split_top_level(pattern, "|")]
            steps = [_step_condition(b) for b in branches]
            if all(step is not None for step in steps):
                for name, condition in filter(None, steps):
                    by_name.setdefault(name, []).append(f"({condition} and not({passing}))")
            else:
                queries.append(f"({context_expression(pattern)})[not({passing})]")
        walks = [f"/descendant::{name}[{' or '.join(tests)}]" for name, tests in by_name.items()]
        return " | ".join(walks + queries) or None

    def prepare_fallback(self, expr: CompiledXPath) -> None:
        """Parse ``expr`` with elementpath's XPath 1 parser (once) for off-element nodes."""
        if expr.fallback is None:
            # elementpath takes a quarter of a second to import; most schemas never need it.
            from interop.validate import xpath2_elementpath as ep  # noqa: PLC0415

            if self._fallback_parser is None:
                self._fallback_parser = ep.fallback_parser(self.namespaces)
            expr.fallback = ep.parse_expression(self._fallback_parser, expr.source)

    def open(self, tree: etree._ElementTree) -> XPath1Document:
        """Start on one document; nothing is built until needed."""
        return XPath1Document(self, tree)

    def _dry_run(self, native: etree.XPath, variables: Collection[str]) -> None:
        try:
            native(self._dummy, **{name: [] for name in variables})
        except etree.XPathEvalError as exc:
            if str(exc) in _STATIC_ERRORS:
                raise XPathCompileError(str(exc)) from None


class XPath1Document:
    """Evaluates on lxml nodes: elements, attribute/text smart strings, and the tree itself."""

    def __init__(self, binding: XPath1Binding, tree: etree._ElementTree) -> None:
        self._binding = binding
        self._tree = tree
        self._fallback: Any = None
        self._positions: dict[etree._Element, int] | None = None
        self._memo = PathMemo()  # named paths of this document's findings, each step once
        sibling_keys.begin_document()

    @property
    def document(self) -> object:
        """The tree stands for the document node."""
        return self._tree

    def contexts(self, expr: CompiledXPath, variables: Variables) -> list[object]:
        """Rule contexts are absolute, so evaluating from the root element is exact."""
        found: list[object] = [self._tree] if expr.selects_document else []
        result = self._run(expr, self._tree, variables)
        if isinstance(result, list):
            found.extend(result)
        return found

    def global_value(self, expr: CompiledXPath, variables: Variables) -> object:
        """A let on the document (evaluated with the root element in focus)."""
        return _as_variable(self._run(expr, self._tree, variables))

    def value(self, expr: CompiledXPath, node: object, variables: Variables) -> object:
        """A rule-level let on a context node."""
        if isinstance(node, etree._Element):
            return _as_variable(self._run(expr, node, variables))
        return self._elementpath(expr).evaluate(
            expr.fallback, self._fallback.node_for(node), self._ep_variables(variables)
        )

    def test(self, expr: CompiledXPath, node: object, variables: Variables) -> bool:
        """Tests are compiled as ``boolean(...)``, so libxml2 returns a bool."""
        if isinstance(node, etree._Element):
            return bool(self._run(expr, node, variables))
        return bool(
            self._elementpath(expr).boolean(
                expr.fallback, self._fallback.node_for(node), self._ep_variables(variables)
            )
        )

    def string(self, expr: CompiledXPath, node: object, variables: Variables) -> str:
        """Strings are compiled as ``string(...)``."""
        if isinstance(node, etree._Element):
            return str(self._run(expr, node, variables))
        doc = self._elementpath(expr)
        ep_node, ep_vars = doc.node_for(node), self._ep_variables(variables)
        items = doc.evaluate(expr.fallback, ep_node, ep_vars)
        # XPath 1 takes the first node of a node-set, unlike XPath 2's space-joined sequence.
        first = items[:1] if isinstance(items, list) else [items]
        return " ".join(str(expr.fallback.string_value(item)) for item in first)

    def identity(self, node: object) -> Hashable:
        """Elements are their own key; smart strings are new objects on every call."""
        if isinstance(node, etree._ElementUnicodeResult):
            return (node.getparent(), node.attrname, node.is_text, node.is_tail)
        return node

    def order(self, node: object) -> tuple[int, ...]:
        """Document order from one walk over the tree, made only when there are findings."""
        if isinstance(node, etree._ElementTree):
            return (-1,)
        if self._positions is None:
            self._positions = {e: i for i, e in enumerate(self._tree.iter())}
        positions = self._positions
        if not isinstance(node, etree._ElementUnicodeResult):
            return (positions.get(node, -1), 0)  # type: ignore[call-overload]
        parent = node.getparent()
        if parent is None:
            return (-1,)
        if node.is_attribute:
            return (positions.get(parent, -1), 1, list(parent.attrib).index(node.attrname))
        if node.is_tail:
            last = parent
            while len(last):
                last = last[-1]
            return (positions.get(last, -1), 3)
        return (positions.get(parent, -1), 2)

    def locate(self, node: object, prefixes: Mapping[str, str]) -> tuple[int | None, str]:
        """The element's line (an attribute's or text's parent) and named XPath."""
        if isinstance(node, etree._ElementUnicodeResult):
            parent = node.getparent()
            line = parent.sourceline if parent is not None else None
            return line, named_xpath(node, prefixes, self._memo)
        if isinstance(node, etree._ElementTree):
            # Like the ISO skeleton, point a document-level finding at the root element.
            node = node.getroot()
        if isinstance(node, etree._Element):
            return node.sourceline, named_xpath(node, prefixes, self._memo)
        return None, "/"

    def _run(self, expr: CompiledXPath, node: Any, variables: Variables) -> Any:
        try:
            return expr.native(node, **variables) if variables else expr.native(node)
        except etree.XPathError as exc:
            # libxml2's messages are terse ("Invalid type"): name the expression too.
            raise EvaluationError(f"{exc} in {expr.source!r}") from exc

    def _elementpath(self, expr: CompiledXPath) -> Any:
        """The fallback document, built on first use; prepares ``expr`` for it as well."""
        self._binding.prepare_fallback(expr)
        if self._fallback is None:
            from interop.validate import xpath2_elementpath as ep  # noqa: PLC0415

            self._fallback = ep.ElementpathDocument(self._tree, self._binding.namespaces)
        return self._fallback

    def _ep_variables(self, variables: Variables) -> Variables:
        return {name: self._ep_value(value) for name, value in variables.items()}

    def _ep_value(self, value: object) -> object:
        if isinstance(value, list):
            return [self._ep_value(item) for item in value]
        if isinstance(value, etree._Element | etree._ElementTree | etree._ElementUnicodeResult):
            return self._fallback.node_for(value)
        return value


class _SimpleString:
    """``string(@a)``, ``string(p:e)``, ``string(../@a)`` read straight from the element.

    A message's value-ofs are evaluated once per finding; lxml's set-up for one XPath call
    costs more than the lookup itself, which matters when a rule fires on every item of a
    large manifest. An element with children (or none of that name) goes to libxml2.
    """

    __slots__ = ("_attribute", "_native", "_tag", "_up")

    def __init__(self, up: bool, attribute: str | None, tag: str | None, native: Any) -> None:
        self._up = up
        self._attribute = attribute
        self._tag = tag
        self._native = native

    @classmethod
    def of(cls, source: str, namespaces: Mapping[str, str], native: Any) -> _SimpleString | None:
        match = _SIMPLE_STRING.match(source.strip())
        if match is None:
            return None
        tag = match["element"]
        if tag is not None:
            prefix, _, local = tag.rpartition(":")
            if prefix and prefix not in namespaces:
                return None
            tag = f"{{{namespaces[prefix]}}}{local}" if prefix else local
        return cls(bool(match["up"]), match["attribute"], tag, native)

    def __call__(self, node: etree._Element, **variables: Any) -> str:
        target = node.getparent() if self._up else node
        if target is None:
            return ""
        if self._attribute is not None:
            return target.get(self._attribute) or ""
        assert self._tag is not None, "an attribute or an element name"
        child = target.find(self._tag)
        if child is None or len(child):
            return str(self._native(node, **variables))
        return child.text or ""


def _as_variable(result: object) -> object:
    """A let value, checked to be something libxml2 accepts back as a variable.

    libxml2 binds node-sets of elements only. Lets written as paths to attributes or text are
    inlined at compile time (see XPath1Binding.inline_let); any other let that yields such
    nodes cannot be evaluated faithfully, so say so rather than truncate it.
    """
    if isinstance(result, list) and not all(isinstance(r, etree._Element) for r in result):
        raise EvaluationError(
            "a let yields attribute or text nodes, which the XPath 1 binding can only handle "
            "when the let is a union of location paths (e.g. 'a/@b | //c/text()')"
        )
    return result


def _step_condition(branch: str) -> tuple[str, str] | None:
    """Split one step ``name[p1][p2]`` into its name test and a condition on that node.

    On the node itself the predicates are plain conditions (``self::name[...]`` would make
    libxml2 build a node-set per node). None when ``branch`` is more than one step or has a
    positional predicate (``c:text[1]`` counts siblings, which a condition cannot).
    """
    if not _ONE_STEP.match(branch) or len(split_top_level(branch, "/")) != 1:
        return None
    name, _, rest = branch.partition("[")
    if not rest:
        return name, "true()"
    conditions = _predicates("[" + rest)
    if conditions is None or any(_POSITIONAL.search(c) or _NUMBER.match(c) for c in conditions):
        return None
    return name, " and ".join(f"({c})" for c in conditions)


def _predicates(text: str) -> list[str] | None:
    """The contents of ``[a][b]...``, or None if ``text`` is not just a row of predicates."""
    found: list[str] = []
    depth, start, quote = 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
            if depth == 1:
                start = index + 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                found.append(text[start:index].strip())
        elif depth == 0 and not char.isspace():
            return None
    return found if depth == 0 and not quote else None


def _passing(tests: tuple[tuple[str, bool], ...] | list[tuple[str, bool]]) -> str:
    """The condition under which no assert and no report of a rule fires."""
    return " and ".join(f"not({test})" if is_report else f"({test})" for test, is_report in tests)
