"""Render many documents: expand folders, name outputs, use every core, go on past bad files."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from interop.errors import InteropError, UsageError
from interop.render.job import RenderJob, render_file
from interop.validate.batch import expand
from interop.xmlio import write_atomic

# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 4


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: the file written, or the one-line error and its exit code."""

    source: str
    output: str | None
    error: str | None = None
    exit_code: int = 0


def outputs(
    files: Sequence[str], job: RenderJob, output: str | None, out_dir: str | None
) -> list[str]:
    """Where each rendered notice goes (``-`` for standard output).

    Raises:
        UsageError: ``-o`` with several inputs, or an output that would overwrite an input.
    """
    if output is not None and len(files) != 1:
        raise UsageError("-o takes one input; use --out-dir for several")
    if output is not None:
        targets = [output]
    elif out_dir is not None:
        languages = "-".join(job.options.languages) or "auto"
        notice = job.options.notice or "notice"
        targets = [
            str(Path(out_dir) / f"{Path(f).stem}.{notice}.{languages}.{job.format.value}")
            for f in files
        ]
    else:
        if len(files) != 1:
            raise UsageError("give -o FILE for one input or --out-dir DIR for several")
        targets = ["-"]
    resolved = {Path(f).resolve() for f in files}
    for target in targets:
        if target != "-" and Path(target).resolve() in resolved:
            raise UsageError(f"{target}: would overwrite an input; choose another output")
    return targets


def render_all(
    files: Sequence[str],
    targets: Sequence[str],
    job: RenderJob,
    *,
    jobs: int,
    write_stdout: Callable[[bytes], object],
    on_done: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Render every file to its target, in worker processes when there are enough files."""
    pairs = list(zip(files, targets, strict=True))
    if jobs <= 1 or len(pairs) < _PARALLEL_THRESHOLD:
        results = []
        for source, target in pairs:
            results.append(_one(source, target, job, write_stdout))
            if on_done:
                on_done(1)
        return results
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_one, source, target, job, None) for source, target in pairs]
        results = []
        for future in futures:
            results.append(future.result())
            if on_done:
                on_done(1)
        return results


def _one(
    source: str, target: str, job: RenderJob, write_stdout: Callable[[bytes], object] | None
) -> Outcome:
    try:
        data = render_file(source, job)
    except InteropError as exc:
        return Outcome(source, None, str(exc), exc.exit_code)
    if target == "-" and write_stdout is not None:
        write_stdout(data)
        return Outcome(source, "-")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return Outcome(source, target)


def input_files(paths: Sequence[str]) -> list[str]:
    """Each file as given, each folder's ``*.xml`` (recursively, sorted)."""
    return expand(paths)
