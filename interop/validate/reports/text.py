"""The text report: one line per finding, then a one-line summary, for people at a terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from interop.validate.findings import FileReport, Finding, Severity

_RESET = "\x1b[0m"
_RED = "\x1b[31m"
_YELLOW = "\x1b[33m"
_GREEN = "\x1b[32m"
_SEVERITY_COLORS = {Severity.ERROR: _RED, Severity.WARNING: _YELLOW}
# Messages can quote a hostile document: a raw ESC could drive the terminal and a line break
# could forge a finding, so control characters are shown escaped instead.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def write(
    reports: Sequence[FileReport],
    stream: TextIO,
    *,
    color: bool = False,
    fail_on: Severity = Severity.ERROR,
) -> None:
    """Write every finding as ``PATH:LINE:COL: severity: [RULE] message (at XPATH)``.

    Args:
        reports: one report per file.
        stream: where to write.
        color: colour severities and the summary with ANSI escape codes.
        fail_on: the lowest severity that fails the run; a failing run has a red summary.
    """
    # A clean file is only worth a line when the whole run is clean: then it confirms what
    # was checked, otherwise it hides the problems among the noise.
    all_valid = all(report.valid for report in reports)
    for report in reports:
        for finding in report.findings:
            stream.write(format_finding(report.path, finding, color=color) + "\n")
        if not report.findings:
            stream.write(_silent_file_line(report, all_valid=all_valid))
    failed = any(report.fails(fail_on) for report in reports)
    stream.write(_paint(summary(reports), _RED if failed else _GREEN, color) + "\n")


def format_finding(path: str, finding: Finding, *, color: bool = False) -> str:
    """Format one finding as one line, without a line break.

    Args:
        path: the file the finding is in.
        finding: the finding.
        color: colour the severity word with ANSI escape codes.

    Returns:
        ``PATH[:LINE[:COL]]: severity: [RULE] message[ (at XPATH)]``.
    """
    where = _printable(path)
    # A column without its line points nowhere, so it is only shown after a line.
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    severity = _paint(finding.severity.value, _SEVERITY_COLORS[finding.severity], color)
    line = f"{where}: {severity}: [{_printable(finding.rule)}] {_printable(finding.message)}"
    if finding.xpath:
        line += f" (at {_printable(finding.xpath)})"
    return line


def summary(reports: Sequence[FileReport]) -> str:
    """Summarise a run, e.g. ``3 files checked: 2 valid, 1 invalid (4 errors, 1 warning)``.

    Files that could not be read are counted apart (``, 1 unreadable``), since they were not
    checked against anything.
    """
    valid = sum(1 for report in reports if report.valid)
    unreadable = sum(1 for report in reports if not report.readable)
    errors = sum(report.errors for report in reports)
    warnings = sum(report.warnings for report in reports)
    invalid = len(reports) - valid - unreadable
    counts = f"{valid} valid, {invalid} invalid" + (
        f", {unreadable} unreadable" if unreadable else ""
    )
    return (
        f"{_plural(len(reports), 'file')} checked: {counts}"
        f" ({_plural(errors, 'error')}, {_plural(warnings, 'warning')})"
    )


def _silent_file_line(report: FileReport, *, all_valid: bool) -> str:
    if not report.readable:
        # Readers report why a file is unreadable as a finding; this guards against a silent
        # failure if one ever does not.
        return f"{_printable(report.path)}: error: could not be read\n"
    if all_valid:
        kind = f" ({report.format})" if report.format else ""
        return f"{_printable(report.path)}: valid{kind}\n"
    return ""


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text
