"""Generic mode (``interop validate --schema/--catalog/--rules``) on the real XJustiz 3.6.2 set.

The samples in ``tests/cases/xjustiz`` are hand-written messages; the manifest below says what
each one must produce. The official XSDs and Schematron files stay in the shared fixtures and
are referenced in place. Every run goes through the real command (``python -m interop.cli``),
so exit codes and one-line errors are those a user sees; xmllint is the independent second
opinion on the XSD verdicts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from interop.validate.xsd import compile_schema

ROOT = Path(__file__).resolve().parents[2]
XJUSTIZ = ROOT / ".." / "shared" / "fixtures" / "xjustiz-3.6.2"
XSD = XJUSTIZ / "xsd"
NACHRICHTEN = XSD / "xjustiz_0005_nachrichten_3_2.xsd"
STRAF = XSD / "xjustiz_0500_straf_3_6.xsd"
GDS_RULES = XJUSTIZ / "schematron" / "xjustiz.gds_1_3.sch"
STRAF_RULES = XJUSTIZ / "schematron" / "xjustiz.straf_1_2.sch"
SAMPLES = ROOT / "tests" / "cases" / "xjustiz"
CATALOG_CASE = ROOT / "tests" / "cases" / "catalog"
REMOTE_IMPORT = "http://example.invalid/schemas/party-1.xsd"
XMLLINT = shutil.which("xmllint")
XMLLINT_INVALID = 3  # xmllint's exit status for "document does not validate"


@dataclass(frozen=True)
class Sample:
    """One hand-written message and what validating it must give.

    Attributes:
        name: file name in ``tests/cases/xjustiz``.
        schema: the XJustiz entry XSD for its root element.
        xsd_valid: whether the XSD accepts it.
        rule: the one official Schematron rule it breaks (None: it breaks none).
        rule_word: a word the rule's message must contain (the element it asks for).
    """

    name: str
    schema: Path
    xsd_valid: bool = True
    rule: str | None = None
    rule_word: str | None = None

    @property
    def path(self) -> Path:
        return SAMPLES / self.name


MANIFEST = (
    Sample("valid-0005005-uebermittlung.xml", NACHRICHTEN),
    Sample("valid-0005005-eea-ersuchen.xml", NACHRICHTEN),
    Sample("valid-0500001-strafverfahren.xml", STRAF),
    Sample("valid-0500017-asservate.xml", STRAF),
    Sample("invalid-xsd-missing-element.xml", NACHRICHTEN, xsd_valid=False),
    Sample(
        "invalid-gds-rule.xml",
        NACHRICHTEN,
        rule="SCH-GDS-0006",
        rule_word="nachrichtenuebergreifenderProzess",
    ),
    Sample("invalid-straf-rule.xml", STRAF, rule="SCH-STRAF-0002", rule_word="delikt"),
)
VALID = [s for s in MANIFEST if s.xsd_valid and s.rule is None]
BREAKS_A_RULE = [s for s in MANIFEST if s.rule is not None]


def _ids(samples: list[Sample] | tuple[Sample, ...]) -> list[str]:
    return [s.name.removesuffix(".xml") for s in samples]


def run_validate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``interop validate`` in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "interop.cli", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )


def run_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    """Run ``interop validate --format json``; return the exit status and the parsed report."""
    result = run_validate(*args, "--format", "json")
    assert result.stdout, f"no report (exit {result.returncode}): {result.stderr}"
    return result.returncode, json.loads(result.stdout)


def only_file(report: dict[str, Any]) -> dict[str, Any]:
    assert report["summary"]["files"] == 1, report
    (entry,) = report["files"]
    return entry


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first occurrence of ``text`` in ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# --- the corpus itself ---------------------------------------------------------------------


def test_manifest_lists_every_sample() -> None:
    on_disk = {p.name for p in SAMPLES.glob("*.xml")}
    assert on_disk == {s.name for s in MANIFEST}


@pytest.mark.parametrize("rules", [GDS_RULES, STRAF_RULES], ids=["gds", "straf"])
def test_official_rules_use_the_xpath2_binding(rules: Path) -> None:
    # The point of these tests is the XPath 2 engine; make sure the fixtures still need it.
    assert etree.parse(str(rules)).getroot().get("queryBinding") == "xslt2"


# --- XSD in generic mode -------------------------------------------------------------------


@pytest.mark.parametrize("sample", VALID, ids=_ids(VALID))
def test_valid_message_passes_generic_mode(sample: Sample) -> None:
    status, report = run_json(sample.path, "--schema", sample.schema)

    assert status == 0, report
    assert report["summary"] == {"files": 1, "valid": 1, "invalid": 0, "errors": 0, "warnings": 0}
    entry = only_file(report)
    assert entry["valid"] is True
    assert entry["format"] == sample.schema.name
    assert entry["findings"] == []


def test_missing_required_element_is_an_xsd_error_with_location() -> None:
    sample = SAMPLES / "invalid-xsd-missing-element.xml"
    status, report = run_json(sample, "--schema", NACHRICHTEN)

    assert status == 1, report
    entry = only_file(report)
    assert entry["valid"] is False
    (finding,) = entry["findings"]
    assert finding["severity"] == "error"
    assert finding["rule"].startswith("xsd:")
    assert "eigeneNachrichtenID" in finding["message"]
    assert finding["line"] == line_of(sample, "<tns:absender>")
    xpath = finding["xpath"]
    assert xpath.startswith("/"), xpath
    steps = [step.split(":")[-1].split("[")[0] for step in xpath.strip("/").split("/")]
    assert steps == [
        "nachricht.gds.uebermittlungSchriftgutobjekte.0005005",
        "nachrichtenkopf",
        "absender",
    ]


# --- official Schematron rules (XPath 2 binding) --------------------------------------------


@pytest.mark.parametrize("sample", VALID, ids=_ids(VALID))
def test_valid_message_passes_the_official_rules(sample: Sample) -> None:
    status, report = run_json(
        sample.path, "--schema", sample.schema, "--rules", GDS_RULES, "--rules", STRAF_RULES
    )

    assert status == 0, report
    assert only_file(report)["findings"] == []


@pytest.mark.parametrize("sample", BREAKS_A_RULE, ids=_ids(BREAKS_A_RULE))
def test_rule_breaking_message_is_schema_valid(sample: Sample) -> None:
    status, report = run_json(sample.path, "--schema", sample.schema)

    assert status == 0, report
    assert only_file(report)["findings"] == []


@pytest.mark.parametrize("sample", BREAKS_A_RULE, ids=_ids(BREAKS_A_RULE))
def test_rule_breaking_message_fails_exactly_its_rule(sample: Sample) -> None:
    # Both official rule sets run: the broken rule must fire, and nothing else may.
    status, report = run_json(
        sample.path, "--schema", sample.schema, "--rules", GDS_RULES, "--rules", STRAF_RULES
    )

    assert status == 1, report
    entry = only_file(report)
    assert entry["valid"] is False
    assert [f["rule"] for f in entry["findings"]] == [sample.rule]
    (finding,) = entry["findings"]
    assert finding["severity"] == "error"
    assert sample.rule_word is not None
    assert sample.rule_word in finding["message"]
    assert isinstance(finding["line"], int)
    assert finding["xpath"] and "nachricht." in finding["xpath"]


def test_straf_rule_alone_reports_its_rule_on_the_tat() -> None:
    sample = SAMPLES / "invalid-straf-rule.xml"
    status, report = run_json(sample, "--schema", STRAF, "--rules", STRAF_RULES)

    assert status == 1, report
    (finding,) = only_file(report)["findings"]
    assert finding["rule"] == "SCH-STRAF-0002"
    assert finding["line"] == line_of(sample, "<tns:tat>")
    assert finding["xpath"].rsplit("/", 1)[-1].split(":")[-1].split("[")[0] == "tat"


# --- an independent engine agrees ----------------------------------------------------------


@pytest.mark.skipif(XMLLINT is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("sample", MANIFEST, ids=_ids(MANIFEST))
def test_xmllint_agrees_on_the_xsd_verdict(sample: Sample) -> None:
    assert XMLLINT is not None
    result = subprocess.run(
        [XMLLINT, "--nonet", "--noout", "--schema", str(sample.schema), str(sample.path)],
        capture_output=True,
        text=True,
        check=False,
    )

    if sample.xsd_valid:
        assert result.returncode == 0, result.stderr
        assert "validates" in result.stderr
    else:
        assert result.returncode == XMLLINT_INVALID, result.stderr
        assert "fails to validate" in result.stderr


# --- the XJustiz schema set compiles offline -----------------------------------------------


MODULES = sorted(p for p in XSD.glob("xjustiz_*.xsd") if "_cl_" not in p.name)


def test_the_fixture_set_is_complete() -> None:
    assert len(list(XSD.glob("*.xsd"))) == 74
    assert len(MODULES) == 29


@pytest.mark.parametrize("module", MODULES, ids=[p.stem for p in MODULES])
def test_every_xjustiz_module_compiles_offline(module: Path) -> None:
    # No catalog: every include and import of the set is relative, so the offline resolver
    # (which refuses the network) must find them all in the schema's folder.
    schema = compile_schema(module)

    assert isinstance(schema, etree.XMLSchema)
    assert compile_schema(module) is schema  # compiled once, then reused


# --- catalogs ------------------------------------------------------------------------------


def test_remote_import_without_catalog_is_refused_offline() -> None:
    result = run_validate(CATALOG_CASE / "valid-filing.xml", "--schema", CATALOG_CASE / "court.xsd")

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("interop: error: ")
    assert REMOTE_IMPORT in lines[0]
    assert "--catalog" in lines[0]


CATALOGS = ["catalog.xml", "catalog-chain.xml"]  # system/uri entries; nextCatalog+rewriteSystem


@pytest.mark.parametrize("catalog", CATALOGS)
def test_catalog_resolves_the_remote_import(catalog: str) -> None:
    status, report = run_json(
        CATALOG_CASE / "valid-filing.xml",
        "--schema",
        CATALOG_CASE / "court.xsd",
        "--catalog",
        CATALOG_CASE / catalog,
    )

    assert status == 0, report
    assert only_file(report)["findings"] == []


@pytest.mark.parametrize("catalog", CATALOGS)
def test_catalog_supplies_the_real_imported_schema(catalog: str) -> None:
    # The role is valid only if the imported party schema's enumeration is really in force.
    sample = CATALOG_CASE / "invalid-filing-party-role.xml"
    status, report = run_json(
        sample, "--schema", CATALOG_CASE / "court.xsd", "--catalog", CATALOG_CASE / catalog
    )

    assert status == 1, report
    (finding,) = only_file(report)["findings"]
    assert finding["rule"].startswith("xsd:")
    assert "witness" in finding["message"]
    assert finding["line"] == line_of(sample, "<p:role>")
    assert finding["xpath"].endswith("role"), finding["xpath"]


@pytest.mark.skipif(XMLLINT is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("catalog", CATALOGS)
@pytest.mark.parametrize(
    ("name", "expected"),
    [("valid-filing.xml", 0), ("invalid-filing-party-role.xml", XMLLINT_INVALID)],
)
def test_xmllint_reads_the_catalogs_the_same_way(catalog: str, name: str, expected: int) -> None:
    assert XMLLINT is not None
    result = subprocess.run(
        [XMLLINT, "--nonet", "--noout", "--schema", "court.xsd", name],
        capture_output=True,
        text=True,
        cwd=CATALOG_CASE,
        env={**os.environ, "XML_CATALOG_FILES": catalog},
        check=False,
    )

    assert result.returncode == expected, result.stderr


def test_catalog_without_schema_is_a_usage_error() -> None:
    result = run_validate(VALID[0].path, "--catalog", CATALOG_CASE / "catalog.xml")

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("interop: error: ")
    assert "--catalog needs --schema" in lines[0]
