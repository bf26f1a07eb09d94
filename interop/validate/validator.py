"""Validate one document: read it (hardened), detect its format, check the XSD, then the rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from interop.errors import UnreadableInput
from interop.formats import DocumentFormat, registry
from interop.resources import xsd_dir
from interop.validate.findings import FileReport, Finding, Severity
from interop.validate.schematron import Schematron, compile_schematron
from interop.validate.xsd import compile_schema, xsd_findings
from interop.xmlio import DEFAULT_LIMITS, Limits, parse_bytes, parse_file


@dataclass(frozen=True, slots=True)
class ValidationSettings:
    """What to validate against.

    Attributes:
        schema: an XSD for generic mode; None validates against the bundled formats, detected
            from each document's root element.
        catalog: an OASIS catalog that resolves the schema's imports offline.
        rules: extra Schematron files (XPath 1 or XPath 2 query binding).
        limits: size and depth caps for every document read.
    """

    schema: Path | None = None
    catalog: Path | None = None
    rules: tuple[Path, ...] = ()
    limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one kind of document is checked against, compiled."""

    label: str
    schema: etree.XMLSchema
    rules: tuple[Schematron, ...]
    prefixes: dict[str, str] | None  # None: the document's own prefixes (generic mode)


class Validator:
    """Validates documents; schemas and rules are compiled on first use and then reused."""

    def __init__(self, settings: ValidationSettings) -> None:
        self.settings = settings
        self._plans: dict[str, _Plan] = {}

    def prepare(self) -> None:
        """Compile the schema and rules given explicitly, so that their errors come first."""
        if self.settings.schema is not None:
            self._generic_plan()
        for path in self.settings.rules:
            _rules(path)

    def warm_up(self) -> None:
        """Compile every schema and rules file this validator may need, now.

        Called before forking workers, so that they inherit compiled schemas instead of each
        compiling its own.
        """
        self.prepare()
        if self.settings.schema is None:
            for found in registry().formats:
                self._bundled_plan(found)

    def prepare_format(self, found: DocumentFormat) -> None:
        """Compile what documents of ``found`` are checked against, now rather than on first use
        (``evidence build`` does it while its threads hash)."""
        if self.settings.schema is None:
            self._bundled_plan(found)
        else:
            self._generic_plan()

    def check_file(self, path: str) -> FileReport:
        """Validate the file at ``path`` (``-`` reads standard input)."""
        try:
            tree = parse_file(path, limits=self.settings.limits)
        except UnreadableInput as exc:
            return _unreadable(path, exc)
        return self.check_tree(tree, path)

    def check_bytes(
        self, data: bytes, name: str, as_format: DocumentFormat | None = None
    ) -> FileReport:
        """Validate a document held in memory; ``name`` is used in the report.

        ``as_format`` validates against that bundled format instead of the detected one.
        """
        try:
            tree = parse_bytes(data, name, limits=self.settings.limits)
        except UnreadableInput as exc:
            return _unreadable(name, exc)
        return self.check_tree(tree, name, as_format)

    def check_tree(
        self,
        tree: etree._ElementTree,
        name: str,
        as_format: DocumentFormat | None = None,
        *,
        xsd_on_thread: bool = False,
    ) -> FileReport:
        """Validate an already parsed document (against ``as_format``, if given).

        With ``xsd_on_thread`` the XSD is checked on a second thread while the rules run:
        libxml2 validates without holding the GIL, so a large document (a manifest of
        thousands of items) is checked in the time of its rules alone on two cores. Both only
        read the tree. Not worth a thread for a small document.
        """
        if self.settings.schema is not None:
            plan = self._generic_plan()
        else:
            found = as_format or registry().detect(tree)
            if found is None:
                return _unknown_format(tree, name)
            plan = self._bundled_plan(found)
        prefixes = plan.prefixes if plan.prefixes is not None else _own_prefixes(tree)
        findings = _mismatch(tree, as_format) if as_format is not None else []
        if xsd_on_thread:
            with ThreadPoolExecutor(1, "interop-xsd") as pool:
                schema_findings = pool.submit(xsd_findings, plan.schema, tree, prefixes)
                rule_findings = [f for rules in plan.rules for f in rules.validate(tree)]
                findings.extend(schema_findings.result())
        else:
            findings.extend(xsd_findings(plan.schema, tree, prefixes))
            rule_findings = [f for rules in plan.rules for f in rules.validate(tree)]
        findings.extend(rule_findings)
        return FileReport(name, plan.label, tuple(findings))

    def _bundled_plan(self, found: DocumentFormat) -> _Plan:
        plan = self._plans.get(found.name)
        if plan is None:
            schema = compile_schema(found.schema, xsd_dir() / "catalog.xml")
            rules = tuple(_rules(p) for p in found.rules + self.settings.rules)
            plan = self._plans[found.name] = _Plan(found.name, schema, rules, registry().prefixes)
        return plan

    def _generic_plan(self) -> _Plan:
        # Generic mode stands on its own: it never loads the bundled formats.
        plan = self._plans.get("")
        if plan is None:
            assert self.settings.schema is not None
            schema = compile_schema(self.settings.schema, self.settings.catalog)
            rules = tuple(_rules(p) for p in self.settings.rules)
            plan = self._plans[""] = _Plan(self.settings.schema.name, schema, rules, None)
        return plan


@lru_cache(maxsize=32)
def _rules(path: Path) -> Schematron:
    return compile_schematron(path)


def _own_prefixes(tree: etree._ElementTree) -> dict[str, str]:
    return {uri: prefix for prefix, uri in tree.getroot().nsmap.items() if prefix and uri}


def _mismatch(tree: etree._ElementTree, expected: DocumentFormat) -> list[Finding]:
    """An error when the document is not of the format it is checked as."""
    qname = etree.QName(tree.getroot())
    if (qname.namespace, qname.localname) == (expected.namespace, expected.root):
        return []
    message = (
        f"the document is a {{{qname.namespace or ''}}}{qname.localname}, not a {expected.name} "
        f"({{{expected.namespace}}}{expected.root}); it was checked as one as asked"
    )
    return [Finding(Severity.ERROR, "format:mismatch", message, tree.getroot().sourceline)]


def _unreadable(name: str, exc: UnreadableInput) -> FileReport:
    finding = Finding(Severity.ERROR, "xml:unreadable", exc.reason, exc.line, exc.column)
    return FileReport(name, None, (finding,), readable=False)


def _unknown_format(tree: etree._ElementTree, name: str) -> FileReport:
    qname = etree.QName(tree.getroot())
    known = ", ".join(sorted({f.namespace for f in registry().formats}))
    message = (
        f"unknown document type {{{qname.namespace or ''}}}{qname.localname}; "
        f"the bundled formats use {known}; for other formats pass --schema FILE.xsd"
    )
    finding = Finding(Severity.ERROR, "format:unknown", message, tree.getroot().sourceline, None)
    return FileReport(name, None, (finding,), readable=False)
