"""The schemas are the contract: documented, marked, complete code lists, offline catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from interop.formats import registry
from interop.validate.xsd import compile_schema
from interop.xmlcatalog import file_path, load_catalog
from interop.xmlio import parse_file
from tests.conftest import ROOT

XS = "http://www.w3.org/2001/XMLSchema"
IA = "urn:interop:schema-annotations:1"
NS = {"xs": XS, "ia": IA}
SCHEMAS = sorted((ROOT / "xsd").rglob("*.xsd"))
FAMILY_SCHEMAS = [ROOT / "xsd" / f / f"{f}-1.xsd" for f in ("request", "notification", "evidence")]

EU_LANGUAGES = set(
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
)
MORE_LANGUAGES = set("ar tr ru uk zh sq sr".split())
EU_STATES = set(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)


def _enumeration(type_name: str) -> list[str]:
    for path in (ROOT / "xsd" / "common" / "codelists").glob("*.xsd"):
        found = parse_file(path).xpath(
            f"//xs:simpleType[@name='{type_name}']//xs:enumeration/@value", namespaces=NS
        )
        if found:
            return [str(v) for v in found]
    raise AssertionError(f"no code list {type_name}")


def test_there_are_schemas_for_every_family() -> None:
    for path in FAMILY_SCHEMAS:
        assert path.is_file(), path


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_declaration_is_documented(path: Path) -> None:
    tree = parse_file(path)
    undocumented = tree.xpath(
        "//xs:element[@name] | //xs:attribute[@name] | //xs:complexType[@name]"
        " | //xs:simpleType[@name] | //xs:enumeration",
        namespaces=NS,
    )
    missing = [
        f"line {node.sourceline}: {node.get('name') or node.get('value')}"
        for node in undocumented
        if not node.xpath("xs:annotation/xs:documentation[normalize-space()]", namespaces=NS)
    ]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: str(p.relative_to(ROOT)))
def test_translatable_marker_exactly_on_free_text(path: Path) -> None:
    tree = parse_file(path)
    for element in tree.xpath("//xs:element[@name]", namespaces=NS):
        is_free_text = (element.get("type") or "").endswith(":FreeTextType")
        marked = bool(element.xpath("xs:annotation/xs:appinfo/ia:translatable", namespaces=NS))
        assert is_free_text == marked, f"{path.name}:{element.sourceline} {element.get('name')}"


def test_free_text_fields_are_found_from_the_schema() -> None:
    marked = [
        e.get("name")
        for p in SCHEMAS
        for e in parse_file(p).xpath(
            "//xs:element[xs:annotation/xs:appinfo/ia:translatable]", namespaces=NS
        )
    ]
    assert {"legalClassification", "description"} <= set(marked)
    assert len(marked) >= 15


@pytest.mark.parametrize("path", FAMILY_SCHEMAS, ids=lambda p: p.name)
def test_family_schemas_compile_offline(path: Path) -> None:
    assert isinstance(compile_schema(path), etree.XMLSchema)


def test_catalog_maps_every_namespace_to_an_existing_file() -> None:
    catalog = load_catalog(ROOT / "xsd" / "catalog.xml")
    for path in SCHEMAS:
        namespace = parse_file(path).getroot().get("targetNamespace")
        if path.parent.name == "codelists":
            continue  # included by codelists-1.xsd under the same namespace
        assert namespace in catalog.exact, path
        assert file_path(catalog.exact[namespace]) == path.resolve()


def test_namespaces_carry_the_major_version() -> None:
    for fmt in registry().formats:
        assert fmt.namespace.endswith(":" + fmt.version.split(".")[0])


def test_registry_lists_every_document_type() -> None:
    names = {f.name for f in registry().formats}
    assert {
        "evidence-request",
        "surrender-request",
        "acknowledgment",
        "decision",
        "summons",
        "service-of-documents",
        "letter-of-rights",
        "status-update",
        "evidence-manifest",
    } <= names


def test_languages_code_list() -> None:
    codes = set(_enumeration("LanguageCode"))
    assert codes >= EU_LANGUAGES | MORE_LANGUAGES
    assert len(codes) == 184  # every ISO 639-1 code


def test_countries_code_list() -> None:
    codes = _enumeration("CountryCode")
    assert len(codes) == 249  # every officially assigned ISO 3166-1 alpha-2 code
    assert set(codes) >= EU_STATES
    assert "EL" not in codes and "UK" not in codes  # ISO codes, not EU protocol abbreviations


def test_the_32_list_offences() -> None:
    assert len(_enumeration("ListOffenceCode")) == 32


def test_legal_code_lists_are_there() -> None:
    for name in (
        "MeasureCode",
        "RoleCode",
        "RefusalGroundCode",
        "DecisionOutcomeCode",
        "RightCode",
    ):
        assert len(_enumeration(name)) >= 6, name
