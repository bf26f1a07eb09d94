"""Business rules: stable ids, severities, one failing document per rule that fires exactly
that rule, passing edge cases, clean examples, and the same verdicts from lxml.isoschematron."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from lxml import etree, isoschematron

from interop.formats import registry
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_file
from tests.conftest import CASES, COMMON_EXAMPLES, ROOT

SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
RULE_FILES = sorted((ROOT / "xsd" / "rules").glob("*.sch"))
INVALID = sorted((CASES / "invalid").glob("*.xml"))
VALID = sorted((CASES / "valid").glob("*.xml")) + COMMON_EXAMPLES
RULE_ID = re.compile(r"^([A-Z]{3}-\d{3})-")


def _declared() -> dict[str, etree._Element]:
    rules = {}
    for path in RULE_FILES:
        for node in parse_file(path).iter(f"{{{SCH}}}assert", f"{{{SCH}}}report"):
            rule_id = node.get("id")
            assert rule_id, f"{path.name}:{node.sourceline} has no id"
            assert rule_id not in rules, f"duplicate rule id {rule_id}"
            rules[rule_id] = node
    return rules


DECLARED = _declared()


@cache
def _validator() -> Validator:
    return Validator(ValidationSettings())


def test_at_least_30_rules() -> None:
    assert len(DECLARED) >= 30


@pytest.mark.parametrize("rule_id", sorted(DECLARED))
def test_rule_has_severity_message_and_a_failing_case(rule_id: str) -> None:
    node = DECLARED[rule_id]
    assert node.get("role") in ("error", "warning")
    message = " ".join("".join(node.itertext()).split())
    assert len(message) > 20
    assert rule_id not in message, "the id is reported separately"
    assert any(p.name.startswith(rule_id + "-") for p in INVALID), (
        f"no tests/cases/invalid/{rule_id}-*.xml"
    )


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case_fires_exactly_its_rule(case: Path) -> None:
    match = RULE_ID.match(case.name)
    assert match, f"{case.name} must start with a rule id"
    report = _validator().check_file(str(case))
    assert [f for f in report.findings if f.rule.startswith("xsd:")] == []
    assert {f.rule for f in report.findings} == {match.group(1)}
    for finding in report.findings:
        assert finding.line is not None and finding.xpath and finding.xpath.startswith("/")


@pytest.mark.parametrize("case", VALID, ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_documents_have_no_findings(case: Path) -> None:
    report = _validator().check_file(str(case))
    assert report.findings == ()
    assert report.format is not None


def _isoschematron_ids(tree: etree._ElementTree, rule_files: tuple[Path, ...]) -> set[str]:
    fired = set()
    for path in rule_files:
        schematron = _iso(path)
        schematron.validate(tree)
        report = schematron.validation_report
        for node in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
            fired.add(node.get("id"))
    return fired


@cache
def _iso(path: Path) -> isoschematron.Schematron:
    return isoschematron.Schematron(parse_file(path), store_report=True)


@pytest.mark.parametrize("case", INVALID + VALID, ids=lambda p: p.name)
def test_rules_are_portable_to_lxml_isoschematron(case: Path) -> None:
    tree = parse_file(case)
    found = registry().detect(tree)
    assert found is not None
    ours = {f.rule for f in _validator().check_tree(tree, str(case)).findings}
    assert _isoschematron_ids(tree, found.rules) == ours
