"""The registry of converters: built-in ones, third-party ones from entry points, specs.

Nothing registers itself at import time. Built-ins are listed here by dotted path and imported
only when asked for; other packages add converters through the ``interop.converters`` entry
point group (each entry point names a class or factory that takes no arguments). A name
ending in ``.toml`` is a mapping spec file: a new format without any Python.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Final

from interop.convert.converter import Converter
from interop.errors import UsageError

ENTRY_POINT_GROUP: Final = "interop.converters"
COMMON: Final = "common"

BUILTIN: Final = {
    COMMON: "interop.convert.formats.common:CommonFormat",
    "csv-evidence": "interop.convert.formats.csv_evidence:CsvEvidence",
    "csv-recipients": "interop.convert.formats.csv_recipients:CsvRecipients",
    "xjustiz-0500001": "interop.convert.formats.xjustiz.strafverfahren:XJustizStrafverfahren",
    "xjustiz-0500017": "interop.convert.formats.xjustiz.asservate:XJustizAsservate",
    "xjustiz-0005005": "interop.convert.formats.xjustiz.uebermittlung:XJustizUebermittlung",
    "case": "interop.evidence.formats.case:CaseJsonLd",
    "dfxml": "interop.evidence.formats.dfxml:Dfxml",
    "hashdeep": "interop.evidence.formats.hashlists:Hashdeep",
    "md5deep": "interop.evidence.formats.hashlists:Md5deep",
    "sha256sum": "interop.evidence.formats.hashlists:Sha256sum",
    "bsd": "interop.evidence.formats.hashlists:BsdHashes",
}


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def names() -> list[str]:
    """Every converter name, built-ins first."""
    return list(BUILTIN) + sorted(n for n in _entry_points() if n not in BUILTIN)


def create(name: str, options: Mapping[str, Any]) -> Converter:
    """A converter called ``name`` made with ``options`` (document-level data, a spec file).

    Raises:
        UsageError: unknown name, or an option this converter does not take.
    """
    if not options:
        return get(name)
    target = BUILTIN.get(name) or _entry_points().get(name)
    if target is None:
        return get(name)  # a spec file, or the error that lists the known formats
    factory = _factory(name, target)
    accepted = inspect.signature(factory).parameters
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        flags = ", ".join("--" + option.replace("_", "-") for option in unknown)
        raise UsageError(f"format {name!r} does not take {flags}")
    return _checked(name, target, factory(**options))


@cache
def get(name: str) -> Converter:
    """The converter called ``name``.

    Raises:
        UsageError: no converter has that name (the message lists the known ones), or it
            cannot be loaded.
    """
    if name.endswith(".toml"):
        from interop.convert.mapping.converter import from_spec_file  # noqa: PLC0415

        return from_spec_file(name)
    target = BUILTIN.get(name) or _entry_points().get(name)
    if target is None:
        raise UsageError(f"unknown format {name!r}; known formats: {', '.join(names())}")
    return _checked(name, target, _factory(name, target)())


def _factory(name: str, target: str) -> Callable[..., object]:
    module_name, _, attribute = target.partition(":")
    try:
        factory: Callable[..., object] = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"format {name!r} cannot be loaded from {target}: {exc}") from None
    return factory


def _checked(name: str, target: str, converter: object) -> Converter:
    if not isinstance(converter, Converter):
        raise UsageError(f"format {name!r} ({target}) is not a converter")
    return converter
