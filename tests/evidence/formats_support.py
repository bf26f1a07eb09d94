"""Helpers shared by the importer tests (CASE, DFXML, hash lists)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from interop.convert import registry
from interop.convert.converter import ToCommon
from interop.convert.formats.csv_document import Authority
from interop.convert.loss import LossKind
from interop.validate.findings import Severity
from interop.validate.validator import ValidationSettings, Validator

NS = {"e": "urn:interop:evidence:1", "c": "urn:interop:common:1"}
AUTHORITY = Authority("Landeskriminalamt Berlin", "police", "DE")
OPTIONS: dict[str, Any] = {"case_reference": "276 AR 45/26", "compiled_by": AUTHORITY}
# What the CLI adds to every import: the document-level data no tool output holds.
CLI_OPTIONS = (
    "--case-reference",
    "276 AR 45/26",
    "--authority",
    "Landeskriminalamt Berlin;police;DE",
)


def read(name: str, data: bytes, source: str = "input", **options: Any) -> ToCommon:
    """Run the importer ``name`` on ``data`` with the document options and ``options``."""
    return registry.create(name, {**OPTIONS, **options}).to_common(data, source)


def rule_errors(tree: etree._ElementTree) -> set[str]:
    """The rule ids of the errors our validator finds; XSD errors fail the test at once."""
    findings = Validator(ValidationSettings()).check_tree(tree, "draft").findings
    errors = [f for f in findings if f.severity is Severity.ERROR]
    schema = [f.message for f in errors if not f.rule.startswith("EVD-")]
    assert not schema, schema
    return {f.rule for f in errors}


def items(tree: etree._ElementTree) -> list[etree._Element]:
    return list(tree.getroot().iterfind("e:items/e:item", NS))


def hashes(item: etree._Element) -> dict[str, str]:
    return {h.get("algorithm", ""): h.text or "" for h in item.iterfind("e:hash", NS)}


def losses(result: ToCommon, kind: LossKind) -> list[tuple[str, str]]:
    return [(e.path, e.reason) for e in result.loss.of_kind(kind)]
