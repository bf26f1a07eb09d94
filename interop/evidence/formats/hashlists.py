"""Hash lists -> draft evidence manifests: hashdeep, md5deep / sha256sum, BSD style.

* ``hashdeep``: ``%%%% HASHDEEP-1.0``, then ``%%%% size,md5,sha256,filename`` naming the
  columns, ``##`` comments, one ``size,hash,...,path`` line per file.
* ``md5deep`` and ``sha256sum`` (GNU coreutils, md5deep/hashdeep ``-l``): ``<hex>  <path>`` or
  ``<hex> *<path>`` (binary mode), optionally ``<size>  <hex>  <path>`` (md5deep ``-z``). The
  algorithm is MD5 or SHA-256 by the format's name; ``-O algorithm=sha1`` reads sha1sum or
  sha1deep output. It is never guessed from the length of the value.
* ``bsd`` (``md5``, ``shasum --tag``, ``openssl dgst``): ``SHA256 (path) = hex``.

One item per file (``digital-file``), its path relative to the evidence folder. Nothing is
guessed: a line that cannot be read, an unknown algorithm, a value of the wrong length or not
hexadecimal, and two different values of one algorithm for one file (neither is kept) are
reported with their line number. A path that leaves the evidence folder (``..``, or absolute
without ``-O root=FOLDER``) refuses the whole list with the line number: such a list was not
made for this folder. Hash lists carry no exhibit numbers, descriptions, holders or seizures:
the path stands in for the first two, the compiling authority for the holder, and the result is
a draft manifest (see :mod:`interop.evidence.formats.draft`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.formats.csv_document import Authority
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.errors import UnreadableInput, UsageError
from interop.evidence.formats.draft import (
    MANIFEST,
    EvidencePath,
    FileListOptions,
    Item,
    algorithm_code,
    authority_holder,
    build,
    evidence_path,
    hash_problem,
    unfilled,
)

_HASHDEEP_MAGIC: Final = "%%%% HASHDEEP-1.0"
_PLAIN: Final = re.compile(r"(?P<hex>[0-9A-Za-z]+) (?P<mode>[ *])(?P<path>.+)")
# md5deep -z: the size first, right-aligned.
_SIZED: Final = re.compile(r"\s*(?P<size>\d+)\s+(?P<hex>[0-9A-Za-z]+) (?P<mode>[ *])(?P<path>.+)")
_BSD: Final = re.compile(r"(?P<alg>[A-Za-z0-9_\-/]+) ?\((?P<path>.*)\) ?= ?(?P<hex>\S+)")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str

    @property
    def where(self) -> str:
        return f"line {self.number}"


class _HashList(FileListOptions):
    """The reading common to every hash list; subclasses split lines into (path, hashes)."""

    name = ""
    version = "1"
    description = ""
    directions = frozenset({Direction.TO_COMMON})
    document_types = ("evidence-manifest",)
    extensions: tuple[str, ...] = (".txt",)

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read the list into a draft manifest; every line not carried is in the loss report."""
        loss: list[LossEntry] = []
        header = self.header(loss)
        self.source = source
        self.loss = loss
        self.items: dict[str, Item] = {}
        for line in _lines(data, source):
            if line.text.strip():
                self.read_line(line)
        if not self.items:
            raise UnreadableInput(source, f"no line is a {self.name} hash line; check --from")
        items = list(self.items.values())
        loss.extend(_unfilled_items())
        document = build(header, [authority_holder(header, loss)], items, [])
        return ToCommon(document, LossReport(tuple(loss)))

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Not offered: manifests are written as XML (``interop evidence build`` hashes files)."""
        raise UsageError(f"{self.name} is only read; write manifests with interop evidence build")

    def read_line(self, line: _Line) -> None:
        raise NotImplementedError

    # shared steps --------------------------------------------------------------------------
    def lost(self, line: _Line, reason: str, kind: LossKind = LossKind.REJECTED) -> None:
        self.loss.append(LossEntry(kind, line.where, preview(line.text), reason))

    def item(self, line: _Line, raw_path: str) -> Item | None:
        """The item of the file ``raw_path`` (made on first sight), None when reported.

        Raises:
            UnreadableInput: the path leaves the evidence folder.
        """
        checked: EvidencePath = evidence_path(raw_path, self.root)
        if checked.hostile:
            raise UnreadableInput(self.source, f"{raw_path!r}: {checked.hostile}", line.number)
        if checked.path is None:
            self.lost(line, f"{raw_path!r}: {checked.problem}")
            return None
        found = self.items.get(checked.path)
        if found is None:
            found = Item(
                id=f"I{len(self.items) + 1}",
                type="digital-file",
                exhibit_number=checked.path,
                description=checked.path,
                path=checked.path,
                source_path=checked.source_path,
            )
            self.items[checked.path] = found
        return found

    def add_hash(self, line: _Line, item: Item, algorithm: str, value: str) -> None:
        code = algorithm_code(algorithm)
        if code is None:
            self.lost(line, f"unknown hash algorithm {algorithm!r}; the value is not kept")
            return
        problem = hash_problem(code, value) or item.add_hash(code, value)
        if problem:
            self.lost(line, f"{item.path}: {problem}")


class Hashdeep(_HashList):
    """hashdeep's own format: a header naming the columns, then one CSV line per file."""

    name = "hashdeep"
    version = "1.0"
    description = "hashdeep lists (%%%% HASHDEEP-1.0): size and hashes per file (draft manifest)"

    def to_common(self, data: bytes, source: str) -> ToCommon:
        self.columns: list[str] | None = None
        return super().to_common(data, source)

    def read_line(self, line: _Line) -> None:
        text = line.text
        if text.startswith("%%%%"):
            self._header(line)
        elif text.startswith("##"):
            self.lost(line, "comment", LossKind.UNCONSUMED)
        elif self.columns is None:
            raise UnreadableInput(
                self.source,
                f"not a hashdeep list: {_HASHDEEP_MAGIC!r} and a %%%% column line come first",
                line.number,
            )
        else:
            self._file(line, self.columns)

    def _header(self, line: _Line) -> None:
        text = line.text.strip()
        if text == _HASHDEEP_MAGIC:
            return
        names = [name.strip().lower() for name in text[4:].split(",")]
        if not names or names[-1] != "filename":
            raise UnreadableInput(
                self.source, "hashdeep column line does not end with 'filename'", line.number
            )
        for name in names[:-1]:
            if name != "size" and algorithm_code(name) is None:
                self.lost(line, f"column {name!r}: unknown hash algorithm; its values are not kept")
        self.columns = names

    def _file(self, line: _Line, columns: list[str]) -> None:
        fields = line.text.split(",", len(columns) - 1)
        if len(fields) != len(columns):
            self.lost(line, f"{len(fields)} fields instead of {len(columns)}")
            return
        item = self.item(line, fields[-1])
        if item is None:
            return
        for name, value in zip(columns[:-1], fields[:-1], strict=True):
            if name == "size":
                self._size(line, item, value)
            elif algorithm_code(name) is not None:
                self.add_hash(line, item, name, value)

    def _size(self, line: _Line, item: Item, value: str) -> None:
        if not value.isdigit():
            self.lost(line, f"size {value!r} is not a number of bytes")
        elif item.size is not None and item.size != int(value):
            self.lost(line, f"size {value} conflicts with {item.size} given before")
        else:
            item.size = int(value)


