"""Generate docs/format-reference.md from the schemas' annotations and the business rules.

    .venv/bin/python scripts/gen_format_reference.py

The page is committed; tests/test_format_reference.py fails when it differs from what this
script generates, so run it again after changing anything under xsd/. Everything on the page
comes from xsd/catalog.xml, the XSDs (xs:documentation, the ia:translatable marker, code lists)
and the Schematron files in xsd/rules/; the output is deterministic (no dates, no machine names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from lxml import etree

from interop.xmlio import parse_file

ROOT: Final = Path(__file__).resolve().parent.parent
OUTPUT: Final = Path("docs") / "format-reference.md"
XS: Final = "http://www.w3.org/2001/XMLSchema"
IA: Final = "urn:interop:schema-annotations:1"
SCH: Final = "http://purl.oclc.org/dsdl/schematron"
CATALOG: Final = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
NS: Final = {"xs": XS, "ia": IA, "sch": SCH, "cat": CATALOG}
COMMON_NS: Final = "urn:interop:common:1"
CODELIST_NS: Final = "urn:interop:codelist:1"
FAMILIES: Final = ("request", "notification", "evidence")
FULL_LIST_MAX: Final = 40  # longer code lists (countries, languages) only get their count

QName = tuple[str, str]  # (namespace, local name)
Element = etree._Element


# ----------------------------------------------------------------------------------------------
# Markdown helpers
# ----------------------------------------------------------------------------------------------
def one_line(text: str | None) -> str:
    """Collapse all whitespace (line breaks, indentation) into single spaces."""
    return " ".join((text or "").split())


def code(text: str) -> str:
    """A code span (on one line)."""
    text = one_line(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def prose(text: str) -> str:
    """Plain text on one line, with no stray HTML."""
    return one_line(text).replace("<", "&lt;")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """A Markdown table; pipes inside cells (also in code spans) are escaped, as GFM wants."""
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", r"\|") for cell in row) + " |" for row in rows]
    return lines


# ----------------------------------------------------------------------------------------------
# The schemas, indexed
# ----------------------------------------------------------------------------------------------
@dataclass
class Schemas:
    """Every schema named by the catalog (with its includes), indexed by qualified name."""

    root: Path  # the project folder; file names on the page are relative to it
    catalog: list[tuple[str, Path]]  # namespace -> main file, in catalog order
    prefixes: dict[str, str] = field(default_factory=lambda: {XS: "xs"})  # namespace -> prefix
    roots: dict[str, Element] = field(default_factory=dict)  # namespace -> main schema root
    types: dict[QName, Element] = field(default_factory=dict)  # named simple/complex types
    elements: dict[QName, Element] = field(default_factory=dict)  # global elements
    files: dict[QName, Path] = field(default_factory=dict)  # where each type is declared
    anchors: dict[QName, str] = field(default_factory=dict)  # types with their own section

    def name(self, qname: QName) -> str:
        """A qualified name with the prefix the formats use for its namespace."""
        return f"{self.prefixes[qname[0]]}:{qname[1]}"

    def ref(self, qname: QName) -> str:
        """A qualified name as code, linked to its own section when it has one."""
        if qname in self.anchors:
            return f"[{code(self.name(qname))}](#{self.anchors[qname]})"
        return code(self.name(qname))

    def file(self, path: Path) -> str:
        """A file of the project as code, relative to the project folder."""
        return code(path.relative_to(self.root).as_posix())


def read_catalog(xsd: Path) -> list[tuple[str, Path]]:
    """Namespace -> schema file, from the catalog's uri entries."""
    catalog = parse_file(xsd / "catalog.xml").getroot()
    return [
        (str(entry.get("name")), xsd / str(entry.get("uri")))
        for entry in catalog.iterfind("cat:uri", NS)
    ]


def load_schemas(root: Path) -> Schemas:
    """Read every schema of the catalog and the files they include."""
    schemas = Schemas(root, read_catalog(root / "xsd"))
    for namespace, path in schemas.catalog:
        schema = parse_file(path).getroot()
        schemas.roots[namespace] = schema
        schemas.prefixes[namespace] = next(p for p, u in schema.nsmap.items() if u == namespace)
        for file, document in with_includes(path, schema):
            index_schema(schemas, file, document)
    add_anchors(schemas)
    return schemas


