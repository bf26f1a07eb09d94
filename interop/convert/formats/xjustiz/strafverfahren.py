"""XJustiz 3.6.2 message 0500001 (Ermittlungs-/Erkenntnisverfahren): written from an evidence
request, and read back into a request.

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
``tns:schriftgutobjekte``; surrender requests are not accepted. Values written in a form that
reading back does not restore (joined names, countries outside the table, DIN 91379 changes,
provisions the subject text cannot separate) are named by their common path.

Reading back (``to_common``, section 4.4): 0500001 carries only the persons and offences of a
request, so they are merged into a **base request** (option ``base``: an ``r:evidenceRequest``,
whose ``r:personsConcerned`` and ``r:grounds/r:offence`` are replaced, or an
``r:surrenderRequest``, whose ``r:requestedPerson`` (flags kept) and ``r:offences/r:offence``
are replaced). The parties are read by the 0500017 reader (:class:`_Reader`, the spec's tables
inverted), as the spec's predicates and unions cannot be run backwards by the engine. Per
``tns:delikt`` one ``c:offence``: id from ``tns:tat/tns:nummer``, persons from
``tns:ref.rollennummer``, period, places with a state, the maximum penalty parsed back, and
classification and provisions split back from ``tns:gegenstand`` (without that text: those of
the base's offence with the same id). Dangling references, unknown codes, partial dates and
penalties or subjects that cannot be parsed are rejected; header transport data, measures,
custody, damage and everything else of the message is unconsumed. Without a base the request
is built from the message alone (authorities from sender and receiver) and every required part
it lacks is reported unfilled: the pipeline does not write such a request.

``check_output`` is that of the 0500017 converter: the official XSD
``xjustiz_0500_straf_3_6.xsd`` from the option ``schema_dir`` or ``$INTEROP_XJUSTIZ_XSD``;
**without either, nothing is checked**.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.formats.xjustiz.asservate import (
    _LOCAL_ID,
    _M,
    EREIGNIS_URI,
    NS,
    RNS,
    TNS,
    C,
    Carried,
    E,
    XJustizAsservate,
    XJustizAuthority,
    _c,
    _Lost,
    _names_not_read_back,
    _nodes,
    _places_not_read_back,
    _Reader,
    _tables,
    din91379,
    drop_codeless,
    representable,
    sub_element,
    text_of,
)
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.convert.mapping.engine import Engine
from interop.convert.mapping.spec import load_spec
from interop.errors import UnreadableInput, UsageError
from interop.validate.locate import named_xpath
from interop.xmlio import parse_bytes, parse_file, serialize

R: Final = RNS["r"]
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
        base: reading only: a common ``r:evidenceRequest`` or ``r:surrenderRequest`` file whose
            persons and offences are replaced by those of the message (section 4.4). Without
            it the result lacks the request's required parts (reported as unfilled), so the
            pipeline does not write it.
        language: reading only: ``lang`` of the texts read (person descriptions,
            classifications) and, without ``base``, ``c:documentLanguage``; default ``de``.
    """

    name = "xjustiz-0500001"
    version = "3.6.2"
    directions: frozenset[Direction] = frozenset({Direction.FROM_COMMON, Direction.TO_COMMON})
    document_types: tuple[str, ...] = ("evidence-request", "surrender-request")
    description = (
        "XJustiz 3.6.2 criminal proceedings message 0500001 (Ermittlungs-/Erkenntnisverfahren):"
        " persons and offences of evidence requests; read back into a base request (-O base=)"
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
        base: str | Path | None = None,
        language: str = "de",
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
            language=language,
        )
        self.event = event
        self.spec = load_spec(SPEC)
        self.engine = Engine(self.spec)
        self.base = _read_base(base) if base else None

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read a 0500001 message into the base request (docs/xjustiz-mapping.md 4.4).

        The parties (with their person descriptions) and the offences of the message replace
        those of the base request; everything else of the base stays. Without a base the
        request is built from the message alone and its required parts are reported as
        unfilled: the result is not a valid request, and the pipeline does not write it.
        """
        root = parse_bytes(data, source).getroot()
        if root.tag != f"{{{TNS}}}{ROOT_0500001}":
            found = etree.QName(root).text
            raise UnreadableInput(source, f"not an XJustiz 0500001 message (root {found})")
        base = copy.deepcopy(self.base) if self.base is not None else None
        document, loss = _RequestReader(self, root, base).run()
        return ToCommon(document, loss)

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
        _registration_countries(root, carried)
        self._clean_text(out, rejected)
        _drop_nameless_organisations(root, out, rejected)
        prefixes = {uri: prefix for prefix, uri in self.spec.namespaces.items()}
        done = carried.paths(prefixes)
        kept = tuple(e for e in loss.entries if e.path not in done)
        back = _not_read_back(root, out, prefixes)
        etree.indent(out)
        return FromCommon(serialize(message), LossReport(kept + tuple(rejected) + back))

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
            parts.append(subject_part(label, [text_of(p) or "" for p in provisions]))
            carried.add(text)
            _implied_language(text, carried)
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
                _implied_language(text, carried)


def _registration_countries(root: etree._Element, carried: Carried) -> None:
    """A registration country that reading back derives: the address's, else ``DE`` (2.5)."""
    for person in root.iterfind(f"{_PARTIES}/c:legalPerson", RNS):
        country = person.find("c:registrationCountry", RNS)
        address = text_of(person.find("c:address/c:country", RNS))
        if text_of(country) == (address if address in _tables()["staaten"].values() else "DE"):
            carried.add(country)


