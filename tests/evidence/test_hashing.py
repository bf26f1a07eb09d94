"""Hashing many files: links swapped in while we work are never followed, results come in input
order whatever the number of threads, batches and their order, early stops, the cheap checks
agree with the full ones."""

from __future__ import annotations

import ctypes
import hashlib
import mimetypes
import mmap
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.evidence import batches
from interop.evidence.batches import BATCH_BYTES, BATCH_FILES, Batch, plan, schedule
from interop.evidence.build import build
from interop.evidence.folder import (
    _segment_problem,
    _whole_path_problem,
    path_problem,
    walk,
)
from interop.evidence.hashing import CHUNK, Algorithm, Digest, _buffer, hash_files
from interop.evidence.media import _EXTRA_TYPES, _VALID, media_type
from tests.evidence.evidence_trees import options, sha256

BIG = BATCH_BYTES + 1


def mixed_tree(root: Path) -> dict[str, bytes | int]:
    """Small files in several folders and sparse big ones (their size, content all zeros)."""
    files: dict[str, bytes | int] = {}
    for index in range(BATCH_FILES + 30):
        files[f"a/many/{index:03d}.txt"] = f"file {index}\n".encode() * (index + 1)
    for index in range(5):
        files[f"b/{index}.bin"] = os.urandom(CHUNK + index * 1000)
    files["a/big1.img"] = BIG
    files["c/big2.img"] = 2 * BIG
    files["top.txt"] = b"top"
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            with target.open("wb") as handle:
                handle.truncate(content)
        else:
            target.write_bytes(content)
    return files


def expected_hash(content: bytes | int) -> str:
    if isinstance(content, int):
        digest = hashlib.sha256()
        block = bytes(CHUNK)
        left = content
        while left:
            digest.update(block[: min(left, CHUNK)])
            left -= min(left, CHUNK)
        return digest.hexdigest()
    return sha256(content)


def results(root: Path, workers: int) -> list[tuple[str, str | None, int]]:
    found = walk(root).files
    return [
        (path, None, 0) if isinstance(d, OSError) else (path, d.value(Algorithm.SHA256), d.size)
        for path, d in hash_files(root, found, (Algorithm.SHA256,), workers=workers)
    ]


# ----- order and content ----------------------------------------------------------------------


def test_results_in_input_order_and_right_for_any_number_of_threads(tmp_path: Path) -> None:
    files = mixed_tree(tmp_path)
    one = results(tmp_path, 1)
    assert [p for p, _, _ in one] == sorted(files)
    for path, value, size in one:
        content = files[path]
        assert value == expected_hash(content), path
        assert size == (content if isinstance(content, int) else len(content))
    for workers in (2, 3, 8):
        assert results(tmp_path, workers) == one


def test_build_items_identical_for_one_and_many_threads(tmp_path: Path) -> None:
    mixed_tree(tmp_path)
    one = build(tmp_path, options(workers=1)).tree.getroot()
    two = build(tmp_path, options(workers=2)).tree.getroot()
    items = "{urn:interop:evidence:1}items"
    assert [x.get("id") for x in one.find(items)] == [x.get("id") for x in two.find(items)]
    first, second = one.find(items), two.find(items)
    assert first is not None and second is not None
    assert [list(x.itertext()) for x in first] == [list(x.itertext()) for x in second]


