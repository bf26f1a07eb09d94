"""XJustiz 3.6.2 message 0500001 (Ermittlungs-/Erkenntnisverfahren) from an evidence request.

The parties, the person descriptions and the offences go through the mapping spec
``strafverfahren.toml`` and the mapping engine (role, name, birth, sex, addresses,
nationalities, languages and identity documents of each party; number, period and places of
each offence; the code tables of docs/xjustiz-mapping.md section 6). This module adds what a
spec cannot express (sections 2.1, 2.2, 4.2), reusing the 0500017 converter
(:mod:`interop.convert.formats.xjustiz.asservate`) for the header, the instance data, DIN 91379
and the XSD check:

* the message header: sender ``r:issuingAuthority`` when ``r:issuingState`` is ``DE``, else the
  option ``sender``; receiver ``r:executingAuthority`` when ``r:executingState`` is ``DE``,
  else the option ``recipient``; a receiver without a file number gets
  ``tns:aktenzeichen.neu`` (a new request); event only with the option ``event``;
* ``tns:instanzdaten``: one per authority with a file number (issuing, executing), and in the
  first of them ``tns:verfahrensgegenstand/tns:gegenstand`` = every offence as
  ``"<classification> (<provision>, <provision>)"``, joined with ``"; "`` (German text, else
  the original);
* per offence, in its single ``tns:delikt``: one ``tns:beteiligter`` per id of ``@persons``
  (``tns:fuehrendesDelikt`` true on the first offence of that person) and
  ``tns:angedrohteHoechststrafe`` (``"10 Jahre"``, ``"18 Monate"``,
  ``"lebenslange Freiheitsstrafe"``).

Every common node read here is removed from the engine's ``unconsumed`` entries, and only
those: whatever 0500001 cannot carry stays in the loss report (legal basis, states, urgency,
measures, proportionality, summary of facts, formalities, deadlines, further authorities,
remedies, list offence, participation, other language versions, ...; section 4.4).

Not written in this version: ``tns:astralID`` (no ASTRAL table known), ``tns:beteiligungsart``,
``tns:ermittlungsmassnahme`` (no German labels for the measure codes), the attached request in
``tns:schriftgutobjekte``; surrender requests are not accepted.

``check_output`` is that of the 0500017 converter: the official XSD
``xjustiz_0500_straf_3_6.xsd`` from the option ``schema_dir`` or ``$INTEROP_XJUSTIZ_XSD``;
**without either, nothing is checked**.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Final

from lxml import etree

from interop.convert.converter import FromCommon
from interop.convert.formats.xjustiz.asservate import (
    EREIGNIS_URI,
    NS,
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
from interop.convert.mapping.spec import load_spec
from interop.errors import UsageError
from interop.validate.locate import named_xpath
from interop.xmlio import serialize

R: Final = "urn:interop:request:1"
RNS: Final = {**NS, "r": R}
SPEC: Final = Path(__file__).with_name("strafverfahren.toml")
LIFE: Final = "lebenslange Freiheitsstrafe"
_DESCRIPTION: Final = (
    "(c:naturalPerson/c:description/c:text[@lang = 'de'] | c:naturalPerson/c:description/c:text"
    "[@origin = 'original'][not(../c:text[@lang = 'de'])])[1]"
)
_CLASSIFICATION: Final = (
    "(c:legalClassification/c:text[@lang = 'de'] | c:legalClassification/c:text"
    "[@origin = 'original'][not(../c:text[@lang = 'de'])])[1]"
)


class XJustizStrafverfahren(XJustizAsservate):
    """Evidence request -> XJustiz 3.6.2 message 0500001 (parties and offences).

    Options (all keyword arguments, all optional):
        sender, recipient: XJustiz-ID (``B2600S``) or name of the sending / receiving body; by
            default the issuing / executing authority when its state is ``DE``. A foreign
            authority needs the option (XJustiz messages go between German bodies).
        authorities: authority name -> XJustiz-ID (``tns:gericht``); other names are written
            as ``tns:sonstige``.
        message_id: ``eigeneNachrichtenID`` (a UUID); default a fresh UUID4.
        created: ``erstellungszeitpunkt``; default now, Europe/Berlin.
        vendor: ``herstellerDesProdukts``.
        event: a GDS.Ereignis code for ``tns:ereignis`` (for instance ``033`` Abgabe an
            Gericht); default none.
        gerichte_version, ereignis_version: ``listVersionID`` of GDS.Gerichte, GDS.Ereignis.
        schema_dir: folder holding ``xjustiz_0500_straf_3_6.xsd`` (else ``$INTEROP_XJUSTIZ_XSD``;
            without either, :meth:`check_output` checks nothing).
    """

    name = "xjustiz-0500001"
    version = "3.6.2"
    document_types: tuple[str, ...] = ("evidence-request",)
    description = (
        "XJustiz 3.6.2 criminal proceedings message 0500001 (Ermittlungs-/Erkenntnisverfahren),"
        " from evidence requests"
    )

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
        self.spec = load_spec(SPEC)
        self.engine = Engine(self.spec)

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        root = document.getroot()
        if root.tag != f"{{{R}}}evidenceRequest":
            found = etree.QName(root).text
            raise UsageError(f"{self.name} writes evidence requests only, not {found}")
        message, loss = self.engine.from_common(document)
        carried = Carried()
        rejected: list[LossEntry] = []
        out = message.getroot()
        sender, sender_ref = self._endpoint(root, "issuing", self.sender, "sender", carried)
        receiver, receiver_ref = self._endpoint(
            root, "executing", self.recipient, "recipient", carried
        )
        instances = self._request_instances(root, carried)
        self._grunddaten(out, instances)
        if instances:
            self._subject(root, out, carried)
        if out.find("tns:fachdaten", NS) is None:
            sub_element(out, "fachdaten")
        out.insert(0, self._header(sender, sender_ref, receiver, receiver_ref, instances))
        drop_codeless(out)
        self._offences(root, out, carried)
        _description_languages(root, carried)
        self._clean_text(out, rejected)
        _drop_nameless_organisations(root, out, rejected)
        prefixes = {uri: prefix for prefix, uri in self.spec.namespaces.items()}
        done = carried.paths(prefixes)
        kept = tuple(e for e in loss.entries if e.path not in done)
        etree.indent(out)
        return FromCommon(serialize(message), LossReport(kept + tuple(rejected)))

    # --- header and instance data -----------------------------------------------------------

    def _header(
        self,
        sender: XJustizAuthority,
        sender_ref: str | None,
        receiver: XJustizAuthority,
        receiver_ref: str | None,
        instances: list[tuple[XJustizAuthority, str]],
    ) -> etree._Element:
        """The 0500017 header, with the event of option ``event`` and ``aktenzeichen.neu``."""
        head = super()._header(sender, sender_ref, receiver, receiver_ref, instances)
        unknown = head.find(
            "tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.unbekannt", NS
        )
        if unknown is not None:  # a request opens a new file at the receiver (2.1)
            unknown.tag = f"{{{TNS}}}aktenzeichen.neu"
        event = head.find("tns:ereignis", NS)
        if event is not None:
            if self.event:
                event.set("listURI", EREIGNIS_URI)
                code = event.find("code")
                if code is not None:
                    code.text = self.event
            else:
                head.remove(event)
        return head

    def _endpoint(
        self,
        root: etree._Element,
        side: str,
        option: str | None,
        label: str,
        carried: Carried,
    ) -> tuple[XJustizAuthority, str | None]:
        """Sender or receiver: the option, else the request's authority when German (2.2)."""
        if option is not None:
            return self._authority(option), None
        node = root.find(f"r:{side}Authority", RNS)
        if node is None or text_of(root.find(f"r:{side}State", RNS)) != "DE":
            raise UsageError(
                f"{self.name}: r:{side}Authority is not a German authority; name the {label} "
                f"(option {label}: an XJustiz-ID or a name)"
            )
        name = node.find("c:name", RNS)
        reference = node.find("c:reference", RNS)
        carried.add(name)
        carried.add(reference)
        return self._authority(text_of(name) or ""), text_of(reference)

    def _request_instances(
        self, root: etree._Element, carried: Carried
    ) -> list[tuple[XJustizAuthority, str]]:
        """One instance per authority with a file number, issuing authority first."""
        found: list[tuple[XJustizAuthority, str]] = []
        seen: set[tuple[str, str]] = set()
        for side in ("issuing", "executing"):
            name = root.find(f"r:{side}Authority/c:name", RNS)
            number = root.find(f"r:{side}Authority/c:reference", RNS)
            key = (text_of(name) or "", text_of(number) or "")
            if not all(key):
                continue
            carried.add(name)
            carried.add(number)
            if key not in seen:
                seen.add(key)
                found.append((self._authority(key[0]), key[1]))
        return found

    @staticmethod
    def _subject(root: etree._Element, out: etree._Element, carried: Carried) -> None:
        """Classification and provisions of all offences, in the first instance (4.2)."""
        parts: list[str] = []
        for offence in root.iterfind("r:grounds/r:offence", RNS):
            texts = offence.xpath(_CLASSIFICATION, namespaces=RNS)
            text = texts[0] if isinstance(texts, list) and texts else None
            if not isinstance(text, etree._Element) or not text_of(text):
                continue
            provisions = [p for p in offence.findall("c:statutoryProvision", RNS) if text_of(p)]
            label = text_of(text) or ""
            if provisions:
                label += " (" + ", ".join(text_of(p) or "" for p in provisions) + ")"
            parts.append(label)
            carried.add(text)
            carried.add(text, "lang")
            carried.add(text, "origin")
            for provision in provisions:
                carried.add(provision)
        instance = out.find("tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten", NS)
        if parts and instance is not None:
            sub_element(
                sub_element(instance, "verfahrensgegenstand"), "gegenstand", "; ".join(parts)
            )

    # --- offences -----------------------------------------------------------------------------

    @staticmethod
    def _offences(root: etree._Element, out: etree._Element, carried: Carried) -> None:
        """The persons and the maximum penalty of each offence's single ``tns:delikt``."""
        offences = root.findall("r:grounds/r:offence", RNS)
        written = out.findall("tns:fachdaten/tns:tat", NS)
        if len(offences) != len(written):  # the spec has no conditions on the group
            raise AssertionError("mapping spec wrote a different number of offences")
        parties = {p.get("id") for p in root.iterfind("r:personsConcerned/r:party", RNS)}
        attributed: set[str] = set()
        for offence, tat in zip(offences, written, strict=True):
            delikt = tat.find("tns:delikt", NS)
            if delikt is None:
                raise AssertionError("mapping spec wrote an offence without tns:delikt")
            persons = (offence.get("persons") or "").split()
            for person in persons:
                if person not in parties:
                    continue
                beteiligter = sub_element(delikt, "beteiligter")
                sub_element(beteiligter, "ref.rollennummer", person)
                sub_element(beteiligter, "fuehrendesDelikt", str(person not in attributed).lower())
                attributed.add(person)
            if persons and all(p in parties for p in persons):
                carried.add(offence, "persons")
            penalty = _penalty(offence.find("c:maximumPenalty", RNS))
            if penalty is not None:
                text, source = penalty
                sub_element(delikt, "angedrohteHoechststrafe", text)
                carried.add(source)


