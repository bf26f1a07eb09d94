"""The hardened reader: what it refuses, what it reports, and atomic writes."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from interop.errors import HostileInput, UnreadableInput
from interop.xmlio import Limits, parse_bytes, parse_file, serialize, write_atomic

DOC = b'<?xml version="1.0" encoding="UTF-8"?>\n<a xmlns="urn:x"><b>\xc3\xa9</b></a>\n'


def test_parses_a_plain_document_with_lines() -> None:
    tree = parse_bytes(DOC, "doc.xml")
    assert tree.getroot()[0].text == "é"
    assert tree.getroot()[0].sourceline == 2


def test_malformed_xml_names_file_line_and_column() -> None:
    with pytest.raises(UnreadableInput) as info:
        parse_bytes(b"<a>\n  <b></a>", "broken.xml")
    error = info.value
    assert (error.path, error.line) == ("broken.xml", 2)
    assert error.column is not None
    assert str(error).startswith("broken.xml:2:")
    assert "not well-formed" in error.reason


def test_doctype_refused_before_parsing_even_after_comments() -> None:
    data = b'<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE a [<!ENTITY e "x">]>\n<a>&e;</a>'
    with pytest.raises(HostileInput) as info:
        parse_bytes(data, "d.xml")
    assert info.value.line == 3


def test_doctype_in_utf16_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16")
    with pytest.raises(HostileInput):
        parse_bytes(data, "wide.xml")


def test_doctype_text_inside_content_is_harmless() -> None:
    tree = parse_bytes(b"<a><![CDATA[<!DOCTYPE x>]]></a>", "cdata.xml")
    assert tree.getroot().text == "<!DOCTYPE x>"


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("gzip", gzip.compress(DOC)),
        ("zip", b"PK\x03\x04" + b"\0" * 30),
        ("bzip2", b"BZh91AY&SY"),
        ("xz", b"\xfd7zXZ\x00\x00"),
    ],
)
def test_compressed_input_refused(kind: str, data: bytes) -> None:
    with pytest.raises(HostileInput, match=kind):
        parse_bytes(data, "packed.xml")


def test_real_zip_archive_refused(tmp_path: Path) -> None:
    archive = tmp_path / "doc.xml"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("doc.xml", DOC)
    with pytest.raises(HostileInput, match="zip"):
        parse_file(archive)


def test_size_cap_refuses_without_reading_everything(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b"x" * 2048 + b"</a>")
    with pytest.raises(UnreadableInput, match="limit"):
        parse_file(big, limits=Limits(max_bytes=1024))


def test_depth_cap_configurable() -> None:
    deep = b"<a>" * 40 + b"</a>" * 40
    parse_bytes(deep, "ok.xml")
    with pytest.raises(UnreadableInput, match="deeper than 30"):
        parse_bytes(deep, "deep.xml", limits=Limits(max_depth=30))


def test_libxml2_depth_limit_applies_by_default() -> None:
    deep = b"<a>" * 300 + b"</a>" * 300
    with pytest.raises(UnreadableInput):
        parse_bytes(deep, "deep.xml")


def test_missing_file_and_directory_are_reported(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="no such file"):
        parse_file(tmp_path / "nope.xml")
    with pytest.raises(UnreadableInput, match="directory"):
        parse_file(tmp_path)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableInput, match="not a regular file"):
        parse_file(fifo)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(DOC)

    monkeypatch.setattr("sys.stdin", FakeStdin)
    assert parse_file("-").getroot().tag == "{urn:x}a"


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"old")
    write_atomic(target, serialize(parse_bytes(DOC, "doc.xml")))
    assert parse_file(target).getroot()[0].text == "é"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_arbitrary_bytes_never_escape_as_other_errors(data: bytes) -> None:
    with contextlib.suppress(UnreadableInput):
        parse_bytes(data, "fuzz.xml")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_text_content_round_trips(text: str) -> None:
    element = etree.Element("a")
    try:
        element.text = text
    except ValueError:
        return  # control characters XML 1.0 cannot hold
    again = parse_bytes(serialize(element), "rt.xml").getroot()
    assert (again.text or "") == text  # lxml writes \r as &#13;, so even it survives
