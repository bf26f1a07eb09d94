"""Our own ISO Schematron engine: compile a schema once, validate many trees quickly.

lxml's isoschematron runs XPath 1 only and re-runs a generated XSLT per document; the official
XJustiz rules need XPath 2. Here every expression is compiled once (see
:mod:`interop.validate.xpath_bindings`), and validating a document evaluates each rule context
once per pattern, then the lets and tests on each node that context selects.

Semantics follow XSLT match patterns: within a pattern a node is checked by the first rule whose
context selects it. Findings come in document order of the context node, then rule order.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from interop.errors import SchemaError
from interop.validate.findings import Finding, Severity
from interop.validate.schematron_model import Check, Let, NameOf, Rule, ValueOf, load_schema
from interop.validate.xpath_bindings import (
    Binding,
    CompiledXPath,
    DocumentXPath,
    EvaluationError,
    Kind,
    Variables,
    XPathCompileError,
    binding_for,
)
from interop.validate.xpath_text import (
    CURRENT_VARIABLE,
    may_select_non_elements,
    replace_current,
    uses_current,
)


@dataclass(frozen=True, slots=True)
class _Let:
    name: str
    expr: CompiledXPath


@dataclass(frozen=True, slots=True)
class _Check:
    test: CompiledXPath
    is_report: bool
    rule_id: str
    severity: Severity
    message: tuple[str | CompiledXPath, ...]


@dataclass(frozen=True, slots=True)
class _Rule:
    context: CompiledXPath
    lets: tuple[_Let, ...]
    checks: tuple[_Check, ...]
    rule_id: str
    needs_current: bool


@dataclass(frozen=True, slots=True)
class _Pattern:
    lets: tuple[_Let, ...]
    rules: tuple[_Rule, ...]


class Schematron:
    """A compiled Schematron schema for one phase.

    Attributes:
        query_binding: ``xpath1`` or ``xpath2`` (``xpath3``/``xpath31`` for XSLT 3 bindings).
        path: the rules file.
    """

    def __init__(
        self,
        path: Path,
        binding: Binding,
        lets: tuple[_Let, ...],
        patterns: tuple[_Pattern, ...],
        prefixes: dict[str, str],
    ) -> None:
        self.path = path
        self.query_binding = binding.name
        self._binding = binding
        self._lets = lets
        self._patterns = patterns
        self._prefixes = prefixes

    def validate(self, tree: etree._ElementTree) -> list[Finding]:
        """Check one document and return its findings in document order."""
        run = _Run(self._binding.open(tree), self._prefixes)
        doc = run.doc
        try:
            variables = _bind_global(doc, self._lets, {})
        except EvaluationError as exc:
            run.failed(doc.document, (0, 0, 0), "schematron", exc)
            return run.findings()
        for p_index, pattern in enumerate(self._patterns):
            try:
                pattern_vars = _bind_global(doc, pattern.lets, variables)
            except EvaluationError as exc:
                run.failed(doc.document, (p_index, 0, 0), "schematron", exc)
                continue
            seen: set[Hashable] = set()
            for r_index, rule in enumerate(pattern.rules):
                run.rule(rule, pattern_vars, seen, (p_index, r_index))
        return run.findings()


class _Run:
    """The state of validating one document: its evaluator and the findings so far."""

    def __init__(self, doc: DocumentXPath, prefixes: dict[str, str]) -> None:
        self.doc = doc
        self._prefixes = prefixes
        # (document order of the node, pattern index, rule index, check index) -> finding
        self._hits: list[tuple[tuple[int, ...], int, int, int, Finding]] = []

    def findings(self) -> list[Finding]:
        """The findings in document order of their nodes, then in rule order."""
        self._hits.sort(key=lambda hit: hit[:4])
        return [hit[4] for hit in self._hits]

    def rule(
        self, rule: _Rule, variables: Variables, seen: set[Hashable], where: tuple[int, int]
    ) -> None:
        """Apply one rule to every node its context selects that no earlier rule took."""
        try:
            nodes = self.doc.contexts(rule.context, variables)
        except EvaluationError as exc:
            self.failed(self.doc.document, (*where, 0), rule.rule_id, exc)
            return
        for node in nodes:
            key = self.doc.identity(node)
            if key in seen:  # an earlier rule of this pattern already handled this node
                continue
            seen.add(key)
            self._check_node(rule, node, variables, where)

    def _check_node(
        self, rule: _Rule, node: object, base: Variables, where: tuple[int, int]
    ) -> None:
        try:
            variables = _bind_rule(self.doc, rule, node, base)
        except EvaluationError as exc:
            self.failed(node, (*where, 0), rule.rule_id, exc)
            return
        for c_index, check in enumerate(rule.checks):
            try:
                fired = self.doc.test(check.test, node, variables) is check.is_report
            except EvaluationError as exc:
                self.failed(node, (*where, c_index), check.rule_id, exc)
                continue
            if fired:
                message = _render(self.doc, check, node, variables)
                self._add(node, (*where, c_index), check.severity, check.rule_id, message)

    def failed(
        self, node: object, where: tuple[int, int, int], rule_id: str, error: EvaluationError
    ) -> None:
        """Record a rule that could not be evaluated on this document as an error."""
        message = f"Rule {rule_id} could not be evaluated on this document: {error}"
        self._add(node, where, Severity.ERROR, rule_id, message)

    def _add(
        self,
        node: object,
        where: tuple[int, int, int],
        severity: Severity,
        rule_id: str,
        message: str,
    ) -> None:
        line, xpath = self.doc.locate(node, self._prefixes)
        finding = Finding(severity, rule_id, message, line, None, xpath)
        self._hits.append((self.doc.order(node), *where, finding))


def compile_schematron(path: Path, *, phase: str | None = None) -> Schematron:
    """Compile a Schematron file for ``phase`` (None or ``#DEFAULT``: the default phase).

    Raises:
        SchemaError: the rules file cannot be compiled (with file, line and what is wrong).
        UnreadableInput: the rules file (or an included one) cannot be read.
    """
    model = load_schema(Path(path), phase)
    binding = binding_for(model.query_binding, model.namespaces)
    compiler = _Compiler(binding)
    lets = compiler.global_lets(model.lets, [])
    names = [let.name for let in model.lets]
    patterns = []
    for pattern in model.patterns:
        pattern_lets = compiler.global_lets(pattern.lets, names)
        scope = [*names, *(let.name for let in pattern_lets)]
        rules = tuple(compiler.rule(rule, scope) for rule in pattern.rules)
        patterns.append(_Pattern(pattern_lets, rules))
    prefixes: dict[str, str] = {}
    for prefix, uri in model.namespaces.items():
        prefixes.setdefault(uri, prefix)
    return Schematron(Path(path), binding, lets, tuple(patterns), prefixes)


class _Compiler:
    """Compiles the model's expressions, turning engine errors into located SchemaErrors."""

    def __init__(self, binding: Binding) -> None:
        self._binding = binding

    def global_lets(self, lets: tuple[Let, ...], scope: list[str]) -> tuple[_Let, ...]:
        names = list(scope)
        compiled = []
        for let in lets:
            if uses_current(replace_current(let.value)):
                raise SchemaError(f"{let.where}: current() is only available inside a rule")
            compiled.append(_Let(let.name, self._compile(let.value, "value", names, let.where)))
            names.append(let.name)
        return tuple(compiled)

    def rule(self, rule: Rule, scope: list[str]) -> _Rule:
        names = [*scope, CURRENT_VARIABLE]
        non_elements = may_select_non_elements(rule.context)
        try:
            context = self._binding.compile_context(rule.context, names, non_elements=non_elements)
        except XPathCompileError as exc:
            raise self._error(rule.where, rule.context, exc) from None
        lets = []
        for let in rule.lets:
            lets.append(_Let(let.name, self._compile(let.value, "value", names, let.where)))
            names.append(let.name)
        checks = tuple(self._check(check, names) for check in rule.checks)
        expressions = [let.expr for let in lets] + [part for c in checks for part in _exprs(c)]
        if non_elements:
            self._prepare_fallback(expressions, rule.where)
        needs_current = any(uses_current(e.source) for e in expressions)
        return _Rule(context, tuple(lets), checks, rule.rule_id, needs_current)

    def _check(self, check: Check, names: list[str]) -> _Check:
        message: list[str | CompiledXPath] = []
        for part in check.message:
            if isinstance(part, ValueOf):
                message.append(self._compile(part.select, "string", names, check.where))
            elif isinstance(part, NameOf):
                source = f"name({part.path})" if part.path else "name()"
                message.append(self._compile(source, "string", names, check.where))
            else:
                message.append(part)
        test = self._compile(check.test, "test", names, check.where)
        return _Check(test, check.is_report, check.rule_id, check.severity, tuple(message))

    def _compile(self, source: str, kind: Kind, names: list[str], where: str) -> CompiledXPath:
        try:
            return self._binding.compile(replace_current(source), kind, names)
        except XPathCompileError as exc:
            raise self._error(where, source, exc) from None

    def _prepare_fallback(self, expressions: list[CompiledXPath], where: str) -> None:
        for expr in expressions:
            try:
                self._binding.prepare_fallback(expr)
            except XPathCompileError as exc:
                raise self._error(where, expr.source, exc) from None

    def _error(self, where: str, source: str, exc: XPathCompileError) -> SchemaError:
        binding = self._binding.name
        return SchemaError(f"{where}: cannot compile XPath ({binding}) {source!r}: {exc}")


def _exprs(check: _Check) -> list[CompiledXPath]:
    return [check.test, *(p for p in check.message if isinstance(p, CompiledXPath))]


def _bind_global(doc: DocumentXPath, lets: tuple[_Let, ...], base: Variables) -> Variables:
    if not lets:
        return base
    variables = dict(base)
    for let in lets:
        variables[let.name] = doc.global_value(let.expr, variables)
    return variables


def _bind_rule(doc: DocumentXPath, rule: _Rule, node: object, base: Variables) -> Variables:
    if not rule.lets and not rule.needs_current:
        return base
    variables = dict(base)
    if rule.needs_current:
        variables[CURRENT_VARIABLE] = node
    for let in rule.lets:
        variables[let.name] = doc.value(let.expr, node, variables)
    return variables


def _render(doc: DocumentXPath, check: _Check, node: object, variables: Variables) -> str:
    """The assertion text with value-of and name filled in, whitespace normalised."""
    pieces = []
    for part in check.message:
        if isinstance(part, str):
            pieces.append(part)
            continue
        try:
            pieces.append(doc.string(part, node, variables))
        except EvaluationError:
            pieces.append("?")
    text = " ".join("".join(pieces).split())
    return text or f"{'Report' if check.is_report else 'Assertion'} {check.rule_id} fired"
