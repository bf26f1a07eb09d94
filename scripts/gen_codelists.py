"""Generate the code-list XSDs in xsd/common/codelists/ from their sources.

Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1) come from pycountry's copy of the ISO
tables; the legal code lists are written out below from the instruments they cite. The XSDs are
committed; run this again after changing a list:  .venv/bin/python scripts/gen_codelists.py
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pycountry

OUT = Path(__file__).resolve().parent.parent / "xsd" / "common" / "codelists"
NS = "urn:interop:codelist:1"

# (type name, file, documentation, source, [(code, label), ...])
LEGAL_LISTS: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "ListOffenceCode",
        "list-offences",
        "The 32 categories of offences for which dual criminality is not verified when the "
        "offence is punishable in the issuing state by a maximum of at least three years.",
        "Framework Decision 2002/584/JHA Art 2(2); Directive 2014/41/EU Annex D",
        [
            ("criminal-organisation", "participation in a criminal organisation"),
            ("terrorism", "terrorism"),
            ("trafficking-human-beings", "trafficking in human beings"),
            ("child-sexual-exploitation", "sexual exploitation of children and child pornography"),
            (
                "drug-trafficking",
                "illicit trafficking in narcotic drugs and psychotropic substances",
            ),
            ("weapons-trafficking", "illicit trafficking in weapons, munitions and explosives"),
            ("corruption", "corruption"),
            ("fraud", "fraud, including fraud affecting the financial interests of the Union"),
            ("money-laundering", "laundering of the proceeds of crime"),
            ("counterfeiting-currency", "counterfeiting currency, including of the euro"),
            ("computer-crime", "computer-related crime"),
            (
                "environmental-crime",
                "environmental crime, including illicit trafficking in endangered animal species and in endangered plant species and varieties",
            ),
            ("facilitation-unauthorised-entry", "facilitation of unauthorised entry and residence"),
            ("murder-grievous-injury", "murder, grievous bodily injury"),
            ("organ-trafficking", "illicit trade in human organs and tissue"),
            ("kidnapping", "kidnapping, illegal restraint and hostage-taking"),
            ("racism-xenophobia", "racism and xenophobia"),
            ("organised-armed-robbery", "organised or armed robbery"),
            (
                "cultural-goods-trafficking",
                "illicit trafficking in cultural goods, including antiques and works of art",
            ),
            ("swindling", "swindling"),
            ("racketeering-extortion", "racketeering and extortion"),
            ("product-counterfeiting", "counterfeiting and piracy of products"),
            ("document-forgery", "forgery of administrative documents and trafficking therein"),
            ("payment-means-forgery", "forgery of means of payment"),
            (
                "hormonal-substances-trafficking",
                "illicit trafficking in hormonal substances and other growth promoters",
            ),
            (
                "nuclear-materials-trafficking",
                "illicit trafficking in nuclear or radioactive materials",
            ),
            ("stolen-vehicles-trafficking", "trafficking in stolen vehicles"),
            ("rape", "rape"),
            ("arson", "arson"),
            ("icc-crimes", "crimes within the jurisdiction of the International Criminal Court"),
            ("aircraft-ship-seizure", "unlawful seizure of aircraft/ships"),
            ("sabotage", "sabotage"),
        ],
    ),
    (
        "MeasureCode",
        "measures",
        "Investigative measures an evidence request may ask for (EIO Annex A section C). "
        "Measures marked coercive require a proportionality statement (business rule REQ-003).",
        "Directive 2014/41/EU Annex A section C, Arts 10, 22-31",
        [
            ("hearing-witness", "hearing of a witness"),
            ("hearing-expert", "hearing of an expert"),
            ("hearing-suspect", "hearing of a suspected or accused person"),
            ("hearing-victim", "hearing of a victim"),
            ("hearing-third-party", "hearing of a third party"),
            (
                "hearing-videoconference",
                "hearing by videoconference or other audiovisual transmission",
            ),
            ("hearing-telephone", "hearing by telephone conference"),
            (
                "subscriber-identification",
                "identification of persons holding a subscription of a specified phone number or IP address",
            ),
            ("banking-accounts", "information on bank and other financial accounts (coercive)"),
            (
                "banking-transactions",
                "information on banking and other financial operations (coercive)",
            ),
            (
                "banking-monitoring",
                "monitoring of banking or other financial operations (coercive)",
            ),
            ("search-seizure", "search and seizure (coercive)"),
            (
                "existing-evidence",
                "obtaining information or evidence already in the possession of the executing authority",
            ),
            (
                "records-databases",
                "obtaining information contained in databases held by police or judicial authorities",
            ),
            ("covert-investigation", "covert investigations (coercive)"),
            ("controlled-delivery", "controlled deliveries (coercive)"),
            ("interception", "interception of telecommunications (coercive)"),
            (
                "real-time-evidence",
                "gathering of evidence in real time, continuously and over a certain period (coercive)",
            ),
            (
                "temporary-transfer-to-issuing",
                "temporary transfer of a person held in custody to the issuing state (coercive)",
            ),
            (
                "temporary-transfer-to-executing",
                "temporary transfer of a person held in custody to the executing state (coercive)",
            ),
            (
                "freezing-evidence",
                "provisional measure to prevent the destruction, transformation, removal, transfer or disposal of an item that may be used as evidence (coercive)",
            ),
            ("other", "other measure (described)"),
        ],
    ),
    (
        "RoleCode",
        "roles",
        "Procedural roles of a person or legal person in proceedings.",
        "Directive 2014/41/EU Annex A section E; Framework Decision 2002/584/JHA",
        [
            ("suspect", "suspected person"),
            ("accused", "accused person"),
            ("convicted-person", "convicted person"),
            ("requested-person", "requested person (surrender)"),
            ("witness", "witness"),
            ("victim", "victim"),
            ("expert", "expert"),
            ("third-party", "third party"),
            ("legal-person", "legal person concerned"),
            ("defence-lawyer", "defence lawyer"),
            ("interpreter", "interpreter"),
            ("other", "other role"),
        ],
    ),
    (
        "RefusalGroundCode",
        "refusal-grounds",
        "Grounds for non-recognition, non-execution or refusal of a request.",
        "Directive 2014/41/EU Art 11; Framework Decision 2002/584/JHA Arts 3, 4, 4a",
        [
            ("immunity-privilege", "immunity or privilege under the law of the executing state"),
            ("national-security", "harm to essential national security interests"),
            (
                "non-judicial-proceedings",
                "proceedings not of a criminal nature where the measure would not be authorised",
            ),
            ("ne-bis-in-idem", "contrary to the principle of ne bis in idem"),
            (
                "territoriality",
                "conduct committed outside the issuing state and not an offence in the executing state",
            ),
            (
                "fundamental-rights",
                "incompatible with the executing state's obligations under Art 6 TEU and the Charter",
            ),
            (
                "dual-criminality",
                "conduct is not an offence under the law of the executing state (not a list offence)",
            ),
            (
                "measure-restricted",
                "the measure is restricted by law to a list or category of offences or a penalty threshold",
            ),
            ("amnesty", "offence covered by an amnesty in the executing state"),
            ("age", "person may not be held criminally responsible owing to age"),
            ("statute-barred", "prosecution or punishment is statute-barred"),
            ("in-absentia", "judgment rendered in absentia without the required guarantees"),
            ("prosecution-pending", "proceedings for the same act pending in the executing state"),
            ("other", "other ground (described, with its legal basis)"),
        ],
    ),
    (
        "DecisionOutcomeCode",
        "decision-outcomes",
        "Outcomes of a decision on a request.",
        "Directive 2014/41/EU Arts 11, 15, 16 and Annex B; Framework Decision 2002/584/JHA Art 22",
        [
            ("recognised", "recognised"),
            ("executed", "executed"),
            ("partially-executed", "partially executed"),
            ("postponed", "postponed (with reason and expected date)"),
            ("refused", "refused (with ground and legal basis)"),
            ("impossible", "impossible to execute"),
        ],
    ),
    (
        "RightCode",
        "rights",
        "Procedural rights a person must be informed of.",
        "Directive 2012/13/EU Arts 3, 4, 5 and Annexes I and II; Directives 2010/64/EU, 2013/48/EU",
        [
            ("access-to-lawyer", "right of access to a lawyer"),
            ("legal-aid", "entitlement to free legal advice and the conditions for obtaining it"),
            ("information-accusation", "right to be informed of the accusation"),
            ("interpretation-translation", "right to interpretation and translation"),
            ("remain-silent", "right to remain silent"),
            ("access-materials", "right of access to the materials of the case"),
            (
                "inform-consular-third-person",
                "right to have consular authorities and one person informed",
            ),
            ("urgent-medical-assistance", "right of access to urgent medical assistance"),
            (
                "maximum-deprivation-period",
                "maximum hours or days of deprivation of liberty before being brought before a judicial authority",
            ),
            (
                "challenge-arrest",
                "how to challenge the lawfulness of the arrest and obtain review of detention or request provisional release",
            ),
            (
                "eaw-information-warrant",
                "right to be informed of the content of the European arrest warrant",
            ),
            ("eaw-lawyer-issuing-state", "right to appoint a lawyer in the issuing state"),
            ("eaw-consent", "right to consent or not to surrender, and the consequences"),
            ("eaw-hearing", "right to be heard by a judicial authority"),
            ("eaw-speciality", "speciality rule and its renunciation"),
        ],
    ),
    (
        "AuthorityKindCode",
        "authority-kinds",
        "Kinds of authority taking part in judicial cooperation.",
        "Directive 2014/41/EU Art 2(c); Framework Decision 2002/584/JHA Arts 6, 7",
        [
            ("court", "court"),
            ("judge", "judge"),
            ("investigating-judge", "investigating judge"),
            ("prosecutor", "public prosecutor"),
            ("police", "police or other investigating authority"),
            ("customs", "customs authority"),
            ("central-authority", "central authority"),
            ("ministry", "ministry of justice"),
            ("other", "other authority"),
        ],
    ),
    (
        "ProceedingsTypeCode",
        "proceedings-types",
        "Types of proceedings for which a request is issued.",
        "Directive 2014/41/EU Art 4 and Annex A section F",
        [
            ("criminal", "criminal proceedings"),
            (
                "administrative-criminal",
                "proceedings by administrative authorities for acts punishable under national law where the decision may give rise to proceedings before a criminal court",
            ),
            (
                "judicial-administrative",
                "proceedings by judicial authorities for acts punishable as infringements of the rules of law, where the decision may give rise to proceedings before a criminal court",
            ),
            (
                "legal-person-liability",
                "proceedings relating to offences for which a legal person may be held liable",
            ),
        ],
    ),
    (
        "InAbsentiaGuaranteeCode",
        "in-absentia-guarantees",
        "Guarantees that allow surrender on a decision rendered in absentia.",
        "Framework Decision 2002/584/JHA Art 4a(1)(a)-(d)",
        [
            (
                "summoned-in-person",
                "summoned in person or otherwise officially informed of the date and place of the trial",
            ),
            ("represented-by-lawyer", "defended at the trial by a mandated legal counsellor"),
            (
                "served-informed-retrial",
                "served with the decision, informed of the right to a retrial, and did not request one",
            ),
            (
                "will-be-served",
                "will be personally served with the decision after surrender and informed of the right to a retrial",
            ),
        ],
    ),
    (
        "HashAlgorithmCode",
        "hash-algorithms",
        "Cryptographic hash algorithms for digital evidence. MD5 and SHA-1 appear in legacy tools and are not enough alone.",
        "FIPS 180-4, FIPS 202, RFC 1321",
        [
            ("SHA-256", "SHA-256 (FIPS 180-4)"),
            ("SHA-512", "SHA-512 (FIPS 180-4)"),
            ("SHA3-256", "SHA3-256 (FIPS 202)"),
            ("SHA-1", "SHA-1 (legacy, not sufficient alone)"),
            ("MD5", "MD5 (legacy, not sufficient alone)"),
        ],
    ),
    (
        "EvidenceItemTypeCode",
        "evidence-item-types",
        "Kinds of evidence item.",
        "domain model of the project (docs/format-reference.md)",
        [
            ("physical", "physical object"),
            ("document", "paper document"),
            ("digital-file", "digital file"),
            ("forensic-image", "forensic image of a storage medium"),
            ("extraction", "logical or physical extraction from a device"),
        ],
    ),
    (
        "CustodyPurposeCode",
        "custody-purposes",
        "Why an evidence item changed hands or was handled.",
        "domain model of the project (docs/format-reference.md)",
        [
            ("seizure", "seizure"),
            ("transfer", "hand-over to another holder"),
            ("storage", "storage"),
            ("imaging", "forensic imaging"),
            ("extraction", "logical or physical extraction from a device"),
            ("examination", "examination or analysis"),
            ("transport", "transport"),
            ("return", "return to the owner"),
            ("destruction", "destruction"),
        ],
    ),
    (
        "IdentityDocumentTypeCode",
        "identity-document-types",
        "Kinds of identity document.",
        "ICAO Doc 9303 document categories",
        [
            ("passport", "passport"),
            ("identity-card", "national identity card"),
            ("residence-permit", "residence permit"),
            ("driving-licence", "driving licence"),
            ("other", "other identity document"),
        ],
    ),
    (
        "InstrumentCode",
        "instruments",
        "Legal instruments that serve as the legal basis of a request or decision; 'national-law' and 'bilateral-treaty' need a title.",
        "EUR-Lex; Council of Europe Treaty Office; UN Treaty Collection",
        [
            (
                "eio-directive-2014-41",
                "Directive 2014/41/EU regarding the European Investigation Order",
            ),
            ("eaw-fd-2002-584", "Framework Decision 2002/584/JHA on the European arrest warrant"),
            (
                "eu-mla-convention-2000",
                "Convention on Mutual Assistance in Criminal Matters between the Member States of the EU (2000)",
            ),
            (
                "coe-mla-convention-1959",
                "European Convention on Mutual Assistance in Criminal Matters (CETS 030)",
            ),
            ("coe-extradition-convention-1957", "European Convention on Extradition (CETS 024)"),
            (
                "coe-mla-second-protocol-2001",
                "Second Additional Protocol to the European Convention on Mutual Assistance in Criminal Matters (CETS 182)",
            ),
            ("coe-cybercrime-convention-2001", "Convention on Cybercrime (CETS 185)"),
            (
                "eu-no-is-surrender-agreement-2006",
                "Agreement between the EU and Iceland and Norway on the surrender procedure (2006)",
            ),
            (
                "eu-uk-tca-2020",
                "EU-UK Trade and Cooperation Agreement, Part Three (law enforcement and judicial cooperation)",
            ),
            (
                "sis-regulation-2018-1862",
                "Regulation (EU) 2018/1862 on the Schengen Information System (police and judicial cooperation)",
            ),
            ("un-untoc-2000", "United Nations Convention against Transnational Organized Crime"),
            ("un-uncac-2003", "United Nations Convention against Corruption"),
            (
                "rights-directive-2012-13",
                "Directive 2012/13/EU on the right to information in criminal proceedings",
            ),
            (
                "interpretation-directive-2010-64",
                "Directive 2010/64/EU on the right to interpretation and translation",
            ),
            ("lawyer-directive-2013-48", "Directive 2013/48/EU on the right of access to a lawyer"),
            (
                "service-regulation-2020-1784",
                "Regulation (EU) 2020/1784 on the service of documents",
            ),
            ("charter-fundamental-rights", "Charter of Fundamental Rights of the European Union"),
            ("bilateral-treaty", "bilateral treaty (title required)"),
            ("national-law", "national law (title required)"),
        ],
    ),
    (
        "SurrenderPurposeCode",
        "surrender-purposes",
        "What surrender is requested for.",
        "Framework Decision 2002/584/JHA Arts 1(1), 2(1)",
        [
            ("prosecution", "conducting a criminal prosecution"),
            ("execution", "executing a custodial sentence or detention order"),
        ],
    ),
    (
        "DeadlineKindCode",
        "deadline-kinds",
        "What a deadline is for.",
        "Directive 2014/41/EU Arts 12, 16; Framework Decision 2002/584/JHA Arts 17, 23",
        [
            ("acknowledgment", "acknowledgment of receipt (one week)"),
            ("recognition-decision", "decision on recognition (30 days)"),
            ("execution", "carrying out the measure (90 days after the decision)"),
            (
                "surrender-decision",
                "final decision on surrender (60 days, or 10 days after consent)",
            ),
            ("surrender", "surrender after the final decision (10 days)"),
            ("appearance", "appearance at a hearing"),
            ("response", "reply or submission"),
            ("remedy", "lodging a legal remedy"),
            ("refusal-of-service", "refusing a served document"),
            ("other", "other deadline"),
        ],
    ),
    (
        "StatusCode",
        "statuses",
        "Processing status of a request, for status updates.",
        "Directive 2014/41/EU Art 16; Framework Decision 2002/584/JHA",
        [
            ("received", "received"),
            ("forwarded", "forwarded to the competent authority"),
            ("under-examination", "under examination"),
            ("in-execution", "being executed"),
            ("delayed", "delayed (with reasons and new date)"),
            ("additional-information-needed", "additional information needed"),
            ("completed", "completed"),
            ("withdrawn", "withdrawn"),
        ],
    ),
    (
        "SexCode",
        "sexes",
        "Sex as recorded in identity documents.",
        "ICAO Doc 9303 (M, F, X)",
        [("M", "male"), ("F", "female"), ("X", "unspecified")],
    ),
]


def _enum_type(name: str, doc: str, source: str, values: list[tuple[str, str]]) -> str:
    lines = [
        f'  <xs:simpleType name="{name}">',
        "    <xs:annotation>",
        f"      <xs:documentation>{escape(doc)} Source: {escape(source)}.</xs:documentation>",
        "    </xs:annotation>",
        '    <xs:restriction base="xs:token">',
    ]
    for code, label in values:
        lines += [
            f'      <xs:enumeration value="{escape(code)}">',
            f"        <xs:annotation><xs:documentation>{escape(label)}</xs:documentation></xs:annotation>",
            "      </xs:enumeration>",
        ]
    lines += ["    </xs:restriction>", "  </xs:simpleType>"]
    return "\n".join(lines)


def _schema(body: str, doc: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/gen_codelists.py; edit the script, not this file. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}"
           xmlns:cl="{NS}" elementFormDefault="qualified" version="1.0">
  <xs:annotation>
    <xs:documentation>{escape(doc)}</xs:documentation>
  </xs:annotation>
{body}
</xs:schema>
"""


