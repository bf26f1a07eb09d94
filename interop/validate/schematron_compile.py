"""Compiling a Schematron model: every expression once, with located errors.

The result is what :class:`interop.validate.schematron.Schematron` evaluates per document:
patterns of rules whose contexts, lets, tests and message parts are compiled for one binding.
"""

from __future__ import annotations

from dataclasses import dataclass

from interop.errors import SchemaError
from interop.validate.findings import Severity
from interop.validate.schematron_model import Check, Let, NameOf, Rule, SchemaModel, ValueOf
from interop.validate.xpath_bindings import Binding, CompiledXPath, Kind, XPathCompileError
from interop.validate.xpath_text import (
    CURRENT_VARIABLE,
    may_select_non_elements,
    replace_current,
    substitute_params,
    uses_current,
)


@dataclass(frozen=True, slots=True)
class CompiledLet:
    """A let: its variable name and compiled value."""

    name: str
    expr: CompiledXPath


@dataclass(frozen=True, slots=True)
class CompiledCheck:
    """An assert or report; ``message`` mixes literal text and string expressions."""

    test: CompiledXPath
    is_report: bool
    rule_id: str
    severity: Severity
    message: tuple[str | CompiledXPath, ...]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with abstract rules inlined, ready to apply to the nodes its context selects."""

    context: CompiledXPath
    lets: tuple[CompiledLet, ...]
    checks: tuple[CompiledCheck, ...]
    rule_id: str
    needs_current: bool
    # Every test in one call where the binding can do that (see Binding.combine_tests), and
    # the flags it returns when no assert or report fires.
    all_tests: CompiledXPath | None
    passing: str
    # The context nodes on which some test fires, in one call (see Binding.failing_nodes);
    # None when the rule binds variables per node or the binding cannot do it.
    failing: CompiledXPath | None = None
    # What ``failing`` was built from: the context pattern and the (test, is_report) pairs.
    failing_parts: tuple[str, tuple[tuple[str, bool], ...]] | None = None


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A pattern's lets and rules, in order (the first matching rule takes a node)."""

    lets: tuple[CompiledLet, ...]
    rules: tuple[CompiledRule, ...]


def compile_model(
    model: SchemaModel, binding: Binding
) -> tuple[tuple[CompiledLet, ...], tuple[CompiledPattern, ...]]:
    """Compile the schema-level lets and the active patterns of ``model``.

    Raises:
        SchemaError: an expression that does not compile, with file, line and reason.
    """
    compiler = _Compiler(binding)
    schema_scope = _Scope([], {})
    lets = compiler.lets(model.lets, schema_scope, in_rule=False)
    patterns = []
    for pattern in model.patterns:
        scope = schema_scope.child()
        pattern_lets = compiler.lets(pattern.lets, scope, in_rule=False)
        rules = tuple(compiler.rule(rule, scope.child()) for rule in pattern.rules)
        patterns.append(CompiledPattern(pattern_lets, rules))
    return lets, tuple(patterns)


@dataclass
class _Scope:
    """What later expressions may refer to.

    Attributes:
        names: variables bound when evaluating (the binding checks references against them).
        inlined: lets replaced by their (anchored) expression instead of being bound; the
            XPath 1 binding does this for lets that hold attribute or text nodes.
    """

    names: list[str]
    inlined: dict[str, str]

    def child(self) -> _Scope:
        return _Scope(list(self.names), dict(self.inlined))


