"""XJustiz 3.6.2 message 0500017 ("Asservate"): written from an evidence manifest, and read back.

The items and the parties go through the mapping spec ``asservate.toml`` and the mapping
engine (exhibit number, description, quantity and unit, origin ``tns:herkunft``; role, name,
birth, sex, addresses, nationalities, languages and identity documents of each party, with the
code tables of docs/xjustiz-mapping.md section 6). This module adds what a spec cannot express
(sections 1.2, 2.1, 2.2, 5):

* the message header ``tns:nachrichtenkopf``: a fresh ``eigeneNachrichtenID`` (UUID4, or the
  option ``message_id``), ``erstellungszeitpunkt`` (option ``created``, default now in
  Europe/Berlin), sender and receiver (``tns:gericht`` with its code-list attributes when the
  authority has an XJustiz-ID, else ``tns:sonstige``), event ``120`` and the product data;
* ``tns:instanzdaten``: one per authority with a file number (compiling authority, recipient,
  requesting authority), ahead of the spec's parties;
* ``tns:asservatenID`` per item (option ``asservaten_ids``, else ``<XJustiz-ID>_<UUIDv5>``);
* the exhibit number split into ``tns:gruppe`` and ``tns:laufendeNummer`` (``"… Nr. n"``);
* the digital-file clauses of ``tns:bezeichnung``: ``"; Datei <path>"``, ``"; <size> Byte"``,
  ``"; <algorithm> <hex>"`` per hash;
* DIN 91379 for every text written: dashes and typographic quotes replaced (reported as
  ``rejected`` with the original), text in another script not written (also ``rejected``);
  a code element whose code a table rejected is removed.

Every common node read here is removed from the engine's ``unconsumed`` entries, and only
those: whatever neither side carried stays in the loss report (custody chain, seals, seizure,
devices, acquisition, persons, …).

``tns:aufbewahrungsbehoerde`` (organisation of the last holder of the item) and
``tns:einlagerungsdatum`` (date of the first ``storage`` event) summarise the chain of custody;
the chain itself is still reported as unconsumed.

Not written in this version (so reported as unconsumed): ``tns:gegenstandsart`` (no code
table known, so ``@type`` is lost); the attached manifest in ``tns:schriftgutobjekte``; the
legal form, register data and representatives of legal persons; alias names; ``c:region``.

Reading back (``to_common``, docs/xjustiz-mapping.md 5.3) is done here in Python, not by
running the spec backwards: the spec's common paths select with predicates and unions
(``c:role[1]``, the carried name, the German text), which the engine can read but not write.
The header gives ``c:documentId`` (``urn:uuid:`` + message id), ``c:issueDate`` (date of
``erstellungszeitpunkt``) and ``c:documentLanguage`` (option ``language``, ``de``); the sender
and receiver (with their instance data) give ``e:compiledBy``, ``e:recipient``, ``e:reference``
and ``e:request``; one holder is synthesised from the sender; the description clauses give
back path, size and hashes; code tables are inverted. Every default is reported ``unfilled``
(also the seizure of each item and the chain of custody, which 0500017 does not carry), every
XJustiz item not read ``unconsumed``. The result is schema-valid but breaks our evidence rules
(EVD-017, EVD-020, EVD-029), so the pipeline does not write it; nothing is invented.
Values that are written but cannot come back (joined family names, countries outside the
table, ``tns:herkunft``, authorities replaced by an option, DIN 91379 replacements) are named
by their common path in the from-common loss report.

``check_output`` validates against the official XSD ``xjustiz_0500_straf_3_6.xsd`` found in the
directory given by the option ``schema_dir`` or the environment variable
``INTEROP_XJUSTIZ_XSD``; nothing is downloaded. **When neither is set, ``check_output`` returns
no findings: the output is then not checked at all.**
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.convert.mapping.engine import Engine
from interop.convert.mapping.spec import load_spec
from interop.errors import UnreadableInput, UsageError
from interop.validate.findings import Finding
from interop.validate.locate import PathMemo, element_path, named_xpath
from interop.validate.xsd import compile_schema, xsd_findings
from interop.xmlio import parse_bytes, serialize

TNS: Final = "http://www.xjustiz.de"
C: Final = "urn:interop:common:1"
E: Final = "urn:interop:evidence:1"
NS: Final = {"tns": TNS, "c": C, "e": E}
# With the request namespace too, for the helpers 0500001 shares (strafverfahren.py).
RNS: Final = {**NS, "r": "urn:interop:request:1"}
SPEC: Final = Path(__file__).with_name("asservate.toml")
SCHEMA_FILE: Final = "xjustiz_0500_straf_3_6.xsd"
SCHEMA_ENV: Final = "INTEROP_XJUSTIZ_XSD"
GERICHTE_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.gerichte"
EREIGNIS_URI: Final = "urn:xoev-de:xjustiz:codeliste:gds.ereignis"
EVENT_ASSERVATE: Final = "120"
_XJUSTIZ_ID: Final = re.compile(r"[A-Z0-9]{4,8}")
_GROUP: Final = re.compile(r"(.+) Nr\. (\S+)")
_LOCAL_ID: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}")
_ITEM_ORDER: Final = (
    "nummer",
    "asservatenID",
    "auswahl_asservatmitteilung",
    "grund",
    "gegenstandsart",
    "aufbewahrungsbehoerde",
    "gefahrgut",
    "lagerhinweis",
    "bezeichnung",
    "menge",
    "einheit",
    "herkunft",
    "asservatengruppe",
    "einlagerungsdatum",
)
# DIN 91379 (docs/xjustiz-mapping.md 1.2): what no datatype accepts, and what only D accepts.
_ALL_TYPES: Final = {"\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-", "\u00ad": ""}
_ALL_TYPES_SPACE: Final = {"\u00a0": " "}
_NOT_D: Final = {
    "\u201e": '"',
    "\u201c": '"',
    "\u201d": '"',
    "\u2018": "'",
    "\u2026": "...",
    "\u2022": "-",
}
_SINGLE_LINE: Final = {"\n": " ", "\t": " ", "\r": " "}
# Fields of other datatypes than C (docs/xjustiz-mapping.md 1.2); every other text is C.
_DATATYPES: Final = {
    "vorname": "A",
    "nachname": "A",
    "geburtsname": "A",
    "strasse": "B",
    "hausnummer": "B",
    "ort": "B",
    "sonstige": "D",
    "bezeichnung.aktuell": "D",
    "herstellerDesProdukts": "D",
    "absenderAnzeigename": "D",
    "adressatAnzeigename": "D",
}


def din91379(value: str, datatype: str) -> str:
    """``value`` with the characters DIN 91379 ``datatype`` (A, B, C or D) refuses replaced.

    The replacements of docs/xjustiz-mapping.md 1.2; whether the result is acceptable at all
    (no Greek in A, B, C; no Cyrillic anywhere) is :func:`representable`.
    """
    table = {**_ALL_TYPES, **_ALL_TYPES_SPACE}
    if datatype != "D":
        table.update(_NOT_D)
    if datatype != "C":
        table.update(_SINGLE_LINE)
    return "".join(table.get(char, char) for char in value)


def representable(value: str, datatype: str) -> bool:
    """Whether every letter of ``value`` is Latin-1 or Latin (or Greek, for datatype D).

    An approximation of the DIN 91379 patterns: letters are judged by their Unicode name,
    everything else is left to the XSD check.
    """
    scripts = ("LATIN", "GREEK") if datatype == "D" else ("LATIN",)
    for char in value:
        if (
            ord(char) > 0xFF
            and char.isalpha()
            and not unicodedata.name(char, "").startswith(scripts)
        ):
            return False
    return True


def _q(local: str) -> str:
    return f"{{{TNS}}}{local}"


def sub_element(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    child: etree._Element = etree.SubElement(parent, _q(local))
    if text is not None:
        child.text = text
    return child


class XJustizAuthority:
    """A sender, receiver or instance authority: an XJustiz-ID or a free-text name."""

    def __init__(self, code: str | None, name: str | None) -> None:
        self.code = code
        self.name = name

    def write(self, parent: etree._Element, list_version: str) -> None:
        if self.code:
            element = sub_element(parent, "gericht")
            element.set("listURI", GERICHTE_URI)
            element.set("listVersionID", list_version)
            etree.SubElement(element, "code").text = self.code
        else:
            sub_element(parent, "sonstige", self.name or "")


class XJustizAsservate:
    """Evidence manifest -> XJustiz 3.6.2 message 0500017 (one ``tns:asservate`` per item).

    Options (all keyword arguments, all optional):
        sender, recipient: XJustiz-ID (``B2600S``) or name of the sending / receiving body; by
            default ``e:compiledBy`` / ``e:recipient`` when German. A foreign authority needs
            the option (XJustiz messages go between German bodies).
        authorities: authority name -> XJustiz-ID (``tns:gericht``); other names are written
            as ``tns:sonstige``.
        asservaten_ids: item ``@id`` -> ``tns:asservatenID`` of an exhibit registered before.
        message_id: ``eigeneNachrichtenID`` (a UUID); default a fresh UUID4.
        created: ``erstellungszeitpunkt``; default now, Europe/Berlin.
        vendor: ``herstellerDesProdukts``.
        gerichte_version, ereignis_version: ``listVersionID`` of GDS.Gerichte, GDS.Ereignis.
        schema_dir: folder holding ``xjustiz_0500_straf_3_6.xsd`` (else ``$INTEROP_XJUSTIZ_XSD``;
            without either, :meth:`check_output` checks nothing).
    """

    name = "xjustiz-0500017"
    version = "3.6.2"
    directions: frozenset[Direction] = frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})
    document_types: tuple[str, ...] = ("evidence-manifest",)
    description = "XJustiz 3.6.2 exhibits message 0500017 (Asservate), evidence manifests"
    extension = ".xml"
    extensions: tuple[str, ...] = (".xml",)
    schema_file: str = SCHEMA_FILE  # the official entry XSD of this message, for check_output

    def __init__(
        self,
        *,
        sender: str | None = None,
        recipient: str | None = None,
        authorities: Mapping[str, str] | None = None,
        asservaten_ids: Mapping[str, str] | None = None,
        message_id: str | None = None,
        created: datetime | None = None,
        vendor: str = "interop-Entwickler",
        gerichte_version: str = "3.7",
        ereignis_version: str = "1.13",
        schema_dir: str | Path | None = None,
        language: str = "de",
    ) -> None:
        self.language = language
        self.sender = sender
        self.recipient = recipient
        self.authorities = dict(authorities or {})
        self.asservaten_ids = dict(asservaten_ids or {})
        self.message_id = str(uuid.UUID(message_id)) if message_id else None
        self.created = created
        self.vendor = vendor
        self.gerichte_version = gerichte_version
        self.ereignis_version = ereignis_version
        self.schema_dir = Path(schema_dir) if schema_dir else None
        self.spec = load_spec(SPEC)
        self.engine = Engine(self.spec)

    def __init_subclass__(cls, **kwargs: object) -> None:
        """A subclass writes another message: it reads nothing back unless it says how."""
        super().__init_subclass__(**kwargs)
        if "to_common" not in cls.__dict__:
            cls.directions = frozenset({Direction.FROM_COMMON})

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read a 0500017 message back into an evidence manifest (docs/xjustiz-mapping.md 5.3).

        The result is schema-valid but usually breaks our evidence rules (no seizure, no
        custody); nothing is invented to make it pass. What could not be read is in the loss
        report: unconsumed XJustiz items, and every required common field filled by default.
        """
        if Direction.TO_COMMON not in self.directions:
            raise UsageError(
                f"{self.name} only writes XJustiz (from common); it cannot read {source}"
            )
        tree = parse_bytes(data, source)
        root = tree.getroot()
        if root.tag != _q(ROOT):
            found = etree.QName(root).text
            raise UnreadableInput(source, f"not an XJustiz 0500017 message ({found})")
        document, loss = _Reader(self, root).run()
        return ToCommon(document, loss)

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        root = document.getroot()
        if root.tag != f"{{{E}}}evidenceManifest":
            found = etree.QName(root).text
            raise UsageError(f"{self.name} writes evidence manifests only, not {found}")
        message, loss = self.engine.from_common(document)
        carried = Carried()
        rejected: list[LossEntry] = []
        out = message.getroot()
        sender, sender_ref = self._party(root, "compiledBy", self.sender, "sender", carried)
        receiver, receiver_ref = self._party(
            root, "recipient", self.recipient, "recipient", carried
        )
        instances = self._instances(root, carried)
        self._grunddaten(out, instances)
        out.insert(0, self._header(sender, sender_ref, receiver, receiver_ref, instances))
        drop_codeless(out)
        self._items(root, out, sender, carried)
        self._clean_text(out, rejected)
        prefixes = {uri: prefix for prefix, uri in self.spec.namespaces.items()}
        done = carried.paths(prefixes)
        kept = tuple(e for e in loss.entries if e.path not in done)
        back = tuple(self._not_read_back(root, prefixes))
        etree.indent(out)
        return FromCommon(serialize(message), LossReport(kept + tuple(rejected) + back))

    def _not_read_back(self, root: etree._Element, prefixes: Mapping[str, str]) -> list[LossEntry]:
        """Values written into the message in a form that does not give them back (5.3).

        Joined family names, given names with spaces, countries outside the table, seizure
        links, authorities replaced by an option, a request merged with another instance, and
        descriptions changed for DIN 91379: each is named by its common path.
        """
        lost = _Lost(prefixes)
        _names_not_read_back(root, lost)
        _places_not_read_back(root, lost)
        for link in root.iterfind("e:items/e:item/e:seizure/e:seizedFrom", NS):
            lost.add(link, "written as tns:herkunft; 0500017 gives no seizure back", "party")
        replaced = (
            (self.sender, ("e:compiledBy/c:name", "e:compiledBy/c:reference")),
            (self.sender, ("e:reference/c:number",)),
            (self.recipient, ("e:recipient/c:name", "e:recipient/c:reference")),
        )
        for option, paths in replaced:
            for path in paths if option is not None else ():
                lost.add(
                    root.find(path, NS), "replaced by an option; travels only as instance data"
                )
        issuer = root.find("e:request/e:reference/c:issuer", NS)
        number = root.find("e:request/e:reference/c:number", NS)
        others = {
            (text_of(root.find(n, NS)), text_of(root.find(r, NS)))
            for n, r in (
                ("e:compiledBy/c:name", "e:reference/c:number"),
                ("e:compiledBy/c:name", "e:compiledBy/c:reference"),
                ("e:recipient/c:name", "e:recipient/c:reference"),
            )
        }
        if (text_of(issuer), text_of(number)) in others:
            for node in (issuer, number):
                lost.add(node, "same authority and file number as another instance: merged")
        texts = [
            found
            for item in root.iterfind("e:items/e:item", NS)
            for found in _nodes(item.xpath(_CARRIED_TEXT, namespaces=NS))
        ]
        for text in texts:
            if din91379(text.text or "", "C") != text.text:
                lost.add(text, "characters outside DIN 91379 datatype C replaced")
        return lost.entries

    def check_output(self, data: bytes) -> list[Finding]:
        """Validate a written message against the official XSD, if one is configured.

        The XSD is ``xjustiz_0500_straf_3_6.xsd`` in ``schema_dir`` or in the folder named by
        ``$INTEROP_XJUSTIZ_XSD``. Without either, this returns ``[]`` (no check at all).
        """
        if self._schema is None:
            return []
        return xsd_findings(self._schema, parse_bytes(data, "output"), {TNS: "tns"})

    @cached_property
    def _schema(self) -> etree.XMLSchema | None:
        folder = self.schema_dir or (
            Path(os.environ[SCHEMA_ENV]) if os.environ.get(SCHEMA_ENV) else None
        )
        if folder is None:
            return None
        path = folder / self.schema_file
        if not path.is_file():
            raise UsageError(f"{path}: XJustiz 3.6.2 schema not found (option schema_dir)")
        return compile_schema(path)

    # --- header and instance data -----------------------------------------------------------

    def _authority(self, value: str) -> XJustizAuthority:
        """An option value or a name: XJustiz-ID if it looks like one or the table has it."""
        if _XJUSTIZ_ID.fullmatch(value):
            return XJustizAuthority(value, None)
        return XJustizAuthority(self.authorities.get(value), value)

    def _party(
        self,
        root: etree._Element,
        local: str,
        option: str | None,
        label: str,
        carried: Carried,
    ) -> tuple[XJustizAuthority, str | None]:
        """Sender or receiver: the option, else the manifest's authority when German."""
        node = root.find(f"e:{local}", NS)
        if option is not None:
            return self._authority(option), None
        if node is None or node.findtext("c:country", namespaces=NS) != "DE":
            raise UsageError(
                f"{self.name}: e:{local} is not a German authority; name the {label} "
                f"(option {label}: an XJustiz-ID or a name)"
            )
        name = node.find("c:name", NS)
        reference = node.find("c:reference", NS)
        if local == "compiledBy" and text_of(root.find("e:reference/c:number", NS)):
            reference = root.find("e:reference/c:number", NS)  # the manifest's own number (5.1)
        carried.add(name)
        carried.add(reference)
        return (
            self._authority((name.text or "").strip() if name is not None else ""),
            text_of(reference),
        )

    def _instances(
        self, root: etree._Element, carried: Carried
    ) -> list[tuple[XJustizAuthority, str]]:
        """One instance per authority with a file number, compiling authority first."""
        found: list[tuple[XJustizAuthority, str]] = []
        seen: set[tuple[str, str]] = set()
        sources = (
            ("e:compiledBy/c:name", "e:reference/c:number"),
            ("e:compiledBy/c:name", "e:compiledBy/c:reference"),
            ("e:recipient/c:name", "e:recipient/c:reference"),
            ("e:request/e:reference/c:issuer", "e:request/e:reference/c:number"),
        )
        for name_path, number_path in sources:
            name, number = root.find(name_path, NS), root.find(number_path, NS)
            if name is None or number is None or not text_of(name) or not text_of(number):
                continue
            key = (text_of(name) or "", text_of(number) or "")
            carried.add(name)
            carried.add(number)
            if key not in seen:
                seen.add(key)
                found.append((self._authority(key[0]), key[1]))
        return found

    def _header(
        self,
        sender: XJustizAuthority,
        sender_ref: str | None,
        receiver: XJustizAuthority,
        receiver_ref: str | None,
        instances: list[tuple[XJustizAuthority, str]],
    ) -> etree._Element:
        head = etree.Element(_q("nachrichtenkopf"))
        head.set("xjustizVersion", self.version)
        sub_element(head, "erstellungszeitpunkt", _timestamp(self.created))
        absender = sub_element(head, "absender")
        self._partner(absender, sender, sender_ref, instances)
        if sender_ref:
            sub_element(absender, "aktenzeichen", sender_ref)
        sub_element(absender, "eigeneNachrichtenID", self.message_id or str(uuid.uuid4()))
        empfaenger = sub_element(head, "empfaenger")
        self._partner(empfaenger, receiver, receiver_ref, instances)
        choice = sub_element(empfaenger, "auswahl_aktenzeichen")
        if receiver_ref:
            sub_element(choice, "aktenzeichen.freitext", receiver_ref)
        else:
            sub_element(choice, "aktenzeichen.unbekannt", "true")
        event = sub_element(head, "ereignis")
        event.set("listURI", EREIGNIS_URI)
        event.set("listVersionID", self.ereignis_version)
        etree.SubElement(event, "code").text = EVENT_ASSERVATE
        maker = sub_element(head, "herstellerinformation")
        sub_element(maker, "nameDesProdukts", "interop")
        sub_element(maker, "herstellerDesProdukts", self.vendor)
        sub_element(maker, "version", _own_version())
        return head

    def _partner(
        self,
        parent: etree._Element,
        who: XJustizAuthority,
        reference: str | None,
        instances: list[tuple[XJustizAuthority, str]],
    ) -> None:
        info = sub_element(parent, "informationen")
        who.write(sub_element(info, "auswahl_kommunikationspartner"), self.gerichte_version)
        for number, (authority, file_number) in enumerate(instances, start=1):
            same = (authority.code, authority.name) == (who.code, who.name)
            if same and (reference is None or reference == file_number):
                verweis = sub_element(info, "auswahl_verweisGrunddaten")
                sub_element(verweis, "ref.instanznummer", str(number))
                break

    def _grunddaten(
        self, out: etree._Element, instances: list[tuple[XJustizAuthority, str]]
    ) -> None:
        """Instance data first in ``tns:verfahrensdaten``, before the spec's parties."""
        grund = out.find("tns:grunddaten", NS)
        if grund is None:
            grund = etree.Element(_q("grunddaten"))
            out.insert(0, grund)
        if not instances:
            return
        verfahren = grund.find("tns:verfahrensdaten", NS)
        if verfahren is None:
            verfahren = sub_element(grund, "verfahrensdaten")
        for number, (authority, file_number) in enumerate(instances, start=1):
            instance = etree.Element(_q("instanzdaten"))
            verfahren.insert(number - 1, instance)
            sub_element(instance, "instanznummer", str(number))
            authority.write(sub_element(instance, "auswahl_instanzbehoerde"), self.gerichte_version)
            choice = sub_element(sub_element(instance, "aktenzeichen"), "auswahl_aktenzeichen")
            sub_element(choice, "aktenzeichen.freitext", file_number)

    # --- items --------------------------------------------------------------------------------

    def _items(
        self, root: etree._Element, out: etree._Element, sender: XJustizAuthority, carried: Carried
    ) -> None:
        items = root.findall("e:items/e:item", NS)
        written = out.findall("tns:fachdaten/tns:asservate", NS)
        if len(items) != len(written):  # the spec has no conditions on the group
            raise AssertionError("mapping spec wrote a different number of exhibits")
        document_id = text_of(root.find("c:documentId", NS)) or ""
        for item, exhibit in zip(items, written, strict=True):
            item_id = item.get("id", "")
            asservaten_id = self.asservaten_ids.get(item_id) or _generated_id(
                sender, document_id, item_id
            )
            identifier = etree.Element(_q("asservatenID"))
            identifier.text = asservaten_id
            _place(exhibit, identifier)
            self._split_number(exhibit)
            self._custody_summary(root, item_id, exhibit)
            self._file_clauses(item, exhibit, carried)
            description = item.xpath(
                "(e:description/c:text[@lang = 'de'] | e:description/c:text"
                "[@origin = 'original'][not(../c:text[@lang = 'de'])])[1]",
                namespaces=NS,
            )
            for text in description if isinstance(description, list) else []:
                if isinstance(text, etree._Element):  # lang and origin are implied
                    if text.get("lang") == self.language:
                        carried.add(text, "lang")
                    if text.get("origin") == "original":
                        carried.add(text, "origin")

    def _custody_summary(self, root: etree._Element, item_id: str, exhibit: etree._Element) -> None:
        """Storage authority and storage date derived from the chain of custody (5.2).

        The chain itself stays in the loss report: these two values summarise it, they do not
        carry it.
        """
        events = [
            event
            for event in root.iterfind("e:custody/e:custodyEvent", NS)
            if item_id in (event.get("items") or "").split()
        ]
        if events:
            holder_id = events[-1].find("e:to", NS)
            holder = (
                root.find(f"e:holders/e:holder[@id='{holder_id.get('holder')}']", NS)
                if holder_id is not None and _LOCAL_ID.fullmatch(holder_id.get("holder") or "")
                else None
            )
            organisation = (
                text_of(holder.find("e:organisation", NS)) if holder is not None else None
            )
            if organisation:
                storage = etree.Element(_q("aufbewahrungsbehoerde"))
                self._authority(organisation).write(storage, self.gerichte_version)
                _place(exhibit, storage)
        stored = [e for e in events if e.findtext("e:purpose", namespaces=NS) == "storage"]
        day = _berlin_date(text_of(stored[0].find("e:at", NS))) if stored else None
        if day:
            element = etree.Element(_q("einlagerungsdatum"))
            element.text = day
            _place(exhibit, element)

    @staticmethod
    def _split_number(exhibit: etree._Element) -> None:
        group = exhibit.find("tns:asservatengruppe/tns:gruppe", NS)
        match = _GROUP.fullmatch(group.text or "") if group is not None else None
        if group is None or match is None:
            return
        group.text = match.group(1)
        running = group.getparent()
        if running is not None:
            sub_element(running, "laufendeNummer", match.group(2))

    @staticmethod
    def _file_clauses(item: etree._Element, exhibit: etree._Element, carried: Carried) -> None:
        """The interop convention for digital items: path, size and hashes in the text."""
        clauses: list[str] = []
        path = item.find("e:path", NS)
        if text_of(path):
            clauses.append(f"Datei {text_of(path)}")
            carried.add(path)
        size = item.find("e:size", NS)
        if text_of(size):
            clauses.append(f"{text_of(size)} Byte")
            carried.add(size)
        for digest in item.findall("e:hash", NS):
            if text_of(digest) and digest.get("algorithm"):
                clauses.append(f"{digest.get('algorithm')} {text_of(digest)}")
                carried.add(digest)
                carried.add(digest, "algorithm")
        if not clauses:
            return
        text = exhibit.find("tns:bezeichnung", NS)
        if text is None:
            text = etree.Element(_q("bezeichnung"))
            _place(exhibit, text)
            text.text = "; ".join(clauses)
        else:
            text.text = "; ".join([(text.text or "").rstrip(), *clauses])

    @staticmethod
    def _clean_text(out: etree._Element, rejected: list[LossEntry]) -> None:
        """DIN 91379 for every text written; each change is reported with the original.

        A text that still has letters of another script (a Greek place name, say) is not
        written at all; a birthplace without its place is dropped with it.
        """
        for element in list(out.iter()):
            if not isinstance(element.tag, str) or not element.text or len(element):
                continue
            local = etree.QName(element).localname
            datatype = _DATATYPES.get(local, "C")
            original = element.text
            cleaned = din91379(original, datatype)
            if cleaned == original and representable(cleaned, datatype):
                continue  # the common case: nothing to report, no path to compute
            path = named_xpath(element, {TNS: "tns"})
            if not representable(cleaned, datatype):
                reason = f"not representable in DIN 91379 datatype {datatype}; not written"
                rejected.append(LossEntry(LossKind.REJECTED, path, preview(original), reason))
                _remove(
                    element.getparent() if local == "ort" and _in_birthplace(element) else element
                )
            elif cleaned != original:
                reason = f"characters outside DIN 91379 datatype {datatype} replaced"
                rejected.append(LossEntry(LossKind.REJECTED, path, preview(original), reason))
                element.text = cleaned


