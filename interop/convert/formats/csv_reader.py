"""Read a spreadsheet's CSV export into checked rows, reporting every cell it cannot use.

Exports come from Excel, LibreOffice and registry software in whatever form the clerk's
machine chose: UTF-8 with or without a byte order mark, UTF-16 ("Unicode text"), or the
Windows code page; commas, semicolons (German Excel) or tabs, or what an Excel ``sep=`` line
names. Rows are numbered as the spreadsheet shows them (the header is row 1), so that a
clerk can find every reported cell; a cell with a line break inside quotes stays one row, as
in the spreadsheet, and empty rows are counted but not read.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Final

from interop.convert.formats.csv_spec import (
    Cell,
    CellError,
    ColumnSpec,
    HeaderSpec,
    TargetField,
    Value,
)
from interop.convert.loss import LossEntry, LossKind, preview
from interop.errors import UnreadableInput

DELIMITERS: Final = (",", ";", "\t")
_SNIFF_CHARS: Final = 64 * 1024
_SNIFF_ROWS: Final = 50
# Files that are not text at all: a workbook saved as-is is the usual mistake.
_WORKBOOKS: Final = {
    b"PK\x03\x04": "an Excel (.xlsx) or OpenDocument",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 (.xls)",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One data row that is kept.

    Attributes:
        number: the row number as the spreadsheet shows it.
        values: field name -> value, for every field with a value (from the cell or a default).
        cells: field name -> the cell's text as written, for every field read from a cell.
    """

    number: int
    values: Mapping[str, Cell]
    cells: Mapping[str, str]

    @property
    def given(self) -> frozenset[str]:
        """The fields whose value comes from a cell of this row, not from a default."""
        return frozenset(self.cells)


@dataclass(frozen=True, slots=True)
class Table:
    """What a CSV file holds, read through a header spec.

    Attributes:
        rows: the rows kept, in file order.
        loss: what the reading step did not carry over (unknown columns, bad cells, skipped rows).
        headings: field name -> the column heading as written in the file.
        encoding: how the bytes were decoded.
        delimiter: the field separator found.
        spec: the header spec the file was read with.
    """

    rows: tuple[Row, ...]
    loss: tuple[LossEntry, ...]
    headings: Mapping[str, str]
    encoding: str
    delimiter: str
    spec: HeaderSpec

    def columns(self, fields: Iterable[str]) -> str:
        """Where a clerk finds ``fields``: their headings in the file (the spec's when absent)."""
        headings = []
        for name in fields:
            column = self.spec.column(name)
            fallback = column.headers[0] if column else name
            headings.append(self.headings.get(name, fallback))
        return ", ".join(f'column "{h}"' for h in headings)


@dataclass(frozen=True, slots=True)
class _Column:
    """A column of the file: its position, heading and the spec that reads it (if any)."""

    index: int
    heading: str
    spec: ColumnSpec | None

    @property
    def where(self) -> str:
        if self.heading:
            return f'column "{self.heading}"'
        return f"column {column_letter(self.index)} (no heading)"


def read_table(data: bytes, source: str, spec: HeaderSpec) -> Table:
    """Decode, split and check a CSV export against ``spec``.

    Raises:
        UnreadableInput: not text, no header row, or no column for a field every row needs.
    """
    text, encoding, note = decode(data, source)
    # Line breaks inside quoted cells come as the exporting system wrote them; the document
    # keeps plain line feeds.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.partition("\n")
    if len(first) == len("sep=;") and first.startswith("sep="):
        # Excel's own hint, written by some exports; Excel hides the line, so rows count after it.
        text, delimiter = rest, first[-1]
    else:
        delimiter = sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableInput(source, f"not a readable CSV file: {exc}") from None
    start = next((i for i, r in enumerate(records) if _filled(r)), None)
    if start is None:
        raise UnreadableInput(source, "the file holds no header row and no data")
    columns = _columns(records[start], spec, source, start + 1)
    loss = [note] if note else []
    width = max(len(r) for r in records)
    columns += [_Column(i, "", None) for i in range(len(columns), width)]
    data_rows = [(i + 1, r) for i, r in enumerate(records) if i > start and _filled(r)]
    loss.extend(_unconsumed_columns(columns, spec, data_rows))
    rows = []
    for number, record in data_rows:
        row = _row(number, record, columns, spec, loss)
        if row is not None:
            rows.append(row)
    headings = {c.spec.field.name: c.heading for c in _used(columns, spec) if c.spec}
    return Table(tuple(rows), tuple(loss), headings, encoding, delimiter, spec)


