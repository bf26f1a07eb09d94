"""XJustiz 3.6.2 message 0500017 written from our evidence manifests.

Each example manifest must give a message that xmllint (an engine independent of ours) accepts
against the official XSD and that passes the official GDS and STRAF Schematron with our
validator; what the message cannot carry must be in the loss report, and the exhibit numbers
and descriptions must come through unchanged.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from interop.convert import registry
from interop.convert.converter import Converter, Direction, FromCommon
from interop.convert.formats.xjustiz.asservate import (
    SCHEMA_ENV,
    XJustizAsservate,
    din91379,
)
from interop.convert.loss import LossKind
from interop.convert.pipeline import Pipeline
from interop.errors import UsageError
from interop.validate.validator import Validator
from tests.conftest import EXAMPLES
from tests.convert.xjustiz_support import (
    XSD_DIR,
    assert_official_xjustiz,
    official_validator,
)

MANIFESTS = sorted((EXAMPLES / "evidence").glob("*.xml"))
LAPTOP = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
NS = {"tns": "http://www.xjustiz.de", "e": "urn:interop:evidence:1", "c": "urn:interop:common:1"}
MESSAGE_ID = "1ded89a3-de65-4dab-b875-69a3e3e7c0c0"
CREATED = datetime(2026, 2, 24, 9, 30, tzinfo=UTC)
# XJustiz messages go between German bodies: a foreign compiling or receiving authority is
# replaced by a German one given as an option (docs/xjustiz-mapping.md 2.2).
OPTIONS = {
    "evidence-documents-usb-es-fr.xml": {"sender": "A2000R", "recipient": "B2000S"},
    "evidence-laptop-image-de-pl.xml": {"recipient": "A2000R"},
    "evidence-phone-extraction-nl-de.xml": {"sender": "A2000R"},
}


def convert(manifest: Path, **extra: object) -> tuple[XJustizAsservate, FromCommon]:
    options: dict[str, object] = {
        "message_id": MESSAGE_ID,
        "created": CREATED,
        "schema_dir": XSD_DIR,
        **OPTIONS[manifest.name],
        **extra,
    }
    converter = XJustizAsservate(**options)  # type: ignore[arg-type]
    return converter, converter.from_common(etree.parse(str(manifest)))


def message(result: FromCommon) -> etree._Element:
    return etree.fromstring(result.data)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return official_validator()


def test_follows_the_converter_protocol() -> None:
    converter = XJustizAsservate()
    assert isinstance(converter, Converter)
    assert converter.name == "xjustiz-0500017"
    assert converter.version == "3.6.2"
    assert converter.directions == frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})
    assert converter.document_types == ("evidence-manifest",)
    assert converter.extension == ".xml"


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.stem for m in MANIFESTS])
def test_output_passes_xmllint_and_the_official_rules(
    manifest: Path, validator: Validator, tmp_path: Path
) -> None:
    converter, result = convert(manifest)
    assert_official_xjustiz(result.data, tmp_path, validator)
    assert converter.check_output(result.data) == []


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.stem for m in MANIFESTS])
def test_exhibit_numbers_and_descriptions_come_through(manifest: Path) -> None:
    _, result = convert(manifest)
    items = etree.parse(str(manifest)).getroot().findall("e:items/e:item", NS)
    exhibits = message(result).findall("tns:fachdaten/tns:asservate", NS)
    assert len(exhibits) == len(items)
    rejected = {e.path for e in result.loss.of_kind(LossKind.REJECTED)}
    for index, (item, exhibit) in enumerate(zip(items, exhibits, strict=True), start=1):
        assert exhibit.findtext("tns:nummer", namespaces=NS) == item.get("id")
        number = exhibit.findtext("tns:asservatengruppe/tns:gruppe", namespaces=NS)
        running = exhibit.findtext("tns:asservatengruppe/tns:laufendeNummer", namespaces=NS)
        joined = f"{number} Nr. {running}" if running else number
        assert joined == item.findtext("e:exhibitNumber", namespaces=NS)
        texts = item.findall("e:description/c:text", NS)
        german = [t for t in texts if t.get("lang") == "de"]
        original = (german or [t for t in texts if t.get("origin") == "original"])[0].text or ""
        written = exhibit.findtext("tns:bezeichnung", namespaces=NS) or ""
        assert written.startswith(din91379(original, "C"))
        path = (
            "/tns:nachricht.straf.asservate.0500017/tns:fachdaten/"
            f"tns:asservate[{index}]/tns:bezeichnung"
        )
        assert (din91379(original, "C") != original) == (path in rejected)


def test_digital_file_clauses_follow_the_convention() -> None:
    _, result = convert(LAPTOP)
    image = message(result).findall("tns:fachdaten/tns:asservate", NS)[1]
    assert image.findtext("tns:bezeichnung", namespaces=NS) == (
        "Forensisches Abbild (EWF/E01) der NVMe-SSD aus Ass.-Nr. 2026/0117-01."
        "; Datei images/2026-0117-01_SSD.E01; 198461335552 Byte"
        "; SHA-256 bc2e8835ec9b44146c43c7707d6d618976448cdc664e32461f62102394cfd044"
        "; MD5 c36f6e28d6d9d868e7956f1464464256"
    )
    assert image.findtext("tns:menge", namespaces=NS) == "1"
    assert image.findtext("tns:einheit", namespaces=NS) == "Datei"


def test_loss_report_lists_what_0500017_cannot_carry() -> None:
    _, result = convert(LAPTOP)
    unconsumed = {e.path for e in result.loss.of_kind(LossKind.UNCONSUMED)}
    m = "/e:evidenceManifest"
    item1, item2 = f"{m}/e:items/e:item[1]", f"{m}/e:items/e:item[2]"
    for lost in (
        f"{m}/e:custody/e:custodyEvent[1]/e:at",
        f"{m}/e:custody/e:custodyEvent[4]/e:means/e:trackingReference",
        f"{m}/e:holders/e:holder[1]/e:name",
        f"{item1}/e:seal[1]/e:number",
        f"{item1}/e:seal[2]/e:sealedAt",
        f"{item1}/e:seizure/e:at",
        f"{item1}/e:seizure/e:place/c:locality",
        f"{item1}/e:device/e:serialNumber[1]",
        f"{item1}/@type",
        f"{item1}/e:description/c:text[2]",
        f"{item2}/e:mediaType",
        f"{item2}/e:acquisition/e:tool/e:name",
        f"{item2}/@derivedFrom",
        f"{m}/e:persons/e:party[2]/c:naturalPerson/c:name[1]/c:familyName",  # Cyrillic original
        f"{m}/e:persons/e:party[2]/c:naturalPerson/c:name[2]/@form",
        f"{m}/c:documentId",
    ):
        assert lost in unconsumed, lost
    for carried in (
        f"{item1}/e:exhibitNumber",
        f"{item1}/e:description/c:text[1]",
        f"{item1}/e:description/c:text[1]/@lang",
        f"{item1}/@id",
        f"{item2}/e:path",
        f"{item2}/e:size",
        f"{item2}/e:hash[1]",
        f"{item2}/e:hash[2]/@algorithm",
        f"{m}/e:reference/c:number",
        f"{m}/e:compiledBy/c:name",
        f"{m}/e:recipient/c:reference",
        f"{item1}/e:seizure/e:seizedFrom/@party",
        f"{m}/e:persons/e:party[1]/c:naturalPerson/c:name/c:familyName",
        f"{m}/e:persons/e:party[2]/c:naturalPerson/c:name[2]/c:familyName",  # transliteration
        f"{m}/e:persons/e:party[1]/c:naturalPerson/c:identityDocument/c:number",
    ):
        assert carried not in unconsumed, carried
    assert not result.loss.of_kind(LossKind.UNFILLED)


def test_header_and_instance_data() -> None:
    _, result = convert(LAPTOP, authorities={"Staatsanwaltschaft Berlin": "F1100S"})
    head = message(result).find("tns:nachrichtenkopf", NS)
    assert head is not None
    assert head.get("xjustizVersion") == "3.6.2"
    assert head.findtext("tns:absender/tns:eigeneNachrichtenID", namespaces=NS) == MESSAGE_ID
    assert head.findtext("tns:erstellungszeitpunkt", namespaces=NS) == "2026-02-24T09:30:00+00:00"
    sender = head.find("tns:absender/tns:informationen/tns:auswahl_kommunikationspartner", NS)
    assert sender is not None
    court = sender.find("tns:gericht", NS)
    assert court is not None
    assert court.get("listURI") == "urn:xoev-de:xjustiz:codeliste:gds.gerichte"
    assert court.get("listVersionID") == "3.7"
    assert court.findtext("code") == "F1100S"
    assert head.findtext("tns:absender/tns:aktenzeichen", namespaces=NS) == "276 AR 45/26"
    assert head.findtext("tns:ereignis/code", namespaces=NS) == "120"
    instances = message(result).findall("tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten", NS)
    references = [
        i.findtext("tns:aktenzeichen/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext", None, NS)
        for i in instances
    ]
    assert references == ["276 AR 45/26", "PO V Ds 41.2026"]
    identifier = message(result).findtext("tns:fachdaten/tns:asservate/tns:asservatenID", None, NS)
    assert identifier is not None
    assert identifier.startswith("F1100S_")
    uuid.UUID(identifier.removeprefix("F1100S_"))


def test_message_id_is_fresh_by_default() -> None:
    converter = XJustizAsservate(recipient="A2000R")
    first, second = (
        message(converter.from_common(etree.parse(str(LAPTOP)))).findtext(
            "tns:nachrichtenkopf/tns:absender/tns:eigeneNachrichtenID", None, NS
        )
        for _ in range(2)
    )
    assert first and second and first != second
    uuid.UUID(first)


def test_foreign_authority_needs_an_option() -> None:
    with pytest.raises(UsageError, match="recipient"):
        XJustizAsservate().from_common(etree.parse(str(LAPTOP)))


def test_check_output_without_schema_checks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEMA_ENV, raising=False)
    assert XJustizAsservate().check_output(b"<not-xjustiz/>") == []


def test_check_output_finds_errors_with_the_schema_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, result = convert(LAPTOP)
    broken = message(result)
    for identifier in broken.iterfind(".//tns:asservatenID", NS):
        parent = identifier.getparent()
        assert parent is not None
        parent.remove(identifier)
    monkeypatch.setenv(SCHEMA_ENV, str(XSD_DIR))
    findings = XJustizAsservate().check_output(etree.tostring(broken))
    assert findings
    assert all(f.rule.startswith("xsd:") for f in findings)


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.stem for m in MANIFESTS])
def test_origins_refer_to_written_parties(manifest: Path) -> None:
    _, result = convert(manifest)
    written = message(result)
    numbers = {
        n.text for n in written.iterfind(".//tns:beteiligung/tns:rolle/tns:rollennummer", NS)
    }
    references = [r.text for r in written.iterfind(".//tns:herkunft//tns:ref.rollennummer", NS)]
    seized_from = (
        etree.parse(str(manifest))
        .getroot()
        .xpath("e:items/e:item/e:seizure/e:seizedFrom/@party", namespaces=NS)
    )
    assert references == list(seized_from)
    assert set(references) <= numbers


def test_party_codes_and_names() -> None:
    _, result = convert(LAPTOP)
    parties = message(result).findall(".//tns:verfahrensdaten/tns:beteiligung", NS)
    suspect, third = parties
    assert suspect.findtext("tns:rolle/tns:rollenbezeichnung/code", namespaces=NS) == "031"
    assert third.findtext("tns:rolle/tns:rollenbezeichnung/code", namespaces=NS) == "040"
    person = "tns:beteiligter/tns:auswahl_beteiligter/tns:natuerlichePerson"
    assert suspect.findtext(f"{person}/tns:staatsangehoerigkeit/code", namespaces=NS) == "152"
    # The Cyrillic original cannot be written (DIN 91379): the transliteration is.
    assert third.findtext(f"{person}/tns:vollerName/tns:nachname", namespaces=NS) == "Kovalenko"


def test_text_outside_din91379_is_rejected_not_written() -> None:
    manifest = EXAMPLES / "evidence" / "evidence-phone-extraction-nl-de.xml"
    _, result = convert(manifest)
    rejected = {e.path: e for e in result.loss.of_kind(LossKind.REJECTED)}
    birthplace = (
        "/tns:nachricht.straf.asservate.0500017/tns:grunddaten/tns:verfahrensdaten/"
        "tns:beteiligung[1]/tns:beteiligter/tns:auswahl_beteiligter/tns:natuerlichePerson/"
        "tns:geburt/tns:geburtsort/tns:ort"
    )
    assert rejected[birthplace].preview == "Θεσσαλονίκη"
    assert message(result).find(".//tns:geburtsort", NS) is None
    assert din91379("LKA 25 \u2013 Cybercrime \u201ealt\u201c", "C") == 'LKA 25 - Cybercrime "alt"'
    assert din91379("Zeile 1\nZeile 2", "D") == "Zeile 1 Zeile 2"


def test_storage_authority_is_the_last_holder() -> None:
    _, result = convert(LAPTOP)
    for exhibit in message(result).iterfind("tns:fachdaten/tns:asservate", NS):
        storage = exhibit.findtext("tns:aufbewahrungsbehoerde/tns:sonstige", namespaces=NS)
        assert storage == "Prokuratura Okręgowa w Warszawie"
    unconsumed = {e.path for e in result.loss.of_kind(LossKind.UNCONSUMED)}
    assert "/e:evidenceManifest/e:holders/e:holder[5]/e:organisation" in unconsumed


def test_runs_in_the_pipeline_and_writes_only_valid_output(tmp_path: Path) -> None:
    target = XJustizAsservate(recipient="A2000R", schema_dir=XSD_DIR)
    pipeline = Pipeline(registry.get("common"), target, max_bytes=10_000_000)
    out = tmp_path / "asservate.xml"
    done = pipeline.convert(str(LAPTOP), out)
    assert done.error is None
    assert done.findings == ()
    assert done.output == str(out)
    assert out.read_bytes() == done.data
    assert done.loss.of_kind(LossKind.UNCONSUMED)

    unnamed = Pipeline(registry.get("common"), XJustizAsservate(), max_bytes=10_000_000)
    refused = unnamed.convert(str(LAPTOP), tmp_path / "none.xml")
    assert refused.error is not None
    assert "recipient" in refused.error
    assert not (tmp_path / "none.xml").exists()