class _Lost:
    """Loss entries named by common path, for values that the message cannot give back."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = prefixes
        self.entries: list[LossEntry] = []

    def add(self, node: etree._Element | None, reason: str, attribute: str | None = None) -> None:
        if node is None:
            return
        value = node.get(attribute) if attribute else text_of(node)
        if value is None:
            return
        path = named_xpath(node, self.prefixes)
        where = f"{path}/@{attribute}" if attribute else path
        self.entries.append(LossEntry(LossKind.REJECTED, where, preview(value), reason))


def _nodes(result: object) -> list[etree._Element]:
    """The elements of an XPath result."""
    items = result if isinstance(result, list) else []
    return [item for item in items if isinstance(item, etree._Element)]


def _names_not_read_back(
    root: etree._Element, lost: _Lost, parties: str = "e:persons/e:party"
) -> None:
    """Several family names become one; a given name with a space becomes two.

    ``parties`` is the path of the parties under ``root`` (0500001 reads a request's).
    """
    names = [
        found
        for person in root.iterfind(f"{parties}/c:naturalPerson", RNS)
        for found in _nodes(person.xpath(_CARRIED_NAME, namespaces=NS))
    ]
    for name in names:
        if not isinstance(name, etree._Element):
            continue
        families = name.findall("c:familyName", NS)
        for family in families if len(families) > 1 else []:
            lost.add(family, "joined into one tns:nachname; read back as one family name")
        for given in name.findall("c:givenName", NS):
            if len((given.text or "").split()) > 1:
                lost.add(given, "tns:vorname is split at spaces when read back")


def _places_not_read_back(
    root: etree._Element, lost: _Lost, parties: str = "e:persons/e:party"
) -> None:
    """Countries outside the table, and what cannot be read back without them."""
    countries = set(_tables()["staaten"].values())
    codes = root.xpath(
        " | ".join(
            f"{parties}/*/{field}"
            for field in (
                "c:nationality",
                "c:birthPlace/c:country",
                "c:address/c:country",
                "c:identityDocument/c:issuingCountry",
            )
        ),
        namespaces=RNS,
    )
    for code in codes if isinstance(codes, list) else []:
        if not isinstance(code, etree._Element) or text_of(code) in countries:
            continue
        reason = "country not in the BfJ Staat table"
        lost.add(code, reason)
        parent = code.getparent()
        local = etree.QName(parent).localname if parent is not None else ""
        if parent is not None and local in ("birthPlace", "identityDocument"):
            for sibling in parent:
                if sibling is not code:
                    lost.add(sibling, f"{reason}: cannot be read back without it")
    for place in root.iterfind(f"{parties}/c:naturalPerson/c:birthPlace", RNS):
        locality = din91379(text_of(place.find("c:locality", NS)) or "", "B")
        if not representable(locality, "B"):
            for part in place:
                lost.add(part, "birthplace not representable in DIN 91379 datatype B")


class Carried:
    """Common nodes this module read and carried: not to be reported as unconsumed."""

    def __init__(self) -> None:
        self._elements: list[etree._Element] = []
        self._attributes: list[tuple[etree._Element, str]] = []

    def add(self, element: etree._Element | None, attribute: str | None = None) -> None:
        if element is None:
            return
        if attribute is None:
            self._elements.append(element)
        elif attribute in element.attrib:
            self._attributes.append((element, attribute))

    def paths(self, prefixes: Mapping[str, str]) -> set[str]:
        known = PathMemo()  # parents' paths and positions, computed once
        done = {element_path(e, prefixes, known) for e in self._elements}
        done |= {f"{element_path(e, prefixes, known)}/@{a}" for e, a in self._attributes}
        return done


def text_of(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _place(parent: etree._Element, child: etree._Element) -> None:
    """Insert ``child`` into a ``tns:asservate`` where tns:Type.STRAF.Asservate wants it."""
    mine = _rank(child)
    for index, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and _rank(sibling) > mine:
            parent.insert(index, child)
            return
    parent.append(child)


def _in_birthplace(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and etree.QName(parent).localname == "geburtsort"


def _remove(element: etree._Element | None) -> None:
    """Remove ``element``; a parent left empty (an empty ``tns:geburt``) goes with it."""
    parent = element.getparent() if element is not None else None
    if element is None or parent is None:
        return
    parent.remove(element)
    if (
        len(parent) == 0
        and not (parent.text or "").strip()
        and etree.QName(parent).localname == "geburt"
    ):
        _remove(parent)


def drop_codeless(out: etree._Element) -> None:
    """Remove code elements the spec started but whose code a table rejected (reported)."""
    for element in list(out.iter()):
        if element.get("listURI") is not None and element.find("code") is None:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


def _rank(element: etree._Element) -> int:
    return _ITEM_ORDER.index(etree.QName(element).localname)


def _generated_id(sender: XJustizAuthority, document_id: str, item_id: str) -> str:
    """``<XJustiz-ID>_<UUIDv5>`` as the XSD annotation prescribes; stable per manifest and item."""
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"{document_id}#{item_id}")
    return f"{sender.code}_{key}" if sender.code else str(key)


def _berlin_date(value: str | None) -> str | None:
    """The date in Europe/Berlin of an ``e:UtcDateTime`` (``2026-02-10T23:30:00Z``)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    try:
        return moment.astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
    except ZoneInfoNotFoundError:
        return moment.date().isoformat()


def _timestamp(created: datetime | None) -> str:
    if created is not None:
        return created.isoformat(timespec="seconds")
    try:
        zone: ZoneInfo | None = ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:
        zone = None
    return datetime.now(zone).astimezone(zone).isoformat(timespec="seconds")


@cache
def _own_version() -> str:
    # Reading the installed metadata costs milliseconds; a batch writes thousands of headers.
    try:
        return package_version("interop")
    except PackageNotFoundError:
        return "0"


# --- reading 0500017 back (XJustiz -> common) ------------------------------------------------

ROOT: Final = "nachricht.straf.asservate.0500017"
_CARRIED_NAME: Final = (
    "(c:name[@script = 'Latn'][not(@form) or @form = 'original'] | c:name[@form = "
    "'transliterated'][not(../c:name[@script = 'Latn'][not(@form) or @form = 'original'])])[1]"
)
_CARRIED_TEXT: Final = (
    "(e:description/c:text[@lang = 'de'] | e:description/c:text[@origin = 'original']"
    "[not(../c:text[@lang = 'de'])])[1]"
)
_CLAUSE: Final = re.compile(
    r"; (?:Datei (?P<path>\S+)|(?P<size>\d+) Byte"
    r"|(?P<alg>SHA-256|SHA-512|SHA3-256|SHA-1|MD5) (?P<hex>[0-9A-Fa-f]+))$"
)
_DIGITAL: Final = frozenset({"digital-file", "forensic-image", "extraction"})
_M: Final = "/e:evidenceManifest"


class _Reader:
    """One reading of a 0500017 message: builds the manifest, remembers what it read."""

    def __init__(self, converter: XJustizAsservate, root: etree._Element) -> None:
        self.converter = converter
        self.root = root
        self.consumed: set[etree._Element] = set()
        self.attributes: set[tuple[etree._Element, str]] = set()
        self.loss: list[LossEntry] = []
        self.inverse = _tables()

    # helpers ---------------------------------------------------------------------------------

    def text(self, node: etree._Element, path: str) -> str | None:
        element = node.find(path, NS)
        value = text_of(element)
        if element is not None and value is not None:
            self.consumed.add(element)
        return value

    def code(self, node: etree._Element, path: str, table: str | None) -> str | None:
        """The code of a code element, through an inverted table; unknown codes rejected."""
        element = node.find(path, NS)
        if element is None:
            return None
        for name in ("listURI", "listVersionID"):
            if name in element.attrib:
                self.attributes.add((element, name))
        value = self.text(element, "code")
        if value is None or table is None:
            return value
        mapped = self.inverse[table].get(value)
        if mapped is None:
            where = named_xpath(element, {TNS: "tns"})
            self.loss.append(
                LossEntry(LossKind.REJECTED, f"{where}/code", value, f"no entry in {table}")
            )
        return mapped

    def filled(self, path: str, value: str, reason: str) -> None:
        self.loss.append(LossEntry(LossKind.UNFILLED, path, preview(value), reason))

    # the document ----------------------------------------------------------------------------

    def run(self) -> tuple[etree._ElementTree, LossReport]:
        root = self.root
        self.attributes.add((root.find("tns:nachrichtenkopf", NS), "xjustizVersion"))  # type: ignore[arg-type]
        out = etree.Element(f"{{{E}}}evidenceManifest", nsmap={"e": E, "c": C})
        head = "tns:nachrichtenkopf"
        message_id = self.text(root, f"{head}/tns:absender/tns:eigeneNachrichtenID")
        created = self.text(root, f"{head}/tns:erstellungszeitpunkt")
        document_id = f"urn:uuid:{message_id}" if message_id else f"urn:uuid:{uuid.uuid4()}"
        _c(out, "documentId", document_id)
        self.filled(f"{_M}/c:documentId", document_id, "from tns:eigeneNachrichtenID")
        issue = (created or "")[:10]
        _c(out, "issueDate", issue)
        self.filled(f"{_M}/c:issueDate", issue, "date of tns:erstellungszeitpunkt")
        language = self.converter.language
        _c(out, "documentLanguage", language)
        self.filled(f"{_M}/c:documentLanguage", language, "language assumed")
        instances = self._instances()
        sender_node = root.find(f"{head}/tns:absender", NS)
        receiver_node = root.find(f"{head}/tns:empfaenger", NS)
        sender_ref = self.text(root, f"{head}/tns:absender/tns:aktenzeichen")
        receiver_ref = self.text(
            root, f"{head}/tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
        )
        for flag in ("aktenzeichen.unbekannt", "aktenzeichen.neu"):
            self.text(root, f"{head}/tns:empfaenger/tns:auswahl_aktenzeichen/tns:{flag}")
        sender = self._partner(sender_node, instances)
        receiver = self._partner(receiver_node, instances)
        reference = _e(out, "reference")
        number = sender_ref or sender[1]
        _c(reference, "number", number or "unbekannt")
        if not number:
            self.filled(f"{_M}/e:reference/c:number", "unbekannt", "the sender has no file number")
        used = {sender[2], receiver[2]}
        for index, (name, file_number, _) in reversed(list(enumerate(instances))):
            if index not in used:
                request = _e(_e(out, "request"), "reference")
                _c(request, "number", file_number)
                _c(request, "issuer", name)
                break
        self._authority(out, "compiledBy", sender[0], number)
        if receiver[0]:
            self._authority(out, "recipient", receiver[0], receiver_ref or receiver[1])
        parties = self._parties()
        if len(parties):
            out.append(parties)
        self._holders(out, sender[0])
        self._items(out)
        self.filled(f"{_M}/e:custody", "", "0500017 has no chain of custody")
        self._unconsumed()
        etree.indent(out)
        return out.getroottree(), LossReport(tuple(self.loss))

    def _instances(self) -> list[tuple[str, str, int]]:
        found: list[tuple[str, str, int]] = []
        path = "tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten"
        for index, instance in enumerate(self.root.iterfind(path, NS)):
            self.text(instance, "tns:instanznummer")
            name = self._name(instance.find("tns:auswahl_instanzbehoerde", NS))
            number = self.text(
                instance, "tns:aktenzeichen/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
            )
            found.append((name or "", number or "", index))
        return found

    def _name(self, choice: etree._Element | None) -> str | None:
        if choice is None:
            return None
        court = self.code(choice, "tns:gericht", None)
        return court or self.text(choice, "tns:sonstige")

    def _partner(
        self, node: etree._Element | None, instances: list[tuple[str, str, int]]
    ) -> tuple[str, str | None, int]:
        """Name, file number from the instance data, index of that instance (-1: none)."""
        if node is None:
            return "", None, -1
        info = "tns:informationen"
        name = self._name(node.find(f"{info}/tns:auswahl_kommunikationspartner", NS)) or ""
        ref = self.text(node, f"{info}/tns:auswahl_verweisGrunddaten/tns:ref.instanznummer")
        for instance_name, number, index in instances:
            if ref is not None and ref == str(index + 1) and instance_name == name:
                return name, number, index
        return name, None, -1

    def _authority(self, out: etree._Element, local: str, name: str, number: str | None) -> None:
        node = _e(out, local)
        path = f"{_M}/e:{local}"
        _c(node, "name", name)
        code = _XJUSTIZ_ID.fullmatch(name)
        kind = ("prosecutor" if name.endswith("S") else "court") if code else "other"
        _c(node, "kind", kind)
        _c(node, "country", "DE")
        if code:
            self.filled(f"{path}/c:name", name, "XJustiz-ID: no GDS.Gerichte list to name it")
        self.filled(f"{path}/c:kind", kind, "from the XJustiz-ID" if code else "free-text name")
        self.filled(f"{path}/c:country", "DE", "XJustiz messages go between German bodies")
        if number:
            _c(node, "reference", number)

    def _holders(self, out: etree._Element, sender: str) -> None:
        holder = _e(_e(out, "holders"), "holder")
        holder.set("id", "H1")
        _e(holder, "name", sender)
        _e(holder, "function", "Asservatenverwaltung")
        _e(holder, "organisation", sender)
        _e(holder, "country", "DE")
        self.filled(f"{_M}/e:holders/e:holder", sender, "synthesised from the sender")

    # parties -----------------------------------------------------------------------------------

    def _parties(self) -> etree._Element:
        persons = etree.Element(f"{{{E}}}persons")
        path = "tns:grunddaten/tns:verfahrensdaten/tns:beteiligung"
        for position, party in enumerate(self.root.iterfind(path, NS), start=1):
            target = _e(persons, "party")
            number = self.text(party, "tns:beteiligter/tns:beteiligtennummer")
            if number is None or not _LOCAL_ID.fullmatch(number):
                where = named_xpath(party, {TNS: "tns"})
                self.loss.append(
                    LossEntry(LossKind.REJECTED, where, number or "", "no usable party number")
                )
                number = f"p{position}"
            target.set("id", number)
            choice = party.find("tns:beteiligter/tns:auswahl_beteiligter", NS)
            organisation = choice is not None and choice.find("tns:organisation", NS) is not None
            roles: list[etree._Element | None] = [*party.findall("tns:rolle", NS)] or [None]
            for role in roles:
                value = None
                if role is not None:
                    self.text(role, "tns:rollennummer")
                    value = self.code(role, "tns:rollenbezeichnung", "rollen")
                if value == "third-party" and organisation:
                    value = "legal-person"
                _c(target, "role", value or "other")
            if choice is None:
                continue
            natural = choice.find("tns:natuerlichePerson", NS)
            if natural is not None:
                self._natural(natural, _c(target, "naturalPerson"))
            elif organisation:
                self._legal(choice.find("tns:organisation", NS), _c(target, "legalPerson"))
        return persons

    def _natural(self, source: etree._Element, target: etree._Element) -> None:
        name = _c(target, "name")
        name.set("script", "Latn")
        for given in (self.text(source, "tns:vollerName/tns:vorname") or "").split():
            _c(name, "givenName", given)
        _c(name, "familyName", self.text(source, "tns:vollerName/tns:nachname") or "")
        birth_name = self.text(source, "tns:vollerName/tns:geburtsname")
        if birth_name:
            _c(name, "birthName", birth_name)
        sex = self.code(source, "tns:geschlecht", "geschlecht")
        if sex:
            _c(target, "sex", sex)
        birth = self.text(source, "tns:geburt/tns:geburtsdatum")
        if birth:
            _c(target, "birthDate", birth)
        locality = self.text(source, "tns:geburt/tns:geburtsort/tns:ort")
        country = self.code(source, "tns:geburt/tns:geburtsort/tns:staat", "staaten")
        if locality and country:
            place = _c(target, "birthPlace")
            _c(place, "locality", locality)
            _c(place, "country", country)
        for nationality in source.iterfind("tns:staatsangehoerigkeit", NS):
            value = self.code(nationality, ".", "staaten")
            if value:
                _c(target, "nationality", value)
        for document in source.iterfind("tns:ausweisdokument", NS):
            self._identity(document, target)
        for language in source.iterfind("tns:sprache", NS):
            value = self.code(language, ".", None)
            if value:
                _c(target, "languageUnderstood", value)
        for address in source.iterfind("tns:anschrift", NS):
            self._address(address, target)

    def _identity(self, document: etree._Element, target: etree._Element) -> None:
        """One identity document; without number and issuing state it stays unconsumed."""
        kind = self.code(document, "tns:ausweisart", "ausweisart") or "other"
        issuing = self.code(document, "tns:ausstellenderStaat", "staaten")
        number = self.text(document, "tns:ausweis.ID")
        expiry = self.text(document, "tns:gueltigkeit/tns:ende")
        if not (issuing and number):
            for element in document.iter():
                self.consumed.discard(element)
            return
        identity = _c(target, "identityDocument")
        _c(identity, "type", kind)
        _c(identity, "number", number)
        _c(identity, "issuingCountry", issuing)
        if expiry:
            _c(identity, "expiryDate", expiry)

    def _legal(self, source: etree._Element | None, target: etree._Element) -> None:
        if source is None:
            return
        _c(target, "name", self.text(source, "tns:bezeichnung/tns:bezeichnung.aktuell") or "")
        addresses = source.findall("tns:anschrift", NS)
        country = None
        if addresses:
            staat = addresses[0].find("tns:staat", NS)
            country = (
                self.inverse["staaten"].get(staat.findtext("code") or "")
                if staat is not None
                else None
            )
        _c(target, "registrationCountry", country or "DE")
        self.filled(
            f"{_M}/e:persons/e:party/c:legalPerson/c:registrationCountry",
            country or "DE",
            "from the address",
        )
        if addresses:
            self._address(addresses[0], target)

    def _address(self, source: etree._Element, target: etree._Element) -> None:
        city = source.find("tns:ort", NS)
        if text_of(city) is None:
            return
        address = _c(target, "address")
        for line in source.iterfind("tns:anschriftenzusatz", NS):
            if text_of(line):
                self.consumed.add(line)
                _c(address, "addressLine", text_of(line) or "")
        for local, common in (
            ("strasse", "street"),
            ("hausnummer", "houseNumber"),
            ("postleitzahl", "postalCode"),
            ("ort", "city"),
        ):
            value = self.text(source, f"tns:{local}")
            if value:
                _c(address, common, value)
        _c(address, "country", self.code(source, "tns:staat", "staaten") or "DE")

    # items -------------------------------------------------------------------------------------

    def _items(self, out: etree._Element) -> None:
        items = _e(out, "items")
        for position, exhibit in enumerate(
            self.root.iterfind("tns:fachdaten/tns:asservate", NS), start=1
        ):
            item = _e(items, "item")
            number = self.text(exhibit, "tns:nummer")
            if number is None or not _LOCAL_ID.fullmatch(number):
                where = named_xpath(exhibit, {TNS: "tns"})
                self.loss.append(
                    LossEntry(
                        LossKind.REJECTED, f"{where}/tns:nummer", number or "", "not a LocalId"
                    )
                )
                number = f"I{position}"
            item.set("id", number)
            group = self.text(exhibit, "tns:asservatengruppe/tns:gruppe")
            running = self.text(exhibit, "tns:asservatengruppe/tns:laufendeNummer")
            if group is None:
                group = self.text(exhibit, "tns:asservatenID") or number
            exhibit_number = f"{group} Nr. {running}" if running else group
            unit = self.text(exhibit, "tns:einheit")
            amount = self.text(exhibit, "tns:menge")
            kind = {"Datei": "digital-file", "Blatt": "document"}.get(unit or "", "physical")
            item.set("type", kind)
            here = f"{_M}/e:items/e:item[{position}]"
            self.filled(f"{here}/e:seizure", "", "0500017 has no seizure time, place or officer")
            self.filled(f"{here}/@type", kind, "from tns:einheit (no gegenstandsart table)")
            _e(item, "exhibitNumber", exhibit_number)
            text, path, size, hashes = self._clauses(self.text(exhibit, "tns:bezeichnung"))
            if not text:
                text = exhibit_number
                self.filled(f"{here}/e:description", text, "no tns:bezeichnung")
            description = _c(_e(item, "description"), "text", text)
            description.set("lang", self.converter.language)
            description.set("origin", "original")
            if unit == "Blatt" and amount and amount.isdigit() and int(amount) > 0:
                _e(item, "pages", amount)
            elif amount is not None and not (amount == "1" and unit in ("Stück", "Datei")):
                for local in ("menge", "einheit"):
                    element = exhibit.find(f"tns:{local}", NS)
                    if element is not None:
                        self.consumed.discard(element)
            if path:
                _e(item, "path", path)
            if size:
                _e(item, "size", size)
            for algorithm, value in hashes:
                digest = _e(item, "hash", value)
                digest.set("algorithm", algorithm)

    @staticmethod
    def _clauses(
        value: str | None,
    ) -> tuple[str, str | None, str | None, list[tuple[str, str]]]:
        """The interop convention, from the end: ``; Datei p``, ``; n Byte``, ``; ALG hex``."""
        text = value or ""
        path = size = None
        hashes: list[tuple[str, str]] = []
        while match := _CLAUSE.search(text):
            if match.group("path") and path is None:
                path = match.group("path")
            elif match.group("size") and size is None:
                size = match.group("size")
            elif match.group("alg"):
                hashes.insert(0, (match.group("alg"), match.group("hex")))
            else:
                break
            text = text[: match.start()]
        return text, path, size, hashes

    def _unconsumed(self) -> None:
        prefixes = {TNS: "tns"}
        paths = PathMemo()  # parents' paths and positions, shared by their children
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if (element, name) not in self.attributes:
                    local = etree.QName(name).localname
                    where = f"{element_path(element, prefixes, paths)}/@{local}"
                    self.loss.append(LossEntry(LossKind.UNCONSUMED, where, preview(value)))
            if element is self.root or element in self.consumed:
                continue
            text = (element.text or "").strip()
            if text or (len(element) == 0 and not element.attrib):
                where = element_path(element, prefixes, paths)
                self.loss.append(LossEntry(LossKind.UNCONSUMED, where, preview(text)))


@cache
def _tables() -> Mapping[str, Mapping[str, str]]:
    """The code tables of the spec (national code -> common code), for reading."""
    return load_spec(SPEC).tables


def _e(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    child: etree._Element = etree.SubElement(parent, f"{{{E}}}{local}")
    if text is not None:
        child.text = text
    return child


def _c(parent: etree._Element, local: str, text: str | None = None) -> etree._Element:
    child: etree._Element = etree.SubElement(parent, f"{{{C}}}{local}")
    if text is not None:
        child.text = text
    return child
