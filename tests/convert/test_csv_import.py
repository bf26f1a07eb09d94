"""Spreadsheet imports: evidence inventories and recipient lists from CSV exports.

Every converted document is validated with the real validator and must have no findings;
every problem in a sheet must be reported with its row number while the good rows are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.convert import registry
from interop.convert.converter import Converter, Direction, ToCommon
from interop.convert.formats.csv_document import Authority
from interop.convert.formats.csv_evidence import CsvEvidence
from interop.convert.formats.csv_recipients import CsvRecipients, script_of
from interop.convert.formats.csv_spec import code_list
from interop.convert.loss import LossEntry, LossKind
from interop.errors import SchemaError, UnreadableInput, UsageError
from interop.validate.validator import ValidationSettings, Validator
from tests.conftest import CASES

CSV = CASES / "csv"
NS = {
    "c": "urn:interop:common:1",
    "e": "urn:interop:evidence:1",
    "n": "urn:interop:notification:1",
}
ISSUED = date(2026, 4, 14)
COURT = Authority("Landgericht Köln", "court", "DE")
PROSECUTOR = Authority("Staatsanwaltschaft Köln", "prosecutor", "DE")


@cache
def _validator() -> Validator:
    return Validator(ValidationSettings())


def _findings(result: ToCommon) -> list[tuple[str, str]]:
    report = _validator().check_tree(result.document, "converted")
    return [(f.rule, f.message) for f in report.findings]


def _xpath(result: ToCommon, path: str) -> list[str]:
    return [str(v) for v in result.document.xpath(path, namespaces=NS)]


def _rejected(result: ToCommon) -> dict[str, str]:
    return {e.path: e.reason for e in result.loss.of_kind(LossKind.REJECTED)}


def evidence(name: str, **options: object) -> ToCommon:
    settings_ = {
        "document_language": "de",
        "case_reference": "121 Js 512/26",
        "compiled_by": PROSECUTOR,
        "time_zone": "Europe/Berlin",
        "issue_date": ISSUED,
        **options,
    }
    converter = CsvEvidence(**settings_)  # type: ignore[arg-type]
    return converter.to_common((CSV / name).read_bytes(), name)


def recipients(name: str, spec: Path | None = None, **options: object) -> ToCommon:
    settings_ = {
        "document_language": "de",
        "case_reference": "112 KLs 7/26",
        "sender": COURT,
        "issue_date": ISSUED,
        **options,
    }
    converter = CsvRecipients(spec, **settings_)  # type: ignore[arg-type]
    return converter.to_common((CSV / name).read_bytes(), name)


# ----------------------------------------------------------------------------------------------
# Evidence inventories
# ----------------------------------------------------------------------------------------------
def test_german_inventory_with_bom_semicolons_and_local_times() -> None:
    result = evidence("evidence-de-semikolon-bom.csv")
    assert _findings(result) == []
    # The empty spreadsheet row 4 is skipped; ids keep the spreadsheet's row numbers.
    assert _xpath(result, "//e:item/@id") == ["row-2", "row-3", "row-5"]
    assert _xpath(result, "//e:item/@type") == ["physical", "document", "physical"]
    # 06:42 in Cologne in February is 05:42 UTC.
    assert _xpath(result, "//e:item[@id='row-2']/e:seizure/e:at/text()") == ["2026-02-12T05:42:00Z"]
    assert _xpath(result, "//e:item[@id='row-2']//e:imei/text()") == [
        "351234567890123",
        "351234567890131",
    ]
    # "§§ 94, 98 StPO" holds a comma: only the semicolon separates columns.
    assert set(_xpath(result, "//e:seizure/e:legalBasis/c:title/text()")) == {"§§ 94, 98 StPO"}
    # A line break inside a quoted cell stays in the text, as a plain line feed.
    note = _xpath(result, "//e:item[@id='row-2']/e:note/c:text/text()")
    assert note == ["Gerät ausgeschaltet vorgefunden;\nSIM-Karte eingelegt"]
    # Two items handed over together make one custody event.
    assert _xpath(result, "//e:custodyEvent/@items") == ["row-2 row-3", "row-5"]
    assert _xpath(result, "//e:holder/e:name/text()") == [
        "Jana Schröder",
        "Mehmet Y\u0131ld\u0131z",
    ]
    assert [(e.kind, e.path) for e in result.loss.entries] == [
        (LossKind.UNFILLED, "e:evidenceManifest/e:request")
    ]


def test_english_inventory_with_an_image_and_an_exported_file() -> None:
    result = evidence("evidence-en-comma.csv", document_language="en", time_zone=None)
    assert _findings(result) == []
    assert _xpath(result, "//e:item/@derivedFrom") == ["row-2", "row-3"]
    # Windows paths get forward slashes, hashes one case.
    assert _xpath(result, "//e:item[@id='row-4']/e:path/text()") == ["files/ledger_2025.xlsx"]
    sha = _xpath(result, "//e:item[@id='row-3']/e:hash/text()")[0]
    assert sha == sha.lower() and len(sha) == 64
    assert _xpath(result, "//e:item[@id='row-3']/e:acquisition/e:tool/e:version/text()") == [
        "4.7.1.2"
    ]
    # The image and the file are made by the examiner, who is where their chains start.
    assert _xpath(result, "//e:acquiredBy/@holder") == ["H2", "H2"]
    assert _xpath(result, "//e:custodyEvent/e:from/@holder") == ["H1", "H2", "H2"]


def test_bad_evidence_rows_are_reported_with_row_numbers_and_good_rows_kept() -> None:
    result = evidence("evidence-bad-rows.csv", time_zone="Europe/Vienna")
    rejected = _rejected(result)
    assert rejected['row 3, column "Exhibit No."'].startswith("already given to row 2")
    assert 'column "Order" empty; the row was skipped' in rejected["row 4"]
    assert rejected['row 5, column "SHA-256"'].startswith("not 64 hexadecimal characters")
    assert rejected['row 6, column "Derived from"'].endswith(
        "the row was skipped (no seizure either)"
    )
    assert rejected['row 7, column "Sealed on"'].endswith("the value was left out")
    assert "handed over before it was seized" in rejected['row 7, column "Handed over on"']
    assert _xpath(result, "//e:item/@id") == ["row-2", "row-7"]
    # A bad seal time falls back to the seizure: the seal itself is kept.
    assert _xpath(result, "//e:item[@id='row-7']/e:seal/e:sealedAt/text()") == [
        "2026-02-03T09:00:00Z"
    ]
    # The item whose hand-over was rejected has no custody: only the rules' warning remains.
    assert [rule for rule, _ in _findings(result)] == ["EVD-026"]
    paths = [e.path for e in result.loss.entries if e.path.startswith("row ")]
    numbers = [int(p.split(",")[0].split()[1]) for p in paths]
    assert numbers == sorted(numbers)


def test_unknown_columns_are_reported_with_their_first_value() -> None:
    data = (CSV / "evidence-en-comma.csv").read_bytes().replace(b"Purpose\n", b"Purpose,Shelf\n", 1)
    data = data.replace(b"Dublin,storage\n", b"Dublin,storage,\n", 1)
    data = data.replace(b"Dublin,storage\n", b"Dublin,storage,B-17\n", 1)
    converter = CsvEvidence(
        document_language="en", case_reference="X", compiled_by=PROSECUTOR, issue_date=ISSUED
    )
    result = converter.to_common(data, "shelf.csv")
    assert (
        LossEntry(
            LossKind.UNCONSUMED,
            'column "Shelf"',
            "B-17",
            "no field of the header spec has this heading",
        )
        in result.loss.entries
    )
    assert _findings(result) == []


def test_files_derived_only_from_one_another_are_refused() -> None:
    sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    data = (
        "Exhibit No.,Description,Type,Derived from,Size,SHA-256\n"
        f"F-1,Chat export,digital-file,F-2,10,{sha}\n"
        f"F-2,Photo export,digital-file,F-1,20,{sha}\n"
    ).encode()
    converter = CsvEvidence(document_language="en", case_reference="X", compiled_by=PROSECUTOR)
    with pytest.raises(UnreadableInput, match="no row names the officer"):
        converter.to_common(data, "loop.csv")


def test_local_times_need_a_time_zone() -> None:
    with pytest.raises(UsageError, match=r"row 2, column \"Sichergestellt am\".*time_zone="):
        evidence("evidence-de-semikolon-bom.csv", time_zone=None)


@pytest.mark.parametrize(
    ("missing", "option"),
    [
        ("case_reference", "case_reference="),
        ("document_language", "document_language="),
        ("compiled_by", "compiled_by="),
    ],
)
def test_manifest_data_without_a_default_names_the_option(missing: str, option: str) -> None:
    with pytest.raises(UsageError, match=option):
        evidence("evidence-en-comma.csv", **{missing: None})


def test_document_id_and_issue_date_have_defaults() -> None:
    result = evidence("evidence-en-comma.csv", issue_date=None)
    assert _xpath(result, "/*/c:documentId/text()")[0].startswith("urn:uuid:")
    assert _xpath(result, "/*/c:issueDate/text()") == [date.today().isoformat()]
    other = evidence("evidence-en-comma.csv", document_id="AT-LPD-2026-17")
    assert _xpath(other, "/*/c:documentId/text()") == ["AT-LPD-2026-17"]


def test_codes_in_options_are_checked() -> None:
    with pytest.raises(UsageError, match=r"compiled_by\.kind"):
        evidence("evidence-en-comma.csv", compiled_by=Authority("X", "Staatsanwalt", "DE"))
    with pytest.raises(UsageError, match="time_zone"):
        evidence("evidence-en-comma.csv", time_zone="Europe/Köln")


# ----------------------------------------------------------------------------------------------
# Recipient lists
# ----------------------------------------------------------------------------------------------
def test_german_recipient_list_in_four_scripts() -> None:
    result = recipients("recipients-de-semikolon-bom.csv")
    assert _findings(result) == []
    assert result.loss.entries == ()
    scripts = _xpath(result, "//n:recipient/c:naturalPerson/c:name[not(@form)]/@script")
    assert scripts == ["Cyrl", "Grek", "Arab", "Latn"]
    latin = "//n:recipient[@id='row-3']//c:name[@form='transliterated']/c:familyName/text()"
    assert _xpath(result, latin) == ["Papadopoulos"]
    # German words for codes, several values per cell with their separators.
    assert _xpath(result, "//n:recipient[@id='row-3']/c:role/text()") == ["victim", "witness"]
    assert _xpath(result, "//n:recipient[@id='row-4']//c:languageUnderstood/text()") == [
        "ar",
        "de",
    ]
    assert _xpath(result, "//c:birthDate/text()") == ["1984-11-02", "1957-03-19", "1988"]
    assert _xpath(result, "//n:recipient[@id='row-5']//c:givenName/text()") == [
        "Katharina",
        "Maria",
    ]
    assert _xpath(result, "//n:recipient[@id='row-2']//c:address/c:country/text()") == ["DE"]
    assert _xpath(result, "/n:recipientList/n:caseReference/c:number/text()") == ["112 KLs 7/26"]


def test_english_recipient_list_with_comma_and_code_list_names() -> None:
    result = recipients("recipients-en-comma.csv", document_language="en")
    assert _findings(result) == []
    assert result.loss.entries == ()
    assert _xpath(result, "//c:birthDate/text()") == ["1991-08", "1979-06-02", "1970-01-27"]
    assert _xpath(result, "//n:recipient[@id='row-2']//c:languageUnderstood/text()") == [
        "uk",
        "ru",
        "de",
    ]
    assert _xpath(result, "//c:sex/text()") == ["F", "F", "M"]
    assert _xpath(result, "//c:address/c:country/text()") == ["DE", "IE", "PL"]


def test_windows_1252_export_is_read_and_the_guess_reported() -> None:
    result = recipients("recipients-cp1252.csv")
    assert _findings(result) == []
    assert _xpath(result, "//c:name/c:familyName/text()") == ["Müller", "Weiß", "Öztürk"]
    assert _xpath(result, "//c:address/c:street/text()")[1] == "Königstraße 12"
    (note,) = result.loss.entries
    assert (note.kind, note.path) == (LossKind.REJECTED, "encoding")
    assert "Windows-1252" in note.reason and "line 1" in note.reason


def test_bad_recipient_rows_are_reported_with_row_numbers_and_good_rows_kept() -> None:
    result = recipients("recipients-bad-rows.csv")
    assert _findings(result) == []
    assert _xpath(result, "//n:recipient/@id") == [
        "row-2",
        "row-3",
        "row-8",
        "row-9",
        "row-10",
        "row-11",
    ]
    rejected = _rejected(result)
    assert rejected == {
        'row 3, column "Date of birth"': rejected['row 3, column "Date of birth"'],
        'row 4, column "Family name"': "a value is required here; the row was skipped",
        'row 6, column "Role"': "not a known code of RoleCode and not an alias; the row was "
        "skipped",
        'row 7, column "Family name (Latin)"': "the name is in Cyrillic script; give it in Latin "
        "letters too (COM-013); the row was skipped",
        'row 8, column "Languages"': "not a known code of LanguageCode and not an alias; the "
        "value was left out",
        'row 8, column "Email"': "not an e-mail address; the value was left out",
        'row 10, column "Date of birth"': "lies after the issue date; the value was left out",
        'row 11, column "Country"': "an address needs a city and a country; the address was "
        "left out",
    }
    assert rejected['row 3, column "Date of birth"'].startswith("not a date in the form dd.mm.yyyy")
    previews = {e.path: e.preview for e in result.loss.entries}
    assert previews['row 8, column "Languages"'] == "Klingon"
    assert previews['column "Shoe size"'] == "38"
    # The good value next to the bad one in the same cell is kept.
    assert _xpath(result, "//n:recipient[@id='row-8']//c:languageUnderstood/text()") == ["it"]
    # A quoted line break does not shift the row numbers after it.
    assert _xpath(result, "//n:recipient[@id='row-9']//c:city/text()") == ["Köln\n(Porz)"]
    assert _xpath(result, "//n:recipient[@id='row-9']//c:givenName/text()") == ["Hans", '"Hansi"']


def test_a_ministry_spec_maps_its_own_columns() -> None:
    result = recipients(
        "destinataires-fr.csv", CSV / "spec-destinataires-fr.toml", document_language="fr"
    )
    assert _findings(result) == []
    assert _xpath(result, "//c:role/text()") == ["witness", "victim", "witness"]
    assert _xpath(result, "//c:birthDate/text()") == ["1966-07-04", "1993-10-15"]
    # The spec's default country fills the empty cells; a country in the cell wins.
    assert _xpath(result, "//c:address/c:country/text()") == ["FR", "FR", "RO"]
    assert _xpath(result, "//n:recipient[@id='row-3']//c:languageUnderstood/text()") == ["ar", "fr"]
    assert [(e.kind, e.path, e.preview) for e in result.loss.entries] == [
        (LossKind.UNCONSUMED, 'column "Observations"', "Convoqué le 3 mars"),
    ]
    converter = CsvRecipients(CSV / "spec-destinataires-fr.toml")
    assert (converter.version, converter.description) == (
        "2024.1",
        "liste des destinataires (export du logiciel du greffe)",
    )


def test_a_sheet_without_a_languages_column_is_reported_as_unfilled() -> None:
    data = b"Name,Vorname,Rolle,Ort,Land\nSchulz,Anke,Zeugin,Bonn,DE\n"
    result = CsvRecipients(
        document_language="de", case_reference="1 Ds 2/26", sender=COURT
    ).to_common(data, "short.csv")
    unfilled = result.loss.of_kind(LossKind.UNFILLED)
    assert [e.path for e in unfilled] == [
        "n:recipientList/n:recipient/c:naturalPerson/c:languageUnderstood"
    ]
    assert [rule for rule, _ in _findings(result)] == ["NOT-080"]


# ----------------------------------------------------------------------------------------------
# Reading the bytes
# ----------------------------------------------------------------------------------------------
def test_headings_match_without_case_and_spaces_and_tabs_are_found() -> None:
    data = "  FAMILY NAME \tgivenNames\tROLE\tSprachen\tcity\tcountry\n"
    data += "Leroy\tÉmile\twitness\tfr\tMons\tBE\n"
    result = CsvRecipients(document_language="fr", case_reference="X", sender=COURT).to_common(
        data.encode("utf-16"), "tabs.txt"
    )
    assert _findings(result) == []
    assert _xpath(result, "//c:familyName/text()") == ["Leroy"]
    assert _xpath(result, "//c:languageUnderstood/text()") == ["fr"]


def test_excel_separator_hint_is_followed_and_not_counted_as_a_row() -> None:
    data = b"sep=|\nNachname|Rolle|Sprache|Ort|Land\nKrause|Zeuge|Deutsch|Jena|DE\n"
    with pytest.raises(UnreadableInput):  # without the hint, "|" is no separator
        CsvRecipients(document_language="de", case_reference="X", sender=COURT).to_common(
            data[len("sep=|\n") :], "x.csv"
        )
    result = CsvRecipients(document_language="de", case_reference="X", sender=COURT).to_common(
        data, "x.csv"
    )
    assert _xpath(result, "//n:recipient/@id") == ["row-2"]
    assert _findings(result) == []


def test_a_missing_required_column_is_named() -> None:
    data = b"Vorname;Rolle\nAnna;Zeugin\n"
    with pytest.raises(UnreadableInput, match=r"no column for family_name.*\"Nachname\""):
        CsvRecipients(document_language="de", case_reference="X", sender=COURT).to_common(
            data, "x.csv"
        )


def test_a_sheet_where_every_row_is_bad_is_refused_with_the_first_reason() -> None:
    data = b"Nachname;Rolle\nMeier;Zuschauer\n"
    with pytest.raises(UnreadableInput, match=r"row 2, column \"Rolle\""):
        CsvRecipients(document_language="de", case_reference="X", sender=COURT).to_common(
            data, "x.csv"
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest of a zip", "workbook"),
        (b"\xd0\xcf\x11\xe0 old excel", "workbook"),
        (b"Name\x00;Rolle\n", "binary"),
        (codecs.BOM_UTF8 + b"Name;Rolle\n\xff\n", "cannot be read as UTF-8 text"),
        (b"Name;Rolle\n\x81\x8d\n", "UTF-8 nor as Windows-1252"),
        (b"", "no header row"),
    ],
)
def test_what_is_not_csv_text_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableInput, match=message):
        CsvRecipients(document_language="de", case_reference="X", sender=COURT).to_common(
            data, "x.csv"
        )


def test_scripts_of_names() -> None:
    assert script_of("Ñúñez Ortega") == {"Latn"}
    assert script_of("Παπαδόπουλος") == {"Grek"}
    assert script_of("Коваленко") == {"Cyrl"}
    assert script_of("الحلبي") == {"Arab"}
    assert script_of("Ivan Петров") == {"Latn", "Cyrl"}
    assert script_of("O'Brien-2") == {"Latn"}


# ----------------------------------------------------------------------------------------------
# Header specs and the converter interface
# ----------------------------------------------------------------------------------------------
SPEC_HEAD = '[spec]\nname = "x"\nversion = "1"\ndocument_type = "recipient-list"\n'
REQUIRED = '[columns.family_name]\nheaders = ["Name"]\nrequired = true\n' + (
    '[columns.role]\nheaders = ["Role"]\nrequired = true\n'
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[columns.shoe_size]\nheaders = ["Shoe"]\n', "unknown field"),
        ('[columns.birth_date]\nheaders = ["Born"]\ntype = "text"\n', "type must be 'date'"),
        (
            '[columns.birth_date]\nheaders = ["Born"]\nformats = ["%d.%m.%Y %H:%M"]\n',
            "must not have a time",
        ),
        (
            '[columns.languages]\nheaders = ["L"]\naliases = { Klingon = "tlh" }\n',
            "not in LanguageCode",
        ),
        ('[columns.languages]\nheaders = ["L"]\ndefault = "Klingon"\n', "default 'Klingon'"),
        ('[columns.city]\nheaders = ["Name"]\n', "given to family_name and city"),
        ('[columns.city]\nheader = ["Town"]\n', "unknown keys"),
        ('[columns.city]\nheaders = ["Town"]\nrequired = "no"\n', "true or false"),
    ],
)
def test_bad_header_specs_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC_HEAD + REQUIRED + body, "utf-8")
    with pytest.raises(SchemaError, match=message):
        CsvRecipients(path)


def test_a_spec_for_another_document_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC_HEAD + REQUIRED, "utf-8")
    assert CsvRecipients(path).spec.document_type == "recipient-list"
    with pytest.raises(SchemaError, match='writes document_type = "evidence-manifest"'):
        CsvEvidence(path)


def test_a_field_every_row_needs_must_be_required_in_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC_HEAD + '[columns.family_name]\nheaders = ["Name"]\n', "utf-8")
    with pytest.raises(SchemaError, match=r"family_name.*required = true"):
        CsvRecipients(path)
    with pytest.raises(UsageError, match="cannot read header spec"):
        CsvRecipients(tmp_path / "missing.toml")


@pytest.mark.parametrize("name", ["csv-evidence", "csv-recipients"])
def test_the_importers_are_registered_converters(name: str) -> None:
    converter = registry.get(name)
    assert isinstance(converter, Converter)
    assert converter.name == name
    assert converter.directions == frozenset({Direction.TO_COMMON})
    with pytest.raises(UsageError, match="only reads spreadsheets"):
        converter.from_common(etree.ElementTree(etree.Element("x")))


# ----------------------------------------------------------------------------------------------
# Properties: any valid rows give a valid document, one entry per row
# ----------------------------------------------------------------------------------------------
ALPHABETS = {
    "Latn": "abcdefghijklmnopqrstuvwxyzäöüßéèñçłšžøå",
    "Grek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "Cyrl": "абвгдежзийклмнопрстуфхцчшщыэюяіїєґ",
    "Arab": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}


def _words(script: str, most: int = 2) -> st.SearchStrategy[str]:
    word = st.text(ALPHABETS[script], min_size=1, max_size=10).map(str.capitalize)
    return st.lists(word, min_size=1, max_size=most).map(" ".join)


@st.composite
def person(draw: st.DrawFn) -> list[str]:
    script = draw(st.sampled_from(sorted(ALPHABETS)))
    latin_family = draw(_words("Latn")) if script != "Latn" else ""
    languages = draw(
        st.lists(st.sampled_from(sorted(code_list("LanguageCode").codes)), min_size=1, max_size=3)
    )
    return [
        draw(_words(script)),
        draw(_words(script, 3)),
        latin_family,
        draw(st.sampled_from(sorted(code_list("RoleCode").codes))),
        # Codes are accepted in any case ("DE" for German).
        ";".join(draw(st.sampled_from([c, c.upper()])) for c in languages),
        draw(_words("Latn")),
        draw(st.sampled_from(sorted(code_list("CountryCode").codes))),
    ]


def _csv(header: list[str], rows: list[list[str]], delimiter: str, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(person(), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_valid_recipient_rows_always_give_a_valid_list(
    rows: list[list[str]], delimiter: str, bom: bool
) -> None:
    header = [
        "Family name",
        "Given names",
        "Family name (Latin)",
        "Role",
        "Languages",
        "City",
        "Country",
    ]
    converter = CsvRecipients(document_language="en", case_reference="X-1", sender=COURT)
    result = converter.to_common(_csv(header, rows, delimiter, bom), "generated.csv")
    assert _findings(result) == []
    assert result.loss.entries == ()
    families = _xpath(
        result, "//n:recipient/c:naturalPerson/c:name[not(@form)]/c:familyName/text()"
    )
    assert families == [row[0] for row in rows]


@st.composite
def item(draw: st.DrawFn) -> list[str]:
    day = draw(st.integers(1, 27))
    return [
        draw(st.sampled_from(["physical", "document", "Gegenstand", "Urkunde"])),
        draw(_words(draw(st.sampled_from(sorted(ALPHABETS))), 5)),
        f"{day:02d}.03.2026 {draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        draw(_words("Latn")),
        draw(_words(draw(st.sampled_from(sorted(ALPHABETS))))),
        f"{day + 1:02d}.03.2026 12:00",
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(item(), min_size=1, max_size=6), delimiter=st.sampled_from([",", ";"]))
def test_valid_evidence_rows_always_give_a_valid_manifest(
    rows: list[list[str]], delimiter: str
) -> None:
    header = [
        "Art", "Bezeichnung", "Sichergestellt am", "Ort", "Sachbearbeiter", "Übergeben am",
        "Asservatennummer", "Rechtsgrundlage", "Beschluss", "Dienstgrad", "Dienststelle",
        "Siegelnummer", "Übergeben an", "Übergeben an (Funktion)", "Übergeben an (Dienststelle)",
        "Übergabeort",
    ]  # fmt: skip
    fixed = [
        "§ 94 StPO",
        "AG Köln 1 Gs 2/26",
        "KHK",
        "PP Köln",
        "S-1",
        "Eva Roth",
        "AV",
        "PP",
        "Köln",
    ]
    table = [[*row, f"A-{n}", *fixed] for n, row in enumerate(rows)]
    converter = CsvEvidence(
        document_language="de", case_reference="X-1", compiled_by=PROSECUTOR, time_zone="UTC"
    )
    result = converter.to_common(_csv(header, table, delimiter, bom=False), "generated.csv")
    assert _findings(result) == []
    assert result.loss.of_kind(LossKind.REJECTED) == ()
    assert _xpath(result, "//e:item/e:exhibitNumber/text()") == [f"A-{n}" for n in range(len(rows))]
