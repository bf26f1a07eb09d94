"""The report writers of ``interop validate``: text, JSON, JUnit XML and SARIF."""

from __future__ import annotations

import io
import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from interop.errors import UsageError
from interop.validate.findings import FileReport, Finding, Severity
from interop.validate.reports import FORMATS, write_report
from interop.validate.reports.sarif import artifact_uri
from interop.validate.reports.text import summary

E, W = Severity.ERROR, Severity.WARNING
UNICODE_NAME = "Zeugenvernehmung \N{EN DASH} Ωμέγα.xml"  # the dash is meant: non-ASCII

VALID = FileReport("ok.xml", "evidence-request")
INVALID = FileReport(
    "cases/bad one.xml",
    "evidence-request",
    (
        Finding(E, "REQ-003", "Court is missing.", 12, 5, "/req:evidenceRequest/req:court[1]"),
        Finding(W, "REQ-010", "Date lies in the future.", 14),
        Finding(E, "xsd:cvc-complex-type.2.4", "Unexpected element 'x'.", xpath="/req:x"),
        Finding(E, "REQ-003", "Court is missing again.", None, 7),
    ),
)
UNREADABLE = FileReport(
    "broken.xml", None, (Finding(E, "xml:syntax", "Premature end of data.", 3, 1),), False
)
WARNED = FileReport(UNICODE_NAME, "evidence-request", (Finding(W, "REQ-010", "Odd date.", 2, 1),))
RUN = (VALID, INVALID, UNREADABLE, WARNED)


def render(fmt: str, reports: tuple[FileReport, ...] = RUN, **options: Any) -> str:
    stream = io.StringIO()
    write_report(fmt, reports, stream, tool_version="1.2.3", **options)
    return stream.getvalue()


def junit_root(reports: tuple[FileReport, ...] = RUN, **options: Any) -> etree._Element:
    return etree.fromstring(render("junit", reports, **options).encode("utf-8"))


def case_for(root: etree._Element, path: str) -> etree._Element:
    (case,) = root.xpath("//testcase[@name=$name]", name=path)
    assert isinstance(case, etree._Element)
    return case


def sarif_run(reports: tuple[FileReport, ...] = RUN) -> dict[str, Any]:
    (run,) = json.loads(render("sarif", reports))["runs"]
    assert isinstance(run, dict)
    return run


# --- dispatch -------------------------------------------------------------------------------


def test_formats_are_the_four_known_ones() -> None:
    assert FORMATS == ("text", "json", "junit", "sarif")


def test_unknown_format_raises_usage_error_listing_known_ones() -> None:
    with pytest.raises(UsageError) as raised:
        render("html")
    assert "'html'" in str(raised.value)
    for fmt in FORMATS:
        assert fmt in str(raised.value)


@pytest.mark.parametrize(
    ("fmt", "opening"),
    [
        ("text", "cases/bad one.xml:12:5: error:"),
        ("json", '{\n  "summary"'),
        ("junit", "<?xml version='1.0' encoding='UTF-8'?>\n<testsuites"),
        ("sarif", '{\n  "$schema"'),
    ],
)
def test_each_format_goes_to_its_own_writer(fmt: str, opening: str) -> None:
    assert render(fmt).startswith(opening)


# --- text -----------------------------------------------------------------------------------


def test_text_line_has_path_line_column_severity_rule_message_and_xpath() -> None:
    lines = render("text").splitlines()
    assert (
        "cases/bad one.xml:12:5: error: [REQ-003] Court is missing."
        " (at /req:evidenceRequest/req:court[1])"
    ) in lines


def test_text_line_omits_what_is_unknown() -> None:
    lines = render("text").splitlines()
    assert "cases/bad one.xml:14: warning: [REQ-010] Date lies in the future." in lines
    assert (
        "cases/bad one.xml: error: [xsd:cvc-complex-type.2.4] Unexpected element 'x'. (at /req:x)"
    ) in lines
    # A column without a line is not shown: "PATH:7:" would read as line 7.
    assert "cases/bad one.xml: error: [REQ-003] Court is missing again." in lines


