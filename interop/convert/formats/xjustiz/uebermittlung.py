"""XJustiz 3.6.2 message 0005005 (Übermittlung von Schriftgutobjekten): a common document sent
as a file, with the message describing it (docs/xjustiz-mapping.md section 3).

The body of our documents has no structured counterpart in 0005005, so the document itself
travels as a file and the message describes it:

* **Writing** (``from_common``) gives two files: the message, and the common document as its
  attachment ``<Titel>_<uuid>.xml`` (``tns:datei``, part ``001`` Original). The message holds
  the header (sender and receiver as in 0500017 and 0500001: the document's German authority
  or the options ``sender`` / ``recipient``; no event unless the option ``event``), one
  ``tns:instanzdaten`` per authority of the document with a file number, one
  ``tns:beteiligung`` per party (the party mapping of ``asservate.toml``, run on the parties
  of any of our roots), and one ``tns:dokument`` (id, the author's file number, issue date,
  document class and type and a German title from the table of section 6.6, the parties, the
  author's and addressee's names, the file). Nothing is lost, because the file goes with the
  message, so the loss report is empty; what the structured part lacks (the body, and values
  DIN 91379 made the message change) is listed on the attachment (``carries_only``), which the
  JSON report shows and ``--strict`` does not count.
* **Reading** (``to_common``) finds the document whose part ``001`` is an ``.xml`` file, reads
  that file from the message's own folder (a name with a folder, ``..`` or a drive is refused;
  so is a link out of the folder) through the hardened reader, and returns it unchanged. The
  message is used only to cross-check it: the structured part the attached document would
  give is built and compared, and every difference (issue date, document id, file numbers,
  party ids, names and the other party data) is reported ``rejected``; what the message has
  beyond that (transport metadata, other documents, ``tns:posteingang`` ...) is
  ``unconsumed``.

Not in this version: a rendering as part ``002`` (option ``render`` of the mapping); a person
as receiver (a notification to a party needs the option ``recipient``); reading a court code
back to a name (no GDS.Gerichte list), so such an instance is not cross-checked by name.

``check_output`` validates against ``xjustiz_0005_nachrichten_3_2.xsd`` in ``schema_dir`` or
``$INTEROP_XJUSTIZ_XSD``; **without either, nothing is checked**.
"""

from __future__ import annotations

import dataclasses
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from lxml import etree

from interop.convert.converter import (
    Attachment,
    FromCommon,
    ToCommon,
    plain_file_name_problem,
)
from interop.convert.formats.xjustiz.asservate import (
    NS,
    SPEC,
    TNS,
    Carried,
    XJustizAsservate,
    XJustizAuthority,
    drop_codeless,
    sub_element,
    text_of,
)
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.convert.mapping.engine import Engine
from interop.convert.mapping.spec import Spec, load_spec
from interop.errors import UnreadableInput, UsageError
from interop.validate.locate import named_xpath
from interop.xmlio import parse_bytes, parse_file, serialize

R: Final = "urn:interop:request:1"
N: Final = "urn:interop:notification:1"
E: Final = NS["e"]
C: Final = NS["c"]
ANS: Final = {**NS, "r": R, "n": N}
ROOT: Final = "nachricht.gds.uebermittlungSchriftgutobjekte.0005005"
SCHEMA_FILE: Final = "xjustiz_0005_nachrichten_3_2.xsd"
KLASSE_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.dokumentklasse"
TYP_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.dokumenttyp"
EREIGNIS_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.ereignis"
BESTANDTEIL_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.bestandteiltyp"
BESTANDTEIL_VERSION: Final = "2.5"  # fixed in the XSD (type 1)
ORIGINAL: Final = "001"
ATTACHED_ONLY: Final = "carried in the attached file only"
# The parties of every root we send (section 3.2): the party mapping of asservate.toml runs
# on this union instead of e:persons/e:party. A recipient list's recipients are parties.
PARTIES: Final = (
    "r:personsConcerned/r:party | r:requestedPerson | n:recipient/n:party"
    " | n:recipient[c:role] | n:personConcerned | n:summonedPerson | n:person"
    " | e:persons/e:party"
)
_PARTY_GROUP: Final = "tns:grunddaten/tns:verfahrensdaten/tns:beteiligung"
_MAX_FILE_NAME: Final = 90  # XSD annotation of tns:dateiname
_NOT_IN_FILE_NAME: Final = re.compile(r"[^A-Za-zÄÖÜäöüß0-9]+")
_DOCUMENT_ROOTS: Final = (R, N, E)


