"""The SARIF 2.1.0 report, for code scanning services such as GitHub's."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any, TextIO
from urllib.parse import quote_from_bytes

from interop.validate.findings import FileReport, Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "interop"
INFORMATION_URI = "https://github.com/interop-justice/interop"

# Undecodable file names arrive as surrogate escapes (U+DC80-U+DCFF) and encode back to their
# bytes; any other lone surrogate cannot name a file and would make encoding fail.
_LONE_SURROGATE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")


def write(reports: Sequence[FileReport], stream: TextIO, *, tool_version: str) -> None:
    """Write the run as one SARIF log, indented, ending in a line break.

    Args:
        reports: one report per file; each file is an artifact, each finding a result.
        stream: where to write; SARIF is UTF-8 by definition.
        tool_version: the interop version, recorded as the driver version.
    """
    json.dump(to_sarif(reports, tool_version=tool_version), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def to_sarif(reports: Sequence[FileReport], *, tool_version: str) -> dict[str, Any]:
    """Return the SARIF log as plain data with one run."""
    first_by_rule = _first_finding_per_rule(reports)
    rule_index = {rule: index for index, rule in enumerate(first_by_rule)}
    uris = [artifact_uri(report.path) for report in reports]
    driver = {
        "name": TOOL_NAME,
        "version": tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(finding) for finding in first_by_rule.values()],
    }
    results = [
        _result(finding, rule_index[finding.rule], uris[index], index)
        for index, report in enumerate(reports)
        for finding in report.findings
    ]
    run = {
        "tool": {"driver": driver},
        "artifacts": [{"location": {"uri": uri}} for uri in uris],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def artifact_uri(path: str) -> str:
    """Turn a file path into the URI SARIF expects (RFC 3986, UTF-8, forward slashes).

    Relative paths stay relative, so results match the repository's files wherever the run
    happened; absolute paths become ``file://`` URIs.
    """
    pure = PurePath(_LONE_SURROGATE.sub("\ufffd", path))
    if pure.is_absolute():
        return Path(pure).as_uri()
    # surrogateescape gives back the original bytes of undecodable file names, and quoting
    # ':' keeps a first segment like 'c:x' from reading as a URI scheme.
    return quote_from_bytes(pure.as_posix().encode("utf-8", "surrogateescape"), safe="/")


def _first_finding_per_rule(reports: Sequence[FileReport]) -> dict[str, Finding]:
    first: dict[str, Finding] = {}
    for report in reports:
        for finding in report.findings:
            first.setdefault(finding.rule, finding)
    return first


def _rule(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule,
        "shortDescription": {"text": finding.message},
        "defaultConfiguration": {"level": finding.severity.value},
    }


def _result(finding: Finding, rule_index: int, uri: str, artifact_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact_index}}
    region = _region(finding)
    if region:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.xpath:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.xpath, "kind": "element"}]
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [location],
    }


def _region(finding: Finding) -> dict[str, int]:
    # SARIF requires startLine >= 1 and a column only means something after a line.
    if finding.line is None or finding.line < 1:
        return {}
    region = {"startLine": finding.line}
    if finding.column is not None and finding.column >= 1:
        region["startColumn"] = finding.column
    return region