def test_text_prints_one_line_per_finding_then_the_summary() -> None:
    lines = render("text").splitlines()
    assert lines == [
        "cases/bad one.xml:12:5: error: [REQ-003] Court is missing."
        " (at /req:evidenceRequest/req:court[1])",
        "cases/bad one.xml:14: warning: [REQ-010] Date lies in the future.",
        "cases/bad one.xml: error: [xsd:cvc-complex-type.2.4] Unexpected element 'x'. (at /req:x)",
        "cases/bad one.xml: error: [REQ-003] Court is missing again.",
        "broken.xml:3:1: error: [xml:syntax] Premature end of data.",
        f"{UNICODE_NAME}:2:1: warning: [REQ-010] Odd date.",
        "4 files checked: 2 valid, 1 invalid, 1 unreadable (4 errors, 2 warnings)",
    ]


def test_text_names_clean_files_only_when_all_are_valid() -> None:
    assert "ok.xml" not in render("text")
    assert render("text", (VALID, WARNED)).splitlines() == [
        "ok.xml: valid (evidence-request)",
        f"{UNICODE_NAME}:2:1: warning: [REQ-010] Odd date.",
        "2 files checked: 2 valid, 0 invalid (0 errors, 1 warning)",
    ]


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ((VALID,), "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)"),
        ((VALID, WARNED), "2 files checked: 2 valid, 0 invalid (0 errors, 1 warning)"),
        ((UNREADABLE,), "1 file checked: 0 valid, 0 invalid, 1 unreadable (1 error, 0 warnings)"),
        (RUN, "4 files checked: 2 valid, 1 invalid, 1 unreadable (4 errors, 2 warnings)"),
        ((), "0 files checked: 0 valid, 0 invalid (0 errors, 0 warnings)"),
    ],
)
def test_text_summary_counts_and_plurals(reports: tuple[FileReport, ...], expected: str) -> None:
    assert summary(reports) == expected


def test_text_without_color_has_no_escape_codes() -> None:
    assert "\x1b" not in render("text", color=False)
    assert "\x1b" not in render("text", (VALID,), color=False)


def test_text_with_color_paints_severities_and_summary() -> None:
    out = render("text", color=True)
    assert ": \x1b[31merror\x1b[0m: [REQ-003]" in out
    assert ": \x1b[33mwarning\x1b[0m: [REQ-010]" in out
    assert out.endswith(
        "\x1b[31m4 files checked: 2 valid, 1 invalid, 1 unreadable (4 errors, 2 warnings)\x1b[0m\n"
    )


@pytest.mark.parametrize(("fail_on", "code"), [(E, "\x1b[32m"), (W, "\x1b[31m")])
def test_text_summary_colour_follows_fail_on(fail_on: Severity, code: str) -> None:
    last = render("text", (VALID, WARNED), color=True, fail_on=fail_on).splitlines()[-1]
    assert last.startswith(code)


def test_text_escapes_control_characters_from_documents() -> None:
    hostile = FileReport("a\nb.xml", None, (Finding(E, "R-1", "x\x1b[2Jy\nz"),))
    lines = render("text", (hostile,)).splitlines()
    assert lines[0] == "a\\x0ab.xml: error: [R-1] x\\x1b[2Jy\\x0az"
    assert len(lines) == 2


# --- JSON -----------------------------------------------------------------------------------


def test_json_is_one_object_with_the_exact_shape_and_counts() -> None:
    assert json.loads(render("json", (VALID, UNREADABLE, WARNED))) == {
        "summary": {"files": 3, "valid": 2, "invalid": 1, "errors": 1, "warnings": 1},
        "files": [
            {"path": "ok.xml", "format": "evidence-request", "valid": True, "findings": []},
            {
                "path": "broken.xml",
                "format": None,
                "valid": False,
                "findings": [
                    {
                        "severity": "error",
                        "rule": "xml:syntax",
                        "message": "Premature end of data.",
                        "line": 3,
                        "column": 1,
                        "xpath": None,
                    }
                ],
            },
            {
                "path": UNICODE_NAME,
                "format": "evidence-request",
                "valid": True,
                "findings": [
                    {
                        "severity": "warning",
                        "rule": "REQ-010",
                        "message": "Odd date.",
                        "line": 2,
                        "column": 1,
                        "xpath": None,
                    }
                ],
            },
        ],
    }


