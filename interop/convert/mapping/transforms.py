"""Value transforms of mapping specs, each with its inverse so that one spec serves both ways.

A transform is named in the spec: ``date:%d.%m.%Y`` (national date format <-> ISO date),
``table:roles`` (a code table from the spec, inverted for the other direction), ``upper``,
``lower``. Joining and splitting repeated values (``join: ``) is done by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from interop.errors import SchemaError


class TransformError(ValueError):
    """A value the transform cannot convert; it becomes a ``rejected`` loss entry."""


@dataclass(frozen=True, slots=True)
class Transform:
    """A named transform; ``to_common`` and ``from_common`` are inverses."""

    name: str
    kind: str
    argument: str
    table: Mapping[str, str]
    inverse: Mapping[str, str]

    def to_common(self, value: str) -> str:
        return self._apply(value, forward=True)

    def from_common(self, value: str) -> str:
        return self._apply(value, forward=False)

    def _apply(self, value: str, *, forward: bool) -> str:
        if self.kind == "date":
            return _date(value, self.argument, forward=forward)
        if self.kind == "table":
            table = self.table if forward else self.inverse
            if value not in table:
                known = ", ".join(sorted(table)[:12])
                raise TransformError(f"code {value!r} is not in table {self.argument} ({known})")
            return table[value]
        if self.kind == "upper":
            return value.upper() if forward else value
        return value.lower() if forward else value  # "lower"


def compile_transform(name: str, tables: Mapping[str, Mapping[str, str]], where: str) -> Transform:
    """Check a transform name from a spec and prepare it.

    Raises:
        SchemaError: unknown transform or table, or a table that cannot be inverted.
    """
    kind, _, argument = name.partition(":")
    if kind == "date":
        if not argument:
            raise SchemaError(f"{where}: date transform needs a format, e.g. date:%d.%m.%Y")
        return Transform(name, kind, argument, {}, {})
    if kind == "table":
        if argument not in tables:
            raise SchemaError(f"{where}: no table {argument!r} in [tables]")
        table = dict(tables[argument])
        inverse = {common: national for national, common in table.items()}
        if len(inverse) != len(table):
            # Two national codes for one common code: the first listed is written back.
            inverse = {}
            for national, common in table.items():
                inverse.setdefault(common, national)
        return Transform(name, kind, argument, table, inverse)
    if kind in ("upper", "lower") and not argument:
        return Transform(name, kind, "", {}, {})
    raise SchemaError(
        f"{where}: unknown transform {name!r} (date:FORMAT, table:NAME, upper, lower)"
    )


def _date(value: str, national_format: str, *, forward: bool) -> str:
    source, target = (national_format, "%Y-%m-%d") if forward else ("%Y-%m-%d", national_format)
    try:
        return datetime.strptime(value.strip(), source).strftime(target)
    except ValueError:
        raise TransformError(f"{value!r} is not a date in the form {source}") from None
