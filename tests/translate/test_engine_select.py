"""Choosing an engine per language pair: by name, by configurable order, or a clear error."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from interop.translate import engine as engines
from interop.translate import models
from interop.translate.engine import Engine, EngineError, EngineInfo


class Stub:
    def __init__(self, name: str, *pairs: tuple[str, str]) -> None:
        self.name = name
        self._pairs = frozenset(pairs)

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def info(self, source: str, target: str) -> EngineInfo:
        return EngineInfo(self.name, f"{self.name}-{source}_{target}", "1")

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        return list(segments)


def _broken() -> Stub:
    raise EngineError("the broken engine needs something")


STUBS = {
    "one": lambda: Stub("one", ("de", "en")),
    "two": lambda: Stub("two", ("de", "en"), ("de", "fr")),
    "broken": _broken,
    "notanengine": object,
}


@pytest.fixture
def stubs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(engines, "BUILTIN", {})
    monkeypatch.setattr(engines, "_entry_points", lambda: {n: f"x:{n}" for n in STUBS})
    monkeypatch.setattr(engines, "_factory", lambda name, target: STUBS[name])
    monkeypatch.delenv("INTEROP_ENGINES", raising=False)
    engines.get.cache_clear()
    yield
    engines.get.cache_clear()


def test_first_engine_in_the_order_with_the_pair(stubs: None) -> None:
    assert engines.select("de", "en", order=("one", "two")).name == "one"
    assert engines.select("de", "en", order=("two", "one")).name == "two"
    assert engines.select("de", "fr", order=("broken", "one", "two")).name == "two"


def test_order_from_the_environment(stubs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEROP_ENGINES", " two , one ")
    assert engines.default_order() == ("two", "one")
    assert engines.select("de", "en").name == "two"
    monkeypatch.setenv("INTEROP_ENGINES", "")
    assert engines.default_order() == ("apertium", "argos")


def test_engine_by_name(stubs: None) -> None:
    assert engines.select("de", "en", engine="two", order=("one",)).name == "two"
    with pytest.raises(EngineError, match="the one engine cannot translate de->fr here"):
        engines.select("de", "fr", engine="one")
    with pytest.raises(EngineError, match=r"unknown engine 'three'; known engines: broken, "):
        engines.select("de", "en", engine="three")
    with pytest.raises(EngineError, match="is not a translation engine"):
        engines.get("notanengine")


def test_available_engines_leaves_out_those_that_cannot_run(stubs: None) -> None:
    assert [e.name for e in engines.available_engines()] == ["one", "two"]
    assert all(isinstance(e, Engine) for e in engines.available_engines())


def test_no_engine_for_the_pair(stubs: None) -> None:
    with pytest.raises(EngineError, match=r"no translation engine for fr->de \(tried one, two\)"):
        engines.select("fr", "de", order=("one", "two"))


def test_the_real_engines_missing_pair_message(
    model_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTEROP_ENGINES", raising=False)
    engines.get.cache_clear()
    with pytest.raises(EngineError) as caught:
        engines.select("de", "fr")
    assert str(caught.value) == (
        "no translation engine for de->fr (tried apertium, argos): install apertium-deu-fra "
        "with apt-get, or an Argos package de->fr with `interop models install FILE.argosmodel`"
    )


def test_the_real_engines_by_order(
    copy_model_file: Path, model_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models.install(copy_model_file)
    monkeypatch.delenv("INTEROP_ENGINES", raising=False)
    engines.get.cache_clear()
    assert {e.name for e in engines.available_engines()} == {"apertium", "argos"}
    assert engines.select("en", "es").name == "apertium"
    assert engines.select("de", "en").name == "argos"  # apertium has no de->en here
    assert engines.select("en", "es", order=("argos", "apertium")).name == "apertium"
    monkeypatch.setenv("INTEROP_ENGINES", "argos")
    with pytest.raises(EngineError, match="tried argos"):
        engines.select("en", "es")
