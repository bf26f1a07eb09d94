"""The Apertium engine with the language pairs scripts/dev installs (apertium-eng-spa, -fr-es)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.translate.engine import EngineError
from interop.translate.engines import apertium
from interop.translate.engines.apertium import ApertiumEngine, _Layout, keep_case


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


def test_pairs_come_from_the_installed_modes(engine: ApertiumEngine) -> None:
    pairs = engine.pairs()
    assert {("en", "es"), ("es", "en"), ("fr", "es"), ("es", "fr")} <= pairs
    assert all(len(code) == 2 for pair in pairs for code in pair)  # no eng, no spa-eng_US


def test_info_names_the_package_and_its_version(engine: ApertiumEngine) -> None:
    version = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", "apertium-eng-spa"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    info = engine.info("en", "es")
    assert (info.engine, info.model, info.model_version) == (
        "apertium",
        "apertium-eng-spa",
        version,
    )
    assert engine.info("fr", "es").model == "apertium-fr-es"


def test_the_court_in_spanish(engine: ApertiumEngine) -> None:
    [spanish] = engine.translate(["The court"], "en", "es")
    assert spanish in {"La corte", "El tribunal"}


def test_a_batch_is_one_process_and_keeps_order_and_whitespace(
    engine: ApertiumEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    run = subprocess.run

    def spy(command: list[str], **options: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return run(command, **options)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(apertium.subprocess, "run", spy)
    segments = [
        "The court ordered the measure. ",
        "",
        "  The house is big.\n",
        "First paragraph.\n\n\nSecond paragraph.",
        "   ",
    ]
    assert engine.translate(segments, "en", "es") == [
        "La corte ordenó la medida. ",
        "",
        "  La casa es grande.\n",
        "Primer párrafo.\n\n\nSegundo párrafo.",
        "   ",
    ]
    assert len(calls) == 1


def test_french_to_spanish(engine: ApertiumEngine) -> None:
    assert engine.translate(["Le tribunal a ordonné la mesure."], "fr", "es") == [
        "El tribunal ha ordenado la medida."
    ]


def test_no_capital_after_a_protected_token_or_an_initial(engine: ApertiumEngine) -> None:
    # Apertium alone: "ZQ1Z Avec des fins ...", "Dariusz K. Et autrui ..."
    source = "ZQ1Z con fines de investigación. Dariusz K. y otros fueron citados."
    (done,) = engine.translate([source], "es", "fr")
    assert done.startswith("ZQ1Z avec des fins") and "K. et autrui" in done


@pytest.mark.parametrize(
    ("source", "apertium_said", "kept"),
    [
        ("ZQ1Z el acusado", "ZQ1Z L'accusé", "ZQ1Z l'accusé"),
        ("ZQ1Z. El acusado", "ZQ1Z. L'accusé", "ZQ1Z. L'accusé"),  # a sentence does begin
        ("ZQ1Z la UE", "ZQ1Z UE", "ZQ1Z UE"),  # an acronym
        ("ZQ1Z y yo", "ZQ1Z I and me", "ZQ1Z I and me"),  # the pronoun
        ("ZQ1Z y ZQ1Z Y", "ZQ1Z Et ZQ1Z Et", "ZQ1Z Et ZQ1Z Et"),  # the source says both
        ("Sin marcas. y", "Without marks. And", "Without marks. And"),  # a word, not an initial
    ],
)
def test_keep_case(source: str, apertium_said: str, kept: str) -> None:
    assert keep_case(source, apertium_said) == kept


def test_missing_pair_names_the_package(engine: ApertiumEngine) -> None:
    with pytest.raises(EngineError, match="install apertium-deu-fra with apt-get"):
        engine.translate(["x"], "de", "fr")


def test_blocks_apertium_merges_are_translated_one_by_one(tmp_path: Path) -> None:
    # A stand-in for apertium that squeezes blank lines: the batch cannot be split back, so
    # each piece goes alone rather than being matched up by guesswork.
    fake = tmp_path / "apertium"
    fake.write_text("#!/bin/sh\ntr -s '\\n' | tr a-z A-Z\n")
    fake.chmod(0o755)
    modes = tmp_path / "modes"
    modes.mkdir()
    (modes / "eng-spa.mode").write_text("cat /usr/share/apertium/apertium-eng-spa/x.bin\n")
    engine = ApertiumEngine(modes_dir=modes, command=str(fake))
    assert engine.translate(["one", "two\n\nthree", "four "], "en", "es") == [
        "ONE",
        "TWO\n\nTHREE",
        "FOUR ",
    ]


def test_a_failing_apertium_is_a_one_line_error(tmp_path: Path) -> None:
    fake = tmp_path / "apertium"
    fake.write_text("#!/bin/sh\necho 'Error: Mode eng-spa does not exist' >&2\nexit 1\n")
    fake.chmod(0o755)
    modes = tmp_path / "modes"
    modes.mkdir()
    (modes / "eng-spa.mode").write_text("")
    engine = ApertiumEngine(modes_dir=modes, command=str(fake))
    with pytest.raises(EngineError, match=r"apertium eng-spa failed \(exit 1\): Error: Mode"):
        engine.translate(["x"], "en", "es")
    assert engine.info("en", "es").model == "apertium-eng-spa"


def test_without_apertium_the_error_says_what_to_install() -> None:
    with pytest.raises(EngineError, match="needs Apertium: apt-get install apertium"):
        ApertiumEngine(command="no-such-apertium-command")


def test_codes() -> None:
    assert apertium.iso_639_1("eng") == "en" and apertium.iso_639_1("fr") == "fr"
    assert apertium.package_hint("de", "fr") == "apertium-deu-fra"


@given(st.text(alphabet=" \t\n\rab.", max_size=30))
def test_layout_keeps_every_character(segment: str) -> None:
    layout = _Layout.of(segment)
    assert all(p and p == p.strip() and "\n\n" not in p for p in layout.pieces)
    assert layout.fill(iter(layout.pieces)) == segment
