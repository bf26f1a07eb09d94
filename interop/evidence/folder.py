"""The evidence folder: what is in it, and how a file inside it is opened safely.

A manifest names files by paths relative to the folder. Nothing here ever follows a symbolic
link: the walk lists links (and pipes, sockets, devices) as *skipped* entries, and a file is
opened one path segment at a time below the folder with ``O_NOFOLLOW``, so that neither a link
in the folder nor a hostile path in a manifest can make the toolkit read a file outside it. The
hasher opens each folder once that way (:func:`open_subfolder`) and the files in it relative to
that descriptor (:func:`open_file_at`), so a link swapped in for a file or a folder while we work
is refused, never followed.

Symbolic links, even those pointing to a file inside the folder, are never items: the file they
point to is listed under its own path already, and a copy of the folder made by another tool may
have turned the link into a second file or dropped it.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Final

from interop.errors import UnreadableInput

# What the schema's RelativePath type allows in one segment (evidence-1.xsd): no separators,
# no characters that some file systems refuse, no leading space, no trailing space or dot.
_BAD: Final = r'\\/:*?"<>|\x00-\x1f\x7f-\x9f'
_BAD_CHARS: Final = re.compile(f"[{_BAD}]")
_XSD_SPACE: Final = " \t\r\n"
# The same constraints as one regular expression (a segment of one character, or a first, middle
# and last part): most paths are fine, and one match keeps the walk and the opener cheap; a path
# it refuses gets its message from the checks below.
_OK_SEGMENT: Final = f"(?:[^{_BAD} .]|[^{_BAD} ][^{_BAD}]*[^{_BAD} .])"
_OK_PATH: Final = re.compile(f"{_OK_SEGMENT}(?:/{_OK_SEGMENT})*")
MAX_PATH: Final = 1024
_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY: Final = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)
_BINARY: Final = getattr(os, "O_BINARY", 0)
# Opening relative to a folder descriptor without following links: POSIX systems. Elsewhere
# each path is checked for links segment by segment and then opened by name.
OPEN_AT: Final = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A regular file of the folder.

    Attributes:
        path: its path relative to the folder, with forward slashes.
        size: its size in bytes when the folder was walked.
    """

    path: str
    size: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry of the folder that is not listed as an item, and why."""

    path: str
    reason: str
    # True when the entry is a regular file that could not be listed (evidence left out);
    # False for links, pipes, sockets and devices, which are never items.
    is_file: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    """Everything the walk found: regular files (sorted by path) and skipped entries."""

    files: tuple[FoundFile, ...]
    skipped: tuple[Skipped, ...]


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot name a file inside the evidence folder, or None when it can.

    The same constraints as the schema's RelativePath type, checked here with plain words so
    that a hostile manifest (``../../etc/passwd``, ``/etc/passwd``, ``C:\\x``) is refused with a
    message and never opened.
    """
    if len(path) <= MAX_PATH and _OK_PATH.fullmatch(path):
        return None
    problem = _whole_path_problem(path)
    if problem:
        return problem
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            what = "an empty segment" if not segment else f"a {segment!r} segment"
            return f"the path contains {what}, which could point outside the evidence folder"
        problem = _segment_problem(segment)
        if problem:
            return problem
    return None


def _whole_path_problem(path: str) -> str | None:
    if not path:
        return "the path is empty"
    if len(path) > MAX_PATH:
        return f"the path is longer than {MAX_PATH} characters"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "the path is absolute; paths in a manifest are relative to the evidence folder"
    if "\\" in path:
        return "the path contains a backslash; use forward slashes"
    return None


def _segment_problem(segment: str) -> str | None:
    bad = _BAD_CHARS.search(segment)
    if bad:
        return f"the name {segment!r} contains {bad.group()!r}, which is not portable"
    if segment[0] in _XSD_SPACE or segment[-1] in _XSD_SPACE or segment.endswith("."):
        return f"the name {segment!r} begins or ends with a space, or ends with a dot"
    return None


def key(path: str) -> str:
    """The form in which two paths are compared: Unicode NFC (macOS stores names as NFD)."""
    return unicodedata.normalize("NFC", path)


