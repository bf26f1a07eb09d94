"""The JSON report: one object with a summary and every finding, for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from interop.validate.findings import FileReport, Finding


def write(reports: Sequence[FileReport], stream: TextIO) -> None:
    """Write the run as one JSON object, indented, non-ASCII kept, ending in a line break.

    Args:
        reports: one report per file.
        stream: where to write; it must be able to encode every path and message (UTF-8).
    """
    json.dump(to_json(reports), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def to_json(reports: Sequence[FileReport]) -> dict[str, Any]:
    """Return the report as plain data: ``{"summary": {...}, "files": [...]}``.

    Unknown values (format, line, column, xpath) are ``None`` so every key is always present.
    """
    valid = sum(1 for report in reports if report.valid)
    return {
        "summary": {
            "files": len(reports),
            "valid": valid,
            "invalid": len(reports) - valid,
            "errors": sum(report.errors for report in reports),
            "warnings": sum(report.warnings for report in reports),
        },
        "files": [_file(report) for report in reports],
    }


def _file(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "format": report.format,
        "valid": report.valid,
        "findings": [_finding(finding) for finding in report.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "line": finding.line,
        "column": finding.column,
        "xpath": finding.xpath,
    }
