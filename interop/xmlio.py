"""The only place that reads or writes XML bytes.

Every document, schema, rules file and catalog the toolkit reads comes through :func:`parse_file`
or :func:`parse_bytes`. Hostile input is normal here: a DOCTYPE is refused outright (so no DTD is
ever processed, no entity expanded, nothing loaded from a file or the network), XInclude is never
run, compressed input is refused (libxml2 would otherwise inflate gzip silently), and size and
depth are capped. Writes are atomic: a temporary file in the target folder, then a rename, so a
reader never sees half a file.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from lxml import etree

from interop.errors import HostileInput, UnreadableInput


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what one document may cost to read.

    Attributes:
        max_bytes: largest accepted input (default 50 MB).
        max_depth: deepest accepted element nesting. libxml2 itself refuses more than 256
            levels without its "huge" option (which we never set); a lower value is checked
            after parsing.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_depth: int = 256


DEFAULT_LIMITS: Final = Limits()
_LIBXML2_DEPTH: Final = 256

# Magic numbers of the compressed containers libxml2 (or a user) might try to inflate.
_COMPRESSED: Final = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "zip",
    b"PK\x05\x06": "zip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}
_DOCTYPE: Final = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
# A DOCTYPE that only names an external DTD (no internal subset, so no entity is declared):
# what CAT tools write in TMX and TBX files. Allowed where the caller says so; never loaded.
_LITERAL: Final = rb"""(?:"[^"<>\[\]]*"|'[^'<>\[\]]*')"""
_EXTERNAL_ONLY: Final = re.compile(
    rb"<!DOCTYPE\s+[A-Za-z_:][\w.:-]*(?:\s+(?:SYSTEM\s+"
    + _LITERAL
    + rb"|PUBLIC\s+"
    + _LITERAL
    + rb"\s+"
    + _LITERAL
    + rb"))?\s*>"
)
# The prolog in UTF-16/32 is not visible to a byte search; these BOMs and the libxml2
# result check (docinfo) below cover those encodings.
_WIDE_BOMS: Final = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")

_local = threading.local()


def _parser(resolver: etree.Resolver | None = None) -> etree.XMLParser:
    """A hardened parser; with ``resolver`` a fresh one whose external loads it answers."""
    if resolver is not None:
        return _new_parser(resolver)
    # XMLParser objects must not be shared between threads; one per thread, reused.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _new_parser(_RefuseEverything())
    return parser


def _new_parser(resolver: etree.Resolver) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
    )
    # Schema imports and includes are loaded through the parser's resolvers: the resolver
    # decides what may be loaded (a catalog, a folder) and refuses everything else.
    parser.resolvers.add(resolver)
    return parser


class _RefuseEverything(etree.Resolver):
    """Answers every external load (DTD, entity, stylesheet) with an empty refusal."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        return self.resolve_empty(context)


def parse_bytes(
    data: bytes,
    path: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    base_url: str | None = None,
    resolver: etree.Resolver | None = None,
    external_doctype: bool = False,
) -> etree._ElementTree:
    """Parse one XML document from bytes with every hardening on.

    Args:
        data: the raw bytes.
        path: the name used in error messages (a file path, or ``-`` for standard input).
        limits: size and depth caps.
        base_url: where relative references in the document (schema imports) resolve from.
        resolver: answers the loads a schema makes (imports, includes); by default every
            external load is refused.
        external_doctype: accept a DOCTYPE that only names an external DTD, as translation
            tools write in TMX and TBX files (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``); the DTD is
            never loaded. A DOCTYPE with an internal subset is refused all the same.

    Raises:
        UnreadableInput: the bytes are not well-formed XML, too large or too deep.
        HostileInput: a DOCTYPE (see ``external_doctype``) or compressed data.
    """
    allowed = check_bytes(data, path, limits, external_doctype=external_doctype)
    try:
        root = etree.fromstring(data, _parser(resolver), base_url=base_url)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise UnreadableInput(path, f"not well-formed XML: {exc.msg}", line, column) from None
    tree = root.getroottree()
    if tree.docinfo.doctype and not allowed:
        raise HostileInput(path, _DOCTYPE_REASON, 1)
    if allowed:  # the unloaded DTD may have been meant to declare entities: none are taken
        entity = next((n for n in root.iter() if isinstance(n, etree._Entity)), None)
        if entity is not None:
            reason = f"entity reference {entity.text} is refused (the DTD is never loaded)"
            raise HostileInput(path, reason, entity.sourceline)
    if limits.max_depth < _LIBXML2_DEPTH:
        _check_depth(root, path, limits.max_depth)
    return tree


_DOCTYPE_REASON: Final = (
    "DOCTYPE declarations are refused (DTDs and entities can read files or exhaust memory); "
    "remove the DOCTYPE"
)


def parse_file(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    stdin_name: str = "-",
    resolver: etree.Resolver | None = None,
    external_doctype: bool = False,
) -> etree._ElementTree:
    """Read and parse one XML file (``-`` reads standard input); see :func:`parse_bytes`.

    Raises:
        UnreadableInput: missing, unreadable, too large or malformed.
        HostileInput: a DOCTYPE or compressed data.
    """
    name = str(path)
    if name == stdin_name:
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        return parse_bytes(data, name, limits=limits, external_doctype=external_doctype)
    data = read_capped(Path(path), limits.max_bytes)
    # Only schemas resolve relative references (imports); documents need no base URL.
    base_url = Path(path).resolve().as_uri() if resolver is not None else None
    return parse_bytes(
        data,
        name,
        limits=limits,
        base_url=base_url,
        resolver=resolver,
        external_doctype=external_doctype,
    )


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, refusing more than ``max_bytes`` without reading it all."""
    name = str(path)
    try:
        # Checked before opening: opening a FIFO or a device could block or never end.
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise UnreadableInput(name, "not a regular file (a pipe, socket or device)")
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableInput(name, "no such file") from None
    except IsADirectoryError:
        raise UnreadableInput(name, "is a directory, not a file") from None
    except PermissionError:
        raise UnreadableInput(name, "permission denied; check the file's permissions") from None
    except OSError as exc:
        raise UnreadableInput(name, f"cannot read: {exc.strerror}") from None


