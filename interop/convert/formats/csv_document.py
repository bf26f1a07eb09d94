"""What the spreadsheet importers put around the rows: the document header and the authority.

A sheet holds rows. The document around them (identifier, issue date, language, case file
number, the authority that compiles or sends it) comes from the converter's options. The
identifier and the issue date have defaults (a new ``urn:uuid:``, today); the others cannot be
guessed, so a missing one raises a UsageError that names the option to pass.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from interop.convert.formats.csv_spec import code_list, match_key
from interop.errors import UsageError

C: Final = "urn:interop:common:1"
_ID_LENGTH: Final = range(3, 201)  # c:DocumentId


@dataclass(frozen=True, slots=True)
class Authority:
    """An authority as the options give it (``c:AuthorityType``'s required part).

    Attributes:
        name: official name, in its own language.
        kind: a code of ``cl:AuthorityKindCode`` (court, prosecutor, police, ...).
        country: ISO 3166-1 alpha-2 code.
        reference: its own file number for the matter, if it differs from the case reference.
    """

    name: str
    kind: str
    country: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentOptions:
    """The document-level data a converter was given; ``None`` means "not given"."""

    document_id: str | None = None
    issue_date: date | None = None
    document_language: str | None = None
    case_reference: str | None = None
    authority: Authority | None = None
    time_zone: str | None = None


@dataclass(frozen=True, slots=True)
class Header:
    """Document-level data, complete and checked against the code lists."""

    document_id: str
    issue_date: date
    language: str
    case_reference: str
    authority: Authority
    zone: ZoneInfo | None  # the time zone of local times in the sheet


def resolve(options: DocumentOptions, authority_option: str) -> Header:
    """Fill the defaults and check the rest.

    Args:
        options: what the converter was given.
        authority_option: the name of the option that gives the authority, for messages.

    Raises:
        UsageError: a required option is missing or names an unknown code.
    """
    document_id = options.document_id or f"urn:uuid:{uuid.uuid4()}"
    if len(document_id.strip()) not in _ID_LENGTH:
        raise UsageError("document_id must be 3 to 200 characters long")
    if not options.document_language:
        raise UsageError(
            "document language is required: pass document_language=... (the ISO 639-1 code "
            "of the language the sheet is written in)"
        )
    if not (options.case_reference or "").strip():
        raise UsageError("case reference is required: pass case_reference=... (the file number)")
    if options.authority is None:
        raise UsageError(
            f"the authority is required: pass {authority_option}=Authority(name, kind, country)"
        )
    return Header(
        document_id=document_id.strip(),
        issue_date=options.issue_date or date.today(),  # the clerk's local day
        language=_code("LanguageCode", options.document_language, "document_language"),
        case_reference=str(options.case_reference).strip(),
        authority=_authority(options.authority, authority_option),
        zone=_zone(options.time_zone),
    )


def _authority(authority: Authority, option: str) -> Authority:
    if not authority.name.strip():
        raise UsageError(f"{option}.name is empty")
    return Authority(
        name=authority.name.strip(),
        kind=_code("AuthorityKindCode", authority.kind, f"{option}.kind"),
        country=_code("CountryCode", authority.country, f"{option}.country"),
        reference=(authority.reference or "").strip() or None,
    )


def _code(list_name: str, value: str, option: str) -> str:
    codes = code_list(list_name)
    found = codes.by_key.get(match_key(value))
    if found is None:
        sample = ", ".join(sorted(codes.codes)[:10])
        raise UsageError(f"{option}: {value!r} is not in {list_name} ({sample}, ...)")
    return found


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"time_zone: unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def utc(value: datetime, zone: ZoneInfo | None, where: str) -> str:
    """An instant as the evidence format writes it: UTC with a trailing Z.

    Raises:
        UsageError: the value is local time and no time zone was given.
    """
    if value.tzinfo is None:
        if zone is None:
            raise UsageError(
                f"the sheet gives local times ({where}): pass time_zone=... (e.g. "
                "Europe/Berlin) so that they can be converted to UTC"
            )
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ----------------------------------------------------------------------------------------------
# Building elements
# ----------------------------------------------------------------------------------------------
def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append a child element (``tag`` in Clark notation) with optional text and attributes."""
    child: etree._Element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = text
    return child


def start_document(tag: str, nsmap: dict[str | None, str], header: Header) -> etree._Element:
    """The root element with ``c:documentId``, ``c:issueDate`` and ``c:documentLanguage``."""
    root = etree.Element(tag, nsmap=nsmap)
    sub(root, f"{{{C}}}documentId", header.document_id)
    sub(root, f"{{{C}}}issueDate", header.issue_date.isoformat())
    sub(root, f"{{{C}}}documentLanguage", header.language)
    return root


def add_reference(parent: etree._Element, tag: str, header: Header) -> None:
    """The case file number as a ``c:ReferenceType``, issued by the document's authority."""
    reference = sub(parent, tag)
    sub(reference, f"{{{C}}}number", header.case_reference)
    sub(reference, f"{{{C}}}issuer", header.authority.name)
    sub(reference, f"{{{C}}}country", header.authority.country)


def add_authority(parent: etree._Element, tag: str, header: Header) -> None:
    """The document's authority as a ``c:AuthorityType``."""
    authority = header.authority
    element = sub(parent, tag)
    sub(element, f"{{{C}}}name", authority.name)
    sub(element, f"{{{C}}}kind", authority.kind)
    sub(element, f"{{{C}}}country", authority.country)
    sub(element, f"{{{C}}}reference", authority.reference or header.case_reference)


def add_free_text(parent: etree._Element, tag: str, text: str, language: str) -> None:
    """A ``c:FreeTextType`` holding one original text."""
    sub(sub(parent, tag), f"{{{C}}}text", text, lang=language, origin="original")
