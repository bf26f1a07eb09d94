"""Lists of recipients kept in spreadsheets -> recipient lists (``n:recipientList``).

One row per person to be notified: name (in its own script, and in Latin letters when that
script is not Latin), roles, sex, birth date, nationalities, the languages the person
understands, address and contact. The list says in which language each notice has to go out;
the notices themselves are prepared from it one by one.

The script of a name is read from its letters (Latin, Greek, Cyrillic, Arabic, ...). A name
in another script than Latin needs its transliteration in the Latin columns, as the common
rules require (COM-013): the importer does not transliterate, because a machine guess at a
name is not what the person's papers say.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Final

from lxml import etree

from interop.convert.converter import Direction, FromCommon, ToCommon
from interop.convert.formats.csv_document import (
    Authority,
    C,
    DocumentOptions,
    Header,
    add_authority,
    add_reference,
    resolve,
    start_document,
    sub,
)
from interop.convert.formats.csv_reader import (
    Row,
    Table,
    missing_columns,
    nothing_imported,
    read_table,
    source_order,
)
from interop.convert.formats.csv_spec import (
    HeaderSpec,
    TargetField,
    ValueType,
    builtin_spec,
    load_spec,
)
from interop.convert.loss import LossEntry, LossKind, LossReport, preview
from interop.errors import UnreadableInput, UsageError

N: Final = "urn:interop:notification:1"
_NSMAP: Final[dict[str | None, str]] = {"n": N, "c": C}
_PERSON: Final = "n:recipientList/n:recipient/c:naturalPerson"
V = ValueType
_PHONE: Final = re.compile(r"\+?[0-9 ()\-./]{5,32}")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

F = TargetField
FIELDS: Final = (
    F("family_name", V.TEXT, f"{_PERSON}/c:name/c:familyName", required=True),
    F("given_names", V.TEXT, f"{_PERSON}/c:name/c:givenName"),
    F("patronymic", V.TEXT, f"{_PERSON}/c:name/c:patronymic"),
    F("birth_name", V.TEXT, f"{_PERSON}/c:name/c:birthName"),
    F("family_name_latin", V.TEXT, f"{_PERSON}/c:name[@form='transliterated']/c:familyName"),
    F("given_names_latin", V.TEXT, f"{_PERSON}/c:name[@form='transliterated']/c:givenName"),
    F(
        "role",
        V.CODE,
        "n:recipientList/n:recipient/c:role",
        code_list="RoleCode",
        many=True,
        required=True,
    ),
    F("sex", V.CODE, f"{_PERSON}/c:sex", code_list="SexCode"),
    F("birth_date", V.DATE, f"{_PERSON}/c:birthDate"),
    F("nationality", V.CODE, f"{_PERSON}/c:nationality", code_list="CountryCode", many=True),
    F(
        "languages",
        V.CODE,
        f"{_PERSON}/c:languageUnderstood",
        code_list="LanguageCode",
        many=True,
        expected=True,
    ),
    F("street", V.TEXT, f"{_PERSON}/c:address/c:street"),
    F("house_number", V.TEXT, f"{_PERSON}/c:address/c:houseNumber"),
    F("postal_code", V.TEXT, f"{_PERSON}/c:address/c:postalCode"),
    F("city", V.TEXT, f"{_PERSON}/c:address/c:city", expected=True),
    F("country", V.CODE, f"{_PERSON}/c:address/c:country", code_list="CountryCode"),
    F(
        "phone",
        V.TEXT,
        f"{_PERSON}/c:contact/c:phone",
        many=True,
        pattern=_PHONE,
        form="a telephone number (digits, spaces, + ( ) - . /)",
    ),
    F(
        "email",
        V.TEXT,
        f"{_PERSON}/c:contact/c:email",
        many=True,
        pattern=_EMAIL,
        form="an e-mail address",
    ),
)
# Name parts: field -> element of c:PersonNameType, in the schema's order.
_ORIGINAL: Final = (
    ("given_names", "givenName"),
    ("patronymic", "patronymic"),
    ("family_name", "familyName"),
    ("birth_name", "birthName"),
)
_LATIN: Final = (("given_names_latin", "givenName"), ("family_name_latin", "familyName"))
_ADDRESS: Final = ("street", "house_number", "postal_code", "city", "country")
# ISO 15924 codes by the first word of the Unicode character name of a letter.
_SCRIPTS: Final = {
    "LATIN": "Latn",
    "GREEK": "Grek",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "THAI": "Thai",
    "HANGUL": "Hang",
    "CJK": "Hani",
    "ETHIOPIC": "Ethi",
    "SYRIAC": "Syrc",
}
_SCRIPT_NAMES: Final = {code: word.title() for word, code in _SCRIPTS.items()}
_LETTERS: Final = frozenset({"Lu", "Ll", "Lt", "Lo"})


def _script_name(code: str) -> str:
    return _SCRIPT_NAMES.get(code, "a non-Latin" if code == "Zzzz" else code)


def script_of(text: str) -> set[str]:
    """The ISO 15924 scripts of the letters of ``text`` (``Zzzz`` for one not listed here)."""
    found = set()
    for char in text:
        if unicodedata.category(char) in _LETTERS:
            found.add(_SCRIPTS.get(unicodedata.name(char, "").split(" ")[0], "Zzzz"))
    return found


class CsvRecipients:
    """Reads a list of recipients exported as CSV into a recipient list."""

    name = "csv-recipients"
    directions = frozenset({Direction.TO_COMMON})
    document_types = ("recipient-list",)
    extensions = (".csv", ".tsv")

    def __init__(
        self,
        spec_path: str | Path | None = None,
        *,
        document_id: str | None = None,
        issue_date: date | None = None,
        document_language: str | None = None,
        case_reference: str | None = None,
        sender: Authority | None = None,
    ) -> None:
        """Prepare the importer; ``spec_path`` replaces the built-in header spec.

        The other arguments are the list-level data a sheet does not hold; see
        :func:`~interop.convert.formats.csv_document.resolve` for defaults and errors.
        """
        self.spec: HeaderSpec = (
            load_spec(spec_path, self.document_types[0], FIELDS)
            if spec_path
            else builtin_spec(self.name, self.document_types[0], FIELDS)
        )
        self.version = self.spec.version
        self.description = self.spec.description
        self.options = DocumentOptions(
            document_id, issue_date, document_language, case_reference, sender
        )

    def to_common(self, data: bytes, source: str) -> ToCommon:
        """Read the sheet; skipped rows and unused columns are in the loss report."""
        header = resolve(self.options, "sender")
        table = read_table(data, source, self.spec)
        loss = list(table.loss)
        people = _People(table, header, loss)
        root = start_document(f"{{{N}}}recipientList", _NSMAP, header)
        add_authority(root, f"{{{N}}}sender", header)
        add_reference(root, f"{{{N}}}caseReference", header)
        kept = [row for row in table.rows if people.add(root, row)]
        if not kept:
            raise UnreadableInput(source, nothing_imported(loss))
        loss.extend(missing_columns(table, FIELDS))
        return ToCommon(etree.ElementTree(root), LossReport(source_order(loss)))

    def from_common(self, document: etree._ElementTree) -> FromCommon:
        """Not offered: the list is kept in a spreadsheet and read from it."""
        raise UsageError(f"{self.name} only reads spreadsheets; it cannot write them")


class _People:
    """Adds one ``n:recipient`` per row, reporting rows and cells it cannot use."""

    def __init__(self, table: Table, header: Header, loss: list[LossEntry]) -> None:
        self.table = table
        self.header = header
        self.loss = loss

    def add(self, root: etree._Element, row: Row) -> bool:
        """Append the recipient of ``row``; False (and reported) when the row is skipped."""
        script = self._script(row)
        if script is None:
            return False
        latin = self._transliteration(row, script)
        if latin is None:
            return False
        recipient = sub(root, f"{{{N}}}recipient", id=f"row-{row.number}")
        for role in self._all(row, "role"):
            sub(recipient, _c("role"), role)
        person = sub(recipient, _c("naturalPerson"))
        self._name(person, row, _ORIGINAL, script)
        if latin:
            self._name(person, row, _LATIN, "Latn", form="transliterated")
        self._facts(person, row)
        self._address(person, row)
        self._contact(person, row)
        return True

    # -- names -------------------------------------------------------------------------------
    def _script(self, row: Row) -> str | None:
        """The one script of the name as written; a name mixing scripts skips the row."""
        fields = tuple(f for f, _ in _ORIGINAL if f in row.cells)
        scripts = script_of(" ".join(self._text(row, f) for f in fields))
        if len(scripts) == 1:
            return scripts.pop()
        words = " and ".join(sorted(_script_name(s) for s in scripts))
        problem = f"mixes scripts ({words})" if scripts else "has no letters"
        self._reject(row, fields, f"the name {problem}; the row was skipped")
        return None

    def _transliteration(self, row: Row, script: str) -> bool | None:
        """Whether to write the Latin transliteration; None when the row must be skipped."""
        fields = tuple(f for f, _ in _LATIN)
        if any(f in row.values for f in fields):
            latin = " ".join(self._text(row, f) for f in fields)
            if "family_name_latin" not in row.values:
                problem = "a name in Latin letters needs its family name"
            elif script_of(latin) != {"Latn"}:
                problem = "the transliteration is not in Latin letters (COM-012)"
            else:
                return True
            # A Latin original does not need the transliteration: the person is still listed.
            effect = "the value was left out" if script == "Latn" else "the row was skipped"
            self._reject(row, fields, f"{problem}; {effect}")
            return False if script == "Latn" else None
        if script == "Latn":
            return False
        reason = (
            f"the name is in {_script_name(script)} script; give it in Latin letters too (COM-013)"
        )
        self._reject(row, ("family_name_latin",), f"{reason}; the row was skipped")
        return None

    def _name(
        self,
        person: etree._Element,
        row: Row,
        parts: tuple[tuple[str, str], ...],
        script: str,
        **attributes: str,
    ) -> None:
        name = sub(person, _c("name"), script=script, **attributes)
        for field, local in parts:
            text = self._text(row, field)
            # The schema wants one element per given name.
            for value in text.split() if local == "givenName" else [text] if text else []:
                sub(name, _c(local), value)

    # -- the rest of the person ---------------------------------------------------------------
    def _facts(self, person: etree._Element, row: Row) -> None:
        if "sex" in row.values:
            sub(person, _c("sex"), self._text(row, "sex"))
        born = self._text(row, "birth_date")
        issued = self.header.issue_date.isoformat()
        if born and born > issued[: len(born)]:
            self._reject(row, ("birth_date",), "lies after the issue date; the value was left out")
        elif born:
            sub(person, _c("birthDate"), born)
        for country in self._all(row, "nationality"):
            sub(person, _c("nationality"), country)
        for language in self._all(row, "languages"):
            sub(person, _c("languageUnderstood"), language)

    def _address(self, person: etree._Element, row: Row) -> None:
        present = [f for f in _ADDRESS if f in row.values]
        if not present:
            return
        missing = tuple(f for f in ("city", "country") if f not in row.values)
        if missing:
            reason = "an address needs a city and a country; the address was left out"
            self._reject(row, missing, reason)
            return
        address = sub(person, _c("address"))
        for field, local in zip(
            _ADDRESS, ("street", "houseNumber", "postalCode", "city", "country"), strict=True
        ):
            if field in row.values:
                sub(address, _c(local), self._text(row, field))

    def _contact(self, person: etree._Element, row: Row) -> None:
        phones, emails = self._all(row, "phone"), self._all(row, "email")
        if phones or emails:
            contact = sub(person, _c("contact"))
            for phone in phones:
                sub(contact, _c("phone"), phone)
            for email in emails:
                sub(contact, _c("email"), email)

    # -- helpers -----------------------------------------------------------------------------
    def _text(self, row: Row, name: str) -> str:
        value = row.values.get(name)
        return "" if value is None else str(value)

    def _all(self, row: Row, name: str) -> tuple[str, ...]:
        value = row.values.get(name)
        return tuple(str(v) for v in value) if isinstance(value, tuple) else ()

    def _reject(self, row: Row, fields: tuple[str, ...], reason: str) -> None:
        where = f"row {row.number}, {self.table.columns(fields)}" if fields else f"row {row.number}"
        value = " ".join(row.cells[f] for f in fields if f in row.cells)
        self.loss.append(LossEntry(LossKind.REJECTED, where, preview(value), reason))


def _c(local: str) -> str:
    return f"{{{C}}}{local}"