def test_json_summary_of_the_full_run() -> None:
    data = json.loads(render("json"))
    assert data["summary"] == {"files": 4, "valid": 2, "invalid": 2, "errors": 4, "warnings": 2}
    assert [f["valid"] for f in data["files"]] == [True, False, False, True]
    assert [len(f["findings"]) for f in data["files"]] == [0, 4, 1, 1]


def test_json_keeps_non_ascii_is_indented_and_ends_with_a_newline() -> None:
    out = render("json")
    assert UNICODE_NAME in out
    assert "\\u" not in out
    assert out.startswith('{\n  "summary": {\n    "files": 4,')
    assert out.endswith("}\n")


# --- JUnit ----------------------------------------------------------------------------------


def test_junit_has_declaration_and_counts_on_suites() -> None:
    out = render("junit")
    assert out.startswith("<?xml version='1.0' encoding='UTF-8'?>\n")
    root = etree.fromstring(out.encode("utf-8"))
    (suite,) = root.findall("testsuite")
    for element in (root, suite):
        assert element.get("tests") == "4"
        assert element.get("failures") == "1"
        assert element.get("errors") == "1"
    assert suite.get("name") == "interop validate"


def test_junit_has_one_testcase_per_file_named_by_path() -> None:
    cases = junit_root().findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == [
        "ok.xml",
        "cases/bad one.xml",
        "broken.xml",
        UNICODE_NAME,
    ]
    assert {c.get("classname") for c in cases} == {"interop.validate"}
    assert len(cases[0]) == 0  # a valid file without findings is a plain pass


def test_junit_failure_lists_the_errors_and_keeps_warnings_in_system_out() -> None:
    case = case_for(junit_root(), "cases/bad one.xml")
    (failure,) = case.findall("failure")
    assert failure.get("message") == "3 errors"
    assert failure.get("type") == "validation"
    assert failure.text is not None
    lines = failure.text.splitlines()
    assert len(lines) == 3
    assert all(": error: " in line for line in lines)
    assert case.findtext("system-out") == (
        "cases/bad one.xml:14: warning: [REQ-010] Date lies in the future."
    )
    assert case.find("error") is None


def test_junit_unreadable_file_is_an_error_not_a_failure() -> None:
    case = case_for(junit_root(), "broken.xml")
    assert case.find("failure") is None
    (error,) = case.findall("error")
    assert error.get("message") == "Premature end of data."
    assert error.text == "broken.xml:3:1: error: [xml:syntax] Premature end of data."


@pytest.mark.parametrize(("fail_on", "fails"), [(E, False), (W, True)])
def test_junit_fail_on_decides_whether_warnings_fail(fail_on: Severity, fails: bool) -> None:
    root = junit_root((WARNED,), fail_on=fail_on)
    case = case_for(root, UNICODE_NAME)
    failure = case.find("failure")
    assert WARNED.fails(fail_on) is fails
    assert (failure is not None) is fails
    assert root.get("failures") == ("1" if fails else "0")
    if fails:
        assert failure is not None
        assert failure.get("message") == "1 warning"
        assert case.find("system-out") is None
    else:
        assert case.findtext("system-out") == f"{UNICODE_NAME}:2:1: warning: [REQ-010] Odd date."


def test_junit_fail_on_warning_counts_both_in_the_message() -> None:
    failure = case_for(junit_root(fail_on=W), "cases/bad one.xml").find("failure")
    assert failure is not None
    assert failure.get("message") == "3 errors, 1 warning"