@dataclass(frozen=True, slots=True)
class Kind:
    """Document class, document type and German title of one of our roots (section 6.6)."""

    klasse: str
    typ: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Side:
    """Where a root keeps the author and the addressee, and how it tells they are German."""

    author: str  # the authority that wrote the document
    addressee: str  # the authority it goes to
    author_german: str  # XPath: true when the author is German
    addressee_german: str


_REQUEST_SIDE: Final = Side(
    "r:issuingAuthority",
    "r:executingAuthority",
    "r:issuingState = 'DE'",
    "r:executingState = 'DE'",
)
_NOTIFICATION_SIDE: Final = Side(
    "n:sender",
    "n:recipient/n:authority",
    "n:sender/c:country = 'DE'",
    "n:recipient/n:authority/c:country = 'DE'",
)
_MANIFEST_SIDE: Final = Side(
    "e:compiledBy", "e:recipient", "e:compiledBy/c:country = 'DE'", "e:recipient/c:country = 'DE'"
)


def document_kind(root: etree._Element) -> Kind:
    """Class, type and title of our document (section 6.6).

    Raises:
        UsageError: not a root this converter sends.
    """
    qname = etree.QName(root)
    instrument = root.xpath("string(r:legalBasis[1]/c:instrument)", namespaces=ANS)
    if qname.namespace == R and qname.localname == "evidenceRequest":
        eio = instrument == "eio-directive-2014-41"
        return Kind(
            "016", "101", "Europäische Ermittlungsanordnung" if eio else "Rechtshilfeersuchen"
        )
    if qname.namespace == R and qname.localname == "surrenderRequest":
        eaw = instrument == "eaw-fd-2002-584"
        return Kind("016", "101", "Europäischer Haftbefehl" if eaw else "Auslieferungsersuchen")
    if qname.namespace == E and qname.localname == "evidenceManifest":
        return Kind("009", "229", "Asservatenverzeichnis")
    if qname.namespace == N:
        if qname.localname == "decision":
            judicial = root.xpath(
                "n:decidingAuthority/c:kind = 'court' or n:decidingAuthority/c:kind = 'judge'"
                " or n:decidingAuthority/c:kind = 'investigating-judge'",
                namespaces=ANS,
            )
            return Kind("007" if judicial else "008", "099", "Entscheidung über das Ersuchen")
        kind = _NOTIFICATIONS.get(qname.localname)
        if kind is not None:
            return kind
    raise UsageError(f"xjustiz-0005005 cannot send {qname.text}: not one of our documents")


_NOTIFICATIONS: Final = {
    "acknowledgment": Kind("015", "044", "Eingangsbestätigung"),
    "summons": Kind("015", "198", "Ladung"),
    "serviceOfDocuments": Kind("012", "184", "Zustellungsnachweis"),
    "letterOfRights": Kind("015", None, "Belehrung über die Rechte"),
    "statusUpdate": Kind("015", None, "Sachstandsmitteilung"),
    # Not in the mapping table before; a list of persons to notify is a letter [proposal].
    "recipientList": Kind("015", None, "Empfängerliste"),
}


def _side(root: etree._Element) -> Side:
    namespace = etree.QName(root).namespace
    return {R: _REQUEST_SIDE, N: _NOTIFICATION_SIDE}.get(namespace or "", _MANIFEST_SIDE)


def document_uuid(root: etree._Element) -> str:
    """``tns:identifikation/tns:id``: the UUID of ``urn:uuid:`` ids, else UUIDv5 of the id."""
    document_id = text_of(root.find("c:documentId", ANS)) or ""
    if document_id.lower().startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(document_id[len("urn:uuid:") :]))
        except ValueError:
            pass  # not a UUID after all: derive one like any other id
    return str(uuid.uuid5(uuid.NAMESPACE_URL, document_id))


def file_name(title: str, identifier: str) -> str:
    """``<Titel>_<uuid>.xml`` within the XSD annotation's rules (90 characters, letters incl.
    umlauts, digits, ``_`` and ``-``, a dot only before the extension)."""
    suffix = f"_{identifier}.xml"
    stem = _NOT_IN_FILE_NAME.sub("-", title).strip("-")
    return stem[: _MAX_FILE_NAME - len(suffix)].rstrip("-") + suffix