def walk(root: Path, exclude: tuple[str, ...] = (), skip_files: tuple[Path, ...] = ()) -> Listing:
    """List the regular files under ``root`` without following any symbolic link.

    Args:
        root: the evidence folder.
        exclude: glob patterns on relative paths (``*.tmp``, ``Thumbs.db``) left out silently.
        skip_files: files left out silently, such as the manifest being written into the folder.

    Raises:
        UnreadableInput: ``root`` is not a readable folder.
    """
    name = str(root)
    if root.is_symlink() or not root.is_dir():
        reason = "a symbolic link" if root.is_symlink() else "not a folder"
        raise UnreadableInput(name, f"{reason}; give the evidence folder itself")
    skip = {_identity(p) for p in skip_files}
    files: list[FoundFile] = []
    skipped: list[Skipped] = []
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if not prefix:
                raise UnreadableInput(name, f"cannot read the folder: {exc.strerror}") from None
            skipped.append(Skipped(prefix.rstrip("/"), f"folder not readable: {exc.strerror}"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if any(fnmatchcase(rel, p) or fnmatchcase(entry.name, p) for p in exclude):
                continue
            _classify(entry, rel, stack=stack, files=files, skipped=skipped, skip=skip)
    files.sort(key=lambda f: f.path)
    skipped.sort(key=lambda s: s.path)
    return Listing(tuple(files), tuple(skipped))


def _classify(
    entry: os.DirEntry[str],
    rel: str,
    *,
    stack: list[tuple[str, str]],
    files: list[FoundFile],
    skipped: list[Skipped],
    skip: set[tuple[int, int]],
) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        skipped.append(Skipped(rel, f"cannot be read: {exc.strerror}", is_file=True))
        return
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        skipped.append(Skipped(rel, _link_reason(entry.path)))
    elif stat.S_ISDIR(mode):
        stack.append((entry.path, rel + "/"))
    elif not stat.S_ISREG(mode):
        skipped.append(Skipped(rel, "not a regular file (a pipe, socket or device)"))
    elif (info.st_dev, info.st_ino) in skip:
        return
    else:
        problem = _name_problem(rel)
        if problem:
            skipped.append(Skipped(rel, f"cannot be named in a manifest: {problem}", True))
        else:
            files.append(FoundFile(rel, info.st_size))


def _name_problem(rel: str) -> str | None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8; rename the file"
    problem = path_problem(rel)
    return f"{problem}; rename the file" if problem else None


def _link_reason(path: str) -> str:
    try:
        target = str(Path(path).readlink())
    except OSError:
        target = "?"
    return f"symbolic link to {target} (not followed)"


def _identity(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_dev, info.st_ino)


def open_beneath(root: Path, path: str) -> int:
    """Open the regular file at ``path`` below ``root`` for reading; return the descriptor.

    Each segment is opened relative to the previous one without following symbolic links, so a
    link anywhere on the way (or swapped in while we work) is refused, never followed.

    Raises:
        ValueError: ``path`` cannot name a file inside the folder (see :func:`path_problem`).
        OSError: missing, unreadable, a link (ELOOP/ENOTDIR) or not a regular file.
    """
    problem = path_problem(path)
    if problem:
        raise ValueError(problem)
    parts = path.split("/")
    if not OPEN_AT:
        return _open_checked(root, parts)
    root_fd = open_folder(root)
    try:
        folder_fd = open_subfolder(root_fd, parts[:-1])
    finally:
        os.close(root_fd)
    try:
        return open_file_at(folder_fd, parts[-1])
    finally:
        os.close(folder_fd)


def open_folder(root: Path) -> int:
    """Open the evidence folder itself (not a link to it); return a directory descriptor.

    Only where :data:`OPEN_AT` is true.

    Raises:
        OSError: missing, unreadable, a link or not a folder.
    """
    return os.open(root, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)


def open_subfolder(folder_fd: int, parts: Sequence[str]) -> int:
    """Open the folder ``parts`` below the folder ``folder_fd``, one segment at a time.

    No segment may be a symbolic link (``O_NOFOLLOW``): a link refuses with ELOOP or ENOTDIR.
    The parts must be checked names (:func:`path_problem`); no parts opens the folder again.

    Raises:
        OSError: a segment is missing, unreadable, a link or not a folder.
    """
    current = os.dup(folder_fd)
    try:
        for part in parts:
            below = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=current)
            os.close(current)
            current = below
    except BaseException:
        os.close(current)
        raise
    return current


def open_file_at(folder_fd: int, name: str) -> int:
    """Open the regular file ``name`` of the folder ``folder_fd`` for reading, not following a link.

    Raises:
        OSError: missing, unreadable, a link (ELOOP) or not a regular file.
    """
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY, dir_fd=folder_fd)
    return _regular(fd)


def _open_checked(root: Path, parts: list[str]) -> int:
    target = root
    for part in parts:
        target = target / part
        if target.is_symlink():
            raise OSError(40, "a symbolic link (not followed)")
    return _regular(os.open(target, os.O_RDONLY | _BINARY))


def _regular(fd: int) -> int:
    # O_NONBLOCK opened a pipe swapped in for the file without hanging; refuse it (and a folder).
    try:
        mode = os.fstat(fd).st_mode
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise OSError(21, "not a regular file")
    return fd
