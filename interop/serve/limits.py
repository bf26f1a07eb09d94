"""Uploads: read the request body within the size limit, check its type, take the document.

A document comes as the raw body (``Content-Type: application/xml`` …) or as the file field
``document`` of a ``multipart/form-data`` form (what a browser sends). The body is read in
memory up to the limit and no further; a form's file is held in memory or in an unnamed
temporary file that disappears when it is closed, so nothing uploaded stays on disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive

from interop.serve.problems import Problem

FIELD: Final = "document"
RAW_NAME: Final = "-"  # the name of a document sent as the raw body, as for standard input
XML_TYPES: Final = ("application/xml", "text/xml")
DATA_TYPES: Final = (
    *XML_TYPES,
    "application/json",
    "application/ld+json",
    "text/csv",
    "text/plain",
    "application/octet-stream",
)
FORM: Final = "multipart/form-data"
_MAX_FIELDS: Final = 32
# An upload that sends nothing for this long is given up (408): a client trickling bytes must
# not hold a connection, and the memory of its upload so far, for ever.
IDLE_SECONDS: Final = 30.0


@dataclass(frozen=True, slots=True)
class FilePart:
    """One file of a form: its field, the name the client gave (unchecked), type and bytes."""

    field: str
    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded document.

    Attributes:
        data: its bytes.
        name: the file name the client gave (no folders), or ``-`` for a raw body.
        media_type: its declared type, without parameters.
        fields: a form's text fields (options, next to those in the query string).
        others: a form's other files (a glossary, an XLIFF file...).
    """

    data: bytes
    name: str
    media_type: str
    fields: Mapping[str, str] = field(default_factory=dict)
    others: tuple[FilePart, ...] = ()

    def other(self, name: str, accepted: tuple[str, ...]) -> FilePart | None:
        """The form's file field ``name`` (None if absent; 415 if of a type not accepted)."""
        found = [part for part in self.others if part.field == name]
        if len(found) > 1:
            raise Problem(400, f"the form has {len(found)} files named {name!r}; give one")
        if found:
            check_type(found[0].media_type, accepted)
        return found[0] if found else None


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def accepts(declared: str, accepted: tuple[str, ...]) -> bool:
    """Whether ``declared`` is one of ``accepted`` (an XML list also takes ``…/…+xml``)."""
    if declared in accepted:
        return True
    return (
        "application/xml" in accepted
        and declared.startswith("application/")
        and (declared.endswith("+xml"))
    )


async def read_upload(
    request: Request, max_bytes: int, accepted: tuple[str, ...], max_files: int = 1
) -> Upload:
    """The document of this request (and, from a form, up to ``max_files`` files in all).

    Raises:
        Problem: 413 too large, 415 a type not in ``accepted``, 400 a form without a document.
    """
    declared = media_type(request.headers.get("content-type"))
    if declared != FORM:
        check_type(declared or "none", accepted)
        return Upload(await read_body(request, max_bytes), RAW_NAME, declared)
    fields, files = await read_form(request, max_bytes, max_files)
    documents = [part for part in files if part.field == FIELD]
    if len(documents) != 1:
        raise Problem(400, f"the form needs one file field named {FIELD!r}")
    document = documents[0]
    check_type(document.media_type, accepted)
    others = tuple(part for part in files if part.field != FIELD)
    name = plain_name(document.filename)
    return Upload(document.data, name, document.media_type, fields, others)


def check_type(declared: str, accepted: tuple[str, ...]) -> None:
    """415 unless ``declared`` is accepted (a form's file may also be octet-stream)."""
    if declared != "application/octet-stream" and not accepts(declared, accepted):
        raise Problem(415, _unsupported(declared, accepted))


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole body, refused with 413 as soon as it is known to be over ``max_bytes``."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        raise Problem(413, _too_large(max_bytes))
    chunks: list[bytes] = []
    size = 0
    loop = asyncio.get_running_loop()
    try:
        # One timer for the whole read, pushed back whenever bytes arrive (no task per chunk).
        async with asyncio.timeout(IDLE_SECONDS) as idle:
            async for chunk in request.stream():
                idle.reschedule(loop.time() + IDLE_SECONDS)
                size += len(chunk)
                if size > max_bytes:
                    raise Problem(413, _too_large(max_bytes))
                chunks.append(chunk)
    except TimeoutError:
        detail = f"the upload stalled: nothing came for {IDLE_SECONDS:g} s; send it again"
        raise Problem(408, detail) from None
    except ClientDisconnect:  # nobody is left to answer; not a server error either
        raise Problem(
            400, "the client closed the connection before the upload was complete"
        ) from None
    return b"".join(chunks)


async def read_form(
    request: Request,
    max_bytes: int,
    max_files: int,
    *,
    max_fields: int = _MAX_FIELDS,
    max_part_size: int = 1024 * 1024,
) -> tuple[dict[str, str], list[FilePart]]:
    """A ``multipart/form-data`` body: its text fields and its files (``max_part_size``: the
    largest text field; the page's hidden document can be larger than the default 1 MB).

    Raises:
        Problem: 413 too large, 400 a form that cannot be read.
    """
    body = await read_body(request, max_bytes)
    replayed = Request(request.scope, _replay(body))
    try:
        form = await replayed.form(
            max_files=max_files, max_fields=max_fields, max_part_size=max_part_size
        )
    except Exception as exc:  # the multipart parser's own errors
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        raise Problem(400, f"cannot read the form: {detail}") from None
    try:
        fields: dict[str, str] = {}
        files: list[FilePart] = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                declared = media_type(value.content_type) or "application/octet-stream"
                files.append(FilePart(key, value.filename or "", declared, await value.read()))
            else:
                fields[key] = value
        return fields, files
    finally:
        await form.close()


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def plain_name(filename: str | None) -> str:
    """The last part of a client's file name (browsers on Windows send backslashes)."""
    if not filename:
        return "document.xml"
    name = PureWindowsPath(PurePosixPath(filename).name).name
    cleaned = "".join(c for c in name if c.isprintable() and c not in '"\\').strip()
    return cleaned[:200] or "document.xml"


def _too_large(max_bytes: int) -> str:
    return f"the upload is larger than the {max_bytes / (1024 * 1024):g} MB limit"


def _unsupported(declared: str, accepted: tuple[str, ...]) -> str:
    return f"content type {declared} is not accepted here; send {', '.join(accepted)} or {FORM}"
