"""The Argos engine on a real (tiny, copying) Argos package: batching, pivots, offline."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from interop.translate import engine as engines
from interop.translate import models
from interop.translate.engine import EngineError, EngineInfo
from interop.translate.engines import argos
from interop.translate.engines.argos import ArgosEngine
from tests.conftest import ROOT
from tests.translate.tiny_argos import build_copy_model

SENTENCES = [
    "Die Beschuldigten haben seit Januar 2026 begonnen, Gelder zu überweisen. ",
    "Größe € § 7(2), HRB 1234 — ok?\n",
    "  Ein Satz mit Rand.  ",
    "",
    "   ",
    "a",
]


@pytest.fixture
def store(copy_model_file: Path, model_store: Path) -> Path:
    models.install(copy_model_file)
    return model_store


def test_the_copy_model_round_trips_through_the_real_engine(store: Path) -> None:
    engine = ArgosEngine()
    assert engine.pairs() == {("de", "en")}
    assert engine.info("de", "en") == EngineInfo("argos-translate", "translate-de_en", "1.0")
    assert engine.translate(SENTENCES, "de", "en") == SENTENCES
    assert engine.translate([], "de", "en") == []


def test_underscores_come_back_as_spaces(store: Path) -> None:
    # argostranslate's decoding, kept on purpose; placeholders therefore avoid "_".
    assert ArgosEngine().translate(["ref_12 und ZQ1Z"], "de", "en") == ["ref 12 und ZQ1Z"]


def test_one_batched_call_per_model(store: Path) -> None:
    engine = ArgosEngine()
    engine.translate(["warm"], "de", "en")
    loaded = next(iter(engine._loaded.values()))
    calls: list[dict[str, Any]] = []

    class Spy:
        def translate_batch(self, tokens: list[list[str]], **options: Any) -> Any:
            calls.append({"n": len(tokens), **options})
            return loaded.translator.translate_batch(tokens, **options)

    engine._loaded[store / "translate-de_en"] = argos._Loaded(Spy(), loaded.tokenizer, loaded.stamp)
    sentences = [f"Satz Nummer {i}." for i in range(100)]
    assert engine.translate(sentences, "de", "en") == sentences
    assert len(calls) == 1
    assert calls[0]["n"] == 100
    assert calls[0]["max_batch_size"] == 32 and calls[0]["batch_type"] == "examples"
    assert calls[0]["beam_size"] == 2


def test_long_segments_are_cut_at_word_starts_not_truncated(store: Path) -> None:
    words = " ".join(f"Wort{i}" for i in range(100))  # about 400 pieces: two chunks
    assert ArgosEngine().translate([words], "de", "en") == [words]


def test_pivot_through_english(copy_model_file: Path, store: Path, tmp_path: Path) -> None:
    models.install(build_copy_model(tmp_path, source="en", target="fr", version="2.1"))
    engine = ArgosEngine()
    assert engine.pairs() == {("de", "en"), ("en", "fr"), ("de", "fr")}
    assert engine.info("de", "fr") == EngineInfo(
        "argos-translate", "translate-de_en+translate-en_fr", "1.0+2.1"
    )
    assert engine.translate(SENTENCES, "de", "fr") == SENTENCES


def test_missing_pair_names_what_to_install(store: Path) -> None:
    with pytest.raises(EngineError, match=r"no Argos package for fr->de .*interop models install"):
        ArgosEngine().info("fr", "de")


def test_a_reinstalled_model_is_reloaded(store: Path, tmp_path: Path) -> None:
    engine = ArgosEngine()
    engine.translate(["eins"], "de", "en")
    models.install(build_copy_model(tmp_path, version="1.1"))
    assert engine.info("de", "en").model_version == "1.1"
    assert engine.translate(["zwei"], "de", "en") == ["zwei"]
    assert next(iter(engine._loaded.values())).stamp[0] == "1.1"


def test_a_broken_model_is_a_one_line_error(store: Path) -> None:
    (store / "translate-de_en" / "model" / "model.bin").write_bytes(b"broken")
    with pytest.raises(EngineError, match=r"cannot be loaded .* reinstall it"):
        ArgosEngine().translate(["x"], "de", "en")


def test_the_whole_path_runs_with_networking_disabled(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engines.get.cache_clear()
    chosen = engines.select("de", "en", engine="argos")
    assert chosen.translate(SENTENCES, "de", "en") == SENTENCES


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is not here")
def test_in_a_network_namespace_without_argostranslate(
    copy_model_file: Path, tmp_path: Path
) -> None:
    # No network device at all, and the libraries that would download (argostranslate and its
    # sentence splitters) made unimportable: the engine never needs them.
    script = textwrap.dedent(
        f"""
        import sys
        for name in ("argostranslate", "stanza", "spacy", "minisbd", "requests", "urllib3"):
            sys.modules[name] = None
        from pathlib import Path
        from interop.translate import models
        from interop.translate.engine import select
        models.install(Path({str(copy_model_file)!r}))
        engine = select("de", "en", order=("argos",))
        print(engine.info("de", "en").model, engine.translate(["Ein Test."], "de", "en")[0])
        """
    )
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "INTEROP_MODELS": str(tmp_path / "models")},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "translate-de_en Ein Test."


def test_without_the_extra_the_error_says_what_to_install() -> None:
    script = textwrap.dedent(
        """
        import sys
        for name in ("ctranslate2", "sentencepiece", "argostranslate"):
            sys.modules[name] = None
        import interop.translate.models, interop.translate.engine as e
        try:
            e.select("de", "en", engine="argos")
        except e.EngineError as exc:
            print(exc)
        try:
            e.select("de", "xx", order=("argos",))
        except e.EngineError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    first, second = done.stdout.splitlines()
    assert first.startswith("the argos engine needs the [argos] extra")
    assert "an Argos package de->xx" in second and "(and the [argos] extra)" in second
