"""``evidence verify``: every change to the folder reported, hostile manifests refused."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from interop.errors import UnreadableInput
from interop.evidence.build import build
from interop.evidence.manifest import NSMAP
from interop.evidence.verify import Report, Status, verify
from interop.xmlio import parse_bytes, serialize
from tests.evidence.evidence_trees import make_tree, options


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, etree._ElementTree]:
    folder = tmp_path / "evidence"
    make_tree(folder)
    result = build(folder, options())
    assert result.valid
    return folder, result.tree


def statuses(report: Report) -> dict[str, Status]:
    return {check.path: check.status for check in report.checks}


def run(folder: Path, tree: etree._ElementTree, workers: int = 2) -> Report:
    return verify("manifest.xml", tree, folder, workers=workers)


def test_an_untouched_folder_is_ok(built: tuple[Path, etree._ElementTree]) -> None:
    folder, tree = built
    report = run(folder, tree)
    assert report.ok
    assert set(statuses(report).values()) == {Status.OK}
    assert report.count(Status.OK) == len(tree.getroot().findall("e:items/e:item", NSMAP))


@pytest.mark.parametrize("workers", [1, 2])
def test_one_flipped_byte_is_reported(built: tuple[Path, etree._ElementTree], workers: int) -> None:
    folder, tree = built
    target = folder / "noext"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size: only the hash can tell
    target.write_bytes(bytes(data))
    report = run(folder, tree, workers)
    assert not report.ok
    assert statuses(report)["noext"] is Status.MODIFIED
    check = next(c for c in report.checks if c.path == "noext")
    assert check.detail == "SHA-256 differ"
    assert dict(check.expected)["SHA-256"] != dict(check.actual)["SHA-256"]
    assert [c.path for c in report.checks if c.status is not Status.OK] == ["noext"]


def test_deleted_added_and_resized_files_are_each_reported(
    built: tuple[Path, etree._ElementTree],
) -> None:
    folder, tree = built
    (folder / "Unicode" / "Αποδείξεις.txt").unlink()
    (folder / "Buchhaltung" / "neu.txt").write_bytes(b"added later")
    (folder / "Fotos" / "bild.png").write_bytes(b"shorter")
    found = statuses(run(folder, tree))
    assert found["Unicode/Αποδείξεις.txt"] is Status.MISSING
    assert found["Buchhaltung/neu.txt"] is Status.EXTRA
    assert found["Fotos/bild.png"] is Status.MODIFIED
    assert sum(1 for s in found.values() if s is not Status.OK) == 3


def test_a_file_replaced_by_a_link_is_not_followed(
    built: tuple[Path, etree._ElementTree], tmp_path: Path
) -> None:
    folder, tree = built
    copy = tmp_path / "copy-of-noext"
    copy.write_bytes((folder / "noext").read_bytes())  # the right content, outside
    (folder / "noext").unlink()
    (folder / "noext").symlink_to(copy)
    check = next(c for c in run(folder, tree).checks if c.path == "noext")
    assert check.status is Status.MODIFIED
    assert "symbolic link" in check.detail


def test_links_and_pipes_added_to_the_folder_are_listed_but_no_mismatch(
    built: tuple[Path, etree._ElementTree],
) -> None:
    folder, tree = built
    (folder / "link").symlink_to("/etc/passwd")
    report = run(folder, tree)
    assert statuses(report)["link"] is Status.SKIPPED
    assert report.ok


def test_names_compare_in_unicode_normal_form(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    nfc = "Übersicht.txt"
    (folder / nfc).write_bytes(b"x")
    tree = build(folder, options()).tree
    (folder / nfc).rename(folder / unicodedata.normalize("NFD", nfc))  # as macOS stores it
    assert run(folder, tree).ok


def test_json_report(built: tuple[Path, etree._ElementTree]) -> None:
    folder, tree = built
    (folder / "empty.bin").unlink()
    document = json.loads(run(folder, tree).to_json())
    assert document["ok"] is False
    assert document["summary"]["missing"] == 1
    missing = [f for f in document["files"] if f["status"] == "missing"]
    assert missing[0]["path"] == "empty.bin" and missing[0]["item"]
    assert missing[0]["expected"]["SHA-256"]


def test_the_manifest_inside_the_folder_is_not_extra(
    built: tuple[Path, etree._ElementTree],
) -> None:
    folder, tree = built
    inside = folder / "manifest.xml"
    inside.write_bytes(serialize(tree))
    assert verify(str(inside), tree, folder).ok


def _with_path(tree: etree._ElementTree, path: str) -> etree._ElementTree:
    copy = parse_bytes(serialize(tree), "manifest.xml")
    element = copy.getroot().find("e:items/e:item/e:path", NSMAP)
    assert element is not None
    element.text = path
    return copy


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("../outside.txt", "'..' segment"),
        ("Buchhaltung/../../outside.txt", "'..' segment"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/win.ini", "absolute"),
        ("Buchhaltung\\leer.txt", "backslash"),
        ("./empty.bin", "'.' segment"),
    ],
)
def test_hostile_paths_are_refused_before_anything_is_opened(
    built: tuple[Path, etree._ElementTree], tmp_path: Path, path: str, words: str
) -> None:
    _folder, tree = built
    # A folder that does not exist: the manifest is refused before the folder is looked at.
    with pytest.raises(UnreadableInput) as caught:
        verify("manifest.xml", _with_path(tree, path), tmp_path / "nowhere")
    message = str(caught.value)
    assert words in message and "refused" in message and "manifest.xml:" in message


@pytest.mark.parametrize(
    ("value", "words"),
    [("abc", "3 characters, not 64"), ("z" * 64, "hexadecimal"), ("a" * 65, "65 characters")],
)
def test_malformed_hashes_are_refused(
    built: tuple[Path, etree._ElementTree], value: str, words: str
) -> None:
    folder, tree = built
    copy = parse_bytes(serialize(tree), "manifest.xml")
    element = copy.getroot().find("e:items/e:item/e:hash", NSMAP)
    assert element is not None
    element.text = value
    with pytest.raises(UnreadableInput, match=words):
        verify("manifest.xml", copy, folder)


def test_two_items_naming_one_file_are_refused(built: tuple[Path, etree._ElementTree]) -> None:
    folder, tree = built
    copy = parse_bytes(serialize(tree), "manifest.xml")
    paths = copy.getroot().findall("e:items/e:item/e:path", NSMAP)
    paths[1].text = paths[0].text
    with pytest.raises(UnreadableInput, match="name the same file"):
        verify("manifest.xml", copy, folder)
