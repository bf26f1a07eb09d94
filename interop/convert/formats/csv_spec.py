"""Header specs: which spreadsheet columns fill which fields of a common document, and how.

A header spec is a small TOML file, so that a ministry can map its own column names without
writing Python. Each ``[columns.FIELD]`` table names a field the converter knows (its
``FIELDS``) and the column headings that fill it::

    [spec]
    name = "csv-recipients"
    version = "1.0"
    document_type = "recipient-list"
    description = "lists of recipients for notices, one row per person"

    [columns.family_name]
    headers = ["Family name", "Nachname"]   # matched ignoring case and spaces
    required = true                         # a row without it is skipped and reported

    [columns.birth_date]
    headers = ["Birth date", "Geburtsdatum"]
    type = "date"                           # text, date, datetime, integer or code
    formats = ["%d.%m.%Y", "%Y-%m-%d", "%Y"]   # tried in order; "%Y" alone gives a year

    [columns.languages]
    headers = ["Languages", "Sprachen"]
    type = "code"                           # checked against the field's code list
    separator = ";,"                        # any of these characters separates values
    default = "de"                          # used when the cell is empty
    aliases = { Deutsch = "de", Englisch = "en" }

``type`` may be left out (the field decides it); when given it must be the field's type, so
that a spec cannot put a date where text is expected. Codes are accepted as written in the
code list, through ``aliases``, or by the code list's own English label (``German``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default_field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

from interop.errors import SchemaError, UsageError
from interop.resources import xsd_dir
from interop.xmlio import parse_file

XS: Final = "http://www.w3.org/2001/XMLSchema"
_SPEC_KEYS: Final = frozenset({"name", "version", "document_type", "description"})
_COLUMN_KEYS: Final = frozenset(
    {"headers", "type", "required", "default", "formats", "aliases", "separator"}
)
# Characters XML 1.0 cannot carry; a cell holding one is rejected rather than mangled.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DIGITS: Final = re.compile(r"\d+|\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*")
_FORMS_SHOWN: Final = 3  # a message lists the first date formats, not all of them
_DIRECTIVES: Final = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%H": "hh", "%M": "mm"}


class ValueType(StrEnum):
    """What a cell holds; the values are the words used in header specs."""

    TEXT = "text"
    DATE = "date"  # a calendar date, or only year and month, or only the year
    DATETIME = "datetime"  # a date with a time of day, local or with an offset
    INTEGER = "integer"
    CODE = "code"  # a code of one of the code lists in xsd/common/codelists


Value = str | int | datetime
Cell = Value | tuple[Value, ...]


class CellError(ValueError):
    """A cell that cannot be read as its column says; it becomes a ``rejected`` loss entry."""


@dataclass(frozen=True, slots=True)
class TargetField:
    """A field of the common document that a column can fill; each converter lists its own.

    Attributes:
        name: the key used in header specs (``birth_date``).
        type: what the cell must hold.
        target: where the value goes in the common document, for loss reports.
        code_list: for codes, the code list's type name in ``cl:`` (``LanguageCode``).
        many: the cell may hold several values, split at the column's separator.
        required: every row needs it (the schema does); a spec must make the column required
            or give it a default.
        expected: the common format expects it; a sheet without such a column is reported.
        pattern: for text, the form the schema allows (checked on the normalised value).
        form: that form in words, for the clerk (``15 digits``).
        minimum: for integers, the smallest value the schema allows.
        normalize: for text, how a value is brought into the schema's form first.
    """

    name: str
    type: ValueType
    target: str
    code_list: str | None = None
    many: bool = False
    required: bool = False
    expected: bool = False
    pattern: re.Pattern[str] | None = None
    form: str = ""
    minimum: int | None = None
    normalize: Callable[[str], str] | None = None


@dataclass(frozen=True, slots=True)
class CodeList:
    """The codes of one code list and the words that name them (codes and English labels)."""

    name: str
    codes: frozenset[str]
    by_key: Mapping[str, str]  # match_key(code or label) -> code


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """How one column is read: its headings, whether rows need it, and how cells parse."""

    field: TargetField
    headers: tuple[str, ...]
    required: bool = False
    default: str | None = None
    formats: tuple[str, ...] = ()
    aliases: Mapping[str, str] = default_field(default_factory=dict)  # match_key(alias) -> code
    separator: str = ";"

    def split(self, raw: str) -> list[str]:
        """The values written in a cell: the cell, or the parts between separators."""
        if not self.field.many:
            return [raw.strip()] if raw.strip() else []
        parts = (p.strip() for p in re.split(f"[{re.escape(self.separator)}]", raw))
        return [p for p in parts if p]

    def parse(self, text: str) -> Value:
        """One value: a cell, or one part of a cell of many values.

        Raises:
            CellError: the text is not what the column says (the reason says why).
        """
        if _NOT_XML.search(text):
            raise CellError("contains control characters that a document cannot hold")
        return self._one(text)

    def read(self, raw: str) -> Cell:
        """Every value of a cell (a tuple for a field of many values).

        Raises:
            CellError: a value is not what the column says, or there is none.
        """
        values = tuple(dict.fromkeys(self.parse(p) for p in self.split(raw)))
        if not values:
            raise CellError("holds no value")
        return values if self.field.many else values[0]

    def _one(self, text: str) -> Value:
        kind = self.field.type
        if kind is ValueType.DATE:
            return parse_date(text, self.formats)
        if kind is ValueType.DATETIME:
            return parse_datetime(text, self.formats)
        if kind is ValueType.INTEGER:
            return self._integer(text)
        if kind is ValueType.CODE:
            return self._code(text)
        return self._text(text)

    def _integer(self, text: str) -> int:
        match = _DIGITS.fullmatch(text)
        if not match:
            raise CellError("not a whole number")
        value = int(re.sub(r"\D", "", text))
        minimum = self.field.minimum
        if minimum is not None and value < minimum:
            raise CellError(f"must be at least {minimum}")
        return value

    def _code(self, text: str) -> str:
        assert self.field.code_list is not None  # checked when the spec is loaded
        key = match_key(text)
        found = self.aliases.get(key) or code_list(self.field.code_list).by_key.get(key)
        if found is None:
            raise CellError(f"not a known code of {self.field.code_list} and not an alias")
        return found

    def _text(self, text: str) -> str:
        if self.field.normalize is not None:
            text = self.field.normalize(text)
        pattern = self.field.pattern
        if pattern is not None and not pattern.fullmatch(text):
            raise CellError(f"not {self.field.form or 'in the form the format requires'}")
        return text


@dataclass(frozen=True, slots=True)
class HeaderSpec:
    """A whole header spec: which columns fill which fields."""

    name: str
    version: str
    document_type: str
    description: str
    columns: tuple[ColumnSpec, ...]
    source: str  # the file, for messages

    def column(self, name: str) -> ColumnSpec | None:
        """The column spec of field ``name``, if the spec maps it."""
        return next((c for c in self.columns if c.field.name == name), None)

    def match(self, heading: str) -> ColumnSpec | None:
        """The column spec whose headings include ``heading`` (ignoring case and spaces)."""
        key = match_key(heading)
        return next((c for c in self.columns if key in {match_key(h) for h in c.headers}), None)


def match_key(text: str) -> str:
    """``text`` as headings and codes are compared: without case, spaces or compatibility forms."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def parse_date(text: str, formats: Sequence[str]) -> str:
    """A date as ISO text; a format without day (or month) gives year-month (or year).

    Raises:
        CellError: no format fits.
    """
    for form in formats:
        try:
            parsed = datetime.strptime(text, form)  # a calendar date: no time zone
        except ValueError:
            continue
        # Written out by hand: strftime does not pad years before 1000 to four digits.
        if "%d" in form:
            return parsed.date().isoformat()
        return f"{parsed.year:04d}-{parsed.month:02d}" if "%m" in form else f"{parsed.year:04d}"
    raise CellError(f"not a date in the form {_forms(formats)}")