def display_name(title: str, issued: str | None, reference: str | None) -> str:
    """``Europäische Ermittlungsanordnung vom 09.03.2026 (63 Js 11842/26)`` (section 3.3)."""
    text = title
    if issued:
        try:
            text += " vom " + date.fromisoformat(issued).strftime("%d.%m.%Y")
        except ValueError:
            text += f" vom {issued}"
    return f"{text} ({reference})" if reference else text


@dataclass(slots=True)
class _Structured:
    """The part of a message that the document alone determines (no header)."""

    message: etree._ElementTree
    loss: LossReport  # of the party mapping: what the structured part does not carry
    carried: Carried
    instances: list[tuple[XJustizAuthority, str]]
    attachment_name: str
    rejected: list[LossEntry]  # values DIN 91379 changed or kept out of the structured part


class XJustizUebermittlung(XJustizAsservate):
    """Any request, notification or evidence manifest <-> XJustiz 3.6.2 message 0005005.

    Options (all keyword arguments, all optional):
        sender, recipient: XJustiz-ID (``B2600S``) or name of the sending / receiving body; by
            default the document's author / addressee when German (issuing and executing
            authority of a request, sender and recipient authority of a notification,
            compiling authority and recipient of a manifest). A foreign authority, or a
            person as recipient, needs the option (XJustiz messages go between German bodies).
        authorities: authority name -> XJustiz-ID (``tns:gericht``); other names are written
            as ``tns:sonstige``.
        message_id: ``eigeneNachrichtenID`` (a UUID); default a fresh UUID4.
        created: ``erstellungszeitpunkt``; default now, Europe/Berlin.
        vendor: ``herstellerDesProdukts``.
        event: a GDS.Ereignis code for ``tns:ereignis`` (``031`` Abgabe an StA, ...); none
            by default.
        gerichte_version, ereignis_version, dokumentklasse_version, dokumenttyp_version:
            ``listVersionID`` of those code lists.
        schema_dir: folder holding ``xjustiz_0005_nachrichten_3_2.xsd`` (else
            ``$INTEROP_XJUSTIZ_XSD``; without either, :meth:`check_output` checks nothing).
    """

    name = "xjustiz-0005005"
    version = "3.6.2"
    document_types: tuple[str, ...] = (
        "evidence-request",
        "surrender-request",
        "acknowledgment",
        "decision",
        "summons",
        "service-of-documents",
        "letter-of-rights",
        "status-update",
        "recipient-list",
        "evidence-manifest",
    )
    description = (
        "XJustiz 3.6.2 message 0005005 (Übermittlung von Schriftgutobjekten): any document,"
        " attached as a file"
    )
    schema_file = SCHEMA_FILE
    writes_attachments = True  # the pipeline refuses standard output for this format

    def __init__(
        self,
        *,
        sender: str | None = None,
        recipient: str | None = None,
        authorities: Mapping[str, str] | None = None,
        message_id: str | None = None,
        created: datetime | None = None,
        vendor: str = "interop-Entwickler",
        event: str | None = None,
        gerichte_version: str = "3.7",
        ereignis_version: str = "1.13",
        dokumentklasse_version: str = "1.4",
        dokumenttyp_version: str = "4.0",
        schema_dir: str | Path | None = None,
    ) -> None:
        super().__init__(
            sender=sender,
            recipient=recipient,
            authorities=authorities,
            message_id=message_id,
            created=created,
            vendor=vendor,
            gerichte_version=gerichte_version,
            ereignis_version=ereignis_version,
            schema_dir=schema_dir,
        )
        self.event = event
        self.dokumentklasse_version = dokumentklasse_version
        self.dokumenttyp_version = dokumenttyp_version
        self.spec = _party_spec()
        self.engine = Engine(self.spec)

    # --- common -> XJustiz --------------------------------------------------------------------

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        root = document.getroot()
        part = self._structured(document)
        out = part.message.getroot()
        side = _side(root)
        sender, sender_ref = self._endpoint(root, side.author, side.author_german, "sender")
        receiver, receiver_ref = self._endpoint(
            root, side.addressee, side.addressee_german, "recipient"
        )
        if receiver_ref is None and self.recipient is None:
            receiver_ref = _related_request_number(root)
        head = self._header(sender, sender_ref, receiver, receiver_ref, part.instances)
        if etree.QName(root).namespace == R:
            _opens_a_new_file(head)
        out.insert(0, head)
        rejected = part.rejected
        self._clean_text(head, rejected)
        etree.indent(out)
        prefixes = {uri: prefix for prefix, uri in self.spec.namespaces.items()}
        done = part.carried.paths(prefixes)
        only = [_only_attached(e) for e in part.loss.entries if e.path not in done]
        only += [_only_attached(e) for e in rejected]
        attachment = Attachment(part.attachment_name, serialize(document), tuple(only))
        return FromCommon(serialize(part.message), LossReport(), attachments=(attachment,))

    def _structured(self, document: etree._ElementTree) -> _Structured:
        """Instance data, parties and the document: everything but the header."""
        root = document.getroot()
        kind = document_kind(root)
        message, loss = self.engine.from_common(document)
        out = message.getroot()
        carried = Carried()
        instances = self._document_instances(root, carried)
        self._grunddaten(out, instances)
        drop_codeless(out)
        identifier = document_uuid(root)
        name = file_name(kind.title, identifier)
        self._document(root, out, kind, identifier=identifier, name=name, carried=carried)
        rejected: list[LossEntry] = []
        self._clean_text(out, rejected)
        _drop_nameless_organisations(out)
        return _Structured(message, loss, carried, instances, name, rejected)

    def _header(
        self,
        sender: XJustizAuthority,
        sender_ref: str | None,
        receiver: XJustizAuthority,
        receiver_ref: str | None,
        instances: list[tuple[XJustizAuthority, str]],
    ) -> etree._Element:
        """The shared header: the event of option ``event`` (else none), ``neu`` for requests."""
        head = super()._header(sender, sender_ref, receiver, receiver_ref, instances)
        event = head.find("tns:ereignis", NS)
        if event is not None and self.event:
            code = event.find("code")
            if code is not None:
                code.text = self.event
        elif event is not None:
            head.remove(event)
        return head

    def _endpoint(
        self, root: etree._Element, path: str, german: str, label: str
    ) -> tuple[XJustizAuthority, str | None]:
        """Sender or receiver: the option, else the document's authority when German (2.2)."""
        option = self.sender if label == "sender" else self.recipient
        if option is not None:
            return self._authority(option), None
        node = root.find(path, ANS)
        if node is None or not root.xpath(f"boolean({german})", namespaces=ANS):
            raise UsageError(
                f"{self.name}: the document's {label} ({path}) is not a German authority; "
                f"name the German {label} (option {label}: an XJustiz-ID or a name)"
            )
        return self._authority(text_of(node.find("c:name", ANS)) or ""), text_of(
            node.find("c:reference", ANS)
        )

    def _document_instances(
        self, root: etree._Element, carried: Carried
    ) -> list[tuple[XJustizAuthority, str]]:
        """One instance per authority with a file number, the author first (3.2)."""
        side = _side(root)
        found: list[tuple[XJustizAuthority, str]] = []
        seen: set[tuple[str, str]] = set()
        for path in (side.author, side.addressee):
            name = root.find(f"{path}/c:name", ANS)
            number = root.find(f"{path}/c:reference", ANS)
            key = (text_of(name) or "", text_of(number) or "")
            if not all(key):
                continue
            carried.add(name)
            carried.add(number)
            if key not in seen:
                seen.add(key)
                found.append((self._authority(key[0]), key[1]))
        return found

    def _document(
        self,
        root: etree._Element,
        out: etree._Element,
        kind: Kind,
        *,
        identifier: str,
        name: str,
        carried: Carried,
    ) -> None:
        """The one ``tns:dokument``: id, file number, date, class, type, title, file (3.3)."""
        side = _side(root)
        document = sub_element(sub_element(out, "schriftgutobjekte"), "dokument")
        identification = sub_element(document, "identifikation")
        sub_element(identification, "id", identifier)
        sub_element(identification, "nummerImUebergeordnetenContainer", "1")
        carried.add(root.find("c:documentId", ANS))
        reference = text_of(root.find(f"{side.author}/c:reference", ANS))
        if reference:
            sub_element(document, "fremdesGeschaeftszeichen", reference)
        issued = text_of(root.find("c:issueDate", ANS))
        if issued:
            sub_element(document, "datumDesSchreibens", issued)
            carried.add(root.find("c:issueDate", ANS))
        data = sub_element(document, "xjustiz.fachspezifischeDaten")
        _code(data, "dokumentklasse", KLASSE_URI, self.dokumentklasse_version, kind.klasse)
        if kind.typ:
            _code(data, "dokumententyp", TYP_URI, self.dokumenttyp_version, kind.typ)
        sub_element(data, "anzeigename", display_name(kind.title, issued, reference))
        for number in out.iterfind(f"{_PARTY_GROUP}/tns:beteiligter/tns:beteiligtennummer", NS):
            sub_element(sub_element(data, "person"), "ref.beteiligtennummer", text_of(number))
        for local, path in (
            ("absenderAnzeigename", side.author),
            ("adressatAnzeigename", side.addressee),
        ):
            authority = text_of(root.find(f"{path}/c:name", ANS))
            if authority:
                sub_element(data, local, authority)
        datei = sub_element(data, "datei")
        sub_element(datei, "dateiname", name)
        _code(datei, "bestandteil", BESTANDTEIL_URI, BESTANDTEIL_VERSION, ORIGINAL)

    # --- XJustiz -> common --------------------------------------------------------------------

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """The attached common document, cross-checked against the message (section 3.4).

        Raises:
            UnreadableInput: not a 0005005 message, no attached interop XML, the file is
                missing, named outside the message's folder, or not a readable interop
                document.
        """
        root = parse_bytes(data, source).getroot()
        if root.tag != f"{{{TNS}}}{ROOT}":
            found = etree.QName(root).text
            raise UnreadableInput(source, f"not an XJustiz 0005005 message ({found})")
        document, datei = _attached_document(root, source)
        name = text_of(datei) or ""
        attached = _read_attached(source, name)
        try:
            expected = self._structured(attached)
        except UsageError as exc:
            raise UnreadableInput(str(_folder(source) / name), str(exc)) from None
        check = _CrossCheck(root, document, datei, expected.message.getroot(), name)
        return ToCommon(attached, LossReport(tuple(check.run())))