class _Plain(_HashList):
    """``<hex>  <path>`` lines of one algorithm (GNU coreutils, md5deep)."""

    default_algorithm = ""

    def __init__(
        self,
        *,
        algorithm: str | None = None,
        root: str | None = None,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        compiled_by: Authority | None = None,
    ) -> None:
        """``algorithm`` names the hash of the list when it is not the format's default."""
        super().__init__(
            root=root,
            document_id=document_id,
            issue_date=issue_date,
            document_language=document_language,
            case_reference=case_reference,
            compiled_by=compiled_by,
        )
        name = algorithm or self.default_algorithm
        if algorithm_code(name) is None:
            raise UsageError(f"algorithm {name!r}: give md5, sha1, sha256, sha512 or sha3-256")
        self.algorithm = name

    def read_line(self, line: _Line) -> None:
        text = line.text
        escaped = text.startswith("\\")  # coreutils: a name with \ or a newline
        match = self.match(text[1:] if escaped else text)
        if match is None:
            self.lost(line, "not a '<hash>  <path>' line")
            return
        path = match["path"]
        if escaped:
            path = path.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\")
        item = self.item(line, path)
        if item is None:
            return
        if match.groupdict().get("size") is not None:
            item.size = int(match["size"])
        self.add_hash(line, item, self.algorithm, match["hex"])

    def match(self, text: str) -> re.Match[str] | None:
        """``<hex>  <path>``, or md5deep -z's ``<size>  <hex>  <path>`` when only that fits.

        A name with spaces can look like the sized form; the plain form wins whenever its
        value is a well-formed hash of the list's algorithm.
        """
        plain = _PLAIN.fullmatch(text)
        code = algorithm_code(self.algorithm) or ""
        if plain is not None and hash_problem(code, plain["hex"]) is None:
            return plain
        sized = _SIZED.fullmatch(text)
        if sized is not None and hash_problem(code, sized["hex"]) is None:
            return sized
        return plain


class Md5deep(_Plain):
    name = "md5deep"
    version = "4"
    description = "md5deep / md5sum lists (<hex>  <path>), MD5 unless -O algorithm=... (draft)"
    default_algorithm = "md5"


class Sha256sum(_Plain):
    name = "sha256sum"
    version = "1"
    description = "sha256sum lists (<hex>  <path>, *<path>), SHA-256 unless -O algorithm=..."
    default_algorithm = "sha256"


class BsdHashes(_HashList):
    """BSD style, one algorithm per line: ``SHA256 (path) = hex``."""

    name = "bsd"
    version = "1"
    description = "BSD-style hash lists (SHA256 (path) = hex), any algorithms (draft manifest)"

    def read_line(self, line: _Line) -> None:
        match = _BSD.fullmatch(line.text.strip())
        if match is None:
            self.lost(line, "not an 'ALGORITHM (path) = hash' line")
            return
        if algorithm_code(match["alg"]) is None:
            self.lost(line, f"unknown hash algorithm {match['alg']!r}; the line is not kept")
            return
        item = self.item(line, match["path"])
        if item is not None:
            self.add_hash(line, item, match["alg"], match["hex"])


def _lines(data: bytes, source: str) -> Iterator[_Line]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableInput(source, "not UTF-8 text; convert the list to UTF-8", line) from None
    for number, raw in enumerate(text.splitlines(), start=1):
        yield _Line(number, raw.rstrip("\r"))


def _unfilled_items() -> list[LossEntry]:
    items = f"{MANIFEST}/e:items/e:item"
    return [
        unfilled(
            f"{items}/e:exhibitNumber", "", "hash lists have no exhibit numbers; the path stands in"
        ),
        unfilled(f"{items}/e:description", "", "hash lists describe nothing; the path stands in"),
        unfilled(
            f"{items}/e:seizure",
            "",
            "hash lists record no seizure or source item: add it (or derivedFrom) (EVD-020)",
        ),
    ]
