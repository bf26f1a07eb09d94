"""DFXML 1.x (real md5deep output) and 2.0 -> draft evidence manifests."""

from __future__ import annotations

from pathlib import Path

import pytest

from interop.convert.loss import LossKind
from interop.errors import HostileInput, UnreadableInput
from interop.validate.xsd import compile_schema
from interop.xmlio import parse_bytes
from tests.conftest import FIXTURES, run_cli
from tests.evidence.formats_support import CLI_OPTIONS, NS, hashes, items, losses, read, rule_errors

SIMPLE = FIXTURES / "dfxml" / "simple.xml"
DFXML_2 = "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


def dfxml2(fileobjects: str) -> bytes:
    """A DFXML 2.0 document (namespace, version, a volume holding the file objects)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<dfxml xmlns="{DFXML_2}" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0.0">
  <metadata><dc:type>Disk Image</dc:type></metadata>
  <creator>
    <program>fiwalk</program>
    <version>4.4.1</version>
    <execution_environment><start_time>2026-02-10T07:42:00+01:00</start_time></execution_environment>
  </creator>
  <volume offset="1048576">
    <ftype_str>ntfs</ftype_str>
    {fileobjects}
  </volume>
</dfxml>""".encode()


def test_md5deep_dfxml_1x_fixture() -> None:
    result = read("dfxml", SIMPLE.read_bytes(), str(SIMPLE), root="/Users/simsong")
    found = items(result.document)
    assert [i.findtext("e:path", namespaces=NS) for i in found] == [
        "uploads/image2.jpg",
        "uploads/image1.jpg",
        "uploads/image3.jpg",
        "uploads/einstein template.jpg",
    ]
    first = found[0]
    assert first.findtext("e:size", namespaces=NS) == "12833"
    assert hashes(first) == {"MD5": "d7ced55e7d7f5b9995fc3cbac7942155"}
    assert first.findtext("e:fileTimes/e:modified", namespaces=NS) == "2012-02-22T03:53:05Z"
    assert first.findtext("e:fileTimes/e:accessed", namespaces=NS) == "2012-02-23T16:34:27Z"
    acquisition = first.find("e:acquisition", NS)
    assert acquisition.findtext("e:tool/e:name", namespaces=NS) == "MD5DEEP"
    assert acquisition.findtext("e:tool/e:version", namespaces=NS) == "4.0.0_beta2-002"
    assert acquisition.findtext("e:acquiredAt", namespaces=NS) == "2012-02-23T16:35:11Z"
    unconsumed = [path for path, _ in losses(result, LossKind.UNCONSUMED)]
    assert "/dfxml/rusage" in unconsumed
    assert "/dfxml/creator/execution_environment/command_line" in unconsumed
    assert "/dfxml/@xmloutputversion" in unconsumed
    assert {"EVD-007", "EVD-020"} <= rule_errors(result.document)  # MD5 only: a draft


def test_dfxml_2_with_namespace_volume_and_all_times() -> None:
    data = dfxml2(f"""
    <fileobject>
      <filename>Users/anna/Documents/plan.docx</filename>
      <filesize>0</filesize>
      <inode>4711</inode>
      <mtime>2026-01-06T10:00:00Z</mtime>
      <ctime>2026-01-07T10:00:00Z</ctime>
      <atime>2026-01-08T10:00:00Z</atime>
      <crtime>2026-01-05T10:00:00Z</crtime>
      <hashdigest type="sha1">{SHA1}</hashdigest>
      <hashdigest type="sha256">{SHA256.upper()}</hashdigest>
    </fileobject>""")
    # It is DFXML 2.0 as the working group's schema defines it.
    schema = compile_schema(FIXTURES / "dfxml" / "schema" / "dfxml.xsd")
    assert schema.validate(parse_bytes(data, "2.0")), schema.error_log
    result = read("dfxml", data)
    (item,) = items(result.document)
    assert item.findtext("e:path", namespaces=NS) == "Users/anna/Documents/plan.docx"
    assert hashes(item) == {"SHA-1": SHA1, "SHA-256": SHA256}
    times = item.find("e:fileTimes", NS)
    assert [t.text for t in times] == [
        "2026-01-05T10:00:00Z",
        "2026-01-06T10:00:00Z",
        "2026-01-07T10:00:00Z",
        "2026-01-08T10:00:00Z",
    ]
    assert item.findtext("e:acquisition/e:acquiredAt", namespaces=NS) == "2026-02-10T06:42:00Z"
    unconsumed = [path for path, _ in losses(result, LossKind.UNCONSUMED)]
    assert "/dfxml:dfxml/dfxml:volume/dfxml:fileobject/dfxml:inode" in unconsumed
    assert "/dfxml:dfxml/dfxml:volume/@offset" in unconsumed
    # SHA-256 and size: only the seizure (or source item) is missing.
    assert rule_errors(result.document) == {"EVD-020"}


