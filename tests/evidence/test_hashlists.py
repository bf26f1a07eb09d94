"""Hash lists (hashdeep, md5deep, sha256sum, BSD style) -> draft evidence manifests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.convert.loss import LossKind
from interop.errors import UnreadableInput, UsageError
from interop.evidence.formats.draft import evidence_path
from tests.conftest import FIXTURES, run_cli
from tests.evidence.formats_support import (
    CLI_OPTIONS,
    NS,
    hashes,
    items,
    losses,
    read,
    rule_errors,
)

HASHDEEP = FIXTURES / "hashdeep" / "hashdeep.txt"
MD5DEEP = FIXTURES / "hashdeep" / "md5deep.txt"
SHA_A = "a" * 64
SHA_B = "b" * 64


def test_hashdeep_fixture_gives_one_item_per_file_with_size_and_both_hashes() -> None:
    result = read("hashdeep", HASHDEEP.read_bytes(), root="/Users/jessek/projects/md5deep")
    found = items(result.document)
    assert [i.findtext("e:path", namespaces=NS) for i in found] == [
        "sample-hashes/ilookv3.hsh",
        "sample-hashes/md5deep-size.txt",
        "sample-hashes/md5deep.txt",
    ]
    first = found[0]
    assert first.findtext("e:size", namespaces=NS) == "622"
    assert hashes(first) == {
        "MD5": "6f4a8ac099c4fe85164b8631c7f0bd2b",
        "SHA-256": "2f1cf7a397bb8eed63b225d5d4fd5e2fc71788c8ae12db94147d1f5e227a4118",
    }
    # The tool's own name of the file is kept, next to the path in the evidence folder.
    assert first.findtext("e:sourcePath", namespaces=NS).startswith("/Users/jessek/")
    # The two ## comment lines are reported by line number, not dropped.
    assert [p for p, _ in losses(result, LossKind.UNCONSUMED)] == ["line 3", "line 4"]
    # A draft: schema-valid, and the rules name what a hash list cannot know.
    assert rule_errors(result.document) == {"EVD-020"}


def test_md5deep_fixture_is_read_as_md5_and_the_draft_lacks_sha256_and_size() -> None:
    result = read("md5deep", MD5DEEP.read_bytes(), root="/Users/jessek")
    found = items(result.document)
    assert len(found) == 4
    assert hashes(found[1]) == {"MD5": "4d46e4ef07fd0c7fa82bd5008b06db37"}
    assert found[2].findtext("e:path", namespaces=NS) == "foo.cpp~"
    assert {"EVD-007", "EVD-013", "EVD-020"} <= rule_errors(result.document)


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("sha256sum", f"{SHA_A}  ../../etc/passwd", "'..'"),
        ("sha256sum", f"{SHA_A}  /etc/passwd", "absolute path; pass -O root"),
        ("sha256sum", f"{SHA_A} *C:\\Windows\\system.ini", "absolute path"),
        ("bsd", f"SHA256 (a/../../b) = {SHA_A}", "'..'"),
        ("md5deep", "0" * 32 + "  /srv/other/x", "outside the root /srv/case"),
    ],
)
def test_paths_leaving_the_evidence_folder_refuse_the_list_with_the_line(
    name: str, line: str, expected: str
) -> None:
    data = f"{SHA_A}  ok.txt\n{line}\n".encode() if name == "sha256sum" else f"{line}\n".encode()
    with pytest.raises(UnreadableInput) as caught:
        read(name, data, "list.txt", root="/srv/case" if name == "md5deep" else None)
    assert expected in caught.value.reason
    assert caught.value.line == (2 if name == "sha256sum" else 1)


def test_bad_lines_are_reported_with_their_line_and_never_guessed() -> None:
    data = "\n".join(
        [
            f"{SHA_A}  good.txt",
            f"{SHA_A[:-1]}  short.txt",  # 63 characters
            f"{'z' * 64}  nothex.txt",
            "this is not a hash line",
            f"{SHA_A}  twice.txt",
            f"{SHA_B}  twice.txt",  # conflicts with line 5: neither is kept
            f"{SHA_A} *binary mode.bin",
            f"{SHA_A}  star?.txt",  # not a portable path
        ]
    ).encode()
    result = read("sha256sum", data)
    rejected = dict(losses(result, LossKind.REJECTED))
    assert "63 hexadecimal characters instead of 64" in rejected["line 2"]
    assert "not hexadecimal" in rejected["line 3"]
    assert "not a '<hash>  <path>' line" in rejected["line 4"]
    assert "conflicts with" in rejected["line 6"] and "neither is kept" in rejected["line 6"]
    assert "not a portable path" in rejected["line 8"]
    by_path = {i.findtext("e:path", namespaces=NS): i for i in items(result.document)}
    assert set(by_path) == {"good.txt", "short.txt", "nothex.txt", "twice.txt", "binary mode.bin"}
    assert hashes(by_path["twice.txt"]) == {}
    assert hashes(by_path["binary mode.bin"]) == {"SHA-256": SHA_A}
    assert "EVD-007" in rule_errors(result.document)  # twice.txt has no SHA-256 any more


def test_hashdeep_unknown_columns_and_malformed_lines_are_reported() -> None:
    data = (
        "%%%% HASHDEEP-1.0\n"
        "%%%% size,md5,tiger,sha256,filename\n"
        f"12,{'1' * 32},{'2' * 48},{SHA_A},dir/a, with comma.txt\n"
        f"x12,{'1' * 32},{'2' * 48},{SHA_A},dir/b.txt\n"
        "3,only,two\n"
    ).encode()
    result = read("hashdeep", data)
    rejected = dict(losses(result, LossKind.REJECTED))
    assert "column 'tiger': unknown hash algorithm" in rejected["line 2"]
    assert "size 'x12' is not a number" in rejected["line 4"]
    assert "3 fields instead of 5" in rejected["line 5"]
    first = items(result.document)[0]
    assert first.findtext("e:path", namespaces=NS) == "dir/a, with comma.txt"
    assert first.findtext("e:size", namespaces=NS) == "12"
    assert hashes(first) == {"MD5": "1" * 32, "SHA-256": SHA_A}


def test_hashdeep_without_its_header_is_refused() -> None:
    with pytest.raises(UnreadableInput, match=r"HASHDEEP-1\.0"):
        read("hashdeep", f"{SHA_A}  a.txt\n".encode())


def test_bsd_style_takes_several_algorithms_per_file_and_reports_unknown_ones() -> None:
    data = (
        f"SHA256 (docs/report.pdf) = {SHA_A}\n"
        f"MD5 (docs/report.pdf) = {'c' * 32}\n"
        f"RMD160 (docs/report.pdf) = {'d' * 40}\n"
        f"SHA1(docs/other.pdf)= {'e' * 40}\n"  # openssl dgst spacing
    ).encode()
    result = read("bsd", data)
    report, other = items(result.document)
    assert hashes(report) == {"MD5": "c" * 32, "SHA-256": SHA_A}
    assert hashes(other) == {"SHA-1": "e" * 40}
    assert "unknown hash algorithm 'RMD160'" in dict(losses(result, LossKind.REJECTED))["line 3"]


def test_plain_lists_take_another_algorithm_only_when_told() -> None:
    sha1 = "f" * 40
    result = read("md5deep", f"{sha1}  a.txt\n".encode(), algorithm="sha1")
    assert hashes(items(result.document)[0]) == {"SHA-1": sha1}
    # Without the option a SHA-1 value in an MD5 list is the wrong length, not a SHA-1.
    guessed = read("md5deep", f"{sha1}  a.txt\n".encode())
    assert hashes(items(guessed.document)[0]) == {}
    with pytest.raises(UsageError, match="algorithm 'crc32'"):
        read("md5deep", b"", algorithm="crc32")


def test_coreutils_escaped_names_and_dot_segments() -> None:
    data = f"\\{SHA_A}  dir\\\\name.txt\n{SHA_B}  ./sub/./b.txt\n".encode()
    paths = [i.findtext("e:path", namespaces=NS) for i in items(read("sha256sum", data).document)]
    # A backslash is a folder separator in the manifest (Windows lists write them).
    assert paths == ["dir/name.txt", "sub/b.txt"]


def test_a_list_with_no_usable_line_and_a_non_utf8_list_are_refused() -> None:
    with pytest.raises(UnreadableInput, match="no line is a sha256sum hash line"):
        read("sha256sum", b"hello\nworld\n")
    with pytest.raises(UnreadableInput, match="not UTF-8") as caught:
        read("sha256sum", f"{SHA_A}  a.txt\n".encode() + b"\xff\xfe  b\n")
    assert caught.value.line == 2


def test_the_document_options_are_required_as_for_csv_imports() -> None:
    from interop.convert import registry  # noqa: PLC0415

    with pytest.raises(UsageError, match="case reference is required"):
        registry.get("sha256sum").to_common(f"{SHA_A}  a\n".encode(), "x")


def test_cli_reports_the_draft_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "manifest.xml"
    done = run_cli(
        "convert", str(HASHDEEP), "--from", "hashdeep", "--to", "common", "-o", str(out),
        *CLI_OPTIONS, "-O", "root=/Users/jessek/projects/md5deep/sample-hashes",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "[EVD-020]" in done.stderr and "not written (invalid output)" in done.stderr
    assert "line 3" in done.stderr  # the comment, reported
    assert not out.exists()


def test_cli_hostile_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    listing = tmp_path / "list.sha256"
    listing.write_text(f"{SHA_A}  ../../etc/shadow\n")
    done = run_cli("convert", str(listing), "--from", "sha256sum", "--to", "common", *CLI_OPTIONS)
    assert done.returncode == 2
    assert f"{listing}:1: '../../etc/shadow': path with '..'" in done.stderr
    assert "Traceback" not in done.stderr


# ---- laws ---------------------------------------------------------------------------------------
_SEGMENT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SEGMENT, min_size=1, max_size=5), st.sampled_from(["", "/", "C:\\", "./"]))
def test_a_path_in_the_manifest_never_leaves_the_folder(segments: list[str], prefix: str) -> None:
    checked = evidence_path(prefix + "/".join(segments), None)
    if checked.path is None:
        assert checked.hostile or checked.problem
        return
    parts = checked.path.split("/")
    assert ".." not in parts and "." not in parts and "" not in parts
    assert not checked.path.startswith("/") and ":" not in checked.path
    assert prefix in ("", "./")  # absolute names never get through without a root


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}(/[a-z0-9_]{1,8}){0,2}\.(txt|bin)", fullmatch=True),
        st.binary(min_size=32, max_size=32).map(bytes.hex),
        min_size=1,
        max_size=20,
    ),
    st.booleans(),
)
def test_every_listed_file_comes_back_with_its_hash(listing: dict[str, str], binary: bool) -> None:
    mode = "*" if binary else " "
    data = "".join(f"{value} {mode}{path}\n" for path, value in listing.items()).encode()
    result = read("sha256sum", data)
    assert {
        i.findtext("e:path", namespaces=NS): hashes(i)["SHA-256"] for i in items(result.document)
    } == listing
    assert not result.loss.of_kind(LossKind.REJECTED)


def test_md5deep_size_column_and_names_that_look_like_it() -> None:
    digits = "1" * 32
    data = f"  12833  {'d' * 32}  image2.jpg\n{digits}  ab  c.txt\n".encode()
    sized, spaced = items(read("md5deep", data).document)
    assert sized.findtext("e:size", namespaces=NS) == "12833"
    assert hashes(sized) == {"MD5": "d" * 32}
    # Not size 111..., hash "ab", file "c.txt": the plain form's value is a valid MD5.
    assert spaced.findtext("e:path", namespaces=NS) == "ab  c.txt"
    assert hashes(spaced) == {"MD5": digits}