def with_includes(path: Path, root: Element) -> Iterator[tuple[Path, Element]]:
    """A schema document and, recursively, the documents it includes."""
    yield path, root
    for include in root.iterfind("xs:include", NS):
        included = path.parent / str(include.get("schemaLocation"))
        yield from with_includes(included, parse_file(included).getroot())


def index_schema(schemas: Schemas, path: Path, root: Element) -> None:
    """Record the global elements and named types of one schema document."""
    namespace = str(root.get("targetNamespace"))
    for node in root.iterfind("xs:element", NS):
        schemas.elements[namespace, str(node.get("name"))] = node
    for node in root.xpath("xs:complexType | xs:simpleType", namespaces=NS):
        schemas.types[namespace, str(node.get("name"))] = node
        schemas.files[namespace, str(node.get("name"))] = path


def add_anchors(schemas: Schemas) -> None:
    """Types that get a section of their own: common types and every named simple type."""
    for qname, node in schemas.types.items():
        if qname[0] == COMMON_NS or node.tag == f"{{{XS}}}simpleType":
            schemas.anchors[qname] = slug(schemas.name(qname))


def resolve(node: Element, value: str) -> QName:
    """The qualified name a prefixed attribute value (type, base) stands for in its schema."""
    prefix, _, local = value.rpartition(":")
    return str(node.nsmap.get(prefix or None)), local


def namespace_of(node: Element) -> str:
    """The target namespace of the schema a declaration sits in."""
    return str(node.getroottree().getroot().get("targetNamespace"))


def documentation(node: Element) -> str:
    """A declaration's xs:documentation, on one line."""
    return one_line(" ".join(node.xpath("xs:annotation/xs:documentation//text()", namespaces=NS)))


def is_translatable(node: Element) -> bool:
    """Whether a declaration carries <ia:translatable/> in its xs:appinfo."""
    return bool(node.xpath("xs:annotation/xs:appinfo/ia:translatable", namespaces=NS))


def occurs(node: Element) -> str:
    """Cardinality of a particle: 1, 0..1, 1..n, 0..n (or an explicit bound such as 0..4)."""
    low = node.get("minOccurs", "1")
    high = node.get("maxOccurs", "1").replace("unbounded", "n")
    return low if low == high else f"{low}..{high}"


# ----------------------------------------------------------------------------------------------
# Content tables: walking a type tree
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of a content table."""

    path: str  # Markdown of the path cell
    type: str
    cardinality: str
    translatable: bool
    documentation: str

    def cells(self) -> list[str]:
        """The row's table cells."""
        mark = "✓" if self.translatable else ""
        return [self.path, self.type, self.cardinality, mark, self.documentation]


CONTENT_HEADER: Final = ("element", "type", "occurs", "translatable", "documentation")


@dataclass
class Walk:
    """The state of one content table: named types already expanded, and where."""

    schemas: Schemas
    expanded: dict[QName, str] = field(default_factory=dict)  # type -> path of first expansion


def content_rows(walk: Walk, ctype: Element, path: list[str]) -> Iterator[Row]:
    """Rows for a complex type's content: base types first, attributes, text, elements."""
    layers = derivation(walk.schemas, ctype)
    for layer in layers:
        for attribute in layer.iterfind("xs:attribute", NS):
            yield attribute_row(walk, attribute, path)
    text_type = simple_content_base(walk.schemas, ctype)
    if text_type is not None:
        yield Row(code(" / ".join([*path, "text()"])), text_type, "1", False, "Text content.")
    for layer in layers:
        for particle in layer.xpath("xs:sequence | xs:choice | xs:all", namespaces=NS):
            yield from particle_rows(walk, particle, path)


