"""Translation work in the engine's workers: translate, XLIFF export, XLIFF import (review).

Each worker keeps one connection per translation memory (SQLite in WAL mode, so the workers of
all server processes can share one file). An uploaded glossary is read from a temporary folder
that is removed at once.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from interop import xmlio
from interop.errors import InteropError, UnreadableInput
from interop.serve.problems import status_of
from interop.serve.tasks import Failure, limits, validator
from interop.translate.batch import check
from interop.translate.document import Report, TranslateOptions, Translator
from interop.translate.glossary import Glossary
from interop.translate.memory import Memory
from interop.translate.review import ImportReport, import_xliff
from interop.translate.xliff import export_xliff

_local = threading.local()


@dataclass(frozen=True, slots=True)
class TranslateRequest:
    """A translation as asked for; ``glossary`` is an uploaded file (name, bytes)."""

    target: str
    engine: str | None
    force: bool
    memory: str | None
    glossary: tuple[str, bytes] | None = None


@dataclass(frozen=True, slots=True)
class Changed:
    """A document changed by a task, and what the task reports about it."""

    report: dict[str, Any]
    data: bytes


def translate(data: bytes, name: str, request: TranslateRequest) -> Changed | Failure:
    """Translate the free text of one document; the output is validated before it is returned."""
    try:
        if request.engine is not None:
            from interop.translate.engine import get  # noqa: PLC0415

            get(request.engine)  # an unknown or unusable engine: one error, first
        tree = xmlio.parse_bytes(data, name, limits=limits())
        options = TranslateOptions(request.target, request.engine, force=request.force)
        translator = Translator(options, memory(request.memory), glossary=_glossary(request))
        report = translator.translate(tree)
        check(tree, name, validator())
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))
    return Changed(_translation_report(report), xmlio.serialize(tree))


def export(data: bytes, name: str, request: TranslateRequest) -> bytes | Failure:
    """The XLIFF 1.2 file for reviewing a document's translation into ``request.target``."""
    try:
        tree = xmlio.parse_bytes(data, name, limits=limits())
        return export_xliff(
            tree,
            request.target,
            original=name,
            memory=memory(request.memory),
            glossary=_glossary(request),
        )
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))


def review(
    data: bytes, name: str, xliff: tuple[str, bytes], reviewer: str, memory_path: str | None
) -> Changed | Failure:
    """Bring a reviewed XLIFF file back into its document, recording the reviewer."""
    try:
        tree = xmlio.parse_bytes(data, name, limits=limits())
        reviewed = xmlio.parse_bytes(xliff[1], xliff[0], limits=limits())
        report = import_xliff(
            tree, reviewed, name=xliff[0], reviewer=reviewer, memory=memory(memory_path)
        )
        check(tree, name, validator())
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))
    return Changed(_review_report(report), xmlio.serialize(tree))


def memory(path: str | None) -> Memory:
    """This worker's connection to the translation memory at ``path`` (None: the default)."""
    memories: dict[str | None, Memory] | None = getattr(_local, "memories", None)
    if memories is None:
        memories = _local.memories = {}
    if path not in memories:
        memories[path] = Memory(Path(path) if path else None)
    return memories[path]


def _glossary(request: TranslateRequest) -> Glossary:
    terms = Glossary.core()
    if request.glossary is None:
        return terms
    filename, data = request.glossary
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".csv", ".tbx", ".xml"}:
        raise UnreadableInput(filename, "not a glossary; give a .tbx or .csv file")
    with tempfile.TemporaryDirectory(prefix="interop-glossary-") as folder:
        path = Path(folder) / f"glossary{suffix}"
        path.write_bytes(data)
        try:
            return terms.merged(Glossary.load(path))
        except UnreadableInput as exc:  # name the upload, not the temporary file
            raise UnreadableInput(filename, exc.reason, exc.line, exc.column) from None


def _translation_report(report: Report) -> dict[str, Any]:
    return {
        "target": report.target,
        "summary": report.summary(),
        "fields": [
            {
                "path": f.path,
                "outcome": f.outcome.value,
                "source": f.source,
                "reason": f.reason,
                "segments": f.segments,
                "from_memory": f.from_memory,
                "violations": list(f.violations),
            }
            for f in report.fields
        ],
    }


def _review_report(report: ImportReport) -> dict[str, Any]:
    return {
        "target": report.target,
        "summary": report.summary(),
        "stored": report.stored,
        "fields": [
            {"path": f.path, "outcome": f.outcome, "detail": f.detail} for f in report.fields
        ],
    }