def _implied_language(text: etree._Element, carried: Carried) -> None:
    """``lang`` and ``origin`` of a text written: read back as German original (1.4)."""
    if text.get("lang") == "de":
        carried.add(text, "lang")
    if text.get("origin") == "original":
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


# --- what 0500001 gives back differently (from common, docs/xjustiz-mapping.md 4.4) ----------

_PARTIES: Final = "r:personsConcerned/r:party"
# DIN 91379 datatype of the common fields 0500001 carries as text (1.2); all others are C.
_COMMON_DATATYPES: Final = {
    "givenName": "A",
    "familyName": "A",
    "birthName": "A",
    "street": "B",
    "houseNumber": "B",
    "city": "B",
    "locality": "B",
}


def _not_read_back(
    root: etree._Element, out: etree._Element, prefixes: Mapping[str, str]
) -> tuple[LossEntry, ...]:
    """Values written into the message in a form that reading it back does not restore.

    Each is named by its common path, so that the loss report of writing says everything a
    round trip loses: joined names, countries outside the table, text DIN 91379 changed,
    roles that come back as another role, and classifications and provisions that the
    subject text cannot give back.
    """
    lost = _Lost(prefixes)
    _names_not_read_back(root, lost, _PARTIES)
    _places_not_read_back(root, lost, _PARTIES)
    for party in root.iterfind(_PARTIES, RNS):
        _party_not_read_back(party, lost)
    _offences_not_read_back(root, out, lost)
    return tuple(lost.entries)


def _party_not_read_back(party: etree._Element, lost: _Lost) -> None:
    legal = party.find("c:legalPerson", RNS) is not None
    for role in party.iterfind("c:role", RNS):
        # 040 stands for both: an organisation reads back as legal-person, a person as
        # third-party (6.1).
        if text_of(role) == ("third-party" if legal else "legal-person"):
            lost.add(role, "role 040 is read back by the kind of person")
    for address in party.iterfind("*/c:address", RNS):
        city = din91379(text_of(address.find("c:city", RNS)) or "", "B")
        if not representable(city, "B"):  # no tns:ort: the address is not read back (2.6)
            for part in address:
                lost.add(part, "city not representable in DIN 91379 datatype B")
    for leaf in party.iter():
        text = leaf.text if isinstance(leaf.tag, str) and len(leaf) == 0 else None
        if not text or not text.strip():
            continue
        local = etree.QName(leaf).localname
        datatype = "D" if legal and local == "name" else _COMMON_DATATYPES.get(local, "C")
        cleaned = din91379(text.strip(), datatype)
        if cleaned != text.strip() or not representable(cleaned, datatype):
            lost.add(leaf, f"changed or refused by DIN 91379 datatype {datatype}")