class Told:
    """A progress callback that adds up what the threads tell it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.total = 0

    def __call__(self, count: int) -> None:
        with self.lock:
            self.total += count


def test_progress_counts_every_byte_once(tmp_path: Path) -> None:
    files = mixed_tree(tmp_path)
    total = sum(c if isinstance(c, int) else len(c) for c in files.values())
    for workers in (1, 3):
        told = Told()
        found = walk(tmp_path).files
        list(hash_files(tmp_path, found, (Algorithm.SHA256,), workers=workers, on_bytes=told))
        assert told.total == total


def test_plain_paths_of_unknown_size_work_too(tmp_path: Path) -> None:
    files = mixed_tree(tmp_path)
    paths = sorted(files)
    found = dict(hash_files(tmp_path, paths, (Algorithm.SHA256, Algorithm.MD5), workers=2))
    assert list(found) == paths
    digest = found["top.txt"]
    assert isinstance(digest, Digest)
    assert digest.hashes == (
        (Algorithm.SHA256, sha256(b"top")),
        (Algorithm.MD5, hashlib.md5(b"top").hexdigest()),
    )
    assert digest.head == b"top"


def test_a_bad_path_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"a")
    told = Told()
    with pytest.raises(ValueError, match="outside the evidence folder"):
        list(hash_files(tmp_path, ["a", "../a"], (Algorithm.SHA256,), workers=2, on_bytes=told))
    assert told.total == 0


def test_stopping_early_ends_the_threads(tmp_path: Path) -> None:
    mixed_tree(tmp_path)
    before = threading.active_count()
    found = hash_files(tmp_path, walk(tmp_path).files, (Algorithm.SHA256,), workers=3)
    first = next(found)
    assert first[0] == "a/big1.img"
    found.close()
    assert threading.active_count() == before


def test_an_error_in_a_thread_reaches_the_caller() -> None:
    def broken(batch: Batch) -> list[int]:
        if batch.names == ("y",):
            raise RuntimeError("broken")
        return [1] * len(batch.names)

    work = [Batch((), ("x",), ("x",), BIG), Batch(("d",), ("y",), ("d/y",), 0)]
    with pytest.raises(RuntimeError, match="broken"):
        list(batches.run_in_order(work, broken, workers=2, stop=threading.Event()))


# ----- links and other files swapped in between the walk and the hashing ------------------------


def outside_secret(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"not evidence")
    return outside


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_replaced_by_a_link_after_the_walk_is_not_followed(
    tmp_path: Path, workers: int
) -> None:
    outside = outside_secret(tmp_path)
    folder = tmp_path / "evidence"
    mixed_tree(folder)
    listing = walk(folder)
    for rel in ("top.txt", "a/many/003.txt", "a/big1.img"):
        (folder / rel).unlink()
        (folder / rel).symlink_to(outside / "secret.txt")
    found = dict(hash_files(folder, listing.files, (Algorithm.SHA256,), workers=workers))
    for rel in ("top.txt", "a/many/003.txt", "a/big1.img"):
        assert isinstance(found[rel], OSError), rel
    assert isinstance(found["a/many/004.txt"], Digest)
    assert sha256(b"not evidence") not in str(found)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_folder_replaced_by_a_link_after_the_walk_is_not_followed(
    tmp_path: Path, workers: int
) -> None:
    outside = outside_secret(tmp_path)
    (outside / "many").mkdir()
    (outside / "many" / "000.txt").write_bytes(b"not evidence")
    folder = tmp_path / "evidence"
    mixed_tree(folder)
    listing = walk(folder)
    (folder / "a").rename(tmp_path / "moved")
    (folder / "a").symlink_to(outside, target_is_directory=True)
    found = dict(hash_files(folder, listing.files, (Algorithm.SHA256,), workers=workers))
    inside_a = [p for p in found if p.startswith("a/")]
    assert inside_a and all(isinstance(found[p], OSError) for p in inside_a)
    assert isinstance(found["b/0.bin"], Digest)
    assert sha256(b"not evidence") not in str(found)


def test_a_linked_folder_inside_the_tree_is_skipped_and_never_opened(tmp_path: Path) -> None:
    outside = outside_secret(tmp_path)
    folder = tmp_path / "evidence"
    mixed_tree(folder)
    (folder / "b" / "elsewhere").symlink_to(outside, target_is_directory=True)
    listing = walk(folder)
    assert [s.path for s in listing.skipped] == ["b/elsewhere"]
    assert not any(f.path.startswith("b/elsewhere") for f in listing.files)
    found = dict(hash_files(folder, ["b/elsewhere/secret.txt"], (Algorithm.SHA256,), workers=2))
    assert isinstance(found["b/elsewhere/secret.txt"], OSError)


def test_a_pipe_swapped_in_for_a_file_is_refused_without_blocking(tmp_path: Path) -> None:
    mixed_tree(tmp_path)
    listing = walk(tmp_path)
    (tmp_path / "top.txt").unlink()
    os.mkfifo(tmp_path / "top.txt")
    found = dict(hash_files(tmp_path, listing.files, (Algorithm.SHA256,), workers=2))
    assert isinstance(found["top.txt"], OSError)
    assert "not a regular file" in str(found["top.txt"])


def test_a_missing_evidence_folder_gives_an_error_per_file(tmp_path: Path) -> None:
    found = list(hash_files(tmp_path / "gone", ["a", "b/c"], (Algorithm.SHA256,), workers=2))
    assert [p for p, _ in found] == ["a", "b/c"]
    assert all(isinstance(d, OSError) for _, d in found)


# ----- batches --------------------------------------------------------------------------------


def test_batches_hold_the_files_of_one_folder_up_to_the_limits() -> None:
    files = [(f"d/{n:03d}", 10) for n in range(BATCH_FILES + 1)]
    files += [("d/e/x", 10), ("d/y", 10), ("big", BIG), ("z1", BATCH_BYTES // 2)]
    files += [("z2", BATCH_BYTES // 2), ("z3", 1), ("unknown", -1)]
    made = plan(files)
    assert [(b.folder, len(b.names), b.size) for b in made] == [
        (("d",), BATCH_FILES, 10 * BATCH_FILES),
        (("d",), 1, 10),
        (("d", "e"), 1, 10),
        (("d",), 1, 10),
        ((), 1, BIG),
        ((), 2, BATCH_BYTES),
        ((), 2, 1),
    ]
    assert [p for b in made for p in b.paths] == [p for p, _ in files]
    assert made[2].names == ("x",) and made[2].paths == ("d/e/x",)


def test_big_files_start_first_biggest_first_then_input_order() -> None:
    made = plan([("a", 1), ("b", BIG), ("c", 1), ("d", 3 * BIG), ("e/f", 1), ("g", 2 * BIG)])
    order = [made[i].paths for i in schedule(made)]
    assert order == [("d",), ("g",), ("b",), ("a",), ("c",), ("e/f",)]


# ----- the cheap checks agree with the full ones ------------------------------------------------

SEGMENT_CHARS = st.sampled_from(["a", "Ü", ".", " ", "\t", ":", "\\", "\x85", "z", "-", "報"])


def slow_path_problem(path: str) -> bool:
    if _whole_path_problem(path):
        return True
    return any(s in ("", ".", "..") or _segment_problem(s) for s in path.split("/"))


@given(st.lists(st.text(SEGMENT_CHARS, max_size=4), min_size=1, max_size=4).map("/".join))
def test_the_one_expression_check_agrees_with_the_segment_checks(path: str) -> None:
    assert (path_problem(path) is not None) == slow_path_problem(path)


@given(
    st.text(st.sampled_from(["a", ".", ":", "x"]), max_size=3),
    st.lists(st.sampled_from([*list(mimetypes.types_map)[:60], ".gz", ".tgz", ".E01", "."]),
             max_size=3),
)  # fmt: skip
def test_cached_media_types_by_name_equal_mimetypes(stem: str, suffixes: list[str]) -> None:
    name = stem + "".join(suffixes)
    dot = name.rfind(".")
    expected = _EXTRA_TYPES.get(name[dot:].lower()) if dot > 0 else None
    if expected is None:
        guessed, _encoding = mimetypes.guess_type(name, strict=False)
        expected = guessed if guessed and _VALID.fullmatch(guessed) else None
    assert media_type(name, b"") == (expected or "application/octet-stream")


def test_the_read_buffer_starts_on_a_page() -> None:
    # The kernel copies into a buffer that does not start on a cache line several times slower.
    view = _buffer()
    assert len(view) == CHUNK
    assert ctypes.addressof(ctypes.c_char.from_buffer(view)) % mmap.PAGESIZE == 0
