"""Our own ISO Schematron engine: compile a schema once, validate many trees quickly.

lxml's isoschematron runs XPath 1 only and re-runs a generated XSLT per document; the official
XJustiz rules need XPath 2. Here every expression is compiled once (see
:mod:`interop.validate.xpath_bindings`), and validating a document evaluates each rule context
once per pattern, then the lets and tests on each node that context selects.

Semantics follow XSLT match patterns: within a pattern a node is checked by the first rule whose
context selects it. Findings come in document order of the context node, then rule order.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path

from lxml import etree

from interop.validate.findings import Finding, Severity
from interop.validate.schematron_compile import (
    CompiledCheck,
    CompiledLet,
    CompiledPattern,
    CompiledRule,
    compile_model,
    compile_screen,
    screenable,
)
from interop.validate.schematron_model import load_schema
from interop.validate.xpath_bindings import (
    Binding,
    CompiledXPath,
    DocumentXPath,
    EvaluationError,
    Variables,
    binding_for,
)
from interop.validate.xpath_text import CURRENT_VARIABLE, split_top_level

# The last step of a context branch when it is a prefixed name test: e:item, e:item[@x].
_NAMED_STEP = re.compile(r"^(?:child::)?([A-Za-z_][\w.\-]*):([A-Za-z_][\w.\-]*)\s*(?:\[.*)?$", re.S)
Name = tuple[str, str]  # namespace URI, local name


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
        lets: tuple[CompiledLet, ...],
        patterns: tuple[CompiledPattern, ...],
        prefixes: dict[str, str],
        *,
        screen: CompiledXPath | None = None,
        namespaces: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        # One query for all screenable rules: on a valid document it finds nothing, and
        # those rules need no further call (see schematron_compile.compile_screen).
        self._screen = screen
        self._screened = frozenset(i for i, p in enumerate(patterns) if screenable(p))
        # When the screen finds something, only the screened patterns whose context can
        # select an element of that name need their own query (None: any name).
        self._targets = {
            i: _target_names(rule.failing_parts[0], namespaces or {})
            for i, p in enumerate(patterns)
            if (rule := screenable(p)) is not None and rule.failing_parts is not None
        }
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
        found: set[Name] | None = None  # names of the screen's nodes; None: run every rule
        if self._screen is not None:
            found = _names(doc.contexts(self._screen, variables))
        for p_index, pattern in enumerate(self._patterns):
            try:
                pattern_vars = _bind_global(doc, pattern.lets, variables)
            except EvaluationError as exc:
                run.failed(doc.document, (p_index, 0, 0), "schematron", exc)
                continue
            if found is not None and p_index in self._screened:
                targets = self._targets.get(p_index)
                if targets is not None and not targets & found:
                    continue  # the screen found nothing this rule could fire on
            if len(pattern.rules) == 1:
                # No later rule competes for the nodes.
                run.rule(pattern.rules[0], pattern_vars, (p_index, 0))
                continue
            seen: set[Hashable] = set()
            for r_index, rule in enumerate(pattern.rules):
                run.rule(rule, pattern_vars, (p_index, r_index), seen)
        return run.findings()


class _Run:
    """The state of validating one document: its evaluator and the findings so far."""

    def __init__(self, doc: DocumentXPath, prefixes: dict[str, str]) -> None:
        self.doc = doc
        self._prefixes = prefixes
        # (node, (pattern index, rule index, check index), finding), in the order found
        self._hits: list[tuple[object, tuple[int, int, int], Finding]] = []

    def findings(self) -> list[Finding]:
        """The findings in document order of their nodes, then in rule order.

        One rule's findings come in that order already (its context nodes are in document
        order, its checks in rule order): sorting, and the walk over the whole tree that
        document order needs, are only for findings of several rules.
        """
        hits = self._hits
        if len({where[:2] for _, where, _ in hits}) > 1:
            order = self.doc.order
            hits.sort(key=lambda hit: (order(hit[0]), *hit[1]))
        return [finding for _, _, finding in hits]

    def rule(
        self,
        rule: CompiledRule,
        variables: Variables,
        where: tuple[int, int],
        seen: set[Hashable] | None = None,
    ) -> None:
        """Apply one rule to the nodes its context selects that no earlier rule took.

        Without ``seen`` (a pattern with this one rule) the rule's one-call query is used when
        it has one: only nodes on which a test fires come back.
        """
        query = rule.failing if seen is None and rule.failing is not None else rule.context
        try:
            nodes = self.doc.contexts(query, variables)
        except EvaluationError as exc:
            self.failed(self.doc.document, (*where, 0), rule.rule_id, exc)
            return
        for node in nodes:
            if seen is not None:
                key = self.doc.identity(node)
                if key in seen:  # an earlier rule of this pattern already handled this node
                    continue
                seen.add(key)
            self._check_node(rule, node, variables, where)

    def _check_node(
        self, rule: CompiledRule, node: object, base: Variables, where: tuple[int, int]
    ) -> None:
        try:
            variables = _bind_rule(self.doc, rule, node, base)
        except EvaluationError as exc:
            self.failed(node, (*where, 0), rule.rule_id, exc)
            return
        outcomes = self._outcomes(rule, node, variables)
        for c_index, outcome in enumerate(outcomes):
            check = rule.checks[c_index]
            if isinstance(outcome, EvaluationError):
                self.failed(node, (*where, c_index), check.rule_id, outcome)
            elif outcome is check.is_report:
                message = _render(self.doc, check, node, variables)
                self._add(node, (*where, c_index), check.severity, check.rule_id, message)

    def _outcomes(
        self, rule: CompiledRule, node: object, variables: Variables
    ) -> list[bool | EvaluationError]:
        """Each test's value on ``node`` or the error it raised; empty when nothing fires."""
        if rule.all_tests is not None:
            try:
                flags: str | None = self.doc.string(rule.all_tests, node, variables)
            except EvaluationError:
                flags = None  # run the tests one by one to tell which of them failed
            if flags == rule.passing:
                return []  # the common case: nothing fires, nothing more to look at
            if flags is not None:
                return [flag == "1" for flag in flags]
        outcomes: list[bool | EvaluationError] = []
        for check in rule.checks:
            try:
                outcomes.append(self.doc.test(check.test, node, variables))
            except EvaluationError as exc:
                outcomes.append(exc)
        return outcomes

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
        self._hits.append((node, where, finding))


