"""Report writers of ``interop validate``: one module per output format.

The registry below is the one place that maps a format name to its writer; adding a format
means adding a module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from interop.errors import UsageError
from interop.validate.findings import FileReport, Severity
from interop.validate.reports import json_report, junit, sarif, text


@dataclass(frozen=True, slots=True)
class _Options:
    color: bool
    fail_on: Severity
    tool_version: str


_Writer = Callable[[Sequence[FileReport], TextIO, _Options], None]

# Each writer takes only the options it uses, so the adapters live here rather than giving
# every module the same wide signature.
_WRITERS: dict[str, _Writer] = {
    "text": lambda reports, stream, o: text.write(
        reports, stream, color=o.color, fail_on=o.fail_on
    ),
    "json": lambda reports, stream, o: json_report.write(reports, stream),
    "junit": lambda reports, stream, o: junit.write(reports, stream, fail_on=o.fail_on),
    "sarif": lambda reports, stream, o: sarif.write(reports, stream, tool_version=o.tool_version),
}

FORMATS: tuple[str, ...] = tuple(_WRITERS)


def write_report(
    fmt: str,
    reports: Sequence[FileReport],
    stream: TextIO,
    *,
    color: bool = False,
    fail_on: Severity = Severity.ERROR,
    tool_version: str,
) -> None:
    """Write the validation results of one run in the given format.

    Args:
        fmt: one of :data:`FORMATS`.
        reports: one report per file, in the order the files were given.
        stream: where to write; the XML and JSON formats assume it encodes UTF-8.
        color: colour the text format with ANSI codes (ignored by the other formats).
        fail_on: the lowest severity that fails the run; decides JUnit failures and the
            colour of the text summary.
        tool_version: the interop version, recorded in SARIF.

    Raises:
        UsageError: ``fmt`` is not a known format.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {known}")
    writer(reports, stream, _Options(color=color, fail_on=fail_on, tool_version=tool_version))


__all__ = ["FORMATS", "write_report"]
