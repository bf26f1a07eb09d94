"""XJustiz 3.6.2 message 0500001 read back into a request (docs/xjustiz-mapping.md 4.4).

The law checked for every example request (and for generated ones, with hypothesis): write
the request as 0500001, read the message back with the original as base request, and take
every leaf (an element with text, or an attribute) of its parties and offences, by path with
parties and offences named by id. A leaf that comes back with an equal value was carried; the
loss report of writing must name exactly the others (a leaf counts as named when its path or
the path of an ancestor is in the report). The carried name, description and classification
come back as the only ``c:name``, ``c:text``.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.convert import registry
from interop.convert.converter import Direction, ToCommon
from interop.convert.formats.xjustiz.strafverfahren import (
    XJustizStrafverfahren,
    parse_penalty,
    split_subject,
    subject_part,
)
from interop.convert.loss import LossKind
from interop.convert.pipeline import Pipeline
from interop.errors import UnreadableInput, UsageError
from interop.validate.locate import named_xpath
from interop.validate.validator import ValidationSettings, Validator
from tests.conftest import EXAMPLES, ROOT, run_cli

SAMPLE = ROOT / "tests" / "cases" / "xjustiz" / "valid-0500001-strafverfahren.xml"
SAMPLE_BASE = Path(__file__).with_name("data") / "base-0500001-strafverfahren.xml"
EIO_DE = EXAMPLES / "request" / "eio-de-fr-fraud-banking.xml"
EAW = EXAMPLES / "request" / "eaw-fr-bg-life-sentence.xml"
REQUESTS = sorted(
    [*(EXAMPLES / "request").glob("eio-*.xml"), *(EXAMPLES / "request").glob("mla-*.xml")]
)
R = "urn:interop:request:1"
C = "urn:interop:common:1"
TNS = "http://www.xjustiz.de"
NS = {"r": R, "c": C, "tns": TNS}
PREFIXES = {R: "r", C: "c"}
MESSAGE = "/tns:nachricht.straf.ermittlungsErkenntnisverfahren.0500001"
OPTIONS = {
    "eio-de-fr-fraud-banking.xml": {"recipient": "A2000R"},
    "eio-pl-es-search-videoconference.xml": {"sender": "A2000R", "recipient": "B2000S"},
    "mla-it-ua-coe-1959-cyberfraud.xml": {"sender": "A2000R", "recipient": "B2000S"},
}
_POSITION = re.compile(r"\[\d+\]")
MESSAGE_ID = "6f1c4f0e-3a55-4a43-9d0b-2f5d2d8f9a11"
CARRIED = {
    "c:naturalPerson": "(c:name[@script = 'Latn'][not(@form) or @form = 'original']"
    " | c:name[@form = 'transliterated'][not(../c:name[@script = 'Latn']"
    "[not(@form) or @form = 'original'])])[1]",
    "c:naturalPerson/c:description": "(c:text[@lang = 'de'] | c:text[@origin = 'original']"
    "[not(../c:text[@lang = 'de'])])[1]",
    "c:legalClassification": "(c:text[@lang = 'de'] | c:text[@origin = 'original']"
    "[not(../c:text[@lang = 'de'])])[1]",
}


def _nodes(found: object) -> list[etree._Element]:
    return [n for n in found if isinstance(n, etree._Element)] if isinstance(found, list) else []


def read(data: bytes, base: Path | None = None, **options: object) -> ToCommon:
    converter = XJustizStrafverfahren(base=base, **options)  # type: ignore[arg-type]
    return converter.to_common(data, "message.xml")


def keyed(root: etree._Element) -> dict[str, str]:
    """Path prefix -> the same path with parties and offences named by id, carried parts moved."""
    moved: dict[str, str] = {}
    for node in root.iterfind("r:personsConcerned/r:party", NS):
        moved[named_xpath(node, PREFIXES)] = f"party[{node.get('id')}]"
    for node in root.iterfind("r:grounds/r:offence", NS):
        moved[named_xpath(node, PREFIXES)] = f"offence[{node.get('id')}]"
    for holder, expression in CARRIED.items():
        for parent in root.iterfind(f"r:personsConcerned/r:party/{holder}", NS):
            found = parent.xpath(expression, namespaces=NS)
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                step = "c:name" if holder == "c:naturalPerson" else "c:text"
                moved[named_xpath(found[0], PREFIXES)] = named_xpath(parent, PREFIXES) + "/" + step
        for parent in root.iterfind(f"r:grounds/r:offence/{holder}", NS):
            found = parent.xpath(expression, namespaces=NS)
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                moved[named_xpath(found[0], PREFIXES)] = named_xpath(parent, PREFIXES) + "/c:text"
    return moved


def rename(path: str, moved: dict[str, str]) -> str:
    """Longest prefix first: the carried name inside its party, then the party itself."""
    for old in sorted(moved, key=len, reverse=True):
        if path == old or path.startswith(old + "/"):
            path = moved[old] + path[len(old) :]
    return path


def leaves(root: etree._Element) -> dict[str, tuple[str, str]]:
    """Leaves of the parties and offences: key (id-named path) -> (original path, value)."""
    moved = keyed(root)
    found: dict[str, tuple[str, str]] = {}
    scope = root.xpath("r:personsConcerned//* | r:grounds/r:offence//*", namespaces=NS)
    for element in [*root.findall("r:grounds/r:offence", NS), *_nodes(scope)]:
        path = named_xpath(element, PREFIXES)
        for name, value in element.attrib.items():
            attribute = f"{path}/@{etree.QName(name).localname}"
            found[rename(attribute, moved)] = (attribute, value)
        text = (element.text or "").strip()
        if text and len(element) == 0:
            found[rename(path, moved)] = (path, text)
    return found


def round_trip(original: etree._ElementTree, name: str, tmp: Path) -> tuple[set[str], set[str]]:
    """Check the law; return (paths that came back equal, paths that did not)."""
    base = tmp / "base.xml"
    original.write(str(base), xml_declaration=True, encoding="UTF-8")
    converter = XJustizStrafverfahren(message_id=MESSAGE_ID, base=base, **OPTIONS[name])  # type: ignore[arg-type]
    written = converter.from_common(original)
    back = converter.to_common(written.data, "message.xml").document
    before = leaves(original.getroot())
    # Positions among repeated fields are not compared: a place or nationality that cannot be
    # written shifts the ones after it, which still come back.
    returned = {key: value for key, (_, value) in leaves(back.getroot()).items()}
    after: dict[str, set[str]] = {}
    for key, value in returned.items():
        after.setdefault(_POSITION.sub("", key), set()).add(value)
    equal = {
        path
        for key, (path, value) in before.items()
        if value in after.get(_POSITION.sub("", key), ())
    }
    lost = {path for _, (path, _) in before.items()} - equal
    reported = {e.path for e in written.loss.entries}

    def named(path: str) -> bool:
        return any(path == r or path.startswith(r + "/") for r in reported)

    unreported = sorted(p for p in lost if not named(p))
    assert not unreported, f"lost but not reported: {unreported}"
    # Exactly: what came back at the same place with the same value is not reported.
    same = {path for key, (path, value) in before.items() if returned.get(key) == value}
    over = sorted(p for p in same if p in reported)
    assert not over, f"reported but carried: {over}"
    return equal, lost


# --- the sample and the base -------------------------------------------------------------------


def test_reads_both_ways() -> None:
    converter = registry.create("xjustiz-0500001", {"base": str(SAMPLE_BASE)})
    assert converter.directions == frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})


def test_sample_with_its_base_is_a_valid_request() -> None:
    result = read(SAMPLE.read_bytes(), SAMPLE_BASE)
    report = Validator(ValidationSettings()).check_tree(result.document, "request.xml")
    assert [f for f in report.findings if f.severity.value == "error"] == []
    root = result.document.getroot()
    parties = root.findall("r:personsConcerned/r:party", NS)
    assert [p.get("id") for p in parties] == ["p1", "p2"]  # "1", "2" are no LocalIds
    first = parties[0].find("c:naturalPerson", NS)
    assert first is not None
    assert first.findtext("c:name/c:givenName", namespaces=NS) == "Jürgen"
    assert first.findtext("c:name/c:familyName", namespaces=NS) == "Müller"
    assert first.findtext("c:sex", namespaces=NS) == "M"
    assert first.findtext("c:birthDate", namespaces=NS) == "1979-11-23"
    assert first.findtext("c:address/c:street", namespaces=NS) == "Bergerstraße"
    assert first.findtext("c:address/c:country", namespaces=NS) == "DE"  # absent: Germany
    # The sample's roles 032 and 067 are not STRAF roles (section 9): "other", and said so.
    assert [p.findtext("c:role", namespaces=NS) for p in parties] == ["other", "other"]
    offences = root.findall("r:grounds/r:offence", NS)
    assert len(offences) == 1
    offence = offences[0]
    assert offence.get("id") == "o1"
    assert offence.get("persons") == "p1"
    assert offence.findtext("c:committedFrom", namespaces=NS) == "2024-01-08"
    # No subject text in the sample: classification and provision of the base's o1.
    assert offence.findtext("c:statutoryProvision", namespaces=NS) == "§ 263 Abs. 1 StGB"
    assert offence.find("c:maximumPenalty", NS) is None  # the message has none
    # The rest of the base stays.
    assert root.findtext("r:issuingAuthority/c:reference", namespaces=NS) == "530 Js 1234/24"
    assert root.findtext("r:measures/r:measure/r:code", namespaces=NS) == "hearing-victim"
    lost = {(e.kind, e.path) for e in result.loss.entries}
    grund = f"{MESSAGE}/tns:grunddaten/tns:verfahrensdaten"
    tat = f"{MESSAGE}/tns:fachdaten/tns:tat"
    for kind, path in (
        (LossKind.REJECTED, f"{grund}/tns:beteiligung[1]/tns:rolle/tns:rollenbezeichnung/code"),
        (LossKind.REJECTED, f"{tat}/tns:nummer"),
        (LossKind.REJECTED, f"{tat}/tns:delikt/tns:astralID/tns:straftatbestand"),
        (LossKind.UNFILLED, "/r:evidenceRequest/r:grounds/r:offence[1]/c:legalClassification"),
        (LossKind.UNCONSUMED, f"{MESSAGE}/tns:nachrichtenkopf/tns:erstellungszeitpunkt"),
        (LossKind.UNCONSUMED, f"{MESSAGE}/tns:fachdaten/tns:einleitdatum"),
        (LossKind.UNCONSUMED, f"{tat}/tns:schaden/tns:schadensart"),
        (LossKind.UNCONSUMED, f"{tat}/tns:tatort/tns:anschrift/tns:ort"),  # no tns:staat
    ):
        assert (kind, path) in lost, path
    # The file numbers agree with the base: carried, not reported.
    assert not [p for _, p in lost if p.endswith("tns:aktenzeichen")]


def test_file_number_unknown_to_the_base_is_unconsumed() -> None:
    result = read(SAMPLE.read_bytes(), EIO_DE)
    lost = {(e.kind, e.path) for e in result.loss.entries}
    head = f"{MESSAGE}/tns:nachrichtenkopf/tns:absender/tns:aktenzeichen"
    assert (LossKind.UNCONSUMED, head) in lost


# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("request_file", REQUESTS, ids=[r.stem for r in REQUESTS])
def test_round_trip_law(request_file: Path, tmp_path: Path) -> None:
    equal, _ = round_trip(etree.parse(str(request_file)), request_file.name, tmp_path)
    root = etree.parse(str(request_file)).getroot()
    # What 0500001 carries does come back: ids, roles, names, persons of offences, dates.
    for offence in root.iterfind("r:grounds/r:offence", NS):
        here = named_xpath(offence, PREFIXES)
        for leaf in ("@id", "@persons", "c:committedFrom", "c:maximumPenalty/c:months"):
            if offence.xpath(leaf, namespaces=NS):
                assert f"{here}/{leaf}" in equal, (here, leaf)
    for party in root.iterfind("r:personsConcerned/r:party", NS):
        here = named_xpath(party, PREFIXES)
        assert f"{here}/@id" in equal or party.find("c:legalPerson", NS) is not None


def test_eio_de_round_trip_fields(tmp_path: Path) -> None:
    equal, lost = round_trip(etree.parse(str(EIO_DE)), EIO_DE.name, tmp_path)
    party = "/r:evidenceRequest/r:personsConcerned/r:party"
    offence = "/r:evidenceRequest/r:grounds/r:offence"
    for path in (
        f"{party}[1]/c:naturalPerson/c:name/c:givenName[2]",
        f"{party}[1]/c:naturalPerson/c:birthPlace/c:locality",
        f"{party}[1]/c:naturalPerson/c:identityDocument/c:number",
        f"{party}[2]/c:naturalPerson/c:name[2]/c:familyName",  # the transliteration
        f"{party}[3]/c:legalPerson/c:name",
        f"{offence}[1]/c:legalClassification/c:text[1]",
        f"{offence}[1]/c:statutoryProvision",  # "§ 263 Abs. 1, Abs. 5 StGB": one provision
        f"{offence}[2]/c:place/c:country",
    ):
        assert path in equal, path
    for path in (
        f"{party}[2]/c:naturalPerson/c:name[1]/c:familyName",  # Greek
        f"{party}[2]/c:naturalPerson/c:birthPlace/c:locality",  # Greek
        f"{offence}[1]/c:listOffence",
        f"{offence}[1]/c:legalClassification/c:text[2]",  # French
    ):
        assert path in lost, path
    assert f"{party}[3]/c:role" in equal  # legal-person: 040 on an organisation comes back


LATIN = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzÄÖÜäöüßéèçñøłśźżąęőű")),
    min_size=1,
    max_size=12,
).map(str.capitalize)
GREEK = st.text(alphabet=st.sampled_from(list("αβγδεζηθικλμνξοπρστυφχψω")), min_size=2, max_size=10)
CYRILLIC = st.text(
    alphabet=st.sampled_from(list("абвгдежзийклмнопрстуфхцчшщыэюя")), min_size=2, max_size=10
)
PROVISION = st.builds(
    lambda kind, n, rest: f"{kind} {n}{rest}",
    st.sampled_from(["§", "Art.", "art."]),
    st.integers(1, 400),
    st.sampled_from(["", " Abs. 1 StGB", " Abs. 1, Abs. 3 StGB", " c.p.", " k.k."]),
)
CLASSIFICATION = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöüß -")), min_size=3, max_size=30
).map(lambda s: "X" + " ".join(s.split()))


def _c(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{C}}}{local}")
    child.text = text
    return child


def _person(draw: st.DrawFn, persons: etree._Element, party_id: str) -> None:
    party = etree.SubElement(persons, f"{{{R}}}party", id=party_id)
    _c(party, "role", draw(st.sampled_from(["suspect", "witness", "victim", "other"])))
    person = _c(party, "naturalPerson")
    script = draw(st.sampled_from(["Latn", "Grek", "Cyrl"]))
    if script != "Latn":  # the original first, then its transliteration (COM-013)
        name = _c(person, "name")
        name.set("script", script)
        alphabet = GREEK if script == "Grek" else CYRILLIC
        _c(name, "givenName", draw(alphabet))
        _c(name, "familyName", draw(alphabet))
    name = _c(person, "name")
    name.set("script", "Latn")
    if script != "Latn":
        name.set("form", "transliterated")
    for _ in range(draw(st.integers(0, 2))):
        _c(name, "givenName", draw(LATIN))
    _c(name, "familyName", draw(LATIN))
    optional = {
        "sex": st.sampled_from(["M", "F", "X"]),
        "birthDate": st.sampled_from(["1980", "1975-06", "1990-02-28"]),
    }
    for local, values in optional.items():
        if draw(st.booleans()):
            _c(person, local, draw(values))
    for _ in range(draw(st.integers(0, 2))):
        _c(person, "nationality", draw(st.sampled_from(["DE", "PL", "GR", "BG", "JP"])))
    if draw(st.booleans()):
        address = _c(person, "address")
        _c(address, "city", draw(LATIN))
        _c(address, "country", draw(st.sampled_from(["DE", "FR", "UA"])))
    if draw(st.booleans()):
        text = _c(_c(person, "description"), "text", draw(LATIN) + " " + draw(LATIN))
        text.set("lang", "de")
        text.set("origin", "original")


def _offence(draw: st.DrawFn, grounds: etree._Element, offence_id: str, ids: list[str]) -> None:
    offence = etree.SubElement(grounds, f"{{{R}}}offence", id=offence_id)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
    if chosen:
        offence.set("persons", " ".join(chosen))
    text = _c(_c(offence, "legalClassification"), "text", draw(CLASSIFICATION))
    text.set("lang", "de")
    text.set("origin", "original")
    for provision in draw(st.lists(PROVISION, min_size=1, max_size=3)):
        _c(offence, "statutoryProvision", provision)
    if draw(st.booleans()):
        _c(_c(offence, "maximumPenalty"), "months", str(draw(st.integers(1, 300))))
    if draw(st.booleans()):
        _c(offence, "committedFrom", "2024-01-15")
    for _ in range(draw(st.integers(0, 2))):
        place = _c(offence, "place")
        _c(place, "locality", draw(LATIN))
        _c(place, "country", draw(st.sampled_from(["DE", "AT", "RS", "CN"])))


@st.composite
def generated(draw: st.DrawFn) -> etree._ElementTree:
    """EIO_DE with generated persons (all scripts) and offences, optional parts in or out."""
    tree = copy.deepcopy(etree.parse(str(EIO_DE)))
    root = tree.getroot()
    persons = root.find("r:personsConcerned", NS)
    grounds = root.find("r:grounds", NS)
    assert persons is not None and grounds is not None
    for old in [*persons, *grounds.findall("r:offence", NS)]:
        old.getparent().remove(old)  # type: ignore[union-attr]
    # The measures and section H referred to the old parties: those references go.
    for element in _nodes(root.xpath("//*[@persons or @holders or @person]", namespaces=NS)):
        for name in ("persons", "holders", "person"):
            element.attrib.pop(name, None)
    ids = [f"p{index}" for index in range(1, draw(st.integers(1, 4)) + 1)]
    for party_id in ids:
        _person(draw, persons, party_id)
    for index in range(1, draw(st.integers(1, 3)) + 1):
        _offence(draw, grounds, f"o{index}", ids)
    return tree


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated())
def test_round_trip_law_on_generated_requests(tree: etree._ElementTree) -> None:
    # A folder per example: hypothesis does not reset function-scoped fixtures like tmp_path.
    with tempfile.TemporaryDirectory() as folder:
        equal, _ = round_trip(tree, EIO_DE.name, Path(folder))
    for party in tree.getroot().iterfind("r:personsConcerned/r:party", NS):
        assert f"{named_xpath(party, PREFIXES)}/@id" in equal


# --- the subject text and the penalty ----------------------------------------------------------


def test_subject_splits_back() -> None:
    text = "; ".join(
        [
            subject_part("Gewerbsmäßiger Bandenbetrug", ["§ 263 Abs. 1, Abs. 5 StGB"]),
            subject_part("Betrug (versucht)", ["§ 263 StGB", "§ 22 StGB"]),
            subject_part("Furto", ["art. 244 alin. (1) și (2) C. pen."]),
        ]
    )
    assert split_subject(text) == [
        ("Gewerbsmäßiger Bandenbetrug", ["§ 263 Abs. 1, Abs. 5 StGB"]),
        ("Betrug (versucht)", ["§ 263 StGB", "§ 22 StGB"]),
        ("Furto", ["art. 244 alin. (1) și (2) C. pen."]),
    ]
    assert split_subject("Betrug nach § 263 StGB") is None
    assert split_subject("Betrug (§ 263 StGB") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Jahre", ("months", "120")),
        ("1 Jahr", ("months", "12")),
        ("18 Monate", ("months", "18")),
        ("1 Monat", ("months", "1")),
        ("lebenslange Freiheitsstrafe", ("life", None)),
        ("0 Jahre", None),
        ("zehn Jahre", None),
        ("Geldstrafe", None),
    ],
)
def test_penalty_texts(text: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_penalty(text) == expected


# --- broken input ------------------------------------------------------------------------------


def message_with(**changes: str) -> bytes:
    """The sample with a subject, a penalty and a second reference changed as given."""
    tree = etree.parse(str(SAMPLE))
    root = tree.getroot()
    delikt = root.find("tns:fachdaten/tns:tat/tns:delikt", NS)
    assert delikt is not None
    link = delikt.find("tns:beteiligter", NS)
    assert link is not None
    penalty = etree.Element(f"{{{TNS}}}angedrohteHoechststrafe")
    penalty.text = changes.get("penalty", "5 Jahre")
    delikt.append(penalty)
    reference = link.find("tns:ref.rollennummer", NS)
    assert reference is not None
    reference.text = changes.get("reference", "1")
    instance = root.find("tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten", NS)
    assert instance is not None
    subject = etree.SubElement(
        etree.SubElement(instance, f"{{{TNS}}}verfahrensgegenstand"), f"{{{TNS}}}gegenstand"
    )
    subject.text = changes.get("subject", "Betrug (§ 263 Abs. 1 StGB)")
    return etree.tostring(tree)


def test_subject_penalty_and_persons_are_read() -> None:
    result = read(message_with(), SAMPLE_BASE)
    offence = result.document.getroot().find("r:grounds/r:offence", NS)
    assert offence is not None
    assert offence.findtext("c:legalClassification/c:text", namespaces=NS) == "Betrug"
    assert offence.findtext("c:maximumPenalty/c:months", namespaces=NS) == "60"
    assert offence.get("persons") == "p1"


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            {"penalty": "bis zu zehn Jahre"},
            "tns:delikt/tns:angedrohteHoechststrafe",
            "not a penalty",
        ),
        ({"reference": "7"}, "tns:delikt/tns:beteiligter/tns:ref.rollennummer", "no party"),
        ({"subject": "Betrug nach § 263 StGB"}, None, "per offence"),
        ({"subject": "A (§ 1 StGB); B (§ 2 StGB)"}, None, "2 parts, 1 offences"),
    ],
)
def test_broken_values_are_rejected(change: dict[str, str], path: str | None, reason: str) -> None:
    result = read(message_with(**change), SAMPLE_BASE)
    where = (
        f"{MESSAGE}/tns:fachdaten/tns:tat/{path}"
        if path
        else f"{MESSAGE}/tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten/"
        "tns:verfahrensgegenstand/tns:gegenstand"
    )
    entries = [e for e in result.loss.of_kind(LossKind.REJECTED) if e.path == where]
    assert entries and reason in entries[0].reason, result.loss.entries


def test_wrong_root_and_malformed_xml_are_unreadable() -> None:
    with pytest.raises(UnreadableInput, match="not an XJustiz 0500001 message"):
        read(b"<x xmlns='http://www.xjustiz.de'/>")
    with pytest.raises(UnreadableInput, match="not well-formed"):
        read(b"<tns:nachricht")


def test_bad_base_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"option base: .*no such file"):
        XJustizStrafverfahren(base=tmp_path / "missing.xml")
    manifest = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
    with pytest.raises(UsageError, match="not an r:evidenceRequest or r:surrenderRequest"):
        XJustizStrafverfahren(base=manifest)


# --- without a base, and surrender requests ------------------------------------------------------


def test_without_base_the_missing_parts_are_unfilled() -> None:
    result = read(SAMPLE.read_bytes())
    unfilled = {e.path for e in result.loss.of_kind(LossKind.UNFILLED)}
    top = "/r:evidenceRequest"
    for path in ("r:legalBasis", "r:issuingState", "r:urgency", "r:measures", "r:proceedingsType"):
        assert f"{top}/{path}" in unfilled, path
    assert f"{top}/r:grounds/r:summaryOfFacts" in unfilled
    root = result.document.getroot()
    assert root.findtext("r:issuingAuthority/c:name", namespaces=NS) == "F1100S"
    assert root.findtext("r:issuingAuthority/c:reference", namespaces=NS) == "530 Js 1234/24"
    assert root.findtext("r:executingAuthority/c:name", namespaces=NS) == "F1101"
    assert root.findtext("c:issueDate", namespaces=NS) == "2024-05-02"
    report = Validator(ValidationSettings()).check_tree(result.document, "request.xml")
    assert report.findings  # not a valid request: the pipeline will not write it


def test_pipeline_does_not_write_without_base(tmp_path: Path) -> None:
    pipeline = Pipeline(XJustizStrafverfahren(), registry.get("common"), max_bytes=10_000_000)
    out = tmp_path / "request.xml"
    done = pipeline.convert(str(SAMPLE), out)
    assert done.output_invalid
    assert not out.exists()
    assert done.loss.of_kind(LossKind.UNFILLED)


def test_surrender_base_gets_the_requested_person() -> None:
    result = read(SAMPLE.read_bytes(), EAW)
    root = result.document.getroot()
    person = root.find("r:requestedPerson", NS)
    assert person is not None
    assert person.get("id") == "p1"
    assert person.findtext("c:naturalPerson/c:name/c:familyName", namespaces=NS) == "Müller"
    assert person.find("r:photoAvailable", NS) is not None  # the base's flags stay
    offences = root.findall("r:offences/r:offence", NS)
    assert [o.get("persons") for o in offences] == ["p1"]
    assert root.find("r:offences/r:circumstances", NS) is not None
    lost = {(e.kind, e.path) for e in result.loss.entries}
    other = f"{MESSAGE}/tns:grunddaten/tns:verfahrensdaten/tns:beteiligung[2]"
    assert (
        LossKind.UNCONSUMED,
        f"{other}/tns:beteiligter/tns:auswahl_beteiligter/"
        "tns:natuerlichePerson/tns:vollerName/tns:nachname",
    ) in lost


# --- the command line ---------------------------------------------------------------------------


def test_cli_reads_into_the_base(tmp_path: Path) -> None:
    out = tmp_path / "request.xml"
    run = run_cli(
        "convert",
        str(SAMPLE),
        "--from",
        "xjustiz-0500001",
        "--to",
        "common",
        "-O",
        f"base={SAMPLE_BASE}",
        "-o",
        str(out),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        etree.parse(str(out))
        .getroot()
        .findtext(
            "r:personsConcerned/r:party[2]/c:naturalPerson/c:name/c:familyName", namespaces=NS
        )
        == "Öztürk"
    )
    assert "Traceback" not in run.stderr


def test_cli_without_base_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "request.xml"
    run = run_cli(
        "convert", str(SAMPLE), "--from", "xjustiz-0500001", "--to", "common", "-o", str(out)
    )
    assert run.returncode == 1
    assert not out.exists()
    output = run.stdout + run.stderr
    assert "not written (invalid output)" in output
    assert re.search(r"unfilled: /r:evidenceRequest/r:legalBasis .*option base", output)
    assert "Traceback" not in output


def test_cli_bad_base_is_one_line(tmp_path: Path) -> None:
    run = run_cli(
        "convert",
        str(SAMPLE),
        "--from",
        "xjustiz-0500001",
        "--to",
        "common",
        "-O",
        f"base={tmp_path / 'missing.xml'}",
        "-o",
        str(tmp_path / "out.xml"),
    )
    assert run.returncode == 2
    assert "option base" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
