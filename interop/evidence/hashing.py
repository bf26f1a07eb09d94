"""Streaming hashes of many files: constant memory, all cores, every algorithm in one pass.

Each file is read once, in chunks, into one buffer per worker thread, and every requested
algorithm is updated from that buffer, so memory does not grow with file size. hashlib releases
the GIL while it hashes a chunk, so a pool of threads keeps every core busy: one file per
thread, which suits many small files and several big ones alike.

Chunks are 128 KiB: on our build machine (512 KiB of L2 cache per core) reads of 64 to 256 KiB
hashed a warm file as fast as ``openssl dgst``, and 1 MiB or 4 MiB reads were slower, since the
kernel's copy into the buffer and the hash that reads it back then miss the L2 cache. Files are
read with ``read``, not mapped: a mapped file that shrinks while it is hashed kills the process
with SIGBUS, and evidence folders on shares do change.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from interop.evidence.folder import open_beneath

CHUNK: Final = 128 * 1024
HEAD: Final = 64  # bytes kept for media-type sniffing


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


def _buffer() -> tuple[bytearray, memoryview]:
    found: tuple[bytearray, memoryview] | None = getattr(_local, "buffer", None)
    if found is None:
        data = bytearray(CHUNK)
        found = _local.buffer = (data, memoryview(data))
    return found


def hash_fd(fd: int, algorithms: tuple[Algorithm, ...], on_bytes: Progress | None = None) -> Digest:
    """Hash the open file ``fd`` from its current position to its end (``fd`` is not closed)."""
    hashers = [a.new() for a in algorithms]
    data, view = _buffer()
    reader = io.FileIO(fd, "rb", closefd=False)
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    size = 0
    head = b""
    while True:
        count = reader.readinto(data)
        if not count:
            break
        if size == 0:
            head = bytes(view[: min(count, HEAD)])
        chunk = view[:count]
        for hasher in hashers:
            hasher.update(chunk)
        size += count
        if on_bytes is not None:
            on_bytes(count)
    return Digest(size, tuple(zip(algorithms, (h.hexdigest() for h in hashers), strict=True)), head)


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
    paths: Iterable[str],
    algorithms: tuple[Algorithm, ...],
    *,
    workers: int,
    on_bytes: Progress | None = None,
) -> Iterator[tuple[str, Digest | OSError]]:
    """Hash many files below ``root`` on ``workers`` threads; results come in input order.

    At most a few files per worker are in flight, so memory stays bounded however many files
    there are. A file that cannot be read yields its ``OSError`` instead of a digest.
    """
    if workers <= 1:
        for path in paths:
            yield path, _one(root, path, algorithms, on_bytes)
        return
    window: deque[tuple[str, Future[Digest | OSError]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hash") as pool:
        for path in paths:
            window.append((path, pool.submit(_one, root, path, algorithms, on_bytes)))
            if len(window) >= 4 * workers:
                done_path, future = window.popleft()
                yield done_path, future.result()
        while window:
            done_path, future = window.popleft()
            yield done_path, future.result()


def _one(
    root: Path, path: str, algorithms: tuple[Algorithm, ...], on_bytes: Progress | None
) -> Digest | OSError:
    try:
        return hash_path(root, path, algorithms, on_bytes)
    except OSError as exc:
        return exc


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