@dataclass(slots=True)
class _CrossCheck:
    """Compares a message with the structured part its attached document gives.

    Equal values are consumed; different ones are ``rejected`` (named by their message path,
    with the attached document's value); everything else the message holds is
    ``unconsumed``.
    """

    root: etree._Element
    document: etree._Element  # the tns:dokument of the attached file
    datei: etree._Element  # its tns:dateiname
    expected: etree._Element  # what the attached document gives (no header)
    name: str
    consumed: set[etree._Element] = dataclasses.field(default_factory=set)
    loss: list[LossEntry] = dataclasses.field(default_factory=list)

    def run(self) -> list[LossEntry]:
        references = self._instances()
        self._parties()
        self._document()
        self._header(references)
        rejected = list(self.loss)
        return rejected + list(self._unconsumed())

    def take(self, element: etree._Element | None) -> None:
        """Mark a value as read and agreeing with the attached document."""
        if element is not None:
            self.consumed.add(element)

    def reject(self, element: etree._Element, expected: str | None, reason: str = "") -> None:
        """Report a value of the message that the attached document contradicts."""
        self.consumed.add(element)
        if not reason:
            reason = (
                f"differs from the attached document {self.name}: {preview(expected)!r}"
                if expected is not None
                else f"not in the attached document {self.name}"
            )
        path = named_xpath(element, {TNS: "tns"})
        self.loss.append(
            LossEntry(LossKind.REJECTED, path, preview(text_of(element) or ""), reason)
        )

    def compare(self, element: etree._Element | None, expected: etree._Element | None) -> None:
        """Leaf by leaf; a leaf the expected side lacks is left for the unconsumed report."""
        if element is None:
            return
        wanted = dict(_leaves(expected)) if expected is not None else {}
        for path, leaf in _leaves(element):
            other = wanted.get(path)
            if other is None:
                continue
            if text_of(leaf) == text_of(other):
                self.take(leaf)
            else:
                self.reject(leaf, text_of(other))

    def _instances(self) -> set[str]:
        """Instances are matched by file number; returns the document's file numbers.

        An instance the document does not know (a forwarding authority's own file) is left
        unconsumed; one whose authority the document names with another number is rejected.
        """
        wanted: dict[str | None, list[etree._Element]] = {}
        for expected in self.expected.iterfind(f"{_VERFAHREN}/tns:instanzdaten", NS):
            wanted.setdefault(text_of(expected.find(_FILE_NUMBER, NS)), []).append(expected)
        named = {
            text_of(i.find(_OTHER_NAME, NS)): text_of(i.find(_FILE_NUMBER, NS))
            for i in self.expected.iterfind(f"{_VERFAHREN}/tns:instanzdaten", NS)
        }
        for instance in self.root.iterfind(f"{_VERFAHREN}/tns:instanzdaten", NS):
            number = instance.find(_FILE_NUMBER, NS)
            if number is None:
                continue
            name = text_of(instance.find(_OTHER_NAME, NS))
            candidates = wanted.get(text_of(number), [])
            # Two authorities may share a file number: the one of the same name matches.
            same = [c for c in candidates if text_of(c.find(_OTHER_NAME, NS)) == name]
            match = same[0] if same else candidates[0] if candidates else None
            if match is None:
                known = named.get(name) if name is not None else None
                if known is not None:
                    self.reject(number, known)
                continue
            self.take(number)
            self.take(instance.find("tns:instanznummer", NS))
            self._authority(instance, match)
        return {n for n in wanted if n}

    def _authority(self, instance: etree._Element, match: etree._Element) -> None:
        """A ``tns:sonstige`` name must be the document's; a court code cannot be checked
        without the authorities table, so it is taken as it is."""
        choice = "tns:auswahl_instanzbehoerde"
        name = instance.find(f"{choice}/tns:sonstige", NS)
        court = instance.find(f"{choice}/tns:gericht/code", NS)
        wanted = match.find(f"{choice}/tns:sonstige", NS)
        if name is not None and wanted is not None:
            self.compare(instance.find(choice, NS), match.find(choice, NS))
        else:
            self.take(court)

    def _parties(self) -> None:
        wanted = {
            text_of(p.find(_PARTY_NUMBER, NS)): p for p in self.expected.iterfind(_PARTY_GROUP, NS)
        }
        for party in self.root.iterfind(_PARTY_GROUP, NS):
            number = party.find(_PARTY_NUMBER, NS)
            match = wanted.get(text_of(number)) if number is not None else None
            if match is None:
                self.reject(number if number is not None else party, None)
                continue
            self.compare(party, match)

    def _document(self) -> None:
        expected = self.expected.find("tns:schriftgutobjekte/tns:dokument", NS)
        data = "tns:xjustiz.fachspezifischeDaten"
        for path in (
            "tns:identifikation/tns:id",
            "tns:fremdesGeschaeftszeichen",
            "tns:datumDesSchreibens",
            f"{data}/tns:dokumentklasse/code",
            f"{data}/tns:dokumententyp/code",
            f"{data}/tns:absenderAnzeigename",
            f"{data}/tns:adressatAnzeigename",
        ):
            element = self.document.find(path, NS)
            wanted = expected.find(path, NS) if expected is not None else None
            if element is None:
                continue
            # A value the document has no counterpart for is left for the unconsumed report.
            if wanted is not None and text_of(wanted) == text_of(element):
                self.take(element)
            elif wanted is not None:
                self.reject(element, text_of(wanted))
        # Numbering and a title: nothing to check.
        self.take(self.document.find("tns:identifikation/tns:nummerImUebergeordnetenContainer", NS))
        self.take(self.document.find(f"{data}/tns:anzeigename", NS))
        self._references_and_file()

    def _references_and_file(self) -> None:
        """The document's parties must be the attached document's; its file is the one read."""
        data = "tns:xjustiz.fachspezifischeDaten"
        parties = {
            text_of(p) for p in self.expected.iterfind(f"{_PARTY_GROUP}/{_PARTY_NUMBER}", NS)
        }
        for person in self.document.iterfind(f"{data}/tns:person/tns:ref.beteiligtennummer", NS):
            if text_of(person) in parties:
                self.take(person)
            else:
                self.reject(person, None)
        self.take(self.datei)
        datei = self.datei.getparent()
        self.take(datei.find("tns:bestandteil/code", NS) if datei is not None else None)

    def _header(self, references: set[str]) -> None:
        """File numbers in the header that are the document's are consumed; others (the
        forwarding or receiving body's own files) are transport data, like the rest."""
        head = "tns:nachrichtenkopf"
        for path in (
            f"{head}/tns:absender/tns:aktenzeichen",
            f"{head}/tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext",
        ):
            element = self.root.find(path, NS)
            if element is not None and text_of(element) in references:
                self.take(element)
        for flag in ("tns:aktenzeichen.neu", "tns:aktenzeichen.unbekannt"):
            self.take(self.root.find(f"{head}/tns:empfaenger/tns:auswahl_aktenzeichen/{flag}", NS))
        numbers = {
            text_of(n)
            for n in self.root.iterfind(f"{_VERFAHREN}/tns:instanzdaten/tns:instanznummer", NS)
        }
        for reference in self.root.iterfind(f"{head}//tns:ref.instanznummer", NS):
            if text_of(reference) in numbers:
                self.take(reference)
            else:
                self.reject(reference, None, "refers to no tns:instanzdaten of the message")

    def _unconsumed(self) -> Iterator[LossEntry]:
        """Every value of the message not compared: transport data, other documents, ..."""
        consumed_attributes = {"listURI", "listVersionID"}
        prefixes = {TNS: "tns"}
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            inside = element in self.consumed or (
                element.tag == "code" and element.getparent() in self.consumed
            )
            for name, value in element.attrib.items():
                checked = name in consumed_attributes and _has_consumed_code(element, self.consumed)
                if name == "xjustizVersion" or checked:
                    continue
                path = named_xpath(element, prefixes)
                yield LossEntry(LossKind.UNCONSUMED, f"{path}/@{name}", preview(value))
            if element is self.root or inside:
                continue
            text = (element.text or "").strip()
            if text or (len(element) == 0 and not element.attrib):
                yield LossEntry(LossKind.UNCONSUMED, named_xpath(element, prefixes), preview(text))


