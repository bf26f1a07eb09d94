"""``evidence build`` on generated folders: every file listed with the right facts, links never
followed, a manifest the rules accept only when the seizure is complete, bounded memory."""

from __future__ import annotations

import hashlib
import os
import sys
import textwrap
from pathlib import Path

import pytest

from interop.evidence.build import build
from interop.evidence.folder import open_beneath, path_problem, walk
from interop.evidence.hashing import Algorithm, hash_files
from interop.evidence.manifest import NSMAP
from interop.evidence.media import media_type
from interop.validate.findings import Severity
from tests.conftest import run_measuring_memory
from tests.evidence.evidence_trees import make_tree, options, sha256

TWO_GB = 2 * 1024**3
# SHA-256 of 2 GiB of zeros, from another tool: head -c 2147483648 /dev/zero | openssl dgst -sha256
ZEROS_2GB_SHA256 = "a7c744c13cc101ed66c29f672f92455547889cc586ce6d44fe76ae824958ea51"


def items(result_tree: object) -> dict[str, dict[str, object]]:
    """Path -> facts of each item of a built manifest."""
    found: dict[str, dict[str, object]] = {}
    for item in result_tree.getroot().iterfind("e:items/e:item", NSMAP):  # type: ignore[attr-defined]
        hashes = {h.get("algorithm"): h.text for h in item.iterfind("e:hash", NSMAP)}
        found[item.findtext("e:path", namespaces=NSMAP)] = {
            "size": int(item.findtext("e:size", namespaces=NSMAP)),
            "media": item.findtext("e:mediaType", namespaces=NSMAP),
            "hashes": hashes,
            "order": [h.get("algorithm") for h in item.iterfind("e:hash", NSMAP)],
            "id": item.get("id"),
        }
    return found


def test_every_file_listed_with_size_hash_and_relative_path(tmp_path: Path) -> None:
    files = make_tree(tmp_path)
    result = build(tmp_path, options())
    listed = items(result.tree)
    assert set(listed) == set(files)
    for rel, data in files.items():
        assert listed[rel]["size"] == len(data)
        assert listed[rel]["hashes"] == {"SHA-256": sha256(data)}
        assert not rel.startswith("/") and ".." not in rel.split("/")
    assert result.files == len(files) and result.total_bytes == sum(map(len, files.values()))
    assert result.valid and result.complete
    # Only the warning that no custody event is recorded yet: once for the manifest.
    assert [f.rule for f in result.findings] == ["EVD-029"]


def test_extra_algorithms_in_one_pass_sha256_first(tmp_path: Path) -> None:
    files = make_tree(tmp_path)
    result = build(tmp_path, options(Algorithm.MD5, Algorithm.SHA1, Algorithm.SHA512))
    for rel, facts in items(result.tree).items():
        data = files[rel]
        assert facts["order"] == ["SHA-256", "MD5", "SHA-1", "SHA-512"]
        assert facts["hashes"] == {
            "SHA-256": sha256(data),
            "MD5": hashlib.md5(data).hexdigest(),
            "SHA-1": hashlib.sha1(data).hexdigest(),
            "SHA-512": hashlib.sha512(data).hexdigest(),
        }
    assert result.valid


def test_one_worker_and_many_give_the_same_items(tmp_path: Path) -> None:
    make_tree(tmp_path)
    one = items(build(tmp_path, options(workers=1)).tree)
    many = items(build(tmp_path, options(workers=4)).tree)
    assert one == many
    assert [f["id"] for f in one.values()] == [f"F{n}" for n in range(1, len(one) + 1)]


