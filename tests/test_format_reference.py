"""docs/format-reference.md is generated from the schemas and must match them (a golden file)."""

from __future__ import annotations

import difflib
import importlib.util
import re
import sys
from functools import cache
from types import ModuleType

import pytest

from interop.xmlio import parse_file
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "gen_format_reference.py"
PAGE = ROOT / "docs" / "format-reference.md"
SCH = {"sch": "http://purl.oclc.org/dsdl/schematron"}
REGENERATE = ".venv/bin/python scripts/gen_format_reference.py"


@cache
def generator() -> ModuleType:
    """scripts/gen_format_reference.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_format_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def generated() -> str:
    page: str = generator().render(ROOT)
    return page


def test_committed_page_is_what_the_script_generates() -> None:
    committed = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
    expected = generated()
    if committed != expected:
        diff = difflib.unified_diff(
            committed.splitlines(),
            expected.splitlines(),
            "docs/format-reference.md (committed)",
            "docs/format-reference.md (generated now)",
            lineterm="",
            n=1,
        )
        excerpt = "\n".join(line[:200] for line in list(diff)[:30])
        pytest.fail(
            f"docs/format-reference.md is out of date; run `{REGENERATE}` and commit the "
            f"result.\n{excerpt}",
            pytrace=False,
        )


def test_every_internal_link_points_at_a_heading() -> None:
    page = generated()
    headings = {
        generator().slug(heading) for heading in re.findall(r"^#+ (.+)$", page, re.MULTILINE)
    }
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links - headings == set()


def test_page_covers_every_document_type_and_rule() -> None:
    page = generated()
    schemas = generator().load_schemas(ROOT)
    for namespace, local in schemas.elements:
        assert f"### {schemas.prefixes[namespace]}:{local}\n" in page
    for path in (ROOT / "xsd" / "rules").glob("*.sch"):
        checks = parse_file(path).xpath("//sch:assert/@id | //sch:report/@id", namespaces=SCH)
        assert checks
        for rule_id in checks:
            assert f"| `{rule_id}` |" in page, rule_id
