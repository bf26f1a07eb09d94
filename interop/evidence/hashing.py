"""Streaming hashes of many files: constant memory, all cores, every algorithm in one pass.

Each file is read once, in chunks, into one buffer per thread, and every requested algorithm is
updated from that buffer, so memory does not grow with file size. hashlib releases the GIL while
it hashes a chunk (of 2 KiB or more), so threads keep every core busy; which files a thread
hashes together, and in which order, is :mod:`interop.evidence.batches`' job.

Files are opened below the evidence folder without following any link: each folder once, one
segment at a time with ``O_NOFOLLOW``, and its files relative to that descriptor (see
:mod:`interop.evidence.folder`). Files are read with ``read``, not mapped: a mapped file that
shrinks while it is hashed kills the process with SIGBUS, and evidence folders on shares change.

Chunks are 1 MiB, read into anonymous memory that starts on a page boundary. On our build
machine (AMD EPYC) the kernel copied five times slower into a buffer that does not start on a
cache line, such as a bytearray of 128 KiB or more (16 bytes into its page); that, rather than
the L2 cache, is the likely reason why 1 MiB reads once looked slower than 128 KiB ones.
Aligned, reads of 128 KiB to 1 MiB cost the same, and 1 MiB ones take the GIL 8 times less often.
"""

from __future__ import annotations

import hashlib
import io
import mmap
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from interop.evidence.batches import Batch, plan, run_in_order
from interop.evidence.folder import (
    OPEN_AT,
    FoundFile,
    open_beneath,
    open_file_at,
    open_folder,
    open_subfolder,
    path_problem,
)

CHUNK: Final = 1024 * 1024
HEAD: Final = 64  # bytes kept for media-type sniffing
_ADVISE: Final = hasattr(os, "posix_fadvise")
_READV: Final = hasattr(os, "readv")  # not on Windows


class Algorithm(StrEnum):
    """Hash algorithms; the values are the codes of the schema's HashAlgorithmCode list."""

    SHA256 = "SHA-256"
    SHA512 = "SHA-512"
    SHA3_256 = "SHA3-256"
    SHA1 = "SHA-1"
    MD5 = "MD5"

    @property
    def hex_length(self) -> int:
        return _HEX_LENGTH[self]

    def new(self) -> hashlib._Hash:
        # usedforsecurity=False: MD5 and SHA-1 identify files here (legacy tools), they do not
        # protect anything, and FIPS builds refuse them otherwise.
        return hashlib.new(_HASHLIB[self], usedforsecurity=False)


_HASHLIB: Final = {
    Algorithm.SHA256: "sha256",
    Algorithm.SHA512: "sha512",
    Algorithm.SHA3_256: "sha3_256",
    Algorithm.SHA1: "sha1",
    Algorithm.MD5: "md5",
}
_HEX_LENGTH: Final = {
    Algorithm.SHA256: 64,
    Algorithm.SHA512: 128,
    Algorithm.SHA3_256: 64,
    Algorithm.SHA1: 40,
    Algorithm.MD5: 32,
}

# Called from the worker threads with the number of bytes just hashed.
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Digest:
    """What hashing one file found.

    Attributes:
        size: bytes read.
        hashes: (algorithm, lowercase hex value) in the order the algorithms were asked for.
        head: the first bytes of the file, for media-type sniffing.
    """

    size: int
    hashes: tuple[tuple[Algorithm, str], ...]
    head: bytes

    def value(self, algorithm: Algorithm) -> str | None:
        return next((v for a, v in self.hashes if a is algorithm), None)


_local = threading.local()


class _Stopped(Exception):
    """The caller stopped reading the results: a hashing thread leaves its file."""


def _buffer() -> memoryview:
    # Anonymous memory (no file behind it), so the buffer starts on a page boundary: the
    # kernel's copy into a buffer that does not start on a cache line (a big bytearray starts
    # 16 bytes into its page) took five times as long on our build machine.
    found: memoryview | None = getattr(_local, "buffer", None)
    if found is None:
        found = _local.buffer = memoryview(mmap.mmap(-1, CHUNK))
    return found


def _read_into(fd: int, view: memoryview) -> int:
    if _READV:
        return os.readv(fd, (view,))
    return io.FileIO(fd, "rb", closefd=False).readinto(view) or 0  # pragma: no cover (Windows)


def hash_fd(fd: int, algorithms: tuple[Algorithm, ...], on_bytes: Progress | None = None) -> Digest:
    """Hash the open file ``fd`` from its current position to its end (``fd`` is not closed)."""
    return _Hasher.of(algorithms, on_bytes).fd(fd)


