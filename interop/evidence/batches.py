"""Which files are hashed together, in which order, on which thread; results in input order.

Hashing a small file costs more in Python (opening it, a hasher, a result) than in the hash
itself, and Python code holds the GIL that the other threads need between two hashed chunks. So
files are hashed in *batches*: the files of one folder that follow each other in the input, up
to :data:`BATCH_BYTES` or :data:`BATCH_FILES`, hashed by one thread after opening their folder
once. A file of :data:`BATCH_BYTES` or more is a batch of its own.

The threads take the batches in this order: the big ones first, biggest first, then the others
in input order. A big file cannot be split between threads, so it must not be left for the end
while the other threads idle; the small batches after them keep every thread busy to the end
and let the results come out in input order almost as soon as they are made. Results are held
until all before them are out: a few hundred bytes per file, whatever the size of the files.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

BATCH_BYTES: Final = 8 * 1024 * 1024
BATCH_FILES: Final = 64

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Batch:
    """Files of one folder that one thread hashes in a row.

    Attributes:
        folder: the folder's path segments below the evidence folder (empty: the folder itself).
        names: the files' names in that folder, in input order.
        paths: the files' paths as given.
        size: their total size as far as known (0 for files of unknown size).
    """

    folder: tuple[str, ...]
    names: tuple[str, ...]
    paths: tuple[str, ...]
    size: int


def plan(files: Iterable[tuple[str, int]]) -> list[Batch]:
    """The batches of ``(path, size)`` in input order; a size below 0 means unknown (small)."""
    batches: list[Batch] = []
    folder: tuple[str, ...] | None = None
    names: list[str] = []
    paths: list[str] = []
    size = 0

    def close() -> None:
        if paths:
            assert folder is not None
            batches.append(Batch(folder, tuple(names), tuple(paths), size))
            names.clear()
            paths.clear()

    for path, known in files:
        *parts, name = path.split("/")
        here = tuple(parts)
        bytes_ = max(known, 0)
        if bytes_ >= BATCH_BYTES:
            close()
            batches.append(Batch(here, (name,), (path,), bytes_))
            folder, size = None, 0
            continue
        if here != folder or size + bytes_ > BATCH_BYTES or len(paths) >= BATCH_FILES:
            close()
            folder, size = here, 0
        names.append(name)
        paths.append(path)
        size += bytes_
    close()
    return batches


def schedule(batches: Sequence[Batch]) -> list[int]:
    """The order in which threads take the batches: big ones biggest first, then input order."""
    return sorted(
        range(len(batches)),
        key=lambda i: (0, -batches[i].size, i) if batches[i].size >= BATCH_BYTES else (1, 0, i),
    )


def run_in_order(
    batches: Sequence[Batch],
    work: Callable[[Batch], list[R]],
    *,
    workers: int,
    stop: threading.Event,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[tuple[str, R]]:
    """``(path, result)`` of every file, in input order; ``work`` runs on ``workers`` threads.

    ``work`` returns one result per file of its batch. An exception in ``work`` is raised here.
    When the caller stops early, ``stop`` is set: ``work`` should then end soon (the hasher
    stops after its current chunk) and the threads end. ``meanwhile`` runs on the calling
    thread once the threads have started (with one worker too, which then hashes on a thread
    of its own), before the first result is waited for.
    """
    if (workers <= 1 and meanwhile is None) or not batches:
        if meanwhile is not None:
            meanwhile()
        for batch in batches:
            yield from zip(batch.paths, work(batch), strict=True)
        return
    todo: queue.SimpleQueue[int | None] = queue.SimpleQueue()
    for index in schedule(batches):
        todo.put(index)
    # (batch index, its results or what ``work`` raised)
    done: queue.SimpleQueue[tuple[int, list[R] | BaseException]] = queue.SimpleQueue()
    count = min(workers, len(batches))
    for _ in range(count):
        todo.put(None)
    threads = [
        threading.Thread(target=_worker, args=(batches, work, todo, done, stop), name=f"hash-{n}")
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    try:
        if meanwhile is not None:
            meanwhile()
        waiting: dict[int, list[R]] = {}
        for following in range(len(batches)):
            while following not in waiting:
                index, results = done.get()
                if isinstance(results, BaseException):
                    raise results
                waiting[index] = results
            yield from zip(batches[following].paths, waiting.pop(following), strict=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _worker(
    batches: Sequence[Batch],
    work: Callable[[Batch], list[R]],
    todo: queue.SimpleQueue[int | None],
    done: queue.SimpleQueue[tuple[int, list[R] | BaseException]],
    stop: threading.Event,
) -> None:
    while not stop.is_set():
        index = todo.get()
        if index is None:
            return
        try:
            done.put((index, work(batches[index])))
        except BaseException as exc:  # handed to the caller's thread, raised there
            done.put((index, exc))
            return
