"""`interop validate` and `interop formats` driven as a user or a CI job runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from interop import __version__
from tests.conftest import CASES, COMMON_EXAMPLE_DIRS, COMMON_EXAMPLES, FIXTURES, ROOT, run_cli
from tests.test_rules import DECLARED

EXAMPLE_FILES = COMMON_EXAMPLES
EXAMPLE_DIRS = [str(d) for d in COMMON_EXAMPLE_DIRS]
INVALID_ERRORS = sorted(p for p in (CASES / "invalid").glob("*.xml"))


def _one_example() -> Path:
    return EXAMPLE_FILES[0]


def _error_case() -> Path:
    """An invalid case whose rule is an error (not a warning)."""
    return next(p for p in INVALID_ERRORS if DECLARED[p.name[:7]].get("role") == "error")


def _warning_case() -> Path:
    return next(p for p in INVALID_ERRORS if DECLARED[p.name[:7]].get("role") == "warning")


def test_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_examples_are_at_least_15_and_all_valid() -> None:
    assert len(EXAMPLE_FILES) >= 15
    done = run_cli("validate", "--no-progress", *EXAMPLE_DIRS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(EXAMPLE_FILES)} files checked" in done.stdout


def test_invalid_document_exit_1_with_location_and_rule() -> None:
    case = _error_case()
    done = run_cli("validate", str(case))
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if case.name[:7] in x)
    assert line.startswith(f"{case}:")
    assert "error" in line and "(at /" in line


def test_missing_file_exit_2_one_line_no_traceback() -> None:
    done = run_cli("validate", "does-not-exist.xml")
    assert done.returncode == 2
    assert "no such file" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_unreadable_beats_invalid_in_the_exit_code() -> None:
    done = run_cli("validate", str(_error_case()), str(FIXTURES / "xml-attacks" / "xmlbomb.xml"))
    assert done.returncode == 2


def test_unknown_document_type_is_reported(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text('<invoice xmlns="urn:example:invoice"/>')
    done = run_cli("validate", str(other))
    assert done.returncode == 2
    assert "unknown document type" in done.stdout and "--schema" in done.stdout


def test_stdin() -> None:
    done = run_cli("validate", "-", stdin=_one_example().read_bytes())
    assert done.returncode == 0, done.stdout + done.stderr


def test_json_report_shape() -> None:
    done = run_cli("validate", "--format", "json", str(_one_example()), str(_error_case()))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["summary"] == {
        "files": 2,
        "valid": 1,
        "invalid": 1,
        "errors": report["summary"]["errors"],
        "warnings": report["summary"]["warnings"],
    }
    assert report["summary"]["errors"] >= 1
    bad = report["files"][1]
    assert bad["valid"] is False and bad["format"]
    finding = bad["findings"][0]
    assert set(finding) == {"severity", "rule", "message", "line", "column", "xpath"}


def test_junit_and_sarif(tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    done = run_cli("validate", "--format", "junit", "-o", str(junit), str(_error_case()))
    assert done.returncode == 1 and done.stdout == ""
    suite = etree.fromstring(junit.read_bytes())
    assert len(suite.findall(".//testcase")) == 1
    assert len(suite.findall(".//failure")) == 1
    sarif = json.loads(run_cli("validate", "--format", "sarif", str(_error_case())).stdout)
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == _error_case().name[:7]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "doc.xml"
    shutil.copy(_one_example(), copy)
    before = copy.read_bytes()
    done = run_cli("validate", "-o", str(copy), str(copy))
    assert done.returncode == 2
    assert copy.read_bytes() == before


def test_fail_on_warning() -> None:
    case = _warning_case()
    assert run_cli("validate", str(case)).returncode == 0
    assert run_cli("validate", "--fail-on", "warning", str(case)).returncode == 1


def test_parallel_run_gives_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    sources = EXAMPLE_FILES + INVALID_ERRORS[:10]
    for i in range(3):
        for source in sources:
            shutil.copy(source, tmp_path / f"{i}-{source.name}")
    serial = run_cli("validate", "-j", "1", "--format", "json", str(tmp_path))
    parallel = run_cli("validate", "-j", "2", "--format", "json", str(tmp_path))
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)
    assert json.loads(parallel.stdout)["summary"]["files"] == 3 * len(sources)


def test_piped_output_has_no_colour_and_no_progress_bar() -> None:
    done = run_cli("validate", *EXAMPLE_DIRS, str(_error_case()))
    assert "\x1b[" not in done.stdout + done.stderr
    assert "validating" not in done.stderr


def test_catalog_needs_schema() -> None:
    done = run_cli("validate", "--catalog", str(ROOT / "xsd" / "catalog.xml"), str(_one_example()))
    assert done.returncode == 2
    assert done.stderr.startswith("interop: error: --catalog needs --schema")


def test_formats_lists_document_types() -> None:
    done = run_cli("formats", "--format", "json")
    rows = json.loads(done.stdout)
    assert {"evidence-request", "surrender-request", "evidence-manifest"} <= {
        r["name"] for r in rows
    }
    for row in rows:
        assert row["namespace"].startswith("urn:interop:") and row["root"] and row["version"]
    text = run_cli("formats").stdout
    assert "urn:interop:request:1" in text


def test_starting_the_cli_imports_no_xml_machinery() -> None:
    code = (
        "import sys, interop.cli; "
        "print(sorted(m for m in ('lxml', 'elementpath', 'xmlschema') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["--help", "validate --help"])
def test_help(name: str) -> None:
    done = run_cli(*name.split())
    assert done.returncode == 0 and "Usage" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--schema", "missing.xsd", "doc.xml"],
        ["validate"],
        ["validate", "--format", "yaml", "doc.xml"],
        ["no-such-command"],
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str]) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("interop: error: ") and "--help" in done.stderr