def test_bad_digests_are_reported_not_guessed() -> None:
    data = dfxml2(f"""
    <fileobject>
      <filename>a.bin</filename>
      <filesize>ten</filesize>
      <hashdigest type="sha256">{SHA256[:-2]}</hashdigest>
      <hashdigest type="tiger">{"0" * 48}</hashdigest>
      <hashdigest type="md5"></hashdigest>
      <mtime>yesterday</mtime>
    </fileobject>
    <fileobject><filename>b.bin</filename><hashdigest type="sha256">{SHA256}</hashdigest>
    </fileobject>
    <fileobject><filename>b.bin</filename><hashdigest type="sha256">{"1" * 64}</hashdigest>
    </fileobject>
    """)
    result = read("dfxml", data)
    reasons = [reason for _, reason in losses(result, LossKind.REJECTED)]
    assert "filesize is not a number of bytes" in reasons
    assert "SHA-256 value has 62 hexadecimal characters instead of 64" in reasons
    assert "unknown hash algorithm 'tiger'; the value is not kept" in reasons
    assert "empty MD5 value" in reasons
    assert "not an ISO 8601 date and time" in reasons
    assert any("conflicts with" in r and "neither is kept" in r for r in reasons)
    first, second = items(result.document)
    assert hashes(first) == {} and hashes(second) == {}


@pytest.mark.parametrize(
    ("name", "reason"),
    [("../../etc/passwd", "'..'"), ("/etc/passwd", "absolute path; pass -O root")],
)
def test_filenames_leaving_the_folder_refuse_the_file(name: str, reason: str) -> None:
    data = dfxml2(f"<fileobject><filename>{name}</filename></fileobject>")
    with pytest.raises(UnreadableInput) as caught:
        read("dfxml", data, "hostile.xml")
    assert reason in caught.value.reason
    assert caught.value.line == 11  # the filename's line


def test_fixtures_without_file_names_give_a_clear_error() -> None:
    for path in (
        FIXTURES / "dfxml" / "fileobjectexample.xml",
        FIXTURES / "dfxml/schema/minimal.dfxml",
    ):
        with pytest.raises(UnreadableInput, match="no fileobject names a file"):
            read("dfxml", path.read_bytes(), str(path))


def test_doctype_and_other_xml_are_refused_by_the_hardened_reader() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><dfxml>&a;</dfxml>'
    with pytest.raises(HostileInput):
        read("dfxml", bomb)
    with pytest.raises(UnreadableInput, match="not DFXML"):
        read("dfxml", b"<manifest/>")


def test_cli_convert_from_dfxml(tmp_path: Path) -> None:
    out = tmp_path / "m.xml"
    done = run_cli(
        "convert", str(SIMPLE), "--from", "dfxml", "--to", "common", "-o", str(out),
        *CLI_OPTIONS, "-O", "root=/Users/simsong/uploads",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # a draft: no SHA-256, no seizure
    assert "[EVD-007]" in done.stderr and "unconsumed: /dfxml/rusage" in done.stderr
    assert not out.exists()
