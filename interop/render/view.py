"""The document as templates see it: the XML tree, typed by the schema, formatted per language.

There is no second object model: a :class:`Node` wraps an lxml element and knows its schema
type, so ``{{ doc.issueDate }}`` prints a localized date, ``{{ doc.capacity }}`` the translated
name of a code, and ``{{ doc.subject }}`` the free text in the reader's language with its
provenance. Templates name fields with :meth:`View.rows`, which checks every name against the
schema (a misspelt field fails loudly instead of printing nothing), and end with
:meth:`View.remaining`, which shows whatever a template did not place: nothing in a document
is left out of its notice silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Final, cast

from lxml import etree
from markupsafe import Markup, escape

from interop.errors import RenderError
from interop.render.freetext import Choice, Shown, choose
from interop.render.localize import Localizer, parse_duration
from interop.render.schema_types import SchemaIndex, local

XS: Final = "{http://www.w3.org/2001/XMLSchema}"
C: Final = "{urn:interop:common:1}"
_NUMBERS: Final = frozenset(
    f"{XS}{name}" for name in ("integer", "nonNegativeInteger", "positiveInteger", "decimal", "int")
)
_DATES: Final = frozenset({f"{XS}date", f"{C}Date"})
# Complex types with a compact rendering of their own instead of a list of fields.
_COMPACT: Final = frozenset(
    {"PersonNameType", "AddressType", "PenaltyType", "PartyRefType", "HolderRefType", "HashType"}
)
_CACHE_LIMIT: Final = 20_000
# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko...).
_RTL_CHARACTERS: Final = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_RTL: Final = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"})
# Attributes that point at another element of the document by its id.
_REFERENCES: Final = ("ref", "holder", "party")


class Node:
    """An element of the document. ``node.child`` is the first child of that local name."""

    __slots__ = ("element", "type_key", "view")

    def __init__(self, element: etree._Element, type_key: str | None, view: View) -> None:
        self.element = element
        self.type_key = type_key
        self.view = view

    def __getattr__(self, name: str) -> Node:
        found = self.view.children(self, name)
        if not found:
            raise AttributeError(name)  # Jinja's StrictUndefined takes over from here
        return found[0]

    def __getitem__(self, key: str) -> str | Node:
        if key.startswith("@"):
            value = self.element.get(key[1:])
            if value is None:
                raise KeyError(key)
            return value
        try:
            return self.__getattr__(key)
        except AttributeError:
            raise KeyError(key) from None

    def __bool__(self) -> bool:
        if self.view.primitive(self) == f"{XS}boolean":
            return (self.element.text or "").strip() in {"true", "1"}
        return True

    def __str__(self) -> str:
        return self.view.plain(self)

    def __html__(self) -> Markup:
        return self.view.value(self)

    @property
    def name(self) -> str:
        """Local name of the element (for templates that loop over children)."""
        return str(etree.QName(self.element).localname)


class View:
    """One rendering of one document in one language."""

    def __init__(self, root: etree._Element, index: SchemaIndex, words: Localizer) -> None:
        self.index = index
        self.words = words
        self.rendered: set[etree._Element] = set()
        self.root = Node(root, index.elements.get(str(root.tag)), self)
        self._ids = {node.get("id"): node for node in root.iter() if node.get("id")}
        self._children: dict[etree._Element, dict[str, list[etree._Element]]] = {}

    # --- navigation ---------------------------------------------------------------------

    def _kids(self, element: etree._Element) -> dict[str, list[etree._Element]]:
        """The element's children by local name (computed once per element)."""
        kids = self._children.get(element)
        if kids is None:
            kids = {}
            for child in element.iterchildren(etree.Element):  # elements only, filtered in C
                kids.setdefault(cast(str, child.tag).rpartition("}")[2], []).append(child)
            self._children[element] = kids
        return kids

    def children(self, node: Node, name: str) -> list[Node]:
        """Children of ``node`` with local name ``name`` (checked against the schema)."""
        found = self._kids(node.element).get(name)
        if not found:
            if node.type_key is not None and not self.allows(node, name):
                raise RenderError(f"{local(node.type_key)} has no field {name!r}")
            return []
        return [self._wrap(node, child) for child in found]

    def allows(self, node: Node, name: str) -> bool:
        """Whether the schema allows a child called ``name`` in ``node``."""
        return node.type_key is not None and name in self.index.local_children(node.type_key)

    def _wrap(self, parent: Node, child: etree._Element) -> Node:
        type_key = (
            self.index.child_type(parent.type_key, str(child.tag)) if parent.type_key else None
        )
        return Node(child, type_key, self)

    def each(self, node: Node, name: str) -> list[Node]:
        """All children of that name (an empty list when there are none)."""
        return self.children(node, name)

    def party(self, ref: str) -> Node | None:
        """The party with ``@id`` = ``ref``, typed, or None."""
        element = self._ids.get(ref)
        if element is None:
            return None
        return Node(element, self.index.type_of(element), self)

    def primitive(self, node: Node) -> str:
        return self.index.primitive(node.type_key) if node.type_key else ""

    # --- values -------------------------------------------------------------------------

    def plain(self, node: Node) -> str:
        """The value as plain text, formatted for the language (codes named, dates long)."""
        return self._plain(node.element, node.type_key or "")

    def _plain(self, element: etree._Element, type_key: str) -> str:
        self.rendered.add(element)
        text = " ".join((element.text or "").split())
        # The same code, date or flag recurs in every notice of a batch: format it once.
        return _cached(self.words.values, (type_key, text), lambda: self._format(type_key, text))

    def _format(self, type_key: str, text: str) -> str:
        primitive = self.index.primitive(type_key) if type_key else ""
        kind = local(primitive)
        if kind == "CountryCode":
            return self.words.country(text)
        if kind == "LanguageCode":
            return self.words.language_name(text)
        english = self.index.code_name(type_key, text) if type_key else None
        if english is not None:
            return self.words.code(primitive, english)
        return self._formatted(primitive, text)

    def _formatted(self, primitive: str, text: str) -> str:  # noqa: PLR0911 - one per type
        try:
            if primitive in _DATES or (
                len(text) == 10 and text[4:5] == "-" and "Date" in primitive
            ):
                return self.words.date(date.fromisoformat(text))
            if primitive == f"{XS}dateTime":
                return self.words.datetime(datetime.fromisoformat(text))
        except ValueError:
            return text
        if primitive == f"{XS}boolean":
            yes = text in {"true", "1"}
            return str(self.words.gettext("Yes") if yes else self.words.gettext("No"))
        if primitive == f"{XS}duration":
            duration = parse_duration(text)
            return self.words.duration(duration) if duration is not None else text
        if primitive in _NUMBERS and text.lstrip("-").replace(".", "", 1).isdigit():
            return self.words.number(float(text) if "." in text else int(text))
        return text

    def value(self, node: Node) -> Markup:
        """The value as HTML: a free text block, a compact form, or a list of fields."""
        html = self._value(node.element, node.type_key or "")
        return Markup(html)  # noqa: S704 - built from escaped parts

    def rows(self, node: Node, *names: str) -> Markup:
        """``<dt>``/``<dd>`` rows for the named children of ``node`` (all when none named)."""
        self._check_names(node, names)
        html = self._rows(node.element, node.type_key or "", names)
        return Markup(html)  # noqa: S704 - built from escaped parts

    # The generic rendering works on (element, type) pairs and builds plain strings from
    # escaped parts: Markup's operators and one wrapper object per element made rendering
    # several times slower, and a batch renders thousands of notices.

    def _value(self, element: etree._Element, type_key: str) -> str:
        self.rendered.add(element)
        kind = self._kind(type_key)
        if kind == "FreeTextType":
            return str(self.free_text(Node(element, type_key, self)))
        if kind in _COMPACT:
            return str(self._compact(Node(element, type_key, self), kind))
        if len(element) and self._kids(element):
            return f'<dl class="fields">{self._rows(element, type_key, ())}</dl>'
        return self._escaped(element, type_key)

    def _escaped(self, element: etree._Element, type_key: str) -> str:
        self.rendered.add(element)
        return _cached(
            self.words.values_html,
            (type_key, element.text or ""),
            lambda: self._isolated_plain(element, type_key),
        )

    def _isolated_plain(self, element: etree._Element, type_key: str) -> str:
        text = self._plain(element, type_key)
        return self.isolate(text, str(escape(text)))

    def isolate(self, text: str, html: str) -> str:
        """``html`` marked with its own direction when it runs against the column's.

        A phone number or file number in an Arabic column, or an Arabic name in a French one,
        must keep its own order: without isolation the bidi algorithm reorders its digits
        and punctuation ("+32 2 743" shown as "743 2 32+").
        """
        rtl = bool(_RTL_CHARACTERS.search(text))
        if not text or rtl == (self.words.direction == "rtl"):
            return html
        return f'<span dir="{"rtl" if rtl else "ltr"}">{html}</span>'

    def _kind(self, type_key: str) -> str:
        return type_key.rpartition("}")[2]

    def _check_names(self, node: Node, names: tuple[str, ...]) -> None:
        """A template naming a field the schema does not have is an error, not a blank."""
        kids = self._kids(node.element)
        for name in names:
            if name not in kids and node.type_key is not None and not self.allows(node, name):
                raise RenderError(f"{local(node.type_key)} has no field {name!r}")

    def rest(self, node: Node, *shown: str) -> Markup:
        """Rows for every child of ``node`` except those named (shown elsewhere, e.g. in a
        table), and for its coded attributes."""
        self._check_names(node, shown)
        kids = self._kids(node.element)
        for name in shown:
            self.rendered.update(kids.get(name, ()))
        names = tuple(name for name in kids if name not in shown)
        type_key = node.type_key or ""
        html = "".join(self._attribute_rows(node.element, type_key)) + (
            self._rows(node.element, type_key, names) if names else ""
        )
        return Markup(html)  # noqa: S704 - built from escaped parts

    def _rows(self, element: etree._Element, type_key: str, names: tuple[str, ...]) -> str:
        kids = self._kids(element)
        parts = [] if names else self._attribute_rows(element, type_key)
        index = self.index
        for name in names or kids:
            found = kids.get(name)
            if not found:
                continue
            child_type = index.child_type(type_key, str(found[0].tag)) or "" if type_key else ""
            parts.append(self._row(name, found, child_type))
        return "".join(parts)

    def _attribute_rows(self, element: etree._Element, type_key: str) -> list[str]:
        """Rows for the attributes that carry a code (an item's type, a hash's algorithm)."""
        if not element.attrib:
            return []
        complex_type = self.index.types.get(type_key)
        if complex_type is None:
            return []
        rows = []
        for name, attribute_type in complex_type.attributes.items():
            value = element.get(name)
            english = self.index.code_name(attribute_type, value) if value is not None else None
            if english is not None:
                shown = self.words.code(self.index.primitive(attribute_type), english)
                rows.append(f"<dt>{escape(self.words.label(name))}</dt><dd>{escape(shown)}</dd>")
        return rows

    def _row(self, name: str, elements: list[etree._Element], type_key: str) -> str:
        label = self.words.label_html(name)
        # len() counts every child node in C: most elements have none, and need no index.
        leaf = self._kind(type_key) not in _COMPACT and not any(
            len(e) and self._kids(e) for e in elements
        )
        if leaf and len(elements) > 1:
            joined = self.words.join([self._plain(e, type_key) for e in elements])
            return f"<dt>{label}</dt><dd>{self.isolate(joined, str(escape(joined)))}</dd>"
        if leaf:
            return f"<dt>{label}</dt><dd>{self._escaped(elements[0], type_key)}</dd>"
        cells = "".join(f"<dd>{self._value(e, type_key)}</dd>" for e in elements)
        return f"<dt>{label}</dt>{cells}"

    def remaining(self, node: Node, heading: str) -> Markup:
        """A section with every child of ``node`` no template part has shown, if any."""
        left = [
            name
            for name, found in self._kids(node.element).items()
            if not all(self._shown(element) for element in found)
        ]
        if not left:
            return Markup("")
        rows = self.rows(node, *left)
        return Markup(
            '<section class="remaining"><h2>%s</h2><dl class="fields">%s</dl></section>'
        ) % (
            heading,
            rows,
        )

    def _shown(self, element: etree._Element) -> bool:
        if element in self.rendered:
            return True
        children = [child for child in element if isinstance(child.tag, str)]
        return bool(children) and all(self._shown(child) for child in children)

    # --- special forms ------------------------------------------------------------------

    def free_text(self, node: Node) -> Markup:
        """The text for this language, with where it comes from when not the original."""
        for child in node.element:
            self.rendered.add(child)
        choice = choose(node.element, self.words.language)
        if choice is None:
            return Markup("")
        body = "".join(
            f"<p>{escape(line.strip())}</p>" for line in choice.text.splitlines() if line.strip()
        )
        shown = choice.shown.value
        language = escape(choice.language)
        direction = "rtl" if choice.language in _RTL else "ltr"
        block = f'<div class="freetext {shown}" lang="{language}" dir="{direction}">{body}</div>'
        note = self.provenance(choice)
        if note:
            block += f'<p class="provenance {shown}">{escape(note)}</p>'
        return Markup(block)  # noqa: S704 - built from escaped parts

    def provenance(self, choice: Choice) -> str:
        """What the reader must know about where this text comes from ("" for an original)."""
        words = self.words
        source = words.language_name(choice.source_language or choice.language)
        if choice.shown is Shown.UNTRANSLATED:
            return str(
                words.gettext(
                    "Original text in %(language)s; no translation into %(target)s is available.",
                    language=words.language_name(choice.language),
                    target=words.language_name(words.language),
                )
            )
        if choice.shown is Shown.MACHINE:
            engine = " ".join(
                part for part in (choice.engine, choice.model, choice.model_version) if part
            )
            if choice.reviewed and choice.reviewed_by:
                return str(
                    words.gettext(
                        "Machine translation from %(language)s (%(engine)s), reviewed by "
                        "%(reviewer)s.",
                        language=source,
                        engine=engine,
                        reviewer=choice.reviewed_by,
                    )
                )
            return str(
                words.gettext(
                    "Machine translation from %(language)s (%(engine)s), not reviewed.",
                    language=source,
                    engine=engine,
                )
            )
        if choice.shown is Shown.HUMAN:
            return str(
                words.gettext(
                    "Translation from %(language)s by %(translator)s.",
                    language=source,
                    translator=choice.translator or "?",
                )
            )
        return ""

    def _compact(self, node: Node, kind: str) -> Markup:
        for element in node.element.iter():
            self.rendered.add(element)
        if kind == "PersonNameType":
            return self._name(node)
        if kind == "AddressType":
            return self._address(node)
        if kind == "PenaltyType":
            return escape(self._penalty(node))
        if kind == "HashType":
            algorithm = node.element.get("algorithm", "")
            return Markup('<span class="hash">%s: %s</span>') % (algorithm, self.plain(node))
        return self._reference(node)

    def _reference(self, node: Node) -> Markup:
        ref = next((node.element.get(a) for a in _REFERENCES if node.element.get(a)), "")
        target = self.party(ref or "")
        if target is None:
            return escape(ref)
        holder_name = target.element.find("{urn:interop:evidence:1}name")
        if holder_name is not None:
            return escape(" ".join((holder_name.text or "").split()))
        return self.person_name(target)

    def _name(self, node: Node) -> Markup:
        element = node.element
        parts = [
            " ".join((child.text or "").split())
            for child in element
            if isinstance(child.tag, str)
            and etree.QName(child).localname in {"givenName", "patronymic", "familyName"}
        ]
        text = " ".join(p for p in parts if p) or " ".join((element.text or "").split())
        form = element.get("form")
        suffix = ""
        if form == "transliterated":
            suffix = " (" + self.words.gettext("transliterated") + ")"
        elif form == "alias":
            suffix = " (" + self.words.gettext("alias") + ")"
        name = self.isolate(text, str(escape(text)))
        return Markup('<span class="name">%s</span>%s') % (Markup(name), suffix)  # noqa: S704

    def person_name(self, party: Node) -> Markup:
        """The first name of a party (natural or legal person) as HTML."""
        for name in party.element.iter(f"{C}name"):
            parent = name.getparent()
            if parent is not None and etree.QName(parent).localname in {
                "naturalPerson",
                "legalPerson",
            }:
                return self._name(Node(name, self.index.type_of(name), self))
        return escape(party.element.get("id", ""))

    def _address(self, node: Node) -> Markup:
        def text(name: str) -> str:
            found = node.element.find(f"{C}{name}")
            return " ".join((found.text or "").split()) if found is not None else ""

        lines = [
            text("addressLine"),
            " ".join(p for p in (text("street"), text("houseNumber")) if p),
            " ".join(p for p in (text("postalCode"), text("city")) if p),
            text("region"),
            self.words.country(text("country")) if text("country") else "",
        ]
        isolated = [Markup(self.isolate(line, str(escape(line)))) for line in lines if line]  # noqa: S704
        return Markup("<br/>").join(isolated)

    def _penalty(self, node: Node) -> str:
        months = node.element.findtext(f"{C}months")
        if months is not None and months.strip().isdigit():
            count = int(months)
            if count % 12 == 0:
                return str(self.words.ngettext("%(num)s year", "%(num)s years", count // 12))
            return str(self.words.ngettext("%(num)s month", "%(num)s months", count))
        if node.element.find(f"{C}life") is not None:
            return str(self.words.gettext("life imprisonment"))
        return " ".join(" ".join(node.element.itertext()).split())


def _cached(
    cache: dict[tuple[str, str], str], key: tuple[str, str], make: Callable[[], str]
) -> str:
    """``cache[key]``, made on first use; the cache is emptied when it grows too large."""
    value = cache.get(key)
    if value is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        value = cache[key] = make()
    return value