def test_media_types_from_content_then_name(tmp_path: Path) -> None:
    make_tree(tmp_path)
    listed = items(build(tmp_path, options()).tree)
    assert listed["Buchhaltung/Kontoauszug.pdf"]["media"] == "application/pdf"
    assert listed["Fotos/bild.png"]["media"] == "image/png"
    assert listed["Buchhaltung/leer.txt"]["media"] == "text/plain"
    assert listed["noext"]["media"] == "application/octet-stream"
    # Content wins over a misleading name; a ZIP container keeps the name's precise type.
    assert media_type("photo.jpg", b"%PDF-1.7") == "application/pdf"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert media_type("brief.docx", b"PK\x03\x04") == docx
    assert media_type("unknown", b"PK\x03\x04") == "application/zip"
    assert media_type("chat.db", b"SQLite format 3\x00") == "application/vnd.sqlite3"


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"not evidence")
    folder = tmp_path / "evidence"
    make_tree(folder)
    (folder / "to-secret").symlink_to(outside / "secret.txt")
    (folder / "to-outside-dir").symlink_to(outside, target_is_directory=True)
    (folder / "to-inside").symlink_to(folder / "noext")
    result = build(folder, options())
    listed = items(result.tree)
    assert not any(p.startswith(("to-", "outside")) for p in listed)
    assert "noext" in listed  # the target of the inside link is listed under its own path
    skipped = {s.path: s for s in result.skipped}
    assert set(skipped) == {"to-secret", "to-outside-dir", "to-inside"}
    assert all("symbolic link" in s.reason and not s.is_file for s in skipped.values())
    assert sha256(b"not evidence") not in str(listed)
    assert result.complete and result.valid


def test_pipes_are_skipped_without_blocking(tmp_path: Path) -> None:
    make_tree(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    result = build(tmp_path, options())
    assert [s.path for s in result.skipped] == ["pipe"]
    assert result.complete


def test_a_file_that_cannot_be_named_makes_the_build_incomplete(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "notes.").write_bytes(b"trailing dot")
    (tmp_path / "a:b").write_bytes(b"colon")
    result = build(tmp_path, options())
    bad = {s.path: s for s in result.skipped}
    assert set(bad) == {"notes.", "a:b"} and all(s.is_file for s in bad.values())
    assert "rename the file" in bad["a:b"].reason
    assert not result.complete


def test_without_seizure_the_rules_say_what_is_missing(tmp_path: Path) -> None:
    make_tree(tmp_path)
    result = build(tmp_path, options(seizure=False))
    errors = {f.rule for f in result.findings if f.severity is Severity.ERROR}
    assert "EVD-020" in errors
    assert not result.valid


def test_the_manifest_written_into_the_folder_is_not_listed(tmp_path: Path) -> None:
    make_tree(tmp_path)
    manifest = tmp_path / "manifest.xml"
    manifest.write_bytes(b"<old/>")
    listed = items(build(tmp_path, options(), skip_files=(manifest,)).tree)
    assert "manifest.xml" not in listed


def test_paths_outside_the_folder_are_refused_before_opening(tmp_path: Path) -> None:
    for hostile in ("../etc/passwd", "/etc/passwd", "a/../../x", "C:/x", "a\\b", "a//b", ""):
        assert path_problem(hostile), hostile
        with pytest.raises(ValueError):
            open_beneath(tmp_path, hostile)
    assert path_problem("Ordner/Übersicht März.pdf") is None


def test_a_link_on_the_way_is_not_followed_when_opening(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_bytes(b"outside")
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    (folder / "x.txt").symlink_to(outside / "x.txt")
    for path in ("sub/x.txt", "x.txt"):
        with pytest.raises(OSError):
            open_beneath(folder, path)
    assert walk(folder).files == ()


def test_unreadable_files_are_reported_by_the_hasher(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"a")
    results = dict(hash_files(tmp_path, ["a", "gone"], (Algorithm.SHA256,), workers=2))
    assert isinstance(results["gone"], OSError)
    assert results["a"].value(Algorithm.SHA256) == sha256(b"a")  # type: ignore[union-attr]


@pytest.mark.slow
def test_two_gigabyte_sparse_file_in_bounded_memory(tmp_path: Path) -> None:
    """Hashing 2 GB of zeros takes a second or two; peak memory of the whole build stays small."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    with (folder / "disk.img").open("wb") as handle:
        handle.truncate(TWO_GB)
    (folder / "small.txt").write_bytes(b"small")
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from interop.evidence.build import build
        from interop.evidence.manifest import NSMAP
        from tests.evidence.evidence_trees import options
        result = build(Path({str(folder)!r}), options())
        item = result.tree.getroot().find("e:items/e:item", NSMAP)
        print(item.findtext("e:size", namespaces=NSMAP))
        print(item.findtext("e:hash", namespaces=NSMAP))
        """
    )
    done, max_rss_kb = run_measuring_memory([sys.executable, "-c", script], tmp_path)
    assert done.returncode == 0, done.stderr
    size, digest = done.stdout.split()
    assert int(size) == TWO_GB
    assert digest == ZEROS_2GB_SHA256
    assert max_rss_kb < 100 * 1024, f"peak memory {max_rss_kb // 1024} MB"