def _offences_not_read_back(root: etree._Element, out: etree._Element, lost: _Lost) -> None:
    """Read the written subject back as :func:`split_subject` will, and name the differences."""
    offences = root.findall("r:grounds/r:offence", RNS)
    written = text_of(out.find(".//tns:verfahrensgegenstand/tns:gegenstand", NS))
    parsed = split_subject(written) if written else None
    if parsed is not None and len(parsed) != len(offences):
        parsed = None
    numbers = {text_of(n) for n in out.iterfind(".//tns:beteiligtennummer", NS)}
    for index, offence in enumerate(offences):
        _subject_not_read_back(offence, parsed[index] if parsed else None, lost)
        persons = (offence.get("persons") or "").split()
        if any(person not in numbers for person in persons):
            lost.add(offence, "a person of the offence was not written", "persons")
        for place in offence.iterfind("c:place", RNS):
            _place_not_read_back(place, lost)


def _subject_not_read_back(
    offence: etree._Element, parsed: tuple[str, list[str]] | None, lost: _Lost
) -> None:
    texts = _nodes(offence.xpath(_CLASSIFICATION, namespaces=RNS))
    provisions = offence.findall("c:statutoryProvision", RNS)
    if parsed is None:
        for node in [*texts, *provisions]:
            lost.add(node, "tns:gegenstand cannot be split back into one part per offence")
        return
    classification, split = parsed
    if texts and classification != text_of(texts[0]):
        lost.add(texts[0], "classification changed in tns:gegenstand")
    if split != [text_of(p) for p in provisions]:
        for provision in provisions:
            lost.add(provision, "provisions are split back at ', ' before § or Art. only")


def _place_not_read_back(place: etree._Element, lost: _Lost) -> None:
    locality = text_of(place.find("c:locality", RNS)) or ""
    cleaned = din91379(locality, "B")
    if text_of(place.find("c:country", RNS)) not in _tables()["staaten"].values():
        reason = "country not in the BfJ Staat table"
    elif cleaned != locality or not representable(cleaned, "B"):
        reason = "place changed or refused by DIN 91379 datatype B"
    else:
        return
    for part in place:
        lost.add(part, reason)


# --- the subject text of the offences (4.2), written and read ---------------------------------


def subject_part(classification: str, provisions: list[str]) -> str:
    """One offence in ``tns:gegenstand``: ``"<classification> (<provision>, <provision>)"``."""
    return f"{classification} ({', '.join(provisions)})" if provisions else classification


def split_subject(text: str) -> list[tuple[str, list[str]]] | None:
    """``tns:gegenstand`` back into (classification, provisions) per offence, else None.

    Offences are separated by ``"; "`` outside parentheses; each part must end in the
    parenthesis holding its provisions. Provisions are separated by ``", "`` only where a
    new section or article follows (``"§ 263 Abs. 1, Abs. 5 StGB"`` is one provision): the
    text does not say more, and a comma inside a provision is common.
    """
    offences: list[tuple[str, list[str]]] = []
    for part in _top_level(text, "; "):
        opening = _opening_parenthesis(part)
        if opening is None:
            return None
        classification = part[:opening].rstrip()
        provisions = _NEXT_PROVISION.split(part[opening + 1 : -1])
        if not classification or not all(p and p == p.strip() for p in provisions):
            return None
        offences.append((classification, provisions))
    return offences