def derivation(schemas: Schemas, ctype: Element) -> list[Element]:
    """The nodes that hold a complex type's attributes and particles, the base type's first."""
    extension = ctype.find("xs:complexContent/xs:extension", NS)
    if extension is None:
        extension = ctype.find("xs:simpleContent/xs:extension", NS)
    if extension is None:
        restriction = ctype.find("xs:complexContent/xs:restriction", NS)
        return [ctype if restriction is None else restriction]
    base = schemas.types.get(resolve(extension, str(extension.get("base"))))
    if base is None or base.tag != f"{{{XS}}}complexType":
        return [extension]
    return [*derivation(schemas, base), extension]


def simple_content_base(schemas: Schemas, ctype: Element) -> str | None:
    """For a complex type with simple content: the simple type of its text, linked."""
    extension = ctype.find("xs:simpleContent/xs:extension", NS)
    if extension is None:
        return None
    base = resolve(extension, str(extension.get("base")))
    node = schemas.types.get(base)
    if node is not None and node.tag == f"{{{XS}}}complexType":
        return simple_content_base(schemas, node)
    return schemas.ref(base)


def particle_rows(
    walk: Walk, node: Element, path: list[str], choice: bool = False
) -> Iterator[Row]:
    """Rows for an element, a model group (sequence, choice) or a wildcard."""
    kind = etree.QName(node).localname
    if kind == "element":
        yield from element_rows(walk, node, path, choice)
    elif kind == "choice":
        yield choice_row(walk, node, path)
        for member in node.xpath("xs:element | xs:sequence | xs:choice | xs:any", namespaces=NS):
            yield from particle_rows(walk, member, path, choice=True)
    elif kind in {"sequence", "all"}:
        for member in node.xpath("xs:element | xs:sequence | xs:choice | xs:any", namespaces=NS):
            yield from particle_rows(walk, member, path, choice)
    elif kind == "any":
        yield wildcard_row(node, path, choice)


def choice_row(walk: Walk, node: Element, path: list[str]) -> Row:
    """The row that opens a choice and names its members."""
    members = [
        code(element_name(walk.schemas, member)) for member in node.iterfind("xs:element", NS)
    ]
    label = "_one of:_" if not path else f"{code(' / '.join(path) + ' /')} _one of:_"
    return Row(label, "choice", occurs(node), False, "Exactly one of " + ", ".join(members) + ".")


def element_name(schemas: Schemas, node: Element) -> str:
    """The prefixed name of a local element (elementFormDefault is qualified everywhere)."""
    return f"{schemas.prefixes[namespace_of(node)]}:{node.get('name')}"


def element_rows(walk: Walk, node: Element, path: list[str], choice: bool) -> Iterator[Row]:
    """The row of one element declaration, followed by its content where it is expanded here."""
    here = [*path, element_name(walk.schemas, node)]
    doc = ("(one of) " if choice else "") + prose(documentation(node))
    named = resolve(node, str(node.get("type"))) if node.get("type") else None
    expand = named is not None and expandable(walk, named)
    if named is not None and named in walk.expanded:
        doc += f" Content: see {code(walk.schemas.name(named))} at {code(walk.expanded[named])}."
    cells = (type_cell(walk.schemas, node), occurs(node), is_translatable(node), doc)
    yield Row(code(" / ".join(here)), *cells)
    if named is not None and expand:
        walk.expanded[named] = " / ".join(here)
        yield from content_rows(walk, walk.schemas.types[named], here)
    elif node.find("xs:complexType", NS) is not None:
        yield from content_rows(walk, node.find("xs:complexType", NS), here)


def is_complex_type(node: Element | None) -> bool:
    """Whether a declaration is an xs:complexType (None for built-in types)."""
    return node is not None and node.tag == f"{{{XS}}}complexType"


def expandable(walk: Walk, qname: QName) -> bool:
    """A named complex type is expanded once per table, unless it has a section of its own."""
    if not is_complex_type(walk.schemas.types.get(qname)):
        return False
    return qname not in walk.schemas.anchors and qname not in walk.expanded