def test_junit_survives_characters_xml_cannot_hold() -> None:
    hostile = FileReport("bad\x01name.xml", None, (Finding(E, "R-1", "nul \x00 here"),))
    case = case_for(junit_root((hostile,)), "bad\ufffdname.xml")
    assert case.findtext("failure") is not None


# --- SARIF ----------------------------------------------------------------------------------


def test_sarif_log_header_and_driver() -> None:
    log = json.loads(render("sarif"))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "interop"
    assert driver["version"] == "1.2.3"
    assert driver["informationUri"] == "https://github.com/interop-justice/interop"


def test_sarif_has_one_rule_per_distinct_id_described_by_its_first_message() -> None:
    rules = sarif_run()["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "REQ-003",
        "REQ-010",
        "xsd:cvc-complex-type.2.4",
        "xml:syntax",
    ]
    assert rules[0]["shortDescription"]["text"] == "Court is missing."
    assert [r["defaultConfiguration"]["level"] for r in rules] == [
        "error",
        "warning",
        "error",
        "error",
    ]


def test_sarif_has_one_result_per_finding_pointing_at_its_rule() -> None:
    run = sarif_run()
    rules, results = run["tool"]["driver"]["rules"], run["results"]
    findings = [f for report in RUN for f in report.findings]
    assert len(results) == len(findings) == 6
    for result, finding in zip(results, findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        assert result["level"] == finding.severity.value
        assert result["message"]["text"] == finding.message


def test_sarif_region_only_holds_what_is_known() -> None:
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in sarif_run()["results"]]
    assert regions == [
        {"startLine": 12, "startColumn": 5},
        {"startLine": 14},
        None,
        None,  # column 7 without a line: SARIF needs startLine, so no region at all
        {"startLine": 3, "startColumn": 1},
        {"startLine": 2, "startColumn": 1},
    ]


def test_sarif_never_writes_a_line_below_one() -> None:
    zero = FileReport("z.xml", None, (Finding(E, "R-1", "m", 0, 0),))
    (result,) = sarif_run((zero,))["results"]
    assert "region" not in result["locations"][0]["physicalLocation"]


def test_sarif_logical_location_is_the_xpath_when_known() -> None:
    results = sarif_run()["results"]
    assert results[0]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "/req:evidenceRequest/req:court[1]", "kind": "element"}
    ]
    assert "logicalLocations" not in results[1]["locations"][0]


def test_sarif_artifacts_list_every_file_and_results_index_them() -> None:
    run = sarif_run()
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == [
        "ok.xml",
        "cases/bad%20one.xml",
        "broken.xml",
        "Zeugenvernehmung%20%E2%80%93%20%CE%A9%CE%BC%CE%AD%CE%B3%CE%B1.xml",
    ]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert uris[location["index"]] == location["uri"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("cases/ok.xml", "cases/ok.xml"),
        ("./cases/a b.xml", "cases/a%20b.xml"),
        ("c:x.xml", "c%3Ax.xml"),
        ("50%.xml", "50%25.xml"),
        ("/srv/cases/Ωμέγα.xml", "file:///srv/cases/%CE%A9%CE%BC%CE%AD%CE%B3%CE%B1.xml"),
        ("caf\udce9.xml", "caf%E9.xml"),  # an undecodable Latin-1 name keeps its byte
        ("\ud800.xml", "%EF%BF%BD.xml"),  # a lone surrogate names no file: U+FFFD
    ],
)
def test_sarif_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


# RFC 3986 path characters: unreserved, percent-encoded and the separator.
_RELATIVE_URI = re.compile(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*")


_PART = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"), min_size=1)


@given(st.lists(_PART, min_size=1))
def test_sarif_relative_uri_is_rfc3986_and_decodes_to_the_path(parts: list[str]) -> None:
    path = "/".join(parts)
    uri = artifact_uri(path)
    assert _RELATIVE_URI.fullmatch(uri)
    assert unquote(uri) == PurePath(path).as_posix()
