"""Mapping specs: a national format described in TOML converts both ways, and whatever it
cannot carry is reported — proved on the fictional "Statusmeldung" format in tests/cases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.convert.loss import LossKind
from interop.convert.mapping.converter import SpecConverter
from interop.errors import SchemaError, UnreadableInput
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_bytes
from tests.conftest import EXAMPLES, run_cli

SPEC = EXAMPLES / "national" / "statusmeldung" / "statusmeldung.toml"
SAMPLE = EXAMPLES / "national" / "statusmeldung" / "statusmeldung-sample.xml"
S = "urn:example:statusmeldung:1"
SAMPLE_TEXT = (
    "Die Durchsuchung ist für den 21. Juli 2026 angeordnet; "
    "Zeuge Łukasz Wiśniewski wird am selben Tag vernommen."
)


@pytest.fixture(scope="module")
def converter() -> SpecConverter:
    return SpecConverter(SPEC)


def _canonical(tree: etree._ElementTree) -> bytes:
    root = etree.fromstring(etree.tostring(tree))
    for element in root.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    return etree.tostring(root, method="c14n")


def test_to_common_is_valid_and_reports_exactly_the_unmapped_field(
    converter: SpecConverter,
) -> None:
    result = converter.to_common(SAMPLE.read_bytes(), str(SAMPLE))
    report = Validator(ValidationSettings()).check_tree(result.document, "converted")
    assert report.findings == ()
    assert [(e.kind, e.path, e.preview) for e in result.loss.entries] == [
        (LossKind.UNCONSUMED, "/s:statusmeldung/s:aktenzeichenIntern", "112 Js 4711/26")
    ]
    root = result.document.getroot()
    ns = {"c": "urn:interop:common:1", "n": "urn:interop:notification:1"}
    assert root.findtext("c:issueDate", namespaces=ns) == "2026-07-14"
    assert root.findtext("n:status", namespaces=ns) == "in-execution"
    assert root.findtext("c:documentLanguage", namespaces=ns) == "de"  # the spec's default
    assert [e.text for e in root.findall("n:deliveryLanguage", ns)] == ["de", "pl"]


def test_round_trip_restores_everything_the_format_can_carry(converter: SpecConverter) -> None:
    common = converter.to_common(SAMPLE.read_bytes(), str(SAMPLE)).document
    back = converter.from_common(common)
    assert back.loss.lossless
    assert converter.check_output(back.data) == []
    original = parse_bytes(SAMPLE.read_bytes(), "sample")
    internal = original.getroot().find(f"{{{S}}}aktenzeichenIntern")
    assert internal is not None
    original.getroot().remove(internal)  # the one field the common format has no place for
    assert _canonical(parse_bytes(back.data, "back")) == _canonical(original)


def test_common_content_without_a_national_place_is_reported(converter: SpecConverter) -> None:
    common = converter.to_common(SAMPLE.read_bytes(), str(SAMPLE)).document
    ns = "{urn:interop:common:1}"
    common.getroot().find(f"{ns}documentLanguage").text = "pl"  # not the spec's default
    back = converter.from_common(common)
    assert [(e.kind, e.path) for e in back.loss.entries] == [
        (LossKind.UNCONSUMED, "/n:statusUpdate/c:documentLanguage")
    ]


def test_national_constants_are_written_and_checked(converter: SpecConverter) -> None:
    common = converter.to_common(_variant('0815" version="1.0"', '0815" version="2.0"'), "v2.xml")
    assert (LossKind.UNCONSUMED, "/s:statusmeldung/@version", "2.0") in [
        (e.kind, e.path, e.preview) for e in common.loss.entries
    ]
    back = parse_bytes(converter.from_common(common.document).data, "back")
    assert back.getroot().get("version") == "1.0"


def _variant(old: str, new: str) -> bytes:
    return SAMPLE.read_text("utf-8").replace(old, new, 1).encode("utf-8")


def test_bad_values_are_rejected_and_missing_ones_unfilled(converter: SpecConverter) -> None:
    data = _variant("<s:status>BEARB</s:status>", "<s:status>UNBEKANNT</s:status>")
    data = data.replace(b"<s:datum>14.07.2026</s:datum>", b"<s:datum>2026-07-14</s:datum>", 1)
    result = converter.to_common(data, "bad.xml")
    kinds = {(e.kind, e.path) for e in result.loss.entries}
    assert (LossKind.REJECTED, "n:status") in kinds
    assert (LossKind.REJECTED, "c:issueDate") in kinds
    assert (LossKind.UNFILLED, "/n:statusUpdate/n:status") in kinds
    reasons = " ".join(e.reason for e in result.loss.entries)
    assert "UNBEKANNT" in reasons or "not in table status" in reasons
    assert "%d.%m.%Y" in reasons


def test_wrong_root_is_unreadable(converter: SpecConverter) -> None:
    with pytest.raises(UnreadableInput, match="expects root s:statusmeldung"):
        converter.to_common(b"<other/>", "other.xml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[format]\nname='x'\n", "needs version"),
        ("not toml = = 1", "not valid TOML"),
        (
            "[format]\nname='x'\nversion='1'\ndocument_type='d'\nnational_root='a'\ncommon_root='b'\n"
            "[[map]]\nnational='a'\ncommon='b'\ntransform='rot13'\n",
            "unknown transform",
        ),
        (
            "[format]\nname='x'\nversion='1'\ndocument_type='d'\nnational_root='a'\ncommon_root='b'\n"
            "[[map]]\nnational='a'\ncommon='b'\ncolour='red'\n",
            "unknown keys",
        ),
    ],
)
def test_broken_specs_are_refused_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    spec = tmp_path / "broken.toml"
    spec.write_text(text)
    with pytest.raises(SchemaError, match=message):
        SpecConverter(spec)


def test_cli_converts_both_ways_with_a_report(tmp_path: Path) -> None:
    common = tmp_path / "common.xml"
    report = tmp_path / "report.json"
    done = run_cli(
        "convert",
        str(SAMPLE),
        "--from",
        str(SPEC),
        "--to",
        "common",
        "-o",
        str(common),
        "--report",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    assert "aktenzeichenIntern" in done.stderr
    data = json.loads(report.read_text())
    assert data["summary"] == {
        "files": 1,
        "written": 1,
        "unreadable": 0,
        "invalid": 0,
        "lossless": 0,
    }
    strict = run_cli(
        "convert",
        str(SAMPLE),
        "--from",
        str(SPEC),
        "--to",
        "common",
        "--strict",
        "-o",
        str(tmp_path / "strict.xml"),
    )
    assert strict.returncode == 1
    back = tmp_path / "back.xml"
    again = run_cli("convert", str(common), "--from", "common", "--to", str(SPEC), "-o", str(back))
    assert again.returncode == 0, again.stderr
    assert back.read_bytes().startswith(b"<?xml")


def test_cli_does_not_write_invalid_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(_variant("<s:status>BEARB</s:status>", "<s:status>UNBEKANNT</s:status>"))
    out = tmp_path / "out.xml"
    done = run_cli("convert", str(broken), "--from", str(SPEC), "--to", "common", "-o", str(out))
    assert done.returncode == 1
    assert not out.exists()
    assert "not written" in done.stderr


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")),
        min_size=1,
        max_size=80,
    ).filter(lambda t: t.strip() == t and t.strip()),
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
)
def test_round_trip_property(converter: SpecConverter, text: str, day: object) -> None:
    date = day.strftime("%d.%m.%Y")  # type: ignore[attr-defined]
    data = _variant(SAMPLE_TEXT, text)
    data = data.replace(b"<s:datum>14.07.2026</s:datum>", f"<s:datum>{date}</s:datum>".encode(), 1)
    common = converter.to_common(data, "generated.xml")
    back = parse_bytes(converter.from_common(common.document).data, "back")
    assert back.getroot().findtext(f"{{{S}}}text") == text
    assert back.getroot().findtext(f"{{{S}}}datum") == date