def decode(data: bytes, source: str) -> tuple[str, str, LossEntry | None]:
    """The text of a CSV file, the encoding used, and a note when the encoding was guessed.

    Raises:
        UnreadableInput: a workbook or other binary file, or text in no supported encoding.
    """
    for magic, kind in _WORKBOOKS.items():
        if data.startswith(magic):
            raise UnreadableInput(
                source, f"this is {kind} workbook, not CSV; save it as 'CSV UTF-8'"
            )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source, "UTF-16"), "utf-16", None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", source, "UTF-8"), "utf-8-sig", None
    if b"\x00" in data:
        raise UnreadableInput(source, "a binary file, not CSV text")
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = _strict(data, "cp1252", source, "UTF-8 nor as Windows-1252")
    line = data.count(b"\n", 0, first_bad) + 1
    fragment = text.splitlines()[line - 1] if text.splitlines() else ""
    # A guess can be wrong (ISO-8859-2 reads as Windows-1252 without an error), so it is said.
    note = LossEntry(
        LossKind.REJECTED,
        "encoding",
        preview(fragment),
        f"the file is not UTF-8 (line {line}); it was read as Windows-1252 (cp1252). Check "
        "accented letters in the result, or export the sheet as 'CSV UTF-8'",
    )
    return text, "cp1252", note


def _strict(data: bytes, encoding: str, source: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            source,
            f"the file cannot be read as {name} text (byte {exc.start}); "
            "export the sheet as 'CSV UTF-8'",
        ) from None


def sniff_delimiter(text: str) -> str:
    """The separator among comma, semicolon and tab that splits the first rows most evenly."""
    sample = text[:_SNIFF_CHARS]
    return max(DELIMITERS, key=lambda d: _evenness(sample, d))


