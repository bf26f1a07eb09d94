"""Sentence segmentation: cuts where sentences end, never at the abbreviations of legal text."""

# ruff: noqa: RUF001 - the full stops of Chinese, Arabic and Urdu are the point here

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.translate.segment import sentences

LANGUAGES = ["en", "de", "fr", "pl", "es", "zh", "ar", "cs"]


FRAGMENTS = [
    *".!?…。？！؟۔\"')]» \n\t1aZ§",
    "Art.",
    "z.B.",
    " K. ",
    "...",
    "[...]",
    " 24.03. ",
    " 3. ",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text())).map("".join)


@given(text=TEXTS, language=st.sampled_from(LANGUAGES))
def test_joining_the_sentences_gives_the_text_back(text: str, language: str) -> None:
    pieces = sentences(text, language)
    assert "".join(pieces) == text
    assert all(pieces)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Gemäß Art. 7 Abs. 2 z.B. gilt Nr. 3 des Gesetzes. Der Beschuldigte K. Nowak wurde am "
            "24. März 2026 festgenommen. Am 24.03.2026 war er in der Str. der Einheit, d.h. u.a. "
            "in Berlin, vgl. S. 5, lit. a, Buchst. b, Ziff. 3 des Vertrags. Weiter geht es!",
            [
                "Gemäß Art. 7 Abs. 2 z.B. gilt Nr. 3 des Gesetzes. ",
                "Der Beschuldigte K. Nowak wurde am 24. März 2026 festgenommen. ",
                "Am 24.03.2026 war er in der Str. der Einheit, d.h. u.a. in Berlin, vgl. S. 5, "
                "lit. a, Buchst. b, Ziff. 3 des Vertrags. ",
                "Weiter geht es!",
            ],
        ),
        (
            "en",
            "Mr. Smith and Mrs. Jones, e.g. the parties, i.e. both, vs. the State (cf. p. 5, "
            "pp. 6-7, para. 3, No. 4). He paid 1.5 million. Wait... then he left. He said "
            '"Stop." Then he ran. Really? Yes! Done.',
            [
                "Mr. Smith and Mrs. Jones, e.g. the parties, i.e. both, vs. the State (cf. p. 5, "
                "pp. 6-7, para. 3, No. 4). ",
                "He paid 1.5 million. ",
                "Wait... then he left. ",
                'He said "Stop." ',
                "Then he ran. ",
                "Really? ",
                "Yes! ",
                "Done.",
            ],
        ),
        (
            "en",
            "1. First item.\n2. Second item\n\nDr. Who lives in St. Albans, ca. 5 km away.",
            [
                "1. First item.\n",
                "2. Second item\n\n",
                "Dr. Who lives in St. Albans, ca. 5 km away.",
            ],
        ),
        (
            "pl",
            "Zgodnie z art. 177 § 1 k.p.k. świadek zeznał. Sąd przy ul. Długiej 5 orzekł, al. "
            "Jana Pawła II. Koniec.",
            [
                "Zgodnie z art. 177 § 1 k.p.k. świadek zeznał. ",
                "Sąd przy ul. Długiej 5 orzekł, al. Jana Pawła II. ",
                "Koniec.",
            ],
        ),
        (
            "fr",
            "Selon l'art. 5 al. 2, n° 7, le tribunal a dit [...] Le juge a statué etc. Fin.",
            ["Selon l'art. 5 al. 2, n° 7, le tribunal a dit [...] Le juge a statué etc. ", "Fin."],
        ),
        ("zh", "这是第一句。这是第二句！第三句？", ["这是第一句。", "这是第二句！", "第三句？"]),
        ("ar", "هل هذا صحيح؟ نعم. انتهى", ["هل هذا صحيح؟ ", "نعم. ", "انتهى"]),
        ("ur", "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", ["یہ پہلا جملہ ہے۔ ", "یہ دوسرا ہے۔"]),
    ],
)
def test_sentences_of_legal_text(language: str, text: str, expected: list[str]) -> None:
    assert sentences(text, language) == expected


def test_a_list_number_does_not_end_a_sentence_but_a_final_number_does() -> None:
    assert sentences("2. The court ruled. The fine was 500. Then he paid.", "en") == [
        "2. The court ruled. ",
        "The fine was 500. ",
        "Then he paid.",
    ]


def test_an_ordinal_day_does_not_end_a_german_sentence() -> None:
    assert sentences("Er kam am 3. Oktober. Dann ging er.", "de") == [
        "Er kam am 3. Oktober. ",
        "Dann ging er.",
    ]


def test_an_abbreviation_after_a_hyphen_does_not_end_a_sentence() -> None:
    assert sentences("Abbild aus Ass.-Nr. 2026/0117-01. Weiter.", "de") == [
        "Abbild aus Ass.-Nr. 2026/0117-01. ",
        "Weiter.",
    ]


def test_empty_and_whitespace_text() -> None:
    assert sentences("", "en") == []
    assert sentences("  \n ", "en") == ["  \n "]


@pytest.mark.parametrize(
    "abbreviation",
    "Art. Abs. Nr. No. z.B. e.g. i.e. vs. St. Dr. Mr. Mrs. p. pp. para. cf. ca. Str. ul. al. "
    "lit. Buchst. Ziff. S. u.a. d.h. art. K. n°. z. B. i.V.m. k.p.k.".split(" "),
)
@pytest.mark.parametrize("language", ["en", "de", "pl"])
def test_no_cut_after_an_abbreviation_before_a_capital(abbreviation: str, language: str) -> None:
    text = f"Siehe {abbreviation} Xaver Berg steht hier. Neuer Satz."
    assert sentences(text, language) == [
        f"Siehe {abbreviation} Xaver Berg steht hier. ",
        "Neuer Satz.",
    ]