def hash_path(
    root: Path, path: str, algorithms: tuple[Algorithm, ...], on_bytes: Progress | None = None
) -> Digest:
    """Hash the file at ``path`` below ``root`` without following any symbolic link.

    Raises:
        ValueError: the path cannot name a file inside ``root``.
        OSError: the file cannot be opened or read.
    """
    fd = open_beneath(root, path)
    try:
        return hash_fd(fd, algorithms, on_bytes)
    finally:
        os.close(fd)


def hash_files(
    root: Path,
    files: Iterable[str | FoundFile],
    algorithms: tuple[Algorithm, ...],
    *,
    workers: int,
    on_bytes: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[tuple[str, Digest | OSError]]:
    """Hash many files below ``root`` on ``workers`` threads; results come in input order.

    ``files`` are paths relative to ``root`` or the walk's :class:`FoundFile` (whose sizes let
    the big files start first). A file that cannot be read yields its ``OSError`` instead of a
    digest. Memory does not grow with the size of the files (see :mod:`batches`).
    ``meanwhile`` is run on the calling thread while the hashing threads work.

    Raises:
        ValueError: a path cannot name a file inside ``root`` (before anything is hashed).
    """
    known = [(f, -1) if isinstance(f, str) else (f.path, f.size) for f in files]
    for path, _size in known:
        problem = path_problem(path)
        if problem:
            raise ValueError(f"{path!r}: {problem}")
    batches = plan(known)
    stop = threading.Event()
    hasher = _Hasher.of(algorithms, on_bytes, stop)
    if not OPEN_AT:
        yield from run_in_order(
            batches,
            lambda batch: [hasher.path(root, p) for p in batch.paths],
            workers=workers,
            stop=stop,
            meanwhile=meanwhile,
        )
        return
    try:
        root_fd = open_folder(root)
    except OSError as exc:
        if meanwhile is not None:
            meanwhile()
        for path, _size in known:
            yield path, exc
        return
    try:
        yield from run_in_order(
            batches,
            lambda batch: hasher.batch(root_fd, batch),
            workers=workers,
            stop=stop,
            meanwhile=meanwhile,
        )
    finally:
        os.close(root_fd)


@dataclass(frozen=True, slots=True)
class _Hasher:
    """How every file of one call is hashed: the algorithms, whom to tell, when to stop."""

    algorithms: tuple[Algorithm, ...]
    fresh: tuple[hashlib._Hash, ...]  # copying a fresh hasher is cheaper than making one
    on_bytes: Progress | None
    stop: threading.Event | None

    @classmethod
    def of(
        cls,
        algorithms: tuple[Algorithm, ...],
        on_bytes: Progress | None,
        stop: threading.Event | None = None,
    ) -> _Hasher:
        return cls(algorithms, tuple(a.new() for a in algorithms), on_bytes, stop)

    def batch(self, root_fd: int, batch: Batch) -> list[Digest | OSError]:
        """The files of one batch: their folder opened once, each file relative to it."""
        try:
            folder_fd = open_subfolder(root_fd, batch.folder)
        except OSError as exc:
            return [exc] * len(batch.names)
        try:
            return [self.at(folder_fd, name) for name in batch.names]
        finally:
            os.close(folder_fd)

    def at(self, folder_fd: int, name: str) -> Digest | OSError:
        return self._opened(lambda: open_file_at(folder_fd, name))

    def path(self, root: Path, path: str) -> Digest | OSError:
        return self._opened(lambda: open_beneath(root, path))

    def _opened(self, opener: Callable[[], int]) -> Digest | OSError:
        """Hash the file ``opener`` opens; an error opening or reading it is the result."""
        try:
            fd = opener()
        except OSError as exc:
            return exc
        try:
            return self.fd(fd)
        except OSError as exc:
            return exc
        finally:
            os.close(fd)

    def fd(self, fd: int) -> Digest:
        hashers = [h.copy() for h in self.fresh]
        view = _buffer()
        size = 0
        head = b""
        while True:
            count = _read_into(fd, view)
            if not count:
                break
            if size == 0:
                head = bytes(view[: min(count, HEAD)])
                if count == CHUNK and _ADVISE:  # more to come: let the kernel read further ahead
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
            chunk = view[:count]
            for hasher in hashers:
                hasher.update(chunk)
            size += count
            if self.on_bytes is not None:
                self.on_bytes(count)
            if self.stop is not None and self.stop.is_set():
                raise _Stopped
        values = (h.hexdigest() for h in hashers)
        return Digest(size, tuple(zip(self.algorithms, values, strict=True)), head)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