def _evenness(sample: str, delimiter: str) -> tuple[int, int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        rows = [r for r in islice(reader, _SNIFF_ROWS) if _filled(r)]
    except csv.Error:
        return (0, 0)
    if not rows or len(rows[0]) < 2:
        return (0, 0)
    width = len(rows[0])
    # Rows as wide as the header row, then the header's width: a comma inside German text
    # does not split every row the same way, the real separator does.
    return (sum(1 for r in rows if len(r) == width), width)


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _filled(record: Sequence[str]) -> bool:
    return any(cell.strip() for cell in record)


def _columns(header: Sequence[str], spec: HeaderSpec, source: str, number: int) -> list[_Column]:
    columns = [
        _Column(i, h.strip(), spec.match(h) if h.strip() else None) for i, h in enumerate(header)
    ]
    mapped = {c.spec.field.name for c in columns if c.spec}
    for column in spec.columns:
        if column.required and column.default is None and column.field.name not in mapped:
            names = ", ".join(f'"{h}"' for h in column.headers)
            raise UnreadableInput(
                source,
                f"no column for {column.field.name} in the header row (row {number}): name it "
                f"one of {names}, or pass a header spec (spec_path) that names your column",
                number,
            )
    return columns


def _used(columns: Iterable[_Column], spec: HeaderSpec) -> list[_Column]:
    """The columns whose values are read: the first one for each field."""
    first: dict[str, _Column] = {}
    for column in columns:
        if column.spec is not None:
            first.setdefault(column.spec.field.name, column)
    return list(first.values())


def _unconsumed_columns(
    columns: list[_Column], spec: HeaderSpec, rows: list[tuple[int, list[str]]]
) -> list[LossEntry]:
    used = {c.index for c in _used(columns, spec)}
    loss = []
    for column in columns:
        if column.index in used:
            continue
        values = (r[column.index].strip() for _, r in rows if column.index < len(r))
        sample = next((v for v in values if v), "")
        if not column.heading and not sample:
            continue  # an empty column (trailing separators): nothing to lose
        reason = "no field of the header spec has this heading"
        if column.spec is not None:
            reason = f"a second column for {column.spec.field.name}; only the first one is read"
        loss.append(LossEntry(LossKind.UNCONSUMED, column.where, preview(sample), reason))
    return loss


def _row(
    number: int, record: list[str], columns: list[_Column], spec: HeaderSpec, loss: list[LossEntry]
) -> Row | None:
    values: dict[str, Cell] = {}
    cells: dict[str, str] = {}
    bad: set[str] = set()
    for column in _used(columns, spec):
        assert column.spec is not None
        raw = record[column.index].strip() if column.index < len(record) else ""
        value = _cell(number, column, column.spec, raw, loss)
        if value is not None:
            values[column.spec.field.name] = value
            cells[column.spec.field.name] = raw
        elif column.spec.split(raw):
            bad.add(column.spec.field.name)
    skip = any(_needed(c) for c in spec.columns if c.field.name in bad)
    for wanted in spec.columns:
        name = wanted.field.name
        if name in values or name in bad:
            continue
        if wanted.default is not None:
            values[name] = wanted.read(wanted.default)
        elif wanted.required:
            skip = True
            heading = next((c.heading for c in columns if c.spec is wanted), wanted.headers[0])
            reason = "a value is required here; the row was skipped"
            loss.append(
                LossEntry(LossKind.REJECTED, f'row {number}, column "{heading}"', "", reason)
            )
    return None if skip else Row(number, values, cells)


def _cell(
    number: int, column: _Column, spec: ColumnSpec, raw: str, loss: list[LossEntry]
) -> Cell | None:
    """The value(s) of one cell; each value that cannot be read is reported on its own."""
    good: list[Value] = []
    rejected: list[tuple[str, str]] = []
    for part in spec.split(raw):
        try:
            good.append(spec.parse(part))
        except CellError as exc:
            rejected.append((part, str(exc)))
    # A field every row needs is not replaced by a default: a wrong value is not an empty one,
    # and guessing would hide the mistake.
    effect = "the row was skipped" if not good and _needed(spec) else "the value was left out"
    for part, reason in rejected:
        where = f"row {number}, {column.where}"
        loss.append(LossEntry(LossKind.REJECTED, where, preview(part), f"{reason}; {effect}"))
    if not good:
        return None
    return tuple(dict.fromkeys(good)) if spec.field.many else good[0]


def source_order(entries: Iterable[LossEntry]) -> tuple[LossEntry, ...]:
    """Loss entries as a clerk reads them: the file and its columns, rows in order, then the
    target fields left empty (the sort is stable, so entries of one row keep their order)."""

    def key(entry: LossEntry) -> tuple[int, int]:
        if entry.kind is LossKind.UNFILLED:
            return (2, 0)
        words = entry.path.split(",")[0].split()
        is_row = len(words) == 2 and words[0] == "row" and words[1].isdigit()
        return (1, int(words[1])) if is_row else (0, 0)

    return tuple(sorted(entries, key=key))


def missing_columns(table: Table, fields: Iterable[TargetField]) -> list[LossEntry]:
    """``unfilled`` entries for the fields the format expects that the sheet has no column for."""
    loss = []
    for target in fields:
        column = table.spec.column(target.name)
        if not target.expected or target.name in table.headings:
            continue
        if column is not None and column.default is not None:
            continue
        names = ", ".join(f'"{h}"' for h in column.headers[:3]) if column else target.name
        reason = f"the sheet has no column for it ({names})"
        loss.append(LossEntry(LossKind.UNFILLED, target.target, "", reason))
    return loss


def nothing_imported(loss: Iterable[LossEntry]) -> str:
    """Why no row could be used: the first reason given for a row, if any."""
    first = next((e for e in loss if e.path.startswith("row ")), None)
    if first is None:
        return "the sheet has no data rows"
    return f"no row could be imported; the first problem: {first.path}: {first.reason}"


def _needed(column: ColumnSpec) -> bool:
    return column.required or column.field.required