def attribute_row(walk: Walk, node: Element, path: list[str]) -> Row:
    """The row of one attribute: `@name`, its type, required or optional."""
    here = code(" / ".join([*path, f"@{node.get('name')}"]))
    use = node.get("use", "optional")
    doc = prose(documentation(node))
    for facet in ("default", "fixed"):
        if node.get(facet) is not None:
            doc += f" {facet.capitalize()}: {code(str(node.get(facet)))}."
    return Row(here, type_cell(walk.schemas, node), use, is_translatable(node), doc)


def wildcard_row(node: Element, path: list[str], choice: bool) -> Row:
    """The row of an xs:any wildcard."""
    namespace = node.get("namespace", "##any")
    here = code(" / ".join([*path, "*"]))
    doc = ("(one of) " if choice else "") + prose(documentation(node))
    return Row(here, f"any element in {code(namespace)}", occurs(node), False, doc)


def type_cell(schemas: Schemas, node: Element) -> str:
    """The type column: a named type (linked where it has a section) or an anonymous one."""
    if node.get("type"):
        return schemas.ref(resolve(node, str(node.get("type"))))
    simple = node.find("xs:simpleType", NS)
    if simple is not None:
        return simple_summary(schemas, simple)
    complex_type = node.find("xs:complexType", NS)
    if complex_type is None:
        return code("xs:anyType")
    content = complex_type.xpath("xs:*[not(self::xs:annotation)]", namespaces=NS)
    return "anonymous" if content else "empty"


# ----------------------------------------------------------------------------------------------
# Simple types and code lists
# ----------------------------------------------------------------------------------------------
def simple_summary(schemas: Schemas, simple: Element) -> str:
    """One line that says what a simple type allows: base and facets, list or union."""
    body = simple.xpath("xs:restriction | xs:list | xs:union", namespaces=NS)[0]
    kind = etree.QName(body).localname
    if kind == "list":
        return "list of " + member_types(schemas, body, "itemType")
    if kind == "union":
        return "union of " + member_types(schemas, body, "memberTypes")
    return restriction_summary(schemas, body)


def member_types(schemas: Schemas, node: Element, attribute: str) -> str:
    """The types named by itemType/memberTypes, or the anonymous simple types inside."""
    named = [schemas.ref(resolve(node, value)) for value in node.get(attribute, "").split()]
    inline = [simple_summary(schemas, s) for s in node.iterfind("xs:simpleType", NS)]
    return ", ".join(named + inline)


def restriction_summary(schemas: Schemas, restriction: Element) -> str:
    """Base type and facets; enumerations are left out (value tables show them)."""
    inner = restriction.find("xs:simpleType", NS)
    if inner is not None:
        base = simple_summary(schemas, inner)
    else:
        base = schemas.ref(resolve(restriction, str(restriction.get("base"))))
    facets = [
        f"{etree.QName(facet).localname} {code(str(facet.get('value')))}"
        for facet in restriction
        if isinstance(facet.tag, str)
        and etree.QName(facet).localname not in {"annotation", "simpleType", "enumeration"}
    ]
    return f"{base} with {', '.join(facets)}" if facets else base


def enumeration(simple: Element) -> list[tuple[str, str]]:
    """The (value, label) pairs of an enumerated simple type, in schema order."""
    return [
        (str(value.get("value")), documentation(value))
        for value in simple.iterfind("xs:restriction/xs:enumeration", NS)
    ]


def simple_type_section(schemas: Schemas, qname: QName, level: str) -> list[str]:
    """Heading, documentation, definition and (short) value table of one named simple type."""
    node = schemas.types[qname]
    lines = [f"{level} {schemas.name(qname)}", "", prose(documentation(node)), ""]
    lines += [f"Definition: {simple_summary(schemas, node)}.", ""]
    values = enumeration(node)
    if 0 < len(values) <= FULL_LIST_MAX:
        rows = [[code(value), prose(label)] for value, label in values]
        lines += [*table(["value", "label"], rows), ""]
    elif values:
        lines += [
            f"{len(values)} values, too many for this page: {schemas.file(schemas.files[qname])} "
            "lists every value with its label.",
            "",
        ]
    return lines