def compile_schematron(path: Path, *, phase: str | None = None) -> Schematron:
    """Compile a Schematron file for ``phase`` (None or ``#DEFAULT``: the default phase).

    Raises:
        SchemaError: the rules file cannot be compiled (with file, line and what is wrong).
        UnreadableInput: the rules file (or an included one) cannot be read.
    """
    model = load_schema(Path(path), phase)
    binding = binding_for(model.query_binding, model.namespaces)
    lets, patterns = compile_model(model, binding)
    prefixes: dict[str, str] = {}
    for prefix, uri in model.namespaces.items():
        prefixes.setdefault(uri, prefix)
    screen = compile_screen(binding, patterns, lets)
    return Schematron(
        Path(path), binding, lets, patterns, prefixes, screen=screen, namespaces=model.namespaces
    )


def _target_names(context: str, namespaces: Mapping[str, str]) -> frozenset[Name] | None:
    """The names of the elements a rule context can select, or None if it is not that simple.

    Only branches ending in a prefixed name test count: an unprefixed name, a wildcard, an
    attribute or text step, ``/`` or anything unusual makes the answer None (any node).
    """
    names = set()
    for branch in split_top_level(context, "|"):
        steps = split_top_level(branch.strip(), "/")
        match = _NAMED_STEP.match(steps[-1].strip()) if steps else None
        if match is None or match.group(1) not in namespaces:
            return None
        names.add((namespaces[match.group(1)], match.group(2)))
    return frozenset(names)


def _names(nodes: Iterable[object]) -> set[Name] | None:
    """The names of ``nodes``; None when one of them is not an lxml element."""
    names = set()
    for node in nodes:
        tag = getattr(node, "tag", None)
        if not isinstance(tag, str) or not isinstance(node, etree._Element):
            return None
        qname = etree.QName(tag)
        names.add((qname.namespace or "", qname.localname))
    return names


def _bind_global(doc: DocumentXPath, lets: tuple[CompiledLet, ...], base: Variables) -> Variables:
    if not lets:
        return base
    variables = dict(base)
    for let in lets:
        variables[let.name] = doc.global_value(let.expr, variables)
    return variables


def _bind_rule(doc: DocumentXPath, rule: CompiledRule, node: object, base: Variables) -> Variables:
    if not rule.lets and not rule.needs_current:
        return base
    variables = dict(base)
    if rule.needs_current:
        variables[CURRENT_VARIABLE] = node
    for let in rule.lets:
        variables[let.name] = doc.value(let.expr, node, variables)
    return variables


def _render(doc: DocumentXPath, check: CompiledCheck, node: object, variables: Variables) -> str:
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