def _top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` where it is not inside parentheses."""
    parts: list[str] = []
    depth = start = index = 0
    while index < len(text):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index = start = index + len(separator)
            continue
        index += 1
    parts.append(text[start:])
    return parts


def _opening_parenthesis(part: str) -> int | None:
    """Where the parenthesis opens that the final ``)`` of ``part`` closes (after a space)."""
    if not part.endswith(")"):
        return None
    depth = 0
    for index in range(len(part) - 1, 0, -1):
        if part[index] == ")":
            depth += 1
        elif part[index] == "(":
            depth -= 1
            if depth == 0:
                return index if part[index - 1] == " " else None
    return None


def parse_penalty(text: str) -> tuple[str, str | None] | None:
    """``tns:angedrohteHoechststrafe`` as (``months``, n) or (``life``, None), else None."""
    if text.startswith("lebenslang"):
        return "life", None
    for pattern, factor in ((_YEARS, 12), (_MONTHS, 1)):
        match = pattern.fullmatch(text)
        if match and int(match.group(1)) > 0:
            return "months", str(int(match.group(1)) * factor)
    return None


# --- reading 0500001 (XJustiz -> common, docs/xjustiz-mapping.md 4.4) -------------------------

ROOT_0500001: Final = "nachricht.straf.ermittlungsErkenntnisverfahren.0500001"
NO_BASE: Final = "0500001 does not carry it; name the request it belongs to (option base)"
_FULL_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEARS: Final = re.compile(r"(\d+) Jahre?")
_MONTHS: Final = re.compile(r"(\d+) Monate?")
_NEXT_PROVISION: Final = re.compile(r", (?=(?:§|Art\.|art\.|Artikel|Article) ?\d)")
_SUBJECT: Final = (
    "tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten[1]/tns:verfahrensgegenstand/tns:gegenstand"
)
_REFERENCES: Final = (
    "tns:nachrichtenkopf/tns:absender/tns:aktenzeichen"
    " | tns:nachrichtenkopf/tns:empfaenger/tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
    " | tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten/tns:aktenzeichen/"
    "tns:auswahl_aktenzeichen/tns:aktenzeichen.freitext"
)
# The elements that follow r:personsConcerned, r:grounds and r:issuingAuthority in an
# evidence request (request-1.xsd), for inserting them in schema order.
_REQUEST_ORDER: Final = (
    "personsConcerned",
    "proceedingsType",
    "grounds",
    "measureInformation",
    "formalities",
    "assistingAuthority",
    "legalRemedies",
    "issuingAuthority",
    "centralAuthority",
    "validatingAuthority",
    "deadlines",
)
_CHARGED: Final = ("suspect", "accused", "convicted-person")


def _read_base(path: str | Path) -> etree._Element:
    """The base request of option ``base``, read with the hardened reader."""
    try:
        root = parse_file(path).getroot()
    except UnreadableInput as exc:
        raise UsageError(f"option base: {exc}") from None
    if root.tag not in (f"{{{R}}}evidenceRequest", f"{{{R}}}surrenderRequest"):
        found = etree.QName(root).text
        raise UsageError(
            f"option base: {path} is not an r:evidenceRequest or r:surrenderRequest ({found})"
        )
    return root


class _RequestReader(_Reader):
    """One reading of a 0500001 message into a request.

    The 0500017 reader does what both messages share: the header and instance data, and the
    parties with the spec's code tables inverted (sections 2.1 - 2.6); the manifest elements it
    builds are moved into the request namespace here. This class adds the person
    descriptions, the offences and the merge into the base request.
    """

    def __init__(
        self, converter: XJustizStrafverfahren, root: etree._Element, base: etree._Element | None
    ) -> None:
        super().__init__(converter, root)
        self.base = base
        kind = etree.QName(base).localname if base is not None else "evidenceRequest"
        self.surrender = kind == "surrenderRequest"
        self.top = f"/r:{kind}"
        self.party_path = (
            f"{self.top}/r:requestedPerson" if self.surrender else f"/r:{kind}/{_PARTIES}"
        )
        self.ids: dict[str, str] = {}  # tns:rollennummer -> party id

    def filled(self, path: str, value: str, reason: str) -> None:
        """As in 0500017, with the manifest paths of the shared code turned into request paths."""
        party = f"{_M}/e:persons/e:party"
        if path.startswith(party):
            path = self.party_path + path[len(party) :]
        elif path.startswith(f"{_M}/e:"):
            path = f"{self.top}/r:" + path[len(f"{_M}/e:") :]
        super().filled(path, value, reason)

    def rejected(self, element: etree._Element, value: str | None, reason: str) -> None:
        """A value of the message that could not be carried; it counts as read."""
        self.consumed.add(element)
        where = named_xpath(element, {TNS: "tns"})
        self.loss.append(LossEntry(LossKind.REJECTED, where, preview(value or ""), reason))

    def run(self) -> tuple[etree._ElementTree, LossReport]:
        root = self.root
        head = root.find("tns:nachrichtenkopf", NS)
        if head is not None:
            self.attributes.add((head, "xjustizVersion"))
        instances = self._instances()
        sender = self._partner(root.find("tns:nachrichtenkopf/tns:absender", NS), instances)
        receiver = self._partner(root.find("tns:nachrichtenkopf/tns:empfaenger", NS), instances)
        sender_ref = self.text(root, "tns:nachrichtenkopf/tns:absender/tns:aktenzeichen")
        choice = "tns:nachrichtenkopf/tns:empfaenger/tns:auswahl_aktenzeichen"
        receiver_ref = self.text(root, f"{choice}/tns:aktenzeichen.freitext")
        for flag in ("aktenzeichen.unbekannt", "aktenzeichen.neu"):
            self.text(root, f"{choice}/tns:{flag}")
        if self.base is None:
            out = self._skeleton(sender, receiver, sender_ref, receiver_ref)
            used = {sender[2], receiver[2]}
            for index, instance in enumerate(self._instance_nodes()):
                if index not in used:
                    self._forget(instance)  # no authority of ours to hold it: unconsumed
        else:
            # The base's authorities stay. The message's sender and receiver count as read:
            # they name the same bodies (an XJustiz-ID cannot be compared with our names
            # without the GDS.Gerichte list); a file number the base lacks is not carried.
            out = self.base
            self._compare_references(out)
        parties = self._request_parties()
        if self.surrender:
            requested = self._merge_requested(out, parties)
            self._merge_offences(out, self._offences({requested} if requested else set()))
        else:
            self._merge_persons(out, [party for _, party in parties])
            self._merge_offences(out, self._offences(None))
        self._unconsumed()
        etree.cleanup_namespaces(out)
        etree.indent(out)
        # A tat with several delikte is read once per delikt: report its values once.
        return out.getroottree(), LossReport(tuple(dict.fromkeys(self.loss)))

    # header and authorities --------------------------------------------------------------------

    def _instance_nodes(self) -> list[etree._Element]:
        return self.root.findall("tns:grunddaten/tns:verfahrensdaten/tns:instanzdaten", NS)

    def _forget(self, node: etree._Element) -> None:
        """Everything in ``node`` is not carried after all."""
        for element in node.iter():
            self.consumed.discard(element)
            for name in element.attrib:
                self.attributes.discard((element, name))

    def _compare_references(self, base: etree._Element) -> None:
        """The base request is kept; a file number of the message it lacks is not carried."""
        known = {text_of(r) for r in base.iterfind(".//c:reference", NS)}
        for number in _nodes(self.root.xpath(_REFERENCES, namespaces=NS)):
            if text_of(number) not in known:
                self.consumed.discard(number)

    def _skeleton(
        self,
        sender: tuple[str, str | None, int],
        receiver: tuple[str, str | None, int],
        sender_ref: str | None,
        receiver_ref: str | None,
    ) -> etree._Element:
        """The request as far as the message has it; each required part it lacks is unfilled."""
        out = etree.Element(f"{{{R}}}evidenceRequest", nsmap={"r": R, "c": C})
        head = "tns:nachrichtenkopf"
        message_id = self.text(self.root, f"{head}/tns:absender/tns:eigeneNachrichtenID")
        created = self.text(self.root, f"{head}/tns:erstellungszeitpunkt") or ""
        document_id = f"urn:uuid:{message_id}" if message_id else f"urn:uuid:{uuid.uuid4()}"
        language = self.converter.language
        for local, value, reason in (
            ("documentId", document_id, "from tns:eigeneNachrichtenID"),
            ("issueDate", created[:10], "date of tns:erstellungszeitpunkt"),
            ("documentLanguage", language, "language assumed"),
        ):
            _c(out, local, value)
            self.filled(f"{self.top}/c:{local}", value, reason)
        for missing in ("legalBasis", "issuingState", "executingState"):
            self.filled(f"{self.top}/r:{missing}", "", NO_BASE)
        if receiver[0]:
            self._authority(out, "executingAuthority", receiver[0], receiver_ref or receiver[1])
        for missing in ("urgency", "measures", "proceedingsType", "grounds/r:summaryOfFacts"):
            self.filled(f"{self.top}/r:{missing}", "", NO_BASE)
        self._authority(out, "issuingAuthority", sender[0], sender_ref or sender[1])
        for element in out.iter(f"{{{E}}}*"):  # the 0500017 reader writes manifest elements
            element.tag = f"{{{R}}}{etree.QName(element).localname}"
        return out

    # parties -----------------------------------------------------------------------------------

    def _request_parties(self) -> list[tuple[etree._Element, etree._Element]]:
        """(tns:beteiligung, r:party) per party, with role numbers and descriptions resolved."""
        persons = self._parties()
        sources = self.root.findall("tns:grunddaten/tns:verfahrensdaten/tns:beteiligung", NS)
        pairs = list(zip(sources, list(persons), strict=True))
        for source, party in pairs:
            party.tag = f"{{{R}}}party"
            for number in source.iterfind("tns:rolle/tns:rollennummer", NS):
                if text_of(number):
                    self.ids.setdefault(text_of(number) or "", party.get("id") or "")
        by_id = {party.get("id"): party for _, party in pairs}
        position = {party.get("id"): index for index, (_, party) in enumerate(pairs, 1)}
        for data in self.root.iterfind("tns:fachdaten/tns:personendaten", NS):
            reference = data.find("tns:person/tns:ref.rollennummer", NS)
            text = data.find("tns:personenbeschreibung", NS)
            if reference is None or text_of(text) is None:
                continue  # nothing this converter carries: unconsumed
            party_id = self.ids.get(text_of(reference) or "")
            person = by_id[party_id].find("c:naturalPerson", NS) if party_id else None
            if party_id is None:
                reason = "tns:ref.rollennummer refers to no party of the message"
                self.rejected(reference, text_of(reference), reason)
            if person is None:
                continue
            self.consumed.update((reference, text))  # type: ignore[arg-type]
            line = _c(_c(person, "description"), "text", text_of(text))
            where = (
                self.party_path if self.surrender else f"{self.party_path}[{position[party_id]}]"
            )
            self._language(line, f"{where}/c:naturalPerson/c:description/c:text")
        return pairs

    def _language(self, text: etree._Element, path: str) -> None:
        """XJustiz texts have no language: the option's, as the original (1.4)."""
        text.set("lang", self.converter.language)
        text.set("origin", "original")
        self.filled(f"{path}/@lang", self.converter.language, "language assumed")

    def _merge_persons(self, out: etree._Element, parties: list[etree._Element]) -> None:
        old = out.find("r:personsConcerned", RNS)
        if old is not None:
            out.remove(old)
        if parties:
            persons = etree.Element(f"{{{R}}}personsConcerned")
            persons.extend(parties)
            _insert(out, persons, _REQUEST_ORDER)

    def _merge_requested(
        self, out: etree._Element, parties: list[tuple[etree._Element, etree._Element]]
    ) -> str | None:
        """The requested person of a surrender request: the message's 357, else the charged.

        A surrender request names one person; the other parties of the message stay
        unconsumed. The base's biometric flags are kept.
        """
        chosen = _requested(parties)
        requested = out.find("r:requestedPerson", RNS)
        for source, party in parties:
            if chosen is None or source is not chosen[0]:
                self._forget(source)
                for data in self.root.iterfind("tns:fachdaten/tns:personendaten", NS):
                    number = text_of(data.find("tns:person/tns:ref.rollennummer", NS))
                    if self.ids.get(number or "") == party.get("id"):
                        self._forget(data)  # its description went with the party
        if chosen is None or requested is None:
            self.filled(self.party_path, "", "the message names no person to be surrendered")
            return None
        for child in list(requested):
            if etree.QName(child).namespace == C:  # roles and the person; flags stay
                requested.remove(child)
        party = chosen[1]
        requested.set("id", party.get("id") or "")
        for index, child in enumerate(list(party)):
            requested.insert(index, child)
        return party.get("id")

    # offences ----------------------------------------------------------------------------------

    def _offences(self, allowed: set[str] | None) -> list[etree._Element]:
        """One ``c:offence`` per ``tns:delikt`` (4.2); ``allowed``: the persons it may name."""
        acts = [
            (position, act, index, delikt, len(act.findall("tns:delikt", NS)))
            for position, act in enumerate(self.root.iterfind("tns:fachdaten/tns:tat", NS), 1)
            for index, delikt in enumerate(act.iterfind("tns:delikt", NS), 1)
        ]
        subject = self._subject(len(acts))
        offences = []
        for number, (position, act, index, delikt, count) in enumerate(acts):
            offence = etree.Element(f"{{{R}}}offence")
            offence.set("id", self._offence_id(act, position, index, count))
            persons = self._persons(delikt, allowed)
            if persons:
                offence.set("persons", " ".join(persons))
            here = f"{self._offences_path()}[{number + 1}]"
            if subject is not None:
                classification, provisions = subject[number]
                text = _c(_c(offence, "legalClassification"), "text", classification)
                self._language(text, f"{here}/c:legalClassification/c:text")
                for provision in provisions:
                    _c(offence, "statutoryProvision", provision)
            else:
                self._from_base(offence, here)
            self._delikt(delikt)
            self._penalty(delikt, offence)
            self._period(act, offence)
            self._places(act, offence)
            offences.append(offence)
        return offences

    def _offences_step(self) -> str:
        return "r:offences/r:offence" if self.surrender else "r:grounds/r:offence"

    def _offences_path(self) -> str:
        return f"{self.top}/{self._offences_step()}"

    def _subject(self, count: int) -> list[tuple[str, list[str]]] | None:
        """Classification and provisions per offence, from the first instance's subject."""
        element = self.root.find(_SUBJECT, NS)
        text = text_of(element)
        if element is None or text is None:
            return None
        parts = split_subject(text)
        if parts is None or len(parts) != count:
            found = "no parts" if parts is None else f"{len(parts)} parts"
            reason = (
                "not one '<classification> (<provision>, ...)' per offence"
                f" ({found}, {count} offences)"
            )
            self.rejected(element, text, reason)
            return None
        self.consumed.add(element)
        return parts

    def _offence_id(self, act: etree._Element, position: int, index: int, count: int) -> str:
        number = self.text(act, "tns:nummer")
        suffix = f".{index}" if count > 1 else ""
        if number is not None and _LOCAL_ID.fullmatch(number + suffix):
            return number + suffix
        where = named_xpath(act, {TNS: "tns"})
        self.loss.append(
            LossEntry(LossKind.REJECTED, f"{where}/tns:nummer", number or "", "not a LocalId")
        )
        return f"o{position}{suffix}"

    def _persons(self, delikt: etree._Element, allowed: set[str] | None) -> list[str]:
        found: list[str] = []
        for link in delikt.iterfind("tns:beteiligter", NS):
            self.text(link, "tns:fuehrendesDelikt")
            reference = link.find("tns:ref.rollennummer", NS)
            number = text_of(reference)
            party = self.ids.get(number or "")
            if reference is None or number is None:
                pass  # an empty link: unconsumed
            elif party is None:
                self.rejected(reference, number, "tns:ref.rollennummer refers to no party")
            elif allowed is not None and party not in allowed:
                self.rejected(reference, number, "a surrender request names one person only")
            else:
                self.consumed.add(reference)
                if party not in found:
                    found.append(party)
            kind = link.find("tns:beteiligungsart", NS)
            if kind is not None:
                code = self.code(link, "tns:beteiligungsart", None)
                self.rejected(kind, code, "a participation code; c:participation is free text")
        return found

    def _penalty(self, delikt: etree._Element, offence: etree._Element) -> None:
        element = delikt.find("tns:angedrohteHoechststrafe", NS)
        value = text_of(element)
        if element is None or value is None:
            return
        parsed = parse_penalty(value)
        if parsed is None:
            reason = "not a penalty of the form '10 Jahre', '18 Monate' or 'lebenslang'"
            self.rejected(element, value, reason)
            return
        self.consumed.add(element)
        _c(_c(offence, "maximumPenalty"), *parsed)

    def _delikt(self, delikt: etree._Element) -> None:
        """The numbering and the ASTRAL key of a ``tns:delikt``."""
        self.text(delikt, "tns:nummer")
        self.text(delikt, "tns:fuehrendesDeliktVerfahren")
        astral = delikt.find("tns:astralID/tns:straftatbestand", NS)
        if astral is not None:
            code = self.code(delikt, "tns:astralID/tns:straftatbestand", None)
            self.rejected(astral, code, "no ASTRAL table: classification not derived from it")

    def _from_base(self, offence: etree._Element, here: str) -> None:
        """Without a subject text: classification and provisions of the base's same offence."""
        found = self.base.findall(self._offences_step(), RNS) if self.base is not None else []
        same = [o for o in found if o.get("id") == offence.get("id")]
        for local in ("legalClassification", "statutoryProvision"):
            reason = "no tns:verfahrensgegenstand to read (4.2)"
            for element in same[0].iterfind(f"c:{local}", RNS) if same else ():
                offence.append(copy.deepcopy(element))
                reason = "no tns:verfahrensgegenstand: taken from the base request"
            self.filled(f"{here}/c:{local}", "", reason)

    def _period(self, act: etree._Element, offence: etree._Element) -> None:
        for local, common in (("anfangsdatum", "committedFrom"), ("endedatum", "committedTo")):
            element = act.find(f"tns:{local}", NS)
            value = text_of(element)
            if element is None or value is None:
                continue
            if _FULL_DATE.fullmatch(value):
                self.consumed.add(element)
                _c(offence, common, value)
            else:
                self.rejected(element, value, "not a full date (c:Date)")

    def _places(self, act: etree._Element, offence: etree._Element) -> None:
        """Place and state of each ``tns:tatort``; without a state no place (unconsumed)."""
        for address in act.iterfind("tns:tatort/tns:anschrift", NS):
            locality = address.find("tns:ort", NS)
            if text_of(locality) is None or address.find("tns:staat", NS) is None:
                continue
            country = self.code(address, "tns:staat", "staaten")
            if country is None:
                continue
            self.consumed.add(locality)  # type: ignore[arg-type]
            place = _c(offence, "place")
            _c(place, "locality", text_of(locality))
            _c(place, "country", country)

    def _merge_offences(self, out: etree._Element, offences: list[etree._Element]) -> None:
        holder = out.find("r:offences" if self.surrender else "r:grounds", RNS)
        if holder is None:  # no base: r:grounds without its required summary
            holder = etree.Element(f"{{{R}}}grounds")
            _insert(out, holder, _REQUEST_ORDER)
        old = holder.findall("r:offence", RNS)
        anchor = holder.index(old[0]) if old else len(holder)
        for element in old:
            holder.remove(element)
        for offset, offence in enumerate(offences):
            holder.insert(anchor + offset, offence)
        if not offences:
            self.filled(self._offences_path(), "", "the message has no tns:tat with tns:delikt")


def _requested(
    parties: list[tuple[etree._Element, etree._Element]],
) -> tuple[etree._Element, etree._Element] | None:
    """The party to surrender: role requested-person, else the first charged natural person."""
    natural = [pair for pair in parties if pair[1].find("c:naturalPerson", NS) is not None]
    for roles in (("requested-person",), _CHARGED):
        for pair in natural:
            if any(text_of(r) in roles for r in pair[1].iterfind("c:role", NS)):
                return pair
    return natural[0] if natural else None


def _insert(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Insert ``child`` before the first sibling that comes after it in ``order``."""
    later = order[order.index(etree.QName(child).localname) + 1 :]
    for index, sibling in enumerate(parent):
        if isinstance(sibling.tag, str) and etree.QName(sibling).localname in later:
            parent.insert(index, child)
            return
    parent.append(child)
