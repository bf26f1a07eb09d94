"""The rules of an ISO Schematron file as plain data, ready to compile.

Reading resolves everything that does not depend on a document: includes, abstract patterns
(``is-a`` with parameters), abstract rules (``extends``), the active phase, severities, rule ids
and message templates. :mod:`interop.validate.schematron` then compiles the expressions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from interop.validate.findings import Severity
from interop.validate.schematron_source import SchemaSource, ns
from interop.validate.xpath_text import substitute_params

# @role and @flag words that make a finding a warning; every other word is an error.
_WARNING_WORDS = frozenset({"warning", "warn", "info", "information"})
# queryBinding values -> the XPath version that runs them.
_BINDINGS = {
    **dict.fromkeys(("xslt", "xslt1", "xpath"), "xpath1"),
    **dict.fromkeys(("xslt2", "xpath2"), "xpath2"),
    **dict.fromkeys(("xslt3", "xpath3"), "xpath3"),
    "xpath31": "xpath31",
}


@dataclass(frozen=True, slots=True)
class ValueOf:
    """A ``sch:value-of``: the string value of ``select`` on the context node."""

    select: str


@dataclass(frozen=True, slots=True)
class NameOf:
    """A ``sch:name``: the name of the context node, or of the node ``path`` selects."""

    path: str | None


MessagePart = str | ValueOf | NameOf


@dataclass(frozen=True, slots=True)
class Let:
    """A ``sch:let``; ``where`` (``file:line``) points at it for error messages."""

    name: str
    value: str
    where: str


@dataclass(frozen=True, slots=True)
class Check:
    """An assert (fires when its test is false) or a report (fires when its test is true)."""

    test: str
    is_report: bool
    rule_id: str
    severity: Severity
    message: tuple[MessagePart, ...]
    where: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A concrete rule with its abstract rules already inlined."""

    context: str
    lets: tuple[Let, ...]
    checks: tuple[Check, ...]
    rule_id: str
    where: str


@dataclass(frozen=True, slots=True)
class Pattern:
    """An active pattern; within it each node is checked by the first rule that matches it."""

    pattern_id: str | None
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class SchemaModel:
    """Everything needed to compile one Schematron schema for one phase."""

    path: Path
    query_binding: str
    namespaces: Mapping[str, str]
    lets: tuple[Let, ...]
    patterns: tuple[Pattern, ...]


def load_schema(path: Path, phase: str | None = None) -> SchemaModel:
    """Read a Schematron file and resolve it for ``phase`` (None: the default phase).

    Raises:
        SchemaError: an unknown query binding or phase, a missing abstract rule or pattern.
        UnreadableInput: the file (or an included one) cannot be read.
    """
    source = SchemaSource.load(path)
    root = source.root
    binding = _query_binding(source, root)
    active, phase_lets = _active_patterns(source, root, phase)
    reader = _RuleReader(source)
    patterns = [
        reader.pattern(element, reader.lets(element))
        for element in source.children(root, "pattern")
        if element.get("abstract") != "true" and (active is None or element.get("id") in active)
    ]
    return SchemaModel(
        path=path,
        query_binding=binding,
        namespaces=_namespaces(source, root),
        lets=reader.lets(root) + phase_lets,
        patterns=tuple(patterns),
    )


def _query_binding(source: SchemaSource, root: etree._Element) -> str:
    value = (root.get("queryBinding") or "xslt").strip().lower()
    if value not in _BINDINGS:
        known = ", ".join(sorted(_BINDINGS))
        raise source.error(root, f"unknown queryBinding {value!r} (known: {known})")
    return _BINDINGS[value]


def _namespaces(source: SchemaSource, root: etree._Element) -> dict[str, str]:
    bindings: dict[str, str] = {}
    for element in source.children(root, "ns"):
        prefix, uri = element.get("prefix"), element.get("uri")
        if not prefix or uri is None:
            raise source.error(element, "sch:ns needs both prefix and uri")
        bindings[prefix] = uri
    return bindings


def _active_patterns(
    source: SchemaSource, root: etree._Element, phase: str | None
) -> tuple[frozenset[str] | None, tuple[Let, ...]]:
    """Ids of the patterns the phase activates (None: all) and the phase's lets."""
    name = phase if phase not in (None, "#DEFAULT") else root.get("defaultPhase", "#ALL")
    if name == "#ALL":
        return None, ()
    phases = {p.get("id"): p for p in source.children(root, "phase")}
    if name not in phases:
        known = ", ".join(["#ALL", *sorted(str(k) for k in phases)])
        raise source.error(root, f"unknown phase {name!r} (known: {known})")
    element = phases[name]
    pattern_ids = {p.get("id") for p in source.children(root, "pattern")}
    active = set()
    for item in source.children(element, "active"):
        wanted = item.get("pattern")
        if wanted not in pattern_ids:
            raise source.error(item, f"phase {name!r} activates unknown pattern {wanted!r}")
        active.add(str(wanted))
    return frozenset(active), _RuleReader(source).lets(element)