# ----------------------------------------------------------------------------------------------
# The page: introduction
# ----------------------------------------------------------------------------------------------
INTRO: Final = """\
The interop formats are the XML documents that judicial authorities exchange in cross-border
cooperation in criminal matters: requests (evidence, surrender), notifications (acknowledgment,
decision, summons, service of documents, letter of rights, status update) and evidence
manifests. Each family has one XSD for its structure and one Schematron file for the business
rules that span several fields; shared types and code lists live in their own namespaces.
The conventions behind them are in [format-conventions.md](format-conventions.md)."""

VERSIONING: Final = """\
The major version is the last part of every namespace (`urn:interop:request:1`) and of every
file name (`request-1.xsd`, `request-1.sch`). Minor versions, recorded in the schema's
`version` attribute, only add optional content, so a document valid against 1.0 stays valid
against every 1.x. Anything else (a new required element, a removed value, a changed type)
is a new major version: a new namespace and new files."""

READING: Final = """\
- **element**: the path of the element below the document root, one step per level of
  nesting (`r:urgency / r:reason`); `@name` is an attribute, `text()` the text of an element
  with simple content, `*` a wildcard. Prefixes are those of the namespace table.
- **type**: the declared type. Common types (`c:`), code lists (`cl:`) and named simple types
  link to their own section; a family type is expanded below its first element in each table
  and referred to after that ("see ... at ..."). Common types are never expanded in place:
  their tables are in [Common types](#common-types-c).
- **occurs**: `1` required, `0..1` optional, `1..n` at least one, `0..n` any number (an
  explicit bound such as `0..4` where the schema sets one); attributes say `required` or
  `optional`.
- **translatable**: ✓ when the declaration carries `<ia:translatable/>`: free text of type
  `c:FreeTextType` that the translator may translate. Everything else (names, identifiers,
  dates, codes, legal references) is never translated.
- **_one of:_** opens a choice: exactly one of the members marked "(one of)" follows.
- **documentation**: the `xs:documentation` of the declaration, on one line."""


def intro(schemas: Schemas) -> list[str]:
    """Title, what the formats are, the namespace table, versioning and how to read the page."""
    return [
        "# Format reference",
        "",
        "<!-- Generated by scripts/gen_format_reference.py from xsd/; do not edit by hand. -->",
        "",
        "This page is generated from the annotations of the schemas in `xsd/` and from the",
        "business rules in `xsd/rules/`; run `.venv/bin/python scripts/gen_format_reference.py`",
        "after changing them.",
        "",
        INTRO,
        "",
        *contents(schemas),
        "## Namespaces",
        "",
        *namespace_table(schemas),
        "",
        "The annotation namespace `urn:interop:schema-annotations:1` (prefix `ia`) only marks",
        "declarations inside `xs:appinfo`; no document contains it.",
        "",
        "## Versioning",
        "",
        VERSIONING,
        "",
        "## How to read the tables",
        "",
        READING,
        "",
    ]


def contents(schemas: Schemas) -> list[str]:
    """A list of the page's main sections and of every document type."""
    lines = ["Contents:", ""]
    for family in FAMILIES:
        namespace, _ = family_entry(schemas, family)
        lines.append(f"- [{family_title(schemas, family)}](#{slug(family_title(schemas, family))})")
        for qname in schemas.elements:
            if qname[0] == namespace:
                lines.append(f"  - [{schemas.name(qname)}](#{slug(schemas.name(qname))})")
    for title in ("Common types (c:)", "Code lists (cl:)", "Business rules"):
        lines.append(f"- [{title}](#{slug(title)})")
    return [*lines, ""]


def namespace_table(schemas: Schemas) -> list[str]:
    """Prefix, namespace, schema file, version and document types, from the catalog."""
    rows = []
    for namespace, path in schemas.catalog:
        roots = [
            f"[{code(schemas.name(q))}](#{slug(schemas.name(q))})"
            for q in schemas.elements
            if q[0] == namespace
        ]
        version = str(schemas.roots[namespace].get("version", ""))
        prefix = code(schemas.prefixes[namespace])
        rows.append([prefix, code(namespace), schemas.file(path), version, ", ".join(roots)])
    return table(["prefix", "namespace", "schema", "version", "document types"], rows)


