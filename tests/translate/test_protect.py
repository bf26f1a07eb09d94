"""Protection of names, numbers and references: they reach the target verbatim, or the segment
fails with the token that was lost."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.translate import models
from interop.translate.engines.argos import ArgosEngine
from interop.translate.glossary import Glossary
from interop.translate.protect import PLACEHOLDER, Protected, TokenLost, protect, restore

FRAGMENTS = [
    "ZQ",
    "Z Q",
    "ZQ1Z",
    "ZQ 7 ",
    "Z",
    "Q",
    "7",
    " ",
    "§ 263 StGB",
    "Art. 7(2)",
    "€ 5,000",
    "63 Js 11842/26",
    "2026-03-24",
    "24. März 2026",
    "a@b.de",
    "https://x.org",
    "Nowak",
    "_",
    "\n",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text())).map("".join)
NAMES = st.lists(
    st.one_of(st.sampled_from(["Nowak", "ZQ", "Q 7", "Berlin"]), st.text()), max_size=3
)


@given(text=TEXTS, known=NAMES, source=st.sampled_from(["en", "de", "pl"]))
def test_identity_engine_gives_the_text_back(text: str, known: list[str], source: str) -> None:
    protected = protect(text, known=known, source=source, target="fr")
    assert restore(protected.text, protected) == text
    # Every placeholder is found where it was put, and nothing else looks like one.
    assert [m.group() for m in PLACEHOLDER.finditer(protected.text)] == list(protected.tokens)


@given(text=TEXTS, known=NAMES, data=st.data())
def test_an_engine_that_drops_a_placeholder_loses_a_token(
    text: str, known: list[str], data: st.DataObject
) -> None:
    protected = protect(text, known=known, source="de", target="en")
    if not protected.tokens:
        return
    key = data.draw(st.sampled_from(list(protected.tokens)))
    with pytest.raises(TokenLost, match=rf"^placeholder {key[2:-1]} \(.*\) lost$"):
        restore(protected.text.replace(key, "", 1), protected)


@given(text=TEXTS, data=st.data())
def test_an_engine_that_repeats_a_placeholder_fails(text: str, data: st.DataObject) -> None:
    protected = protect(text, source="de", target="en")
    if not protected.tokens:
        return
    key = data.draw(st.sampled_from(list(protected.tokens)))
    with pytest.raises(TokenLost, match="repeated"):
        restore(protected.text + " " + key, protected)


def test_an_invented_placeholder_fails() -> None:
    protected = protect("Az. 63 Js 11842/26", source="de", target="en")
    with pytest.raises(TokenLost, match="placeholder 9 appeared but was never sent"):
        restore(protected.text + " ZQ9Z", protected)


def test_whitespace_inside_and_around_a_placeholder_is_tolerated() -> None:
    protected = protect("File 63 Js 11842/26 of Nowak.", known=["Nowak"], source="en", target="de")
    assert protected.text == "File ZQ1Z of ZQ2Z."
    assert restore("Akte Z Q 1 Z  von ZQ2 Z .", protected) == "Akte 63 Js 11842/26  von Nowak ."


def test_anything_else_around_a_placeholder_is_not_a_placeholder() -> None:
    protected = protect("Nowak", known=["Nowak"], source="en", target="de")
    for mangled in ("ZQ_1Z", "zq1z", "ZQ1", "Z-Q1Z", "ZQ1 Y"):
        with pytest.raises(TokenLost, match=r"placeholder 1 \(Nowak\) lost"):
            restore(mangled, protected)


@pytest.mark.parametrize(
    ("source", "text", "tokens"),
    [
        (
            "de",
            "Die StA Berlin (Az. 63 Js 11842/26) ermittelt gegen Jan Nowak gemäß § 263 Abs. 1 "
            "StGB; Schaden EUR 1.250,00 am 24.03.2026 bzw. 24. März 2026, Az. II Kop 45/26.",
            [
                "Berlin",
                "63 Js 11842/26",
                "Jan Nowak",
                "§ 263 Abs. 1 StGB",
                "EUR 1.250,00",
                "24.03.2026",
                "24. März 2026",
                "II Kop 45/26",
            ],
        ),
        (
            "pl",
            "Sąd w Krakowie, sygn. akt II K 123/26, art. 177 § 1 k.p.k., kwota 10 000 zł, "
            "tel. 012 345 67 89, e-mail sad@krakow.sr.gov.pl, 24 marca 2026 r.",
            [
                "Krakowie",
                "II K 123/26",
                "art. 177 § 1 k.p.k.",
                "10 000 zł",
                "012 345 67 89",
                "sad@krakow.sr.gov.pl",
                "24 marca 2026",
            ],
        ),
        (
            "en",
            "Under Article 6(1)(a) and Art. 7(2), files 612 KLs 7/25 and PV BR.21.LL.018342/2026, "
            "IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX, phone +49 30 1234567, IMEI "
            "356938035643809, SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f0"
            "0a08, see https://example.org/x?y=1. Paid € 5,000 and 1,250.00 USD on 2026-03-24 at "
            "10:30 (HRB 1234), Directive 2014/41/EU, on March 5, 2026.",
            [
                "6(1)(a)",
                "Art. 7(2)",
                "612 KLs 7/25",
                "PV BR.21.LL.018342/2026",
                "DE89 3704 0044 0532 0130 00",
                "COBADEFFXXX",
                "+49 30 1234567",
                "356938035643809",
                "SHA-256",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "https://example.org/x?y=1",
                "€ 5,000",
                "1,250.00 USD",
                "2026-03-24",
                "10:30",
                "HRB 1234",
                "2014/41/EU",
                "March 5, 2026",
            ],
        ),
        (
            "fr",
            "Le 1er mars 2026, M. Dupont, art. 695-11 CPP.",
            ["1er mars 2026", "art. 695-11 CPP"],
        ),
        (
            "de",
            "Urteil vom 12. Juni 2025, 31 Hv 55/25x; sygn. PR 1 Pz 112.2026; Siegel NL-POL 7731045",
            ["12. Juni 2025", "31 Hv 55/25x", "PR 1 Pz 112.2026", "NL-POL 7731045"],
        ),
    ],
)
def test_tokens_of_legal_text_are_protected(source: str, text: str, tokens: list[str]) -> None:
    protected = protect(text, known=["Berlin", "Jan Nowak", "Krakowie"], source=source, target="es")
    assert list(protected.tokens.values()) == tokens
    assert restore(protected.text, protected) == text


def test_ordinary_words_and_numbers_are_left_to_the_engine() -> None:
    text = "The 3rd hearing of 10 witnesses in 2026 took 1.5 hours."
    assert protect(text, source="en", target="de").text == text


def test_a_glossary_term_comes_back_as_the_approved_target_term() -> None:
    glossary = Glossary(
        pairs={("en", "pl"): {"arson": "podpalenie", "accused person": "oskarżony"}}
    )
    protected = protect(
        "Arson by the accused  person.", glossary=glossary, source="en", target="pl"
    )
    assert protected.text == "ZQ1Z by the ZQ2Z."
    assert restore("ZQ1Z przez ZQ2Z.", protected) == "Podpalenie przez oskarżony."


def test_a_glossary_term_is_capitalised_only_at_the_start_of_a_sentence() -> None:
    glossary = Glossary(pairs={("de", "en"): {"Verteidiger": "defence lawyer"}})
    protected = protect(
        "„Verteidiger fragen.“ Fragen Sie Ihren Verteidiger.",
        glossary=glossary,
        source="de",
        target="en",
    )
    assert list(protected.tokens.values()) == ["Defence lawyer", "defence lawyer"]


def test_placeholders_are_plain_letters_and_digits() -> None:
    # Argos's SentencePiece turns "_" into a space; brackets and rare symbols may be unknown.
    protected = protect("Az. 63 Js 11842/26", source="de", target="en")
    assert all(key.isalnum() and key.isascii() for key in protected.tokens)


APERTIUM_CASES = [
    ("eng-spa", "en", "The accused Jan Nowak (file 63 Js 11842/26) paid € 5,000 on 2026-03-24."),
    ("spa-eng", "es", "La casa de Jan Nowak está en Berlin, calle Nowak 5, art. 7(2)."),
    ("fr-es", "fr", "Le procureur Jan Nowak a ouvert l'enquête II Kop 45/26 le 24.03.2026."),
]


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
@pytest.mark.parametrize(("mode", "source", "text"), APERTIUM_CASES)
def test_placeholders_survive_a_real_apertium(mode: str, source: str, text: str) -> None:
    protected = protect(text, known=["Jan Nowak", "Berlin", "Nowak"], source=source, target="es")
    assert len(protected.tokens) >= 3
    result = subprocess.run(
        ["apertium", "-u", "-f", "txt", mode],
        input=protected.text,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0 and "does not exist" in result.stderr:
        pytest.skip(f"apertium mode {mode} is not installed")
    translated = restore(result.stdout, protected)
    for token in protected.tokens.values():
        assert token in translated


def test_protected_is_plain_data() -> None:
    protected = Protected("ZQ1Z", {"ZQ1Z": "x"})
    assert restore("ZQ1Z", protected) == "x"


def test_placeholders_survive_the_real_argos_path(copy_model_file: Path, model_store: Path) -> None:
    # The tiny copying model runs argostranslate's real tokenisation and decoding (which turns
    # "_" into a space): what it copies must restore to the original.
    models.install(copy_model_file)
    text = "Az. 63 Js 11842/26: Jan Nowak zahlte am 24.03.2026 EUR 1.250,00 (§ 263 Abs. 1 StGB)."
    protected = protect(text, known=["Jan Nowak"], source="de", target="en")
    assert len(protected.tokens) == 5
    [output] = ArgosEngine().translate([protected.text], "de", "en")
    assert restore(output, protected) == text