class _Compiler:
    """Compiles the model's expressions, turning engine errors into located SchemaErrors."""

    def __init__(self, binding: Binding) -> None:
        self._binding = binding

    def lets(
        self, lets: tuple[Let, ...], scope: _Scope, *, in_rule: bool
    ) -> tuple[CompiledLet, ...]:
        """Compile lets in order, each one in scope for the next; updates ``scope``."""
        compiled = []
        for let in lets:
            source = self._prepare(let.value, scope)
            if not in_rule and uses_current(source):
                raise SchemaError(f"{let.where}: current() is only available inside a rule")
            inline = self._binding.inline_let(source, in_rule=in_rule)
            if inline is not None:
                self._compile(inline, "value", scope, let.where)  # report errors at the let
                scope.inlined[let.name] = inline
                continue
            compiled.append(CompiledLet(let.name, self._compile(source, "value", scope, let.where)))
            scope.names.append(let.name)
        return tuple(compiled)

    def rule(self, rule: Rule, scope: _Scope) -> CompiledRule:
        """Compile a rule: its context, lets, tests, messages and combined tests."""
        scope.names.append(CURRENT_VARIABLE)
        pattern = self._prepare(rule.context, scope)
        non_elements = may_select_non_elements(pattern)
        try:
            context = self._binding.compile_context(pattern, scope.names, non_elements=non_elements)
        except XPathCompileError as exc:
            raise self._error(rule.where, rule.context, exc) from None
        lets = self.lets(rule.lets, scope, in_rule=True)
        checks = tuple(self._check(check, scope) for check in rule.checks)
        expressions = [let.expr for let in lets] + [part for c in checks for part in _exprs(c)]
        combined = self._binding.combine_tests([check.test.source for check in checks])
        all_tests = None
        if combined is not None:
            all_tests = self._compile(combined, "string", scope, rule.where)
            expressions.append(all_tests)
        if non_elements:
            self._prepare_fallback(expressions, rule.where)
        needs_current = any(uses_current(e.source) for e in expressions)
        passing = "".join("0" if check.is_report else "1" for check in checks)
        failing, parts = None, None
        if not lets and not needs_current and not non_elements and not context.selects_document:
            tests = tuple((check.test.source, check.is_report) for check in checks)
            source = self._binding.failing_nodes(pattern, list(tests))
            if source is not None:
                failing = self._compile(source, "select", scope, rule.where)
                parts = (pattern, tests)
        return CompiledRule(
            context, lets, checks, rule.rule_id, needs_current, all_tests, passing, failing, parts
        )

    def _check(self, check: Check, scope: _Scope) -> CompiledCheck:
        message: list[str | CompiledXPath] = []
        for part in check.message:
            if isinstance(part, ValueOf):
                select = self._prepare(part.select, scope)
                message.append(self._compile(select, "string", scope, check.where))
            elif isinstance(part, NameOf):
                path = f"name({part.path})" if part.path else "name()"
                message.append(
                    self._compile(self._prepare(path, scope), "string", scope, check.where)
                )
            else:
                message.append(part)
        test = self._compile(self._prepare(check.test, scope), "test", scope, check.where)
        return CompiledCheck(test, check.is_report, check.rule_id, check.severity, tuple(message))

    @staticmethod
    def _prepare(source: str, scope: _Scope) -> str:
        """``current()`` as a variable, inlined lets replaced by their expressions."""
        source = replace_current(source)
        return substitute_params(source, scope.inlined) if scope.inlined else source

    def _compile(self, source: str, kind: Kind, scope: _Scope, where: str) -> CompiledXPath:
        try:
            return self._binding.compile(source, kind, scope.names)
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


def screenable(pattern: CompiledPattern) -> CompiledRule | None:
    """The rule of a pattern that the whole-schema screen may stand in for, if any.

    One rule (no later rule competes for its nodes), no pattern-level lets (their values
    differ per pattern, and the screen binds one set of variables), and a one-call query.
    """
    if len(pattern.rules) == 1 and not pattern.lets and pattern.rules[0].failing_parts:
        return pattern.rules[0]
    return None


def compile_screen(
    binding: Binding, patterns: tuple[CompiledPattern, ...], lets: tuple[CompiledLet, ...]
) -> CompiledXPath | None:
    """One query selecting every node on which any screenable rule fires (usually none).

    Raises:
        SchemaError: the combined query does not compile (a bug: its parts did).
    """
    parts = [rule.failing_parts for p in patterns if (rule := screenable(p)) and rule.failing_parts]
    source = binding.any_failing(parts) if len(parts) > 1 else None
    if source is None:
        return None
    try:
        return binding.compile(source, "select", [let.name for let in lets])
    except XPathCompileError as exc:
        raise SchemaError(f"cannot compile the combined rule screen: {exc}") from None


def _exprs(check: CompiledCheck) -> list[CompiledXPath]:
    return [check.test, *(p for p in check.message if isinstance(p, CompiledXPath))]