# ----------------------------------------------------------------------------------------------
# The page: document families and common types
# ----------------------------------------------------------------------------------------------
def family_entry(schemas: Schemas, family: str) -> tuple[str, Path]:
    """The catalog entry (namespace, schema file) of a family: its schema's folder is its name."""
    return next((ns, path) for ns, path in schemas.catalog if path.parent.name == family)


def family_title(schemas: Schemas, family: str) -> str:
    """The heading of a family's section."""
    namespace, _ = family_entry(schemas, family)
    return f"{family.capitalize()} family ({schemas.prefixes[namespace]}:)"


def family_section(schemas: Schemas, family: str) -> list[str]:
    """A family: its documentation, each document type with its table, its simple types."""
    namespace, path = family_entry(schemas, family)
    rules = path.parent.parent / "rules" / f"{path.stem}.sch"
    common = f"common-{namespace.rsplit(':', 1)[1]}.sch"
    lines = [f"## {family_title(schemas, family)}", ""]
    lines += [prose(documentation(schemas.roots[namespace])), ""]
    lines += [
        f"Namespace {code(namespace)}, schema {schemas.file(path)}, business rules "
        f"[{rules.name}](#{slug(rules.name)}) and [{common}](#{slug(common)}).",
        "",
    ]
    for qname in [q for q in schemas.elements if q[0] == namespace]:
        lines += document_section(schemas, qname)
    lines += simple_types_section(schemas, namespace, f"Simple types of the {family} family")
    return lines


def document_section(schemas: Schemas, qname: QName) -> list[str]:
    """One document type: its documentation, its root type and the table of its content."""
    element = schemas.elements[qname]
    root_type = resolve(element, str(element.get("type")))
    type_node = schemas.types[root_type]
    rows = content_rows(Walk(schemas), type_node, [])
    return [
        f"### {schemas.name(qname)}",
        "",
        prose(documentation(element)),
        "",
        f"Root element {code(schemas.name(qname))} of type {code(schemas.name(root_type))}: "
        + prose(documentation(type_node)),
        "",
        *table(CONTENT_HEADER, (row.cells() for row in rows)),
        "",
    ]


def simple_types_section(schemas: Schemas, namespace: str, title: str) -> list[str]:
    """Every named simple type of one namespace, each under its own heading."""
    qnames = [q for q, node in schemas.types.items() if q[0] == namespace and is_simple_type(node)]
    if not qnames:
        return []
    lines = [f"### {title}", ""]
    for qname in qnames:
        lines += simple_type_section(schemas, qname, "####")
    return lines


def is_simple_type(node: Element) -> bool:
    """Whether a declaration is an xs:simpleType."""
    return node.tag == f"{{{XS}}}simpleType"


def common_section(schemas: Schemas) -> list[str]:
    """The shared common types: each complex type with its table, then the simple types."""
    lines = ["## Common types (c:)", "", prose(documentation(schemas.roots[COMMON_NS])), ""]
    for qname, node in schemas.types.items():
        if qname[0] == COMMON_NS and not is_simple_type(node):
            lines += complex_type_section(schemas, qname)
    return lines + simple_types_section(schemas, COMMON_NS, "Common simple types")


def complex_type_section(schemas: Schemas, qname: QName) -> list[str]:
    """Heading, documentation and content table of one common complex type."""
    node = schemas.types[qname]
    doc = prose(documentation(node))
    if node.get("abstract") == "true":
        doc += " Abstract: documents contain only types derived from it."
    rows = content_rows(Walk(schemas), node, [])
    return [
        f"### {schemas.name(qname)}",
        "",
        doc,
        "",
        *table(CONTENT_HEADER, (row.cells() for row in rows)),
        "",
    ]


# ----------------------------------------------------------------------------------------------
# The page: code lists
# ----------------------------------------------------------------------------------------------
def codelist_section(schemas: Schemas) -> list[str]:
    """One section per code-list file, in the order codelists-1.xsd includes them."""
    lines = ["## Code lists (cl:)", "", prose(documentation(schemas.roots[CODELIST_NS])), ""]
    main = dict(schemas.catalog)[CODELIST_NS]
    for path, root in list(with_includes(main, schemas.roots[CODELIST_NS]))[1:]:
        for node in root.iterfind("xs:simpleType", NS):
            qname = (CODELIST_NS, str(node.get("name")))
            section = simple_type_section(schemas, qname, "###")
            lines += [*section[:2], f"File: {schemas.file(path)}.", "", *section[2:]]
    return lines


