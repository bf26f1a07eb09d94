"""XJustiz 3.6.2 message 0500001 written from our evidence requests (EIO and MLA examples).

Each example request must give a message that xmllint (an engine independent of ours) accepts
against the official XSD and that passes the official GDS and STRAF Schematron with our
validator; the party names and offence texts must arrive, and what 0500001 cannot carry must be
in the loss report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from interop.convert import registry
from interop.convert.converter import Converter, Direction, FromCommon
from interop.convert.formats.xjustiz.asservate import din91379
from interop.convert.formats.xjustiz.strafverfahren import XJustizStrafverfahren
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

REQUESTS = sorted(
    [*(EXAMPLES / "request").glob("eio-*.xml"), *(EXAMPLES / "request").glob("mla-*.xml")]
)
EIO_DE = EXAMPLES / "request" / "eio-de-fr-fraud-banking.xml"
MLA = EXAMPLES / "request" / "mla-it-ua-coe-1959-cyberfraud.xml"
NS = {"tns": "http://www.xjustiz.de", "r": "urn:interop:request:1", "c": "urn:interop:common:1"}
ROOT_TAG = "/tns:nachricht.straf.ermittlungsErkenntnisverfahren.0500001"
MESSAGE_ID = "6f1c4f0e-3a55-4a43-9d0b-2f5d2d8f9a11"
CREATED = datetime(2026, 3, 10, 8, 15, tzinfo=UTC)
# XJustiz messages go between German bodies: a foreign issuing or executing authority is
# replaced by a German one given as an option (docs/xjustiz-mapping.md 2.2).
OPTIONS = {
    "eio-de-fr-fraud-banking.xml": {"recipient": "A2000R"},
    "eio-pl-es-search-videoconference.xml": {"sender": "A2000R", "recipient": "B2000S"},
    "mla-it-ua-coe-1959-cyberfraud.xml": {"sender": "A2000R", "recipient": "B2000S"},
}


def convert(request: Path, **extra: object) -> tuple[XJustizStrafverfahren, FromCommon]:
    options: dict[str, object] = {
        "message_id": MESSAGE_ID,
        "created": CREATED,
        "schema_dir": XSD_DIR,
        **OPTIONS[request.name],
        **extra,
    }
    converter = XJustizStrafverfahren(**options)  # type: ignore[arg-type]
    return converter, converter.from_common(etree.parse(str(request)))


def message(result: FromCommon) -> etree._Element:
    return etree.fromstring(result.data)


def first_text(parent: etree._Element) -> str:
    """The German text of a c:FreeTextType, else the original (docs/xjustiz-mapping.md 1.4)."""
    texts = parent.findall("c:text", NS)
    german = [t for t in texts if t.get("lang") == "de"]
    return (german or [t for t in texts if t.get("origin") == "original"])[0].text or ""


@pytest.fixture(scope="module")
def validator() -> Validator:
    return official_validator()


def test_every_example_has_options() -> None:
    assert {r.name for r in REQUESTS} == set(OPTIONS)


def test_follows_the_converter_protocol() -> None:
    converter = XJustizStrafverfahren()
    assert isinstance(converter, Converter)
    assert converter.name == "xjustiz-0500001"
    assert converter.version == "3.6.2"
    assert converter.directions == frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})
    # Writes evidence requests; reads into an evidence or surrender request (option base).
    assert converter.document_types == ("evidence-request", "surrender-request")
    assert converter.extension == ".xml"


@pytest.mark.parametrize("request_file", REQUESTS, ids=[r.stem for r in REQUESTS])
def test_output_passes_xmllint_and_the_official_rules(
    request_file: Path, validator: Validator, tmp_path: Path
) -> None:
    converter, result = convert(request_file)
    assert_official_xjustiz(result.data, tmp_path, validator)
    assert converter.check_output(result.data) == []


@pytest.mark.parametrize("request_file", REQUESTS, ids=[r.stem for r in REQUESTS])
def test_party_names_arrive(request_file: Path) -> None:
    _, result = convert(request_file)
    written = {
        b.findtext("tns:beteiligter/tns:beteiligtennummer", namespaces=NS): b
        for b in message(result).iterfind(".//tns:verfahrensdaten/tns:beteiligung", NS)
    }
    rejected = {e.path for e in result.loss.of_kind(LossKind.REJECTED)}
    parties = etree.parse(str(request_file)).getroot().findall("r:personsConcerned/r:party", NS)
    for index, party in enumerate(parties, start=1):
        chosen = party.xpath(
            "(c:naturalPerson/c:name[@script = 'Latn'][not(@form) or @form = 'original']"
            " | c:naturalPerson/c:name[@form = 'transliterated'])[1]",
            namespaces=NS,
        )
        assert isinstance(chosen, list)
        if chosen:
            name = chosen[0]
            assert isinstance(name, etree._Element)
            person = written[party.get("id")].find(
                "tns:beteiligter/tns:auswahl_beteiligter/tns:natuerlichePerson/tns:vollerName", NS
            )
            assert person is not None
            family = " ".join(f.text or "" for f in name.findall("c:familyName", NS))
            given = " ".join(g.text or "" for g in name.findall("c:givenName", NS))
            assert person.findtext("tns:nachname", namespaces=NS) == family
            assert person.findtext("tns:vorname", namespaces=NS) == (given or None)
            continue
        legal_name = party.findtext("c:legalPerson/c:name", namespaces=NS) or ""
        if party.get("id") in written:
            organisation = written[party.get("id")].find(
                "tns:beteiligter/tns:auswahl_beteiligter/tns:organisation", NS
            )
            assert organisation is not None
            assert organisation.findtext(
                "tns:bezeichnung/tns:bezeichnung.aktuell", namespaces=NS
            ) == din91379(legal_name, "D")
        else:  # not representable in DIN 91379: dropped, and said so
            assert f"/r:evidenceRequest/r:personsConcerned/r:party[{index}]" in rejected


@pytest.mark.parametrize("request_file", REQUESTS, ids=[r.stem for r in REQUESTS])
def test_offences_arrive(request_file: Path) -> None:
    _, result = convert(request_file)
    out = message(result)
    offences = etree.parse(str(request_file)).getroot().findall("r:grounds/r:offence", NS)
    acts = out.findall("tns:fachdaten/tns:tat", NS)
    assert len(acts) == len(offences)
    subject = out.findtext(
        "tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten[1]/tns:verfahrensgegenstand/"
        "tns:gegenstand",
        namespaces=NS,
    )
    expected = []
    for offence in offences:
        classification = offence.find("c:legalClassification", NS)
        assert classification is not None
        provisions = [p.text or "" for p in offence.findall("c:statutoryProvision", NS)]
        expected.append(f"{first_text(classification)} ({', '.join(provisions)})")
    assert subject == din91379("; ".join(expected), "C")
    for number, (offence, act) in enumerate(zip(offences, acts, strict=True)):
        assert act.findtext("tns:nummer", namespaces=NS) == offence.get("id")
        assert act.findtext("tns:anfangsdatum", namespaces=NS) == offence.findtext(
            "c:committedFrom", namespaces=NS
        )
        assert act.findtext("tns:endedatum", namespaces=NS) == offence.findtext(
            "c:committedTo", namespaces=NS
        )
        delikte = act.findall("tns:delikt", NS)
        assert len(delikte) == 1
        leading = delikte[0].findtext("tns:fuehrendesDeliktVerfahren", namespaces=NS)
        assert leading == ("true" if number == 0 else "false")
        places = [p.findtext("c:locality", namespaces=NS) for p in offence.findall("c:place", NS)]
        written_places = [
            t.findtext("tns:anschrift/tns:ort", namespaces=NS)
            for t in act.findall("tns:tatort", NS)
        ]
        assert written_places == places


def test_persons_and_penalties_of_each_offence() -> None:
    _, result = convert(EIO_DE)
    acts = message(result).findall("tns:fachdaten/tns:tat", NS)
    persons = [
        [
            (
                b.findtext("tns:ref.rollennummer", namespaces=NS),
                b.findtext("tns:fuehrendesDelikt", namespaces=NS),
            )
            for b in act.iterfind("tns:delikt/tns:beteiligter", NS)
        ]
        for act in acts
    ]
    assert persons == [[("p1", "true"), ("p2", "true")], [("p1", "false"), ("p2", "false")]]
    penalties = [a.findtext("tns:delikt/tns:angedrohteHoechststrafe", namespaces=NS) for a in acts]
    assert penalties == ["10 Jahre", "5 Jahre"]
    subject = message(result).findtext(".//tns:verfahrensgegenstand/tns:gegenstand", namespaces=NS)
    assert subject == (
        "Gewerbsmäßiger Bandenbetrug (§ 263 Abs. 1, Abs. 5 StGB); Geldwäsche (§ 261 Abs. 1 StGB)"
    )
    codes = [
        b.findtext("tns:rolle/tns:rollenbezeichnung/code", namespaces=NS)
        for b in message(result).iterfind(".//tns:verfahrensdaten/tns:beteiligung", NS)
    ]
    assert codes == ["031", "031", "040", "202", "084"]


def test_loss_report_lists_what_0500001_cannot_carry() -> None:
    _, result = convert(EIO_DE)
    unconsumed = {e.path for e in result.loss.of_kind(LossKind.UNCONSUMED)}
    r = "/r:evidenceRequest"
    offence = f"{r}/r:grounds/r:offence[1]"
    for lost in (
        f"{r}/r:measures/r:measure[1]/r:code",
        f"{r}/r:measures/r:measure[4]/r:description/c:text[1]",
        f"{r}/r:proportionality/c:text[1]",
        f"{r}/r:grounds/r:summaryOfFacts/c:text[1]",
        f"{r}/r:urgency/r:urgent",
        f"{r}/r:legalBasis[1]/c:instrument",
        f"{r}/r:issuingState",
        f"{r}/r:executingAuthority/c:name",  # foreign: replaced by the option recipient
        f"{r}/r:formalities/c:text[1]",
        f"{offence}/c:listOffence",
        f"{offence}/c:participation/c:text[1]",
        f"{offence}/c:legalClassification/c:text[2]",  # the French version
        f"{r}/r:personsConcerned/r:party[2]/c:naturalPerson/c:name[1]/c:familyName",  # Greek
        f"{r}/r:personsConcerned/r:party[3]/c:legalPerson/c:registrationNumber",
        f"{r}/c:documentId",
    ):
        assert lost in unconsumed, lost
    for carried in (
        f"{r}/r:issuingAuthority/c:name",
        f"{r}/r:issuingAuthority/c:reference",
        f"{offence}/@id",
        f"{offence}/@persons",
        f"{offence}/c:legalClassification/c:text[1]",
        f"{offence}/c:legalClassification/c:text[1]/@lang",
        f"{offence}/c:statutoryProvision",
        f"{offence}/c:maximumPenalty/c:months",
        f"{offence}/c:committedFrom",
        f"{offence}/c:place[2]/c:locality",
        f"{r}/r:personsConcerned/r:party[1]/c:naturalPerson/c:name/c:familyName",
        f"{r}/r:personsConcerned/r:party[2]/c:naturalPerson/c:name[2]/c:familyName",
        f"{r}/r:personsConcerned/r:party[3]/c:legalPerson/c:name",
    ):
        assert carried not in unconsumed, carried
    assert not result.loss.of_kind(LossKind.UNFILLED)


def test_header_and_instance_data() -> None:
    _, result = convert(EIO_DE)
    head = message(result).find("tns:nachrichtenkopf", NS)
    assert head is not None
    assert head.get("xjustizVersion") == "3.6.2"
    assert head.findtext("tns:absender/tns:eigeneNachrichtenID", namespaces=NS) == MESSAGE_ID
    partner = "tns:informationen/tns:auswahl_kommunikationspartner"
    assert head.findtext(f"tns:absender/{partner}/tns:sonstige", namespaces=NS) == (
        "Staatsanwaltschaft Frankfurt am Main - Abteilung für Wirtschaftsstrafsachen"
    )
    assert head.findtext("tns:absender/tns:aktenzeichen", namespaces=NS) == "63 Js 11842/26"
    assert head.findtext(f"tns:empfaenger/{partner}/tns:gericht/code", namespaces=NS) == "A2000R"
    neu = "tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.neu"
    assert head.findtext(neu, namespaces=NS) == "true"
    assert head.find("tns:ereignis", NS) is None
    instances = message(result).findall("tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten", NS)
    assert len(instances) == 1
    sender_instance = "tns:absender/tns:informationen/tns:auswahl_verweisGrunddaten"
    assert head.findtext(f"{sender_instance}/tns:ref.instanznummer", namespaces=NS) == "1"


def test_event_option() -> None:
    _, result = convert(EIO_DE, event="033")
    event = message(result).find("tns:nachrichtenkopf/tns:ereignis", NS)
    assert event is not None
    assert event.findtext("code") == "033"
    assert event.get("listURI") == "urn:xoev-de:xjustiz:codeliste:gds.ereignis"


def test_foreign_issuing_authority_goes_to_the_instance_data() -> None:
    _, result = convert(MLA)
    instance = message(result).find(".//tns:verfahrensdaten/tns:instanzdaten", NS)
    assert instance is not None
    assert instance.findtext("tns:auswahl_instanzbehoerde/tns:sonstige", namespaces=NS) == (
        "Procura della Repubblica presso il Tribunale di Milano - Pool reati informatici"
    )
    number = "tns:aktenzeichen/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
    assert instance.findtext(number, namespaces=NS) == "n. 21734/25 R.G.N.R. mod. 21"


def test_legal_person_without_latin_name_is_dropped_and_reported() -> None:
    _, result = convert(MLA)
    out = message(result)
    numbers = [n.text for n in out.iterfind(".//tns:beteiligung//tns:beteiligtennummer", NS)]
    assert "p3" not in numbers
    assert "p3" not in [r.text for r in out.iterfind(".//tns:ref.rollennummer", NS)]
    rejected = {e.path: e for e in result.loss.of_kind(LossKind.REJECTED)}
    entry = rejected["/r:evidenceRequest/r:personsConcerned/r:party[3]"]
    assert entry.preview is not None
    assert "Khmarni" in entry.preview


def test_person_description_goes_to_personendaten() -> None:
    document = etree.parse(str(EIO_DE))
    person = document.getroot().find("r:personsConcerned/r:party[@id='p2']/c:naturalPerson", NS)
    assert person is not None
    description = etree.SubElement(person, f"{{{NS['c']}}}description")
    text = etree.SubElement(description, f"{{{NS['c']}}}text")
    text.set("lang", "de")
    text.set("origin", "original")
    text.text = "Etwa 1,80 m groß \u2013 Narbe an der linken Hand"
    converter = XJustizStrafverfahren(recipient="A2000R", schema_dir=XSD_DIR)
    result = converter.from_common(document)
    assert converter.check_output(result.data) == []
    data = message(result).find("tns:fachdaten/tns:personendaten", NS)
    assert data is not None
    assert data.findtext("tns:person/tns:ref.rollennummer", namespaces=NS) == "p2"
    assert data.findtext("tns:personenbeschreibung", namespaces=NS) == (
        "Etwa 1,80 m groß - Narbe an der linken Hand"
    )
    described = "/r:evidenceRequest/r:personsConcerned/r:party[2]/c:naturalPerson/c:description"
    unconsumed = {e.path for e in result.loss.of_kind(LossKind.UNCONSUMED)}
    assert not {p for p in unconsumed if p.startswith(described)}
    rejected = {e.path for e in result.loss.of_kind(LossKind.REJECTED)}
    assert f"{ROOT_TAG}/tns:fachdaten/tns:personendaten/tns:personenbeschreibung" in rejected


def test_foreign_authority_needs_an_option() -> None:
    with pytest.raises(UsageError, match="recipient"):
        XJustizStrafverfahren().from_common(etree.parse(str(EIO_DE)))
    with pytest.raises(UsageError, match="sender"):
        XJustizStrafverfahren(recipient="B2000S").from_common(etree.parse(str(MLA)))


def test_refuses_other_documents() -> None:
    manifest = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
    with pytest.raises(UsageError, match="evidence requests only"):
        XJustizStrafverfahren(recipient="A2000R").from_common(etree.parse(str(manifest)))


def test_runs_in_the_pipeline_and_writes_only_valid_output(tmp_path: Path) -> None:
    target = XJustizStrafverfahren(recipient="A2000R", schema_dir=XSD_DIR)
    pipeline = Pipeline(registry.get("common"), target, max_bytes=10_000_000)
    out = tmp_path / "strafverfahren.xml"
    done = pipeline.convert(str(EIO_DE), out)
    assert done.error is None
    assert done.findings == ()
    assert out.read_bytes() == done.data
    assert done.loss.of_kind(LossKind.UNCONSUMED)