def _penalty(element: etree._Element | None) -> tuple[str, etree._Element] | None:
    """``c:maximumPenalty`` as German text: ``"10 Jahre"``, ``"18 Monate"``, life (4.2)."""
    if element is None:
        return None
    months = element.find("c:months", RNS)
    if months is not None and (text_of(months) or "").isdigit():
        count = int(text_of(months) or "0")
        if count % 12 == 0:
            years = count // 12
            return (f"{years} Jahr" if years == 1 else f"{years} Jahre"), months
        return (f"{count} Monat" if count == 1 else f"{count} Monate"), months
    life = element.find("c:life", RNS)
    if life is not None:
        return LIFE, life
    return None


def _description_languages(root: etree._Element, carried: Carried) -> None:
    """The person description the spec wrote: its ``lang`` and ``origin`` are implied (1.4)."""
    for party in root.iterfind("r:personsConcerned/r:party", RNS):
        found = party.xpath(_DESCRIPTION, namespaces=RNS)
        for text in found if isinstance(found, list) else []:
            if isinstance(text, etree._Element):
                carried.add(text, "lang")
                carried.add(text, "origin")


def _drop_nameless_organisations(
    root: etree._Element, out: etree._Element, rejected: list[LossEntry]
) -> None:
    """Remove a legal person whose name DIN 91379 refused (``bezeichnung.aktuell`` is required).

    The whole party goes, with every reference to it; the party is reported as rejected (the
    refused name is reported by the DIN 91379 step already).
    """
    for party in out.findall("tns:grunddaten/tns:verfahrensdaten/tns:beteiligung", NS):
        name = party.find(
            "tns:beteiligter/tns:auswahl_beteiligter/tns:organisation/tns:bezeichnung", NS
        )
        if name is None or name.find("tns:bezeichnung.aktuell", NS) is not None:
            continue
        number = text_of(party.find("tns:beteiligter/tns:beteiligtennummer", NS)) or ""
        for reference in list(out.iterfind(".//tns:ref.rollennummer", NS)):
            if text_of(reference) != number:
                continue
            # tns:delikt/tns:beteiligter, or tns:personendaten (around tns:person)
            holder = reference.getparent()
            if holder is not None and etree.QName(holder).localname != "beteiligter":
                holder = holder.getparent()
            outer = holder.getparent() if holder is not None else None
            if holder is not None and outer is not None:
                outer.remove(holder)
        parent = party.getparent()
        if parent is not None:
            parent.remove(party)
        source = root.find(f"r:personsConcerned/r:party[@id='{number}']", RNS)
        path = named_xpath(source, {R: "r", NS["c"]: "c"}) if source is not None else number
        original = text_of(source.find("c:legalPerson/c:name", RNS)) if source is not None else None
        reason = "legal person without a name representable in DIN 91379; party not written"
        rejected.append(LossEntry(LossKind.REJECTED, path, preview(original or number), reason))
