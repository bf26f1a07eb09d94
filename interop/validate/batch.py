"""Validate many files: expand folders, spread the work over all cores, keep the input order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from interop.validate.findings import FileReport
from interop.validate.validator import ValidationSettings, Validator

STDIN = "-"
# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 16

_worker: Validator | None = None


def expand(paths: Sequence[str]) -> list[str]:
    """Files to validate: each file as given, each folder's ``*.xml`` files recursively, sorted.

    Paths that do not exist are kept so that they are reported as unreadable.
    """
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if given != STDIN and path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*.xml")) if p.is_file())
        else:
            files.append(given)
    return files


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def validate_all(
    files: Sequence[str],
    settings: ValidationSettings,
    jobs: int,
    on_done: Callable[[int], None] | None = None,
) -> list[FileReport]:
    """Validate ``files`` with up to ``jobs`` processes; reports come back in input order.

    Args:
        files: file paths (``-`` for standard input, read in this process).
        settings: what to validate against.
        jobs: number of worker processes; 1 validates in this process.
        on_done: called with the number of files finished since the last call (progress bars).
    """
    validator = Validator(settings)
    validator.prepare()  # schema and rule errors surface once, before any work starts
    if jobs <= 1 or len(files) < _PARALLEL_THRESHOLD or STDIN in files:
        return list(_serial(validator, files, on_done))
    validator.warm_up()  # forked workers inherit the compiled schemas and rules
    return list(_parallel(validator, files, jobs, on_done))


def _serial(
    validator: Validator, files: Sequence[str], on_done: Callable[[int], None] | None
) -> Iterator[FileReport]:
    for path in files:
        yield validator.check_file(path)
        if on_done:
            on_done(1)


def _parallel(
    validator: Validator,
    files: Sequence[str],
    jobs: int,
    on_done: Callable[[int], None] | None,
) -> Iterator[FileReport]:
    # fork shares the imported modules and compiled schemas; with spawn, each worker
    # compiles its own on first use.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    size = _chunk_size(len(files), jobs)
    chunks = [list(files[i : i + size]) for i in range(0, len(files), size)]
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init, initargs=(validator.settings,)
    ) as pool:
        for reports in pool.map(_check_chunk, chunks):
            yield from reports
            if on_done:
                on_done(len(reports))


def _chunk_size(total: int, jobs: int) -> int:
    # Small enough for a smooth progress bar and load balance, large enough to keep
    # inter-process traffic low.
    return max(1, min(256, total // (jobs * 8) or 1))


def _init(settings: ValidationSettings) -> None:
    global _worker  # noqa: PLW0603 - one validator per worker process, by design
    _worker = Validator(settings)


def _check_chunk(paths: list[str]) -> list[FileReport]:
    assert _worker is not None, "worker not initialised"
    return [_worker.check_file(p) for p in paths]
