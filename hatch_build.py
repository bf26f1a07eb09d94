"""Wheel build hook: compile the gettext catalogs (locales/*/LC_MESSAGES/interop.po -> .mo).

The compiled catalogs are build products (not in git); they are made here, at build time, so
that the wheel's force-included ``locales`` folder carries them next to their sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    """Compile every catalog before the wheel's files are collected."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # a checkout compiles its catalogs in scripts/dev setup, or reads the .po
        from babel.messages.mofile import write_mo  # noqa: PLC0415 - not for editable builds
        from babel.messages.pofile import read_po  # noqa: PLC0415

        for po in sorted(Path(self.root, "locales").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