def parse_datetime(text: str, formats: Sequence[str]) -> datetime:
    """A date and time; without an offset in the cell it is local time (no tzinfo).

    Raises:
        CellError: no format fits.
    """
    for form in formats:
        try:
            return datetime.strptime(text, form)  # local time unless the format has %z
        except ValueError:
            continue
    raise CellError(f"not a date and time in the form {_forms(formats)}")


def _forms(formats: Sequence[str]) -> str:
    """Formats as a clerk reads them: ``%d.%m.%Y`` becomes ``dd.mm.yyyy``."""
    readable = []
    for form in formats[:_FORMS_SHOWN]:
        words = form.replace("%z", "+hh:mm").replace("%S", "ss")
        for directive, word in _DIRECTIVES.items():
            words = words.replace(directive, word)
        readable.append(words)
    more = " or another form" if len(formats) > _FORMS_SHOWN else ""
    return " or ".join(readable) + more


@lru_cache(maxsize=16)
def code_list(name: str) -> CodeList:
    """The bundled code list ``name`` (a ``cl:`` simple type), read once.

    Raises:
        SchemaError: no code list has that name.
    """
    for path in sorted((xsd_dir() / "common" / "codelists").glob("*.xsd")):
        found = parse_file(path).getroot().find(f"{{{XS}}}simpleType[@name='{name}']")
        if found is None:
            continue
        by_key: dict[str, str] = {}
        for item in found.iter(f"{{{XS}}}enumeration"):
            code = str(item.get("value"))
            label = match_key("".join(item.itertext()))
            if label:
                by_key.setdefault(label, code)
            by_key[match_key(code)] = code  # a code wins over a label that reads the same
        return CodeList(name, frozenset(by_key.values()), by_key)
    raise SchemaError(f"no code list named {name!r} in the bundled schemas")


