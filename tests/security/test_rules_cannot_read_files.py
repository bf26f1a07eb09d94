"""Rules files run XPath 2/3, which has functions that read files or URLs (doc,
unparsed-text). A rules file must not be able to read local files through them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

SCHEMA = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"/></xs:schema>'


def _rules(tmp_path: Path, select: str) -> Path:
    path = tmp_path / "evil.sch"
    path.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">'
        '<sch:pattern><sch:rule context="/*"><sch:report id="leak" test="true()">'
        f'<sch:value-of select="{select}"/></sch:report></sch:rule></sch:pattern></sch:schema>'
    )
    return path


def _run(tmp_path: Path, select: str) -> str:
    secret = tmp_path / "secret.xml"  # well-formed, so doc() could have parsed it
    secret.write_text("<s>TOP-SECRET-CONTENT</s>")
    (tmp_path / "a.xsd").write_text(SCHEMA)
    (tmp_path / "a.xml").write_text("<a/>")
    rules = _rules(tmp_path, select.replace("SECRET", secret.as_uri()))
    done = run_cli(
        "validate",
        str(tmp_path / "a.xml"),
        "--schema",
        str(tmp_path / "a.xsd"),
        "--rules",
        str(rules),
    )
    return done.stdout + done.stderr


def test_unparsed_text_is_refused(tmp_path: Path) -> None:
    output = _run(tmp_path, "unparsed-text('SECRET')")
    assert "TOP-SECRET-CONTENT" not in output
    assert "not allowed" in output


def test_doc_reads_nothing(tmp_path: Path) -> None:
    output = _run(tmp_path, "string(doc('SECRET'))")
    assert "TOP-SECRET-CONTENT" not in output