_VERFAHREN: Final = "tns:grunddaten/tns:verfahrensdaten"
_FILE_NUMBER: Final = "tns:aktenzeichen/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
_PARTY_NUMBER: Final = "tns:beteiligter/tns:beteiligtennummer"
_OTHER_NAME: Final = "tns:auswahl_instanzbehoerde/tns:sonstige"


def _has_consumed_code(element: etree._Element, consumed: set[etree._Element]) -> bool:
    code = element.find("code")
    return code is not None and code in consumed


def _leaves(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Every element with text under ``element``, by a path relative to it with positions."""
    for child in element.iter():
        if child is element or not isinstance(child.tag, str) or len(child):
            continue
        if text_of(child) is None:
            continue
        steps = []
        node: etree._Element | None = child
        while node is not None and node is not element:
            parent = node.getparent()
            same = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
            steps.append(f"{etree.QName(node).localname}[{same.index(node) + 1}]")
            node = parent
        yield "/".join(reversed(steps)), child


def _code(parent: etree._Element, local: str, uri: str, version: str, value: str) -> None:
    element = sub_element(parent, local)
    element.set("listURI", uri)
    element.set("listVersionID", version)
    etree.SubElement(element, "code").text = value


def _only_attached(entry: LossEntry) -> LossEntry:
    """A gap of the structured part: not a loss, since the attached file carries the value."""
    if entry.kind is LossKind.UNCONSUMED:
        return dataclasses.replace(entry, reason=entry.reason or ATTACHED_ONLY)
    reason = "; ".join(filter(None, (entry.reason, "the attached file has the original")))
    return dataclasses.replace(entry, reason=reason)


def _opens_a_new_file(head: etree._Element) -> None:
    """A request to a receiver without a known file number opens a new one there (2.1)."""
    unknown = head.find("tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.unbekannt", NS)
    if unknown is not None:
        unknown.tag = f"{{{TNS}}}aktenzeichen.neu"


def _related_request_number(root: etree._Element) -> str | None:
    """A notification's addressee is known by the file number of the request (2.1)."""
    return text_of(root.find("n:relatedRequest/c:number", ANS))


def _drop_nameless_organisations(out: etree._Element) -> None:
    """Leave out a legal person whose name DIN 91379 refused (``bezeichnung.aktuell`` is
    required), with the document's reference to it; the attached file still has the party,
    and the refused name is listed on the attachment by the DIN 91379 step."""
    for party in out.findall(_PARTY_GROUP, NS):
        name = party.find(
            "tns:beteiligter/tns:auswahl_beteiligter/tns:organisation/tns:bezeichnung", NS
        )
        if name is None or name.find("tns:bezeichnung.aktuell", NS) is not None:
            continue
        number = text_of(party.find(_PARTY_NUMBER, NS))
        for reference in list(out.iterfind(".//tns:person/tns:ref.beteiligtennummer", NS)):
            holder = reference.getparent()
            if text_of(reference) == number and holder is not None:
                _remove(holder)
        _remove(party)


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _party_spec() -> Spec:
    """The party mapping of ``asservate.toml``, run on the parties of any of our roots."""
    spec = load_spec(SPEC)
    parties = next(rule for rule in spec.rules if rule.national == _PARTY_GROUP)
    return dataclasses.replace(
        spec,
        name=XJustizUebermittlung.name,
        national_root=f"tns:{ROOT}",
        rules=(dataclasses.replace(parties, common=PARTIES),),
    )


def _attached_document(root: etree._Element, source: str) -> tuple[etree._Element, etree._Element]:
    """The ``tns:dokument`` whose original (part 001) is an ``.xml`` file, and its file name.

    With several, one of the document classes we send wins (6.6), else the first.

    Raises:
        UnreadableInput: there is none.
    """
    classes = {k.klasse for k in _NOTIFICATIONS.values()} | {"016", "009", "007", "008"}
    found: list[tuple[etree._Element, etree._Element]] = []
    for document in root.iterfind("tns:schriftgutobjekte/tns:dokument", NS):
        for datei in document.iterfind("tns:xjustiz.fachspezifischeDaten/tns:datei", NS):
            name = text_of(datei.find("tns:dateiname", NS)) or ""
            part = text_of(datei.find("tns:bestandteil/code", NS))
            if part == ORIGINAL and name.lower().endswith(".xml"):
                found.append((document, datei.find("tns:dateiname", NS)))  # type: ignore[arg-type]
    if not found:
        raise UnreadableInput(
            source,
            "no tns:dokument has an XML file as its original (tns:datei, part 001): a 0005005 "
            "message alone gives no common document; convert the attached document itself",
        )
    for document, datei in found:
        klasse = document.findtext(
            "tns:xjustiz.fachspezifischeDaten/tns:dokumentklasse/code", namespaces=NS
        )
        if klasse in classes:
            return document, datei
    return found[0]


def _folder(source: str) -> Path:
    return Path(source).parent


def _read_attached(source: str, name: str) -> etree._ElementTree:
    """Read the attached document from the message's folder, never from anywhere else.

    Raises:
        UnreadableInput: a name with a folder, ``..`` or a drive; a link out of the folder;
            a missing file; a file that is not a readable interop document.
    """
    if source == "-":
        raise UnreadableInput(
            source,
            "a 0005005 message is read with its attached document from the same folder; "
            "give the message as a file, not on standard input",
        )
    problem = plain_file_name_problem(name)
    if problem:
        raise UnreadableInput(
            source, f"attached file name {name!r} in tns:dateiname: {problem}; not read"
        )
    folder = _folder(source)
    path = folder / name
    if not os.path.lexists(path):
        raise UnreadableInput(
            source,
            f"the attached document {name} is not in {folder}; put the file named in "
            "tns:dateiname next to the message and convert again",
        )
    if path.resolve().parent != folder.resolve():
        raise UnreadableInput(str(path), "a link out of the message's folder; not read")
    try:
        tree = parse_file(path)
    except UnreadableInput as exc:
        raise type(exc)(
            exc.path, f"{exc.reason} (the document attached to {source})", exc.line, exc.column
        ) from None
    namespace = etree.QName(tree.getroot()).namespace
    if namespace not in _DOCUMENT_ROOTS:
        found = etree.QName(tree.getroot()).text
        raise UnreadableInput(
            str(path),
            f"not an interop request, notification or evidence manifest ({found}); "
            f"the message {source} names it as its original",
        )
    return tree