# ----------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def builtin_spec(name: str, document_type: str, fields: tuple[TargetField, ...]) -> HeaderSpec:
    """The header spec bundled as ``specs/<name>.toml``, checked against ``fields``."""
    resource = files(__package__ or "interop.convert.formats") / "specs" / f"{name}.toml"
    text = resource.read_text("utf-8")
    return parse_spec(text, f"{name}.toml (built in)", document_type, fields)


def load_spec(path: str | Path, document_type: str, fields: Sequence[TargetField]) -> HeaderSpec:
    """Read a user's header spec file and check it against a converter's document type and fields.

    Raises:
        UsageError: the file does not exist or cannot be read.
        SchemaError: the file breaks the spec format (the file and the entry are named).
    """
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read header spec: {exc}") from None
    return parse_spec(text, str(path), document_type, fields)


def parse_spec(
    text: str, source: str, document_type: str, fields: Sequence[TargetField]
) -> HeaderSpec:
    """Check a header spec's TOML text against the document type and fields of a converter.

    Raises:
        SchemaError: not TOML, another document type, unknown keys or fields, bad types,
            formats, aliases or defaults.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{source}: not valid TOML: {exc}") from None
    head = _table(data.get("spec"), f"{source}: [spec]")
    _known_keys(head, _SPEC_KEYS, f"{source}: [spec]")
    if _text(head, "document_type", source) != document_type:
        raise SchemaError(f'{source}: this importer writes document_type = "{document_type}"')
    known = {f.name: f for f in fields}
    columns = []
    for name, entry in _table(data.get("columns"), f"{source}: [columns]").items():
        if name not in known:
            raise SchemaError(f"{source}: unknown field [columns.{name}]; known: {sorted(known)}")
        columns.append(_column(known[name], entry, f"{source}: [columns.{name}]"))
    if not columns:
        raise SchemaError(f"{source}: no [columns.FIELD] tables; known fields: {sorted(known)}")
    _check_headings_unique(columns, source)
    return HeaderSpec(
        name=_text(head, "name", source),
        version=_text(head, "version", source),
        document_type=_text(head, "document_type", source),
        description=str(head.get("description", "")),
        columns=tuple(columns),
        source=source,
    )


def _column(target: TargetField, entry: Any, where: str) -> ColumnSpec:
    entry = _table(entry, where)
    _known_keys(entry, _COLUMN_KEYS, where)
    kind = entry.get("type", target.type.value)
    if kind != target.type.value:
        raise SchemaError(f"{where}: type must be {target.type.value!r} for this field")
    headers = entry.get("headers")
    if not isinstance(headers, list) or not headers or not all(isinstance(h, str) for h in headers):
        raise SchemaError(f'{where}: headers = ["...", ...] is required')
    column = ColumnSpec(
        field=target,
        headers=tuple(headers),
        required=_flag(entry, "required", where),
        default=str(entry["default"]) if "default" in entry else None,
        formats=_formats(target, entry.get("formats"), where),
        aliases=_aliases(target, entry.get("aliases", {}), where),
        separator=_separator(entry, where),
    )
    if target.required and not column.required and column.default is None:
        raise SchemaError(f"{where}: every row needs this field; set required = true or a default")
    if column.default is not None:
        try:
            column.read(column.default)
        except CellError as exc:
            raise SchemaError(f"{where}: default {column.default!r} is {exc}") from None
    return column


def _formats(target: TargetField, formats: Any, where: str) -> tuple[str, ...]:
    if target.type not in (ValueType.DATE, ValueType.DATETIME):
        if formats is not None:
            raise SchemaError(f"{where}: formats are only for dates")
        return ()
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
        raise SchemaError(f'{where}: formats = ["%d.%m.%Y", ...] is required for dates')
    for form in formats:
        has_time = "%H" in form
        if (target.type is ValueType.DATETIME) != has_time:
            need = "needs" if target.type is ValueType.DATETIME else "must not have"
            # A time made up from a date alone (midnight) would be invented content.
            raise SchemaError(f"{where}: format {form!r} {need} a time (%H:%M)")
    return tuple(formats)


def _aliases(target: TargetField, aliases: Any, where: str) -> dict[str, str]:
    aliases = _table(aliases, f"{where} aliases")
    if aliases and target.code_list is None:
        raise SchemaError(f"{where}: aliases are only for codes")
    if target.code_list is None:
        return {}
    codes = code_list(target.code_list).codes
    unknown = sorted(str(v) for v in aliases.values() if v not in codes)
    if unknown:
        raise SchemaError(f"{where}: aliases name codes not in {target.code_list}: {unknown}")
    return {match_key(str(k)): str(v) for k, v in aliases.items()}


def _check_headings_unique(columns: list[ColumnSpec], source: str) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        for heading in column.headers:
            other = seen.setdefault(match_key(heading), column.field.name)
            if other != column.field.name:
                raise SchemaError(
                    f"{source}: heading {heading!r} is given to {other} and {column.field.name}"
                )


def _separator(entry: Mapping[str, Any], where: str) -> str:
    value = entry.get("separator", ";")
    if not isinstance(value, str) or not value or value.isspace():
        raise SchemaError(f'{where}: separator = ";" names the characters between values')
    return value


def _flag(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise SchemaError(f"{where}: {key} must be true or false")
    return value


def _table(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SchemaError(f"{where} must be a table")
    return value


def _known_keys(table: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    unknown = set(table) - known
    if unknown:
        raise SchemaError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(known)}")


def _text(table: Mapping[str, Any], key: str, source: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise SchemaError(f'{source}: [spec] needs {key} = "..."')
    return value
