"""Many files through one conversion: plan the outputs, run, summarise, report, exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from interop.convert import registry
from interop.convert.converter import Attachment
from interop.convert.pipeline import FileConversion, Pipeline
from interop.errors import UsageError


@dataclass(frozen=True, slots=True)
class Job:
    """One input and where its output goes (None: to standard output)."""

    source: str
    output: Path | None


@dataclass(frozen=True, slots=True)
class Plan:
    """A conversion of many files, checked before anything is read."""

    pipeline: Pipeline
    jobs: tuple[Job, ...]


def format_table() -> str:
    """``interop convert --list``: name, version, directions, document types."""
    rows = []
    for name in registry.names():
        try:
            converter = registry.get(name)
        except UsageError as exc:  # one broken plug-in must not hide the others
            rows.append(f"{name:<16} {'?':<8} {'-':<12} cannot be loaded: {exc}")
            continue
        ways = "both" if len(converter.directions) == 2 else next(iter(converter.directions))
        types = ", ".join(converter.document_types)
        rows.append(f"{name:<16} {converter.version:<8} {ways:<12} {types}")
    return "\n".join([f"{'NAME':<16} {'VERSION':<8} {'DIRECTION':<12} DOCUMENT TYPES", *rows])


def source_options(source: str, *, authority: str | None, **given: str | None) -> dict[str, Any]:
    """Turn the CLI's document-level options into constructor arguments of the reader.

    Raises:
        UsageError: ``--authority`` is not ``NAME;KIND;CC``.
    """
    options: dict[str, Any] = {key: value for key, value in given.items() if value}
    if authority:
        from interop.convert.formats.csv_document import Authority  # noqa: PLC0415

        parts = [part.strip() for part in authority.split(";")]
        if len(parts) != 3 or not all(parts):
            raise UsageError(f"--authority {authority!r}: give NAME;KIND;CC")
        key = "sender" if source == "csv-recipients" else "compiled_by"
        options[key] = Authority(*parts)
    return options


def key_values(pairs: Sequence[str]) -> dict[str, str]:
    """``-O key=value`` options as a dictionary (dashes in keys become underscores).

    Raises:
        UsageError: an option without ``=``.
    """
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-O {pair!r}: write KEY=VALUE")
        options[key.strip().replace("-", "_")] = value
    return options


def _unless_common(name: str, options: dict[str, Any]) -> dict[str, Any]:
    return {} if name == registry.COMMON else options


def plan(
    paths: Sequence[str],
    source: str,
    target: str,
    *,
    output: str | None,
    out_dir: str | None,
    max_bytes: int,
    source_options: Mapping[str, Any] | None = None,
    national_options: Mapping[str, Any] | None = None,
) -> Plan:
    """Check the options and decide every output path.

    Raises:
        UsageError: unknown formats, -o with several inputs, or an output over an input.
    """
    extra = dict(national_options or {})
    reader = registry.create(source, {**(source_options or {}), **_unless_common(source, extra)})
    writer = registry.create(target, _unless_common(target, extra))
    if extra and source == registry.COMMON and target == registry.COMMON:
        raise UsageError("-O options are for national formats; both sides are common")
    pipeline = Pipeline(reader, writer, max_bytes)
    inputs = _expand(paths, getattr(pipeline.source, "extensions", (".xml",)))
    if output == "-":
        output = None  # standard output, as without -o
    if output and out_dir:
        raise UsageError("give either -o or --out-dir, not both")
    if not output and not out_dir and getattr(writer, "writes_attachments", False):
        raise UsageError(
            f"format {target!r} writes a file next to its output, which standard output "
            "cannot hold; give -o FILE or --out-dir FOLDER"
        )
    if output and len(inputs) > 1:
        raise UsageError(f"-o takes one input, not {len(inputs)}; use --out-dir for batches")
    if not output and not out_dir and len(inputs) > 1:
        raise UsageError("several inputs need --out-dir")
    suffix = getattr(pipeline.target, "extension", ".xml")
    jobs = tuple(
        Job(p, Path(output) if output else _in_dir(out_dir, p, suffix) if out_dir else None)
        for p in inputs
    )
    _refuse_overwriting_inputs(jobs)
    return Plan(pipeline, jobs)


def run(plan: Plan, on_done: Callable[[int], None] | None = None) -> list[FileConversion]:
    """Convert every file; one bad file does not stop the others."""
    results = []
    for job in plan.jobs:
        result = plan.pipeline.convert(job.source, job.output)
        if job.output is None and result.attachments:  # a converter that did not declare it
            result = replace(
                result,
                data=None,
                error="the output has attachments, which standard output cannot hold; "
                "give -o FILE or --out-dir FOLDER",
            )
        if job.output is None and result.data is not None and not result.output_invalid:
            sys.stdout.buffer.write(result.data)
        results.append(result)
        if on_done:
            on_done(1)
    return results


def summary_lines(results: Sequence[FileConversion]) -> list[str]:
    """One line per file, then each thing not carried over, for a person to read."""
    lines = []
    for result in results:
        if result.error:
            lines.append(f"{result.source}: error: {result.error}")
            continue
        for finding in result.findings:
            where = f":{finding.line}" if finding.line else ""
            lines.append(
                f"{result.source}{where}: output {finding.severity}:"
                f" [{finding.rule}] {finding.message}"
            )
        status = (
            "not written (invalid output)"
            if result.output_invalid
            else f"-> {result.output or 'stdout'}"
        )
        lost = len(result.loss.entries)
        lines.append(f"{result.source}: {status}; {lost} item{'s' * (lost != 1)} not carried over")
        lines.extend(_attachment_line(result.output, a) for a in result.attachments)
        lines.extend(
            f"  {e.kind}: {e.path} {e.preview!r} {e.reason}".rstrip() for e in result.loss.entries
        )
    return lines


def json_report(results: Sequence[FileConversion]) -> str:
    """The whole run as one JSON object."""
    return json.dumps(report_data(results), ensure_ascii=False, indent=2) + "\n"


def report_data(results: Sequence[FileConversion]) -> dict[str, Any]:
    """The whole run as plain data: ``{"summary": {...}, "files": [...]}``."""
    files = [
        {
            "source": r.source,
            "output": r.output,
            "error": r.error,
            "valid": not r.output_invalid and not r.error,
            "loss": r.loss.to_json(),
            "attachments": [
                {
                    "name": a.name,
                    "written": r.output is not None,
                    "carries_only": [e.to_json() for e in a.carries_only],
                }
                for a in r.attachments
            ],
            "findings": [
                {"severity": f.severity.value, "rule": f.rule, "message": f.message, "line": f.line}
                for f in r.findings
            ],
        }
        for r in results
    ]
    summary = {
        "files": len(results),
        "written": sum(1 for r in results if r.output),
        "unreadable": sum(1 for r in results if r.error),
        "invalid": sum(1 for r in results if r.output_invalid),
        "lossless": sum(1 for r in results if not r.error and r.loss.lossless),
    }
    return {"summary": summary, "files": files}


def exit_code(results: Sequence[FileConversion], *, strict: bool) -> int:
    """2 unreadable input, 1 invalid output (or any loss with ``strict``), else 0."""
    if any(r.error for r in results):
        return 2
    if any(r.output_invalid for r in results):
        return 1
    return 1 if strict and any(not r.loss.lossless for r in results) else 0


def _attachment_line(output: str | None, attachment: Attachment) -> str:
    where = str(Path(output).parent / attachment.name) if output else attachment.name
    only = len(attachment.carries_only)
    extra = f" ({only} item{'s' * (only != 1)} only there, see --report)" if only else ""
    verb = "attached" if output else "attachment not written"
    return f"  {verb}: {where}{extra}"


def _expand(paths: Sequence[str], extensions: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in extensions
            )
        else:
            found.append(given)
    return found


def _in_dir(out_dir: str, source: str, suffix: str) -> Path:
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (Path(source).stem + suffix)


def _refuse_overwriting_inputs(jobs: tuple[Job, ...]) -> None:
    inputs = {Path(j.source).resolve() for j in jobs}
    outputs = [j.output.resolve() for j in jobs if j.output is not None]
    if inputs & set(outputs):
        raise UsageError("an output would overwrite an input; choose another -o or --out-dir")
    if len(outputs) != len(set(outputs)):
        raise UsageError("two inputs would write the same output file; rename one of them")
