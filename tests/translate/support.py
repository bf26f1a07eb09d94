"""Fakes and helpers shared by the document, XLIFF and CLI tests of translation."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from interop import xmlio
from interop.translate.engine import EngineError, EngineInfo
from interop.validate.validator import ValidationSettings, Validator
from tests.conftest import EXAMPLES

C = "urn:interop:common:1"
TEXT = f"{{{C}}}text"
PLACEHOLDER = re.compile(r"ZQ\d+Z")
# German original, reviewed French translation, some unreviewed English machine translations.
EIO = EXAMPLES / "request" / "eio-de-fr-fraud-banking.xml"
# Spanish originals with English machine translations.
STATUS = EXAMPLES / "notification" / "status-update-delayed.xml"


class FakeEngine:
    """Upper-cases every sentence (placeholders stay as they are) and records each call."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[str]]] = []

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset((s, t) for s in ("de", "es", "fr", "en") for t in ("de", "es", "fr", "en"))

    def info(self, source: str, target: str) -> EngineInfo:
        return EngineInfo("fake-engine", f"fake-{source}_{target}", "1.0")

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        self.calls.append((source, target, list(segments)))
        return [s.upper() for s in segments]


class LosingEngine(FakeEngine):
    """Drops every placeholder, as a bad engine would mangle a name."""

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        return [PLACEHOLDER.sub("", s) for s in super().translate(segments, source, target)]


def selector(engine: FakeEngine):  # type: ignore[no-untyped-def]
    return lambda source, target: engine


def no_engine(source: str, target: str) -> FakeEngine:
    raise EngineError(f"no translation engine for {source}->{target}: install one")


def read(path: Path) -> etree._ElementTree:
    return xmlio.parse_file(path)


def versions(tree: etree._ElementTree, language: str) -> list[etree._Element]:
    return [t for t in tree.getroot().iter(TEXT) if t.get("lang") == language]


def errors(tree: etree._ElementTree) -> list[str]:
    report = Validator(ValidationSettings()).check_tree(tree, "translated")
    return [f"{f.rule}: {f.message}" for f in report.findings if f.severity.value == "error"]


def apertium_pair(mode: str) -> bool:
    """Whether Apertium and one of its language-pair modes are installed."""
    return (
        bool(shutil.which("apertium")) and Path(f"/usr/share/apertium/modes/{mode}.mode").exists()
    )
