"""The work itself, run in the engine's workers: plain data in, plain data out.

Each worker (a process, or a thread in tests) has its own validator, compiled once; nothing
here touches the event loop. An error a user can act on comes back as a :class:`Failure`
(exceptions with custom constructors do not cross process boundaries intact); anything else
propagates and becomes a logged internal error.
"""

from __future__ import annotations

import inspect
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Final

from interop.errors import InteropError, UnreadableInput, UsageError
from interop.render.job import RenderJob, render_bytes
from interop.serve.problems import status_of
from interop.validate.reports.json_report import to_json
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import DEFAULT_LIMITS, Limits

_local = threading.local()
_settings = {"limits": DEFAULT_LIMITS}
# Converter options given over HTTP are text; others (paths, mappings) stay server-side.
_TEXT_ANNOTATIONS: Final = ("str", "str | None", "Optional[str]")


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a task could not do its work, as the service answers it."""

    status: int
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Converted:
    """A converted document, its media type, its attachments and the report."""

    report: dict[str, Any]
    data: bytes
    media_type: str
    attachments: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class ConvertRequest:
    """A conversion as asked for: formats, the reader's document options, national options."""

    source: str
    target: str
    document_options: dict[str, str]
    national_options: dict[str, str]


def init_worker(max_bytes: int, niceness: int = 0) -> None:
    """Set a worker up: its CPU priority (a worker process), limits, then a warm validator."""
    if niceness:
        os.nice(niceness)
    _settings["limits"] = Limits(max_bytes=max_bytes)
    validator().warm_up()


def validator() -> Validator:
    """This worker's validator."""
    found: Validator | None = getattr(_local, "validator", None)
    if found is None:
        found = _local.validator = Validator(ValidationSettings(limits=_settings["limits"]))
    return found


def limits() -> Limits:
    """The size and depth caps of this worker's reads."""
    return _settings["limits"]


def ping() -> int:
    """Proves a worker answers (health checks)."""
    return os.getpid()


def validate(data: bytes, name: str, format_name: str | None) -> dict[str, Any] | Failure:
    """The JSON report of ``interop validate --format json`` for one document."""
    from interop.formats import registry  # noqa: PLC0415

    as_format = None
    if format_name is not None:
        by_name = {f.name: f for f in registry().formats}
        as_format = by_name.get(format_name)
        if as_format is None:
            known = ", ".join(by_name)
            return Failure(400, f"unknown format {format_name!r}; known formats: {known}")
    report = validator().check_bytes(data, name, as_format)
    result = to_json([report])
    if report.readable:
        return result
    first = report.findings[0]
    detail = UnreadableInput(name, first.message, first.line, first.column).one_line()
    return Failure(400, detail, {"report": result})


def render(data: bytes, name: str, job: RenderJob) -> bytes | Failure:
    """The notice for one document, in the job's format."""
    try:
        return render_bytes(data, name, job, validator())
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))


def convert(data: bytes, name: str, request: ConvertRequest) -> Converted | Failure:
    """One document through read → validate → write, with the report of ``--report``."""
    from interop.convert import batch, registry  # noqa: PLC0415
    from interop.convert.pipeline import Pipeline  # noqa: PLC0415

    try:
        _refuse_non_text(registry, request.target, request.national_options)
        _refuse_non_text(registry, request.source, request.national_options)
        options = dict(request.document_options)
        document = batch.source_options(
            request.source, authority=options.pop("authority", None), **options
        )
        national = request.national_options
        common = registry.COMMON
        reader = registry.create(
            request.source, {**document, **({} if request.source == common else national)}
        )
        writer = registry.create(request.target, {} if request.target == common else national)
        pipeline = Pipeline(reader, writer, _settings["limits"].max_bytes, validator())
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))
    except (ValueError, TypeError) as exc:  # an option value the converter cannot take
        return Failure(400, f"an option of {request.source!r} or {request.target!r}: {exc}")
    result = pipeline.convert_bytes(data, name)
    report = batch.report_data([result])
    if result.error:
        return Failure(400, result.error, {"report": report})
    if result.output_invalid or result.data is None:
        errors = [f for f in result.findings if f.severity == "error"]
        first = errors[0]
        where = f"{name}:{first.line}" if first.line else name
        detail = f"{where}: output error: [{first.rule}] {first.message} (nothing written)"
        return Failure(422, detail, {"report": report})
    attachments = tuple((a.name, a.data) for a in result.attachments)
    return Converted(report, result.data, result.media_type, attachments)


def _refuse_non_text(registry: Any, name: str, options: dict[str, str]) -> None:
    """Refuse national options the converter does not take as text (paths, mappings)."""
    if not options or name == registry.COMMON:
        return
    parameters = inspect.signature(type(registry.get(name))).parameters
    for key in options:
        parameter = parameters.get(key)
        if parameter is not None and str(parameter.annotation) not in _TEXT_ANNOTATIONS:
            raise UsageError(f"option {key!r} of format {name!r} cannot be given over HTTP")
