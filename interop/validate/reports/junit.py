"""The JUnit XML report: one test case per file, in the dialect Jenkins and GitLab read.

The XML is only built and serialised here; nothing is parsed, so lxml is safe to use directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from lxml import etree

from interop.validate.findings import FileReport, Finding, Severity
from interop.validate.reports.text import format_finding

SUITE_NAME = "interop validate"
CLASSNAME = "interop.validate"

# Paths and messages can carry characters XML 1.0 cannot hold (control characters from a
# broken document, lone surrogates from undecodable file names); lxml refuses them outright.
_NOT_XML_CHAR = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RANK = {Severity.WARNING: 0, Severity.ERROR: 1}


def write(
    reports: Sequence[FileReport], stream: TextIO, *, fail_on: Severity = Severity.ERROR
) -> None:
    """Write the run as a UTF-8 JUnit XML document with an XML declaration.

    Args:
        reports: one report per file; each becomes a ``<testcase>``.
        stream: where to write; it must encode UTF-8, as the declaration says.
        fail_on: the lowest severity that turns a file into a ``<failure>``.
    """
    xml = etree.tostring(
        build(reports, fail_on=fail_on), encoding="UTF-8", xml_declaration=True, pretty_print=True
    )
    stream.write(xml.decode("utf-8"))


def build(reports: Sequence[FileReport], *, fail_on: Severity = Severity.ERROR) -> etree._Element:
    """Return the ``<testsuites>`` element for the run.

    Args:
        reports: one report per file.
        fail_on: the lowest severity that turns a file into a ``<failure>``.
    """
    cases = [_testcase(report, fail_on) for report in reports]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
    }
    root = etree.Element("testsuites", name=SUITE_NAME)
    suite = etree.SubElement(root, "testsuite", name=SUITE_NAME, skipped="0")
    # Jenkins reads the counts from <testsuite>, some other readers from <testsuites>.
    for element in (root, suite):
        element.attrib.update(counts)
    suite.extend(cases)
    return root


def _testcase(report: FileReport, fail_on: Severity) -> etree._Element:
    case = etree.Element("testcase", classname=CLASSNAME, name=_xml_safe(report.path))
    failing = [f for f in report.findings if _RANK[f.severity] >= _RANK[fail_on]]
    if not report.readable:
        # An unreadable file is a broken test run, not a failed check: JUnit's <error>.
        first = report.findings[0].message if report.findings else "could not be read"
        _add(case, "error", report.path, report.findings, message=first, type="unreadable")
        return case
    if failing:
        _add(case, "failure", report.path, failing, message=_tally(failing), type="validation")
    passing = [f for f in report.findings if f not in failing]
    if passing:
        _add(case, "system-out", report.path, passing)
    return case


def _add(
    case: etree._Element, tag: str, path: str, findings: Sequence[Finding], **attrib: str
) -> None:
    child = etree.SubElement(case, tag, {k: _xml_safe(v) for k, v in attrib.items()})
    child.text = _xml_safe("\n".join(format_finding(path, f) for f in findings))


def _tally(findings: Sequence[Finding]) -> str:
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING):
        count = sum(1 for f in findings if f.severity is severity)
        if count:
            parts.append(f"{count} {severity.value}{'' if count == 1 else 's'}")
    return ", ".join(parts)


def _xml_safe(text: str) -> str:
    return _NOT_XML_CHAR.sub("\ufffd", text)