def _countries() -> list[tuple[str, str]]:
    return sorted((c.alpha_2, c.name) for c in pycountry.countries)


def _languages() -> list[tuple[str, str]]:
    return sorted(
        (lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    version = pycountry.__version__ if hasattr(pycountry, "__version__") else "unknown"
    iso = [
        (
            "CountryCode",
            "countries",
            "ISO 3166-1 alpha-2 country codes (all officially assigned).",
            f"ISO 3166-1 via pycountry {version}",
            _countries(),
        ),
        (
            "LanguageCode",
            "languages",
            "ISO 639-1 language codes (all two-letter codes).",
            f"ISO 639-1 via pycountry {version}",
            _languages(),
        ),
    ]
    includes = []
    for name, stem, doc, source, values in iso + LEGAL_LISTS:
        (OUT / f"{stem}.xsd").write_text(
            _schema(_enum_type(name, doc, source, values), doc), "utf-8"
        )
        includes.append(f'  <xs:include schemaLocation="codelists/{stem}.xsd"/>')
    hub = _schema(
        "\n".join(includes),
        "All code lists of the interop formats, version 1. Each list is a separate schema "
        "document in codelists/; this one includes them so a single import brings them all.",
    )
    (OUT.parent / "codelists-1.xsd").write_text(hub, "utf-8")


if __name__ == "__main__":
    main()