def check_bytes(
    data: bytes, path: str, limits: Limits = DEFAULT_LIMITS, *, external_doctype: bool = False
) -> bool:
    """Refuse bytes that are too large, compressed, or carry a DOCTYPE, before any parsing.

    Resolvers call this on every schema they load so that imports get the same hardening.
    Returns whether the bytes carry an external-only DOCTYPE that ``external_doctype`` allows.
    """
    if len(data) > limits.max_bytes:
        raise UnreadableInput(
            path,
            f"file is larger than the {limits.max_bytes // (1024 * 1024)} MB limit; "
            "split it or raise the limit",
        )
    return _refuse_hostile(data, path, external_doctype)


def _refuse_hostile(data: bytes, path: str, external_doctype: bool) -> bool:
    for magic, kind in _COMPRESSED.items():
        if data.startswith(magic):
            raise HostileInput(
                path, f"{kind}-compressed input is refused; decompress it and pass the XML file"
            )
    # A DOCTYPE can only stand in the prolog, before the root element's start tag.
    match = _DOCTYPE.search(data, 0, _prolog_end(data))
    if match is None:
        return False
    if external_doctype and _EXTERNAL_ONLY.match(data, match.start()):
        return True
    line = data.count(b"\n", 0, match.start()) + 1
    raise HostileInput(path, _DOCTYPE_REASON, line)


def _prolog_end(data: bytes) -> int:
    """Offset of the root start tag, skipping the declaration, comments, PIs and the DOCTYPE."""
    if data.startswith(_WIDE_BOMS):
        return 0  # left to the post-parse check
    pos = 0
    while True:
        start = data.find(b"<", pos)
        if start < 0 or start + 1 >= len(data):
            return len(data)
        nxt = data[start + 1 : start + 2]
        if nxt == b"?":
            pos = _after(data, start, b"?>")
        elif data.startswith(b"<!--", start):
            pos = _after(data, start, b"-->")
        elif nxt == b"!":
            return len(data) if data.startswith(b"<!DOCTYPE", start) else start + 1
        else:
            return start
        if pos < 0:
            return len(data)


def _after(data: bytes, start: int, end_marker: bytes) -> int:
    end = data.find(end_marker, start)
    return end + len(end_marker) if end >= 0 else -1


def _check_depth(root: etree._Element, path: str, max_depth: int) -> None:
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > max_depth:
                raise UnreadableInput(
                    path,
                    f"elements nested deeper than {max_depth} levels are refused",
                    element.sourceline,
                )
        else:
            depth -= 1


def serialize(tree: etree._ElementTree | etree._Element) -> bytes:
    """Serialise a document as UTF-8 with an XML declaration."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    The temporary file lives in the target's folder so that the final rename stays on one
    filesystem; it is removed if anything fails.
    """
    target = Path(path)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp_name).replace(target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
