"""XJustiz 3.6.2 message 0005005: any common document sent as an attached file, and read back.

Every example must give a message that xmllint accepts against the official XSD and that
passes the official GDS Schematron; the attached file must give back an equal document; a
message that disagrees with its attachment is reported; an attachment that is missing, named
outside the message's folder, or not a readable interop document stops the conversion with
one line and exit status 2, and nothing is written.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.convert import registry
from interop.convert.converter import Attachment, Converter, Direction, FromCommon
from interop.convert.formats.xjustiz.uebermittlung import (
    ATTACHED_ONLY,
    XJustizUebermittlung,
    file_name,
)
from interop.convert.loss import LossKind
from interop.convert.pipeline import Pipeline
from interop.errors import HostileInput, UnreadableInput, UsageError
from interop.validate.findings import Finding, Severity
from interop.validate.validator import Validator
from interop.xmlio import write_atomic
from tests.conftest import COMMON_EXAMPLES, EXAMPLES, run_cli
from tests.convert.xjustiz_mutations import mutated, mutated_document
from tests.convert.xjustiz_support import (
    GDS_RULES,
    NACHRICHTEN,
    XSD_DIR,
    assert_official_xjustiz,
    official_validator,
)

NS = {"tns": "http://www.xjustiz.de", "c": "urn:interop:common:1"}
M = "/tns:nachricht.gds.uebermittlungSchriftgutobjekte.0005005"
EIO = EXAMPLES / "request" / "eio-de-fr-fraud-banking.xml"
MESSAGE_ID = "1ded89a3-de65-4dab-b875-69a3e3e7c0c0"
CREATED = datetime(2026, 2, 24, 9, 30, tzinfo=UTC)
SENDER = "B2000S"  # Generalstaatsanwaltschaft Stuttgart
RECIPIENT = "B2600S"  # Staatsanwaltschaft Stuttgart
# XJustiz messages go between German bodies: a foreign author or addressee is replaced by a
# German one given as an option (docs/xjustiz-mapping.md 2.2).
GERMAN_SENDER = {
    "evidence-laptop-image-de-pl.xml",
    "decision-executed-evidence.xml",
    "letter-of-rights-standard-bg.xml",
    "recipient-list-summons-batch.xml",
    "eio-de-fr-fraud-banking.xml",
}
GERMAN_RECIPIENT = {
    "evidence-phone-extraction-nl-de.xml",
    "acknowledgment-eio-received.xml",
    "decision-partially-executed.xml",
}
FILE_NAME = re.compile(r"[A-Za-zÄÖÜäöüß0-9_-]+\.xml")


def options(name: str) -> dict[str, str]:
    found = {}
    if name not in GERMAN_SENDER:
        found["sender"] = SENDER
    if name not in GERMAN_RECIPIENT:
        found["recipient"] = RECIPIENT
    return found


def converter(name: str) -> XJustizUebermittlung:
    return XJustizUebermittlung(
        message_id=MESSAGE_ID,
        created=CREATED,
        schema_dir=XSD_DIR,
        **options(name),  # type: ignore[arg-type]
    )


def send(tree: etree._ElementTree, name: str, folder: Path) -> tuple[FromCommon, Path]:
    """Write message and attachment into ``folder``, as the pipeline does; the message path."""
    result = converter(name).from_common(tree)
    (attachment,) = result.attachments
    (folder / attachment.name).write_bytes(attachment.data)
    message = folder / "xjustiz_nachricht.xml"
    message.write_bytes(result.data)
    return result, message


def c14n(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, method="c14n")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return official_validator(NACHRICHTEN, (GDS_RULES,))


def test_follows_the_converter_protocol() -> None:
    found = registry.get("xjustiz-0005005")
    assert isinstance(found, Converter)
    assert isinstance(found, XJustizUebermittlung)
    assert found.directions == frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})
    assert found.version == "3.6.2"


@pytest.mark.parametrize("example", COMMON_EXAMPLES, ids=[e.stem for e in COMMON_EXAMPLES])
def test_every_example_passes_xmllint_and_the_official_rules(
    example: Path, validator: Validator, tmp_path: Path
) -> None:
    conv = converter(example.name)
    result = conv.from_common(etree.parse(str(example)))
    assert_official_xjustiz(result.data, tmp_path, validator, NACHRICHTEN)
    assert conv.check_output(result.data) == []
    # Nothing is lost: the document goes with the message. What only the file carries is
    # listed on the attachment, not in the loss report, so --strict passes.
    assert result.loss.lossless
    (attachment,) = result.attachments
    assert FILE_NAME.fullmatch(attachment.name)
    assert len(attachment.name) <= 90
    assert c14n(etree.ElementTree(etree.fromstring(attachment.data))) == c14n(
        etree.parse(str(example))
    )
    assert attachment.carries_only
    message = etree.fromstring(result.data)
    named = message.findtext(".//tns:datei/tns:dateiname", namespaces=NS)
    assert named == attachment.name


@pytest.mark.parametrize("example", COMMON_EXAMPLES, ids=[e.stem for e in COMMON_EXAMPLES])
def test_round_trip_gives_an_equal_document(example: Path, tmp_path: Path) -> None:
    original = etree.parse(str(example))
    _, message = send(original, example.name, tmp_path)
    back = converter(example.name).to_common(message.read_bytes(), str(message))
    assert c14n(back.document) == c14n(original)
    assert not back.loss.of_kind(LossKind.REJECTED), back.loss.entries
    # What is left is transport metadata of the header.
    assert {e.kind for e in back.loss.entries} == {LossKind.UNCONSUMED}
    assert all(e.path.startswith(f"{M}/tns:nachrichtenkopf/") for e in back.loss.entries)
    paths = {e.path for e in back.loss.entries}
    assert f"{M}/tns:nachrichtenkopf/tns:erstellungszeitpunkt" in paths
    assert f"{M}/tns:nachrichtenkopf/tns:absender/tns:eigeneNachrichtenID" in paths


def test_structured_part_of_a_request() -> None:
    result = converter(EIO.name).from_common(etree.parse(str(EIO)))
    message = etree.fromstring(result.data)
    document = message.find("tns:schriftgutobjekte/tns:dokument", NS)
    assert document is not None
    data = "tns:xjustiz.fachspezifischeDaten"
    assert document.findtext("tns:identifikation/tns:id", namespaces=NS) == (
        "d80d851e-2c30-533e-af42-e89dca4297b1"  # UUIDv5 of a c:documentId that is no UUID
    )
    assert document.findtext(f"{data}/tns:dokumentklasse/code", namespaces=NS) == "016"
    assert document.findtext(f"{data}/tns:dokumententyp/code", namespaces=NS) == "101"
    assert document.findtext(f"{data}/tns:anzeigename", namespaces=NS) == (
        "Europäische Ermittlungsanordnung vom 09.03.2026 (63 Js 11842/26)"
    )
    assert document.findtext("tns:fremdesGeschaeftszeichen", namespaces=NS) == "63 Js 11842/26"
    assert document.findtext("tns:datumDesSchreibens", namespaces=NS) == "2026-03-09"
    assert document.findtext(f"{data}/tns:datei/tns:bestandteil/code", namespaces=NS) == "001"
    refs = f"{data}/tns:person/tns:ref.beteiligtennummer"
    persons = [p.text for p in document.iterfind(refs, NS)]
    numbers = [n.text for n in message.iterfind(".//tns:beteiligung//tns:beteiligtennummer", NS)]
    assert persons == numbers == ["p1", "p2", "p3", "p4", "p5"]
    head = message.find("tns:nachrichtenkopf", NS)
    assert head is not None
    assert head.find("tns:ereignis", NS) is None  # none unless the option event is given
    assert head.findtext("tns:absender/tns:aktenzeichen", namespaces=NS) == "63 Js 11842/26"
    receiver = "tns:empfaenger/tns:auswahl_aktenzeichen"
    assert head.find(f"{receiver}/tns:aktenzeichen.neu", NS) is not None


def test_what_only_the_attached_file_carries_is_listed_on_it() -> None:
    result = converter(EIO.name).from_common(etree.parse(str(EIO)))
    (attachment,) = result.attachments
    only = {e.path: e for e in attachment.carries_only}
    assert only["/r:evidenceRequest/c:documentLanguage"].reason == ATTACHED_ONLY
    assert any(p.startswith("/r:evidenceRequest/r:measures/") for p in only)
    assert any(p.startswith("/r:evidenceRequest/r:grounds/") for p in only)
    # Carried in the structured part too: not listed.
    assert "/r:evidenceRequest/c:issueDate" not in only
    assert "/r:evidenceRequest/r:issuingAuthority/c:reference" not in only
    party = "/r:evidenceRequest/r:personsConcerned/r:party[1]"
    assert f"{party}/@id" not in only
    assert f"{party}/c:naturalPerson/c:name/c:familyName" not in only
    # A DIN 91379 replacement changes the structured part only: the file has the original.
    changed = [e for e in attachment.carries_only if e.kind is LossKind.REJECTED]
    assert changed
    assert all(e.reason.endswith("the attached file has the original") for e in changed)
    assert any("Staatsanwaltschaft Frankfurt am Main \u2013" in e.preview for e in changed)


def test_event_option_and_foreign_authorities() -> None:
    conv = XJustizUebermittlung(recipient=RECIPIENT, event="031")
    message = etree.fromstring(conv.from_common(etree.parse(str(EIO))).data)
    assert message.findtext("tns:nachrichtenkopf/tns:ereignis/code", namespaces=NS) == "031"
    with pytest.raises(UsageError, match="option recipient"):
        XJustizUebermittlung().from_common(etree.parse(str(EIO)))


def test_file_name_follows_the_xsd_annotation() -> None:
    identifier = "5b7bdb93-ad94-43f4-a5b7-011c2879214c"
    assert file_name("Europäische Ermittlungsanordnung", identifier) == (
        f"Europäische-Ermittlungsanordnung_{identifier}.xml"
    )
    long = file_name("Ein sehr langer Titel, der über neunzig Zeichen hinausgeht. " * 3, identifier)
    assert len(long) == 90
    assert FILE_NAME.fullmatch(long)


def edit(message: Path, path: str, value: str) -> None:
    tree = etree.parse(str(message))
    found = tree.getroot().xpath(path, namespaces=NS)
    assert isinstance(found, list) and found
    element = found[0]
    assert isinstance(element, etree._Element)
    element.text = value
    tree.write(str(message), xml_declaration=True, encoding="UTF-8")


def test_cross_check_reports_conflicts(tmp_path: Path) -> None:
    _, message = send(etree.parse(str(EIO)), EIO.name, tmp_path)
    dokument = f"{M}/tns:schriftgutobjekte/tns:dokument"
    party = f"{M}/tns:grunddaten/tns:verfahrensdaten/tns:beteiligung[2]/tns:beteiligter"
    person = f"{party}/tns:auswahl_beteiligter/tns:natuerlichePerson"
    instance = f"{M}/tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten"
    file_number = f"{instance}/tns:aktenzeichen/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
    changes = {
        f"{dokument}/tns:datumDesSchreibens": "2026-03-10",
        f"{dokument}/tns:identifikation/tns:id": "00000000-0000-4000-8000-000000000000",
        f"{person}/tns:vollerName/tns:nachname": "Papadakis",
        f"{person}/tns:geburt/tns:geburtsdatum": "1984-05",
        f"{M}/tns:grunddaten/tns:verfahrensdaten/tns:beteiligung[3]/tns:beteiligter"
        "/tns:beteiligtennummer": "x9",
        file_number: "64 Js 1/26",
    }
    for path, value in changes.items():
        edit(message, path, value)
    back = XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    rejected = {e.path: e for e in back.loss.of_kind(LossKind.REJECTED)}
    for path, value in changes.items():
        assert path in rejected, path
        assert rejected[path].preview == value
    assert "2026-03-09" in rejected[f"{dokument}/tns:datumDesSchreibens"].reason
    assert "Papadopoulos" in rejected[f"{person}/tns:vollerName/tns:nachname"].reason
    assert (
        "not in the attached document"
        in rejected[
            f"{M}/tns:grunddaten/tns:verfahrensdaten/tns:beteiligung[3]/tns:beteiligter"
            "/tns:beteiligtennummer"
        ].reason
    )
    assert len(rejected) == len(changes)
    # The document itself is the attached file, unchanged.
    assert c14n(back.document) == c14n(etree.parse(str(EIO)))


def test_other_producers_extra_data_is_unconsumed(tmp_path: Path) -> None:
    _, message = send(etree.parse(str(EIO)), EIO.name, tmp_path)
    tree = etree.parse(str(message))
    document = tree.getroot().find("tns:schriftgutobjekte/tns:dokument", NS)
    assert document is not None
    arrival = etree.Element("{http://www.xjustiz.de}posteingang")
    etree.SubElement(arrival, "{http://www.xjustiz.de}datum").text = "2026-03-11"
    document.insert(2, arrival)
    tree.write(str(message), xml_declaration=True, encoding="UTF-8")
    back = XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    unconsumed = {e.path: e.preview for e in back.loss.of_kind(LossKind.UNCONSUMED)}
    path = f"{M}/tns:schriftgutobjekte/tns:dokument/tns:posteingang/tns:datum"
    assert unconsumed[path] == "2026-03-11"
    assert not back.loss.of_kind(LossKind.REJECTED)


def test_missing_attachment_is_a_one_line_error(tmp_path: Path) -> None:
    result, message = send(etree.parse(str(EIO)), EIO.name, tmp_path)
    (tmp_path / result.attachments[0].name).unlink()
    with pytest.raises(UnreadableInput, match=r"is not in .*put the file"):
        XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    out = tmp_path / "back.xml"
    done = run_cli(
        "convert", str(message), "--from", "xjustiz-0005005", "--to", "common", "-o", str(out)
    )
    assert done.returncode == 2
    assert result.attachments[0].name in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "name",
    ["../Ersuchen_1.xml", "/etc/Ersuchen_1.xml", "unter/Ersuchen_1.xml", "..\\Ersuchen_1.xml"],
)
def test_attachment_names_never_leave_the_folder(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    result, message = send(etree.parse(str(EIO)), EIO.name, folder)
    # The file exists where the name points, so only the refusal can stop it being read.
    (tmp_path / "Ersuchen_1.xml").write_bytes(result.attachments[0].data)
    (folder / "unter").mkdir()
    (folder / "unter" / "Ersuchen_1.xml").write_bytes(result.attachments[0].data)
    edit(message, "//tns:datei/tns:dateiname", name)
    with pytest.raises(UnreadableInput, match="only a plain file name"):
        XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    out = tmp_path / "back.xml"
    done = run_cli(
        "convert", str(message), "--from", "xjustiz-0005005", "--to", "common", "-o", str(out)
    )
    assert done.returncode == 2, done.stderr
    assert "only a plain file name" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    result, message = send(etree.parse(str(EIO)), EIO.name, folder)
    name = result.attachments[0].name
    outside = tmp_path / "elsewhere.xml"
    (folder / name).rename(outside)
    (folder / name).symlink_to(outside)
    with pytest.raises(UnreadableInput, match="link out of"):
        XJustizUebermittlung().to_common(message.read_bytes(), str(message))


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"%PDF-1.7 not xml", UnreadableInput, "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<r>&x;</r>",
            HostileInput,
            "DOCTYPE",
        ),
        (b"<other xmlns='urn:x'/>", UnreadableInput, "not an interop request"),
    ],
    ids=["not-xml", "doctype", "not-interop"],
)
def test_attachment_that_is_not_an_interop_document(
    content: bytes, error: type[Exception], words: str, tmp_path: Path
) -> None:
    result, message = send(etree.parse(str(EIO)), EIO.name, tmp_path)
    attached = tmp_path / result.attachments[0].name
    attached.write_bytes(content)
    with pytest.raises(error, match=words):
        XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    out = tmp_path / "back.xml"
    done = run_cli(
        "convert", str(message), "--from", "xjustiz-0005005", "--to", "common", "-o", str(out)
    )
    assert done.returncode == 2
    assert words in done.stderr
    assert str(attached.name) in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_message_without_an_xml_original_is_refused() -> None:
    sample = Path(__file__).resolve().parents[1] / "cases" / "xjustiz"
    data = (sample / "valid-0005005-uebermittlung.xml").read_bytes()
    with pytest.raises(UnreadableInput):
        XJustizUebermittlung().to_common(data, str(sample / "valid-0005005-uebermittlung.xml"))


def test_cli_writes_message_and_attachment(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    report = tmp_path / "report.json"
    done = run_cli(
        "convert",
        str(EIO),
        "--from",
        "common",
        "--to",
        "xjustiz-0005005",
        "-O",
        f"recipient={RECIPIENT}",
        "-O",
        f"schema-dir={XSD_DIR}",
        "-o",
        str(out),
        "--strict",
        "--report",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    attachment = "Europäische-Ermittlungsanordnung_d80d851e-2c30-533e-af42-e89dca4297b1.xml"
    assert files == sorted([attachment, "out.xml", "report.json"])
    assert c14n(etree.parse(str(tmp_path / attachment))) == c14n(etree.parse(str(EIO)))
    assert "attached:" in done.stderr
    entry = json.loads(report.read_text("utf-8"))["files"][0]
    assert entry["loss"] == []
    assert entry["attachments"][0]["name"] == attachment
    assert entry["attachments"][0]["carries_only"]
    # ... and back.
    back = tmp_path / "back.xml"
    done = run_cli(
        "convert", str(out), "--from", "xjustiz-0005005", "--to", "common", "-o", str(back)
    )
    assert done.returncode == 0, done.stderr
    assert c14n(etree.parse(str(back))) == c14n(etree.parse(str(EIO)))


@pytest.mark.parametrize("output", [["-o", "-"], []], ids=["dash", "none"])
def test_standard_output_cannot_hold_the_attachment(output: list[str], tmp_path: Path) -> None:
    args = ["convert", str(EIO), "--from", "common", "--to", "xjustiz-0005005"]
    done = run_cli(*args, "-O", f"recipient={RECIPIENT}", *output, cwd=tmp_path)
    assert done.returncode == 2
    assert "standard output" in done.stderr
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_out_dir_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["decision-executed-evidence.xml", "letter-of-rights-standard-bg.xml"]
    for name in names:
        source = next(e for e in COMMON_EXAMPLES if e.name == name)
        (folder / name).write_bytes(source.read_bytes())
    out = tmp_path / "out"
    done = run_cli(
        "convert",
        str(folder),
        "--from",
        "common",
        "--to",
        "xjustiz-0005005",
        "-O",
        f"recipient={RECIPIENT}",
        "--out-dir",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 4
    assert "decision-executed-evidence.xml" in written
    assert any(n.startswith("Entscheidung-über-das-Ersuchen_") for n in written)
    assert any(n.startswith("Belehrung-über-die-Rechte_") for n in written)


def test_pipeline_writes_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = XJustizUebermittlung(recipient=RECIPIENT)
    pipeline = Pipeline(registry.get("common"), target, max_bytes=10_000_000)

    def fail_on_message(path: str | Path, data: bytes) -> None:
        if Path(path).name == "out.xml":
            raise OSError(28, "No space left on device")
        write_atomic(path, data)

    monkeypatch.setattr("interop.convert.pipeline.write_atomic", fail_on_message)
    done = pipeline.convert(str(EIO), tmp_path / "out.xml")
    assert done.error is not None
    assert "No space left on device" in done.error
    assert done.output is None
    assert list(tmp_path.iterdir()) == []


def test_invalid_output_writes_no_attachment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = XJustizUebermittlung(recipient=RECIPIENT)
    broken = Finding(Severity.ERROR, "xsd:test", "broken on purpose")
    monkeypatch.setattr(target, "check_output", lambda data: [broken])
    done = Pipeline(registry.get("common"), target, max_bytes=10_000_000).convert(
        str(EIO), tmp_path / "out.xml"
    )
    assert done.output_invalid
    assert list(tmp_path.iterdir()) == []


def test_attachment_names_are_plain() -> None:
    for bad in ("../x.xml", "a/b.xml", "a\\b.xml", "", ".hidden", "C:x.xml", "x\n.xml"):
        with pytest.raises(UsageError):
            Attachment(bad, b"")
    assert Attachment("Ladung_1.xml", b"").name == "Ladung_1.xml"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), mutated_document()))
def test_round_trip_of_mutated_documents(case: tuple[etree._ElementTree, str]) -> None:
    tree, name = case
    conv = converter(name)
    result = conv.from_common(tree)
    assert conv.check_output(result.data) == []
    (attachment,) = result.attachments
    with tempfile.TemporaryDirectory() as name_of_folder:  # tmp_path is one per test
        folder = Path(name_of_folder)
        (folder / attachment.name).write_bytes(attachment.data)
        message = folder / "xjustiz_nachricht.xml"
        message.write_bytes(result.data)
        back = conv.to_common(result.data, str(message))
    assert c14n(back.document) == c14n(tree)
    assert not back.loss.of_kind(LossKind.REJECTED), back.loss.entries


def test_reads_the_sample_of_another_producer(tmp_path: Path) -> None:
    """The hand-written sample (docs/xjustiz-mapping.md 10), with an attached EIO made from an
    example: what the sample adds is unconsumed, where it disagrees is rejected."""
    sample = Path(__file__).resolve().parents[1] / "cases" / "xjustiz"
    message = tmp_path / "xjustiz_nachricht.xml"
    message.write_bytes((sample / "valid-0005005-eea-ersuchen.xml").read_bytes())
    tree = etree.parse(str(EXAMPLES / "request" / "eio-pl-es-search-videoconference.xml"))
    root = tree.getroot()
    for path, value in (
        ("c:documentId", "urn:uuid:5b7bdb93-ad94-43f4-a5b7-011c2879214c"),
        ("c:issueDate", "2026-01-19"),
        ("r:issuingAuthority/c:name", "Prokuratura Okręgowa w Warszawie"),
        ("r:issuingAuthority/c:reference", "PO V Ds 41.2026"),
        ("r:executingAuthority/c:name", "Generalstaatsanwaltschaft Stuttgart"),
    ):
        element = root.find(path, NS | {"r": "urn:interop:request:1"})
        assert element is not None, path
        element.text = value
    attached = tmp_path / "EEA_PO-V-Ds-41-2026_5b7bdb93-ad94-43f4-a5b7-011c2879214c.xml"
    tree.write(str(attached), xml_declaration=True, encoding="UTF-8")
    back = XJustizUebermittlung().to_common(message.read_bytes(), str(message))
    assert c14n(back.document) == c14n(tree)
    rejected = {e.path for e in back.loss.of_kind(LossKind.REJECTED)}
    verfahren = f"{M}/tns:grunddaten/tns:verfahrensdaten"
    dokument = f"{M}/tns:schriftgutobjekte/tns:dokument"
    fach = "tns:xjustiz.fachspezifischeDaten"
    # Party P1 (Nowicki) is not a party of the attached EIO.
    assert rejected == {
        f"{verfahren}/tns:beteiligung/tns:beteiligter/tns:beteiligtennummer",
        f"{dokument}[2]/{fach}/tns:person/tns:ref.beteiligtennummer",
    }
    unconsumed = {e.path for e in back.loss.of_kind(LossKind.UNCONSUMED)}
    for path in (
        f"{M}/tns:nachrichtenkopf/tns:ereignis/code",
        f"{M}/tns:nachrichtenkopf/tns:absender/tns:aktenzeichen",  # the forwarding body's file
        f"{verfahren}/tns:instanzdaten[1]/tns:kurzrubrum",
        f"{verfahren}/tns:instanzdaten[2]/tns:abteilung",
        f"{M}/tns:schriftgutobjekte/tns:anschreiben/tns:ref.sgo",
        f"{dokument}[1]/tns:identifikation/tns:id",
        f"{dokument}[2]/tns:posteingang/tns:datum",
        f"{dokument}[2]/{fach}/tns:datei[2]/tns:dateiname",
        f"{dokument}[3]/{fach}/tns:verweis/tns:bezugsdokument/tns:ref.sgo",
    ):
        assert path in unconsumed, path
    for path in (
        f"{dokument}[2]/tns:identifikation/tns:id",
        f"{dokument}[2]/tns:datumDesSchreibens",
        f"{dokument}[2]/tns:fremdesGeschaeftszeichen",
        f"{dokument}[2]/{fach}/tns:absenderAnzeigename",
        f"{dokument}[2]/{fach}/tns:datei[1]/tns:dateiname",
        f"{verfahren}/tns:instanzdaten[2]/tns:aktenzeichen/tns:auswahl_aktenzeichen"
        "/tns:aktenzeichen.freitext",
    ):
        assert path not in unconsumed | rejected, path


def test_attachment_never_overwrites_the_input(tmp_path: Path) -> None:
    name = "Europäische-Ermittlungsanordnung_d80d851e-2c30-533e-af42-e89dca4297b1.xml"
    source = tmp_path / name
    source.write_bytes(EIO.read_bytes())
    target = XJustizUebermittlung(recipient=RECIPIENT)
    done = Pipeline(registry.get("common"), target, max_bytes=10_000_000).convert(
        str(source), tmp_path / "out.xml"
    )
    assert done.error is not None
    assert "would overwrite the input" in done.error
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert source.read_bytes() == EIO.read_bytes()
