"""The media type of a file: from its first bytes where they are unmistakable, else its name.

Offline and small on purpose: Python's ``mimetypes`` table (with a few forensic types it lacks)
and the magic numbers of the formats that turn up in evidence folders. A file whose content
says something else than its extension (a PDF named ``.jpg``) gets the type of its content.
"""

from __future__ import annotations

import mimetypes
import re
from functools import lru_cache
from typing import Final

OCTET_STREAM: Final = "application/octet-stream"

# (offset, magic bytes, media type). Containers (ZIP, OLE, ISO BMFF) come last and only
# decide when the name says nothing more precise (a .docx is a ZIP).
_MAGIC: Final = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"SQLite format 3\x00", "application/vnd.sqlite3"),
    (0, b"EVF\x09\x0d\x0a\xff\x00", "application/x-ewf"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (4, b"ftypheic", "image/heic"),
    (4, b"ftypheix", "image/heic"),
    (4, b"ftypmif1", "image/heif"),
)
_CONTAINERS: Final = (
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"PK\x05\x06", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (4, b"ftyp", "video/mp4"),
)
_EXTRA_TYPES: Final = {
    ".e01": "application/x-ewf",
    ".ex01": "application/x-ewf",
    ".heic": "image/heic",
    ".sqlite": "application/vnd.sqlite3",
    ".db": "application/vnd.sqlite3",
    ".ufdr": "application/zip",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
}
# What the schema's MediaType accepts (a type without parameters).
_VALID: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]{0,126}"
)


def media_type(name: str, head: bytes) -> str:
    """The media type of a file called ``name`` whose content starts with ``head``."""
    by_content = _sniff(head, _MAGIC)
    if by_content:
        return by_content
    by_name = _by_name(name)
    if by_name:
        return by_name
    return _sniff(head, _CONTAINERS) or OCTET_STREAM


def _sniff(head: bytes, table: tuple[tuple[int, bytes, str], ...]) -> str | None:
    return next((kind for at, magic, kind in table if head[at : at + len(magic)] == magic), None)


def _by_name(name: str) -> str | None:
    dot = name.rfind(".")
    if dot > 0:
        extra = _EXTRA_TYPES.get(name[dot:].lower())
        if extra:
            return extra
    if ":" in name:  # mimetypes would read "x:" as a URL scheme; rare, not worth a cache entry
        return _guessed(name)
    # mimetypes only looks at the suffixes, so files named alike share one cached answer.
    stem = name.lstrip(".")
    dot = stem.find(".")
    return _guessed("x" + stem[dot:] if dot >= 0 else "x")


@lru_cache(maxsize=512)
def _guessed(name: str) -> str | None:
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed if guessed and _VALID.fullmatch(guessed) else None
