"""Checking the XSD on a second thread gives the same report as checking it first."""

from __future__ import annotations

from pathlib import Path

import pytest

from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_bytes, parse_file
from tests.conftest import CASES, COMMON_EXAMPLES

DOCUMENTS = sorted((CASES / "invalid").glob("*.xml")) + COMMON_EXAMPLES


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_same_findings(path: Path) -> None:
    validator = Validator(ValidationSettings())
    tree = parse_file(path)
    alone = validator.check_tree(tree, path.name)
    threaded = validator.check_tree(tree, path.name, xsd_on_thread=True)
    assert threaded == alone


def test_schema_errors_and_rule_findings_together() -> None:
    # An invalid manifest with an element the XSD refuses: XSD findings first, then the rules'.
    path = CASES / "invalid" / "EVD-029-manifest-without-custody.xml"
    text = path.read_text(encoding="utf-8").replace("<e:items>", "<e:items><e:bogus/>", 1)
    tree = parse_bytes(text.encode("utf-8"), "x.xml")
    validator = Validator(ValidationSettings())
    threaded = validator.check_tree(tree, "x.xml", xsd_on_thread=True)
    rules = [f.rule for f in threaded.findings]
    assert rules[0].startswith("xsd:") and "EVD-029" in rules
    assert threaded == validator.check_tree(tree, "x.xml")