# ----------------------------------------------------------------------------------------------
# The page: business rules
# ----------------------------------------------------------------------------------------------
RULES_INTRO: Final = """\
The business rules are ISO Schematron (`queryBinding="xslt"`, XPath 1.0) in `xsd/rules/`:
`common-1.sch` applies to every document, each family file to its own documents. A rule
fires on every node its **context** selects; **severity** `error` makes a document invalid,
`warning` only reports. In the messages, `{expression}` stands for the value the validator
fills in (`sch:value-of`)."""


def rules_section(root: Path) -> list[str]:
    """One table per Schematron file: rule id, severity, context and message."""
    lines = ["## Business rules", "", RULES_INTRO, ""]
    for path in sorted((root / "xsd" / "rules").glob("*.sch")):
        schema = parse_file(path).getroot()
        title = one_line(schema.findtext("sch:title", "", NS))
        rel = path.relative_to(root).as_posix()
        lines += [f"### {path.name}", "", f"{prose(title)} ({code(rel)}).", ""]
        header = ["rule", "severity", "context", "message"]
        lines += [*table(header, rule_rows(schema)), ""]
    return lines


def rule_rows(schema: Element) -> list[list[str]]:
    """A row per sch:assert and sch:report, by rule id."""
    rows = []
    checks = schema.xpath("//sch:assert | //sch:report", namespaces=NS)
    for check in sorted(checks, key=lambda check: str(check.get("id", ""))):
        rule = check.getparent()
        rows.append(
            [
                code(str(check.get("id", ""))),
                prose(str(check.get("role", "(none)"))),
                rule_context(schema, rule),
                message(check),
            ]
        )
    return rows


def rule_context(schema: Element, rule: Element) -> str:
    """A rule's context; for an abstract rule, the contexts of the rules that extend it."""
    if rule.get("abstract") != "true":
        return code(str(rule.get("context")))
    users = schema.xpath(
        "//sch:rule[sch:extends/@rule = $id]/@context", namespaces=NS, id=rule.get("id")
    )
    contexts = " | ".join(code(str(context)) for context in users)
    return f"{contexts} (through the abstract rule {code(str(rule.get('id')))})"


def message(check: Element) -> str:
    """A rule's message on one line, each sch:value-of shown as `{expression}`."""
    parts = [prose_keep_spaces(check.text)]
    for child in check:
        if child.tag == f"{{{SCH}}}value-of":
            parts.append(code("{" + str(child.get("select")) + "}"))
        elif child.tag == f"{{{SCH}}}name":
            parts.append(code("{" + str(child.get("path", "name()")) + "}"))
        elif isinstance(child.tag, str):
            parts.append(prose_keep_spaces("".join(child.itertext())))
        parts.append(prose_keep_spaces(child.tail))
    return re.sub(r" +", " ", "".join(parts)).strip()


def prose_keep_spaces(text: str | None) -> str:
    """Like prose(), but a leading or trailing space stays (it separates inline parts)."""
    return re.sub(r"\s+", " ", text or "").replace("<", "&lt;")


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------
def render(root: Path = ROOT) -> str:
    """The whole page, as Markdown."""
    schemas = load_schemas(root)
    sections = [
        intro(schemas),
        *(family_section(schemas, family) for family in FAMILIES),
        common_section(schemas),
        codelist_section(schemas),
        rules_section(root),
    ]
    return "\n".join(line for section in sections for line in section).rstrip("\n") + "\n"


def main() -> None:
    """Write the page into docs/."""
    page = render(ROOT)
    target = ROOT / OUTPUT
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write(page)
    print(f"wrote {OUTPUT.as_posix()}: {page.count(chr(10))} lines")


if __name__ == "__main__":
    main()
