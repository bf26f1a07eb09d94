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
    lets = compiler.global_lets(model.lets, [])
    names = [let.name for let in model.lets]
    patterns = []
    for pattern in model.patterns:
        pattern_lets = compiler.global_lets(pattern.lets, names)
        scope = [*names, *(let.name for let in pattern_lets)]
        rules = tuple(compiler.rule(rule, scope) for rule in pattern.rules)
        patterns.append(CompiledPattern(pattern_lets, rules))
    return lets, tuple(patterns)


class _Compiler:
    """Compiles the model's expressions, turning engine errors into located SchemaErrors."""

    def __init__(self, binding: Binding) -> None:
        self._binding = binding

    def global_lets(self, lets: tuple[Let, ...], scope: list[str]) -> tuple[CompiledLet, ...]:
        names = list(scope)
        compiled = []
        for let in lets:
            if uses_current(replace_current(let.value)):
                raise SchemaError(f"{let.where}: current() is only available inside a rule")
            compiled.append(
                CompiledLet(let.name, self._compile(let.value, "value", names, let.where))
            )
            names.append(let.name)
        return tuple(compiled)

    def rule(self, rule: Rule, scope: list[str]) -> CompiledRule:
        names = [*scope, CURRENT_VARIABLE]
        non_elements = may_select_non_elements(rule.context)
        try:
            context = self._binding.compile_context(rule.context, names, non_elements=non_elements)
        except XPathCompileError as exc:
            raise self._error(rule.where, rule.context, exc) from None
        lets = []
        for let in rule.lets:
            lets.append(CompiledLet(let.name, self._compile(let.value, "value", names, let.where)))
            names.append(let.name)
        checks = tuple(self._check(check, names) for check in rule.checks)
        expressions = [let.expr for let in lets] + [part for c in checks for part in _exprs(c)]
        combined = self._binding.combine_tests([check.test.source for check in checks])
        all_tests = None
        if combined is not None:
            all_tests = self._compile(combined, "string", names, rule.where)
            expressions.append(all_tests)
        if non_elements:
            self._prepare_fallback(expressions, rule.where)
        needs_current = any(uses_current(e.source) for e in expressions)
        passing = "".join("0" if check.is_report else "1" for check in checks)
        return CompiledRule(
            context, tuple(lets), checks, rule.rule_id, needs_current, all_tests, passing
        )

    def _check(self, check: Check, names: list[str]) -> CompiledCheck:
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
        return CompiledCheck(test, check.is_report, check.rule_id, check.severity, tuple(message))

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


def _exprs(check: CompiledCheck) -> list[CompiledXPath]:
    return [check.test, *(p for p in check.message if isinstance(p, CompiledXPath))]