class _RuleReader:
    """Turns pattern and rule elements into model objects, inlining abstract parts."""

    def __init__(self, source: SchemaSource) -> None:
        self._source = source
        root = source.root
        self._abstract_rules = {
            r.get("id"): r for r in root.iter(ns("rule")) if r.get("abstract") == "true"
        }
        self._abstract_patterns = {
            p.get("id"): p for p in root.iter(ns("pattern")) if p.get("abstract") == "true"
        }
        self._diagnostics = {d.get("id"): d for d in root.iter(ns("diagnostic"))}
        self._params: Mapping[str, str] = {}

    def pattern(self, element: etree._Element, lets: tuple[Let, ...]) -> Pattern:
        """Read one concrete pattern (instantiating it when it ``is-a`` abstract pattern)."""
        body = element
        base = element.get("is-a")
        if base is not None:
            if base not in self._abstract_patterns:
                raise self._source.error(element, f"is-a names unknown abstract pattern {base!r}")
            self._params = {
                str(p.get("name")): str(p.get("value", ""))
                for p in self._source.children(element, "param")
            }
            body = self._abstract_patterns[base]
            lets = lets + self.lets(body)
        pattern_id = element.get("id")
        rules = tuple(
            self._rule(rule, pattern_id)
            for rule in self._source.children(body, "rule")
            if rule.get("abstract") != "true"
        )
        self._params = {}
        return Pattern(pattern_id=pattern_id, lets=lets, rules=rules)

    def lets(self, parent: etree._Element) -> tuple[Let, ...]:
        """The ``sch:let`` children of ``parent``, in order."""
        return tuple(self._let(element) for element in self._source.children(parent, "let"))

    def _rule(self, element: etree._Element, pattern_id: str | None) -> Rule:
        context = element.get("context")
        if not context:
            raise self._source.error(element, "a concrete sch:rule needs a context attribute")
        default_id = pattern_id or "schematron"
        lets: list[Let] = []
        checks: list[Check] = []
        for owner, child in self._body(element, set()):
            if child.tag == ns("let"):
                lets.append(self._let(child))
            else:
                # An inlined abstract rule's id counts only when the concrete rule has none.
                rule_id = element.get("id") or owner.get("id") or default_id
                checks.append(self._check(child, (owner, element), rule_id))
        rule_id = element.get("id") or default_id
        where = self._source.where(element)
        return Rule(self._sub(context), tuple(lets), tuple(checks), rule_id, where)

    def _let(self, element: etree._Element) -> Let:
        value, name = element.get("value"), element.get("name")
        if value is None or not name:
            raise self._source.error(element, "sch:let needs name and value attributes")
        return Let(name, self._sub(value), self._source.where(element))

    def _body(
        self, rule: etree._Element, visiting: set[str]
    ) -> Iterator[tuple[etree._Element, etree._Element]]:
        """Yield (owning rule, let/assert/report) in order, following ``extends`` recursively."""
        for child in self._source.children(rule, "let", "assert", "report", "extends"):
            if child.tag != ns("extends"):
                yield rule, child
                continue
            target = child.get("rule")
            if target not in self._abstract_rules:
                raise self._source.error(child, f"extends names unknown abstract rule {target!r}")
            if target in visiting:
                raise self._source.error(child, f"abstract rule {target!r} extends itself")
            yield from self._body(self._abstract_rules[target], visiting | {str(target)})

    def _check(
        self, element: etree._Element, rules: tuple[etree._Element, ...], rule_id: str
    ) -> Check:
        test = element.get("test")
        if not test:
            raise self._source.error(element, "sch:assert and sch:report need a test attribute")
        message = list(self._text_parts(element))
        for ref in (element.get("diagnostics") or "").split():
            if ref not in self._diagnostics:
                raise self._source.error(element, f"unknown diagnostic {ref!r}")
            message.extend([" ", *self._text_parts(self._diagnostics[ref])])
        return Check(
            test=self._sub(test),
            is_report=element.tag == ns("report"),
            rule_id=element.get("id") or rule_id,
            severity=severity_of((element, *rules)),
            message=tuple(message),
            where=self._source.where(element),
        )

    def _text_parts(self, element: etree._Element) -> Iterator[MessagePart]:
        """Message parts of mixed content; emph, dir, span and foreign markup keep their text."""
        if element.text:
            yield element.text
        for child in element:
            if child.tag == ns("value-of"):
                select = child.get("select")
                if not select:
                    raise self._source.error(child, "sch:value-of needs a select attribute")
                yield ValueOf(self._sub(select))
            elif child.tag == ns("name"):
                path = child.get("path")
                yield NameOf(self._sub(path) if path else None)
            elif isinstance(child.tag, str):
                yield from self._text_parts(child)
            if child.tail:
                yield child.tail

    def _sub(self, text: str) -> str:
        return substitute_params(text, self._params) if self._params else text


def severity_of(elements: tuple[etree._Element, ...]) -> Severity:
    """Severity from the first ``@role`` (then ``@flag``) on the check, then its rules."""
    words = [e.get("role") for e in elements] + [e.get("flag") for e in elements]
    word = next((w.strip().lower() for w in words if w), None)
    if word in _WARNING_WORDS:
        return Severity.WARNING
    # Missing and unknown words count as errors: an unclassified rule must not pass quietly.
    return Severity.ERROR
