"""``interop evidence verify``: check an evidence folder against its manifest.

Every item with a path is looked up in the folder (walked without following links), its size
compared, then every hash the manifest gives recomputed in one pass. Files of the folder that no
item names are reported as extra. A manifest whose paths could reach outside the folder
(``..``, absolute paths, backslashes) or whose hashes are malformed is refused before anything
is opened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lxml import etree

from interop.errors import UnreadableInput
from interop.evidence.folder import FoundFile, key, path_problem, walk
from interop.evidence.hashing import Algorithm, Progress, default_workers, hash_files
from interop.evidence.manifest import E_NS, NSMAP
from interop.xmlio import Limits, parse_file

_HEX = frozenset("0123456789abcdef")


class Status(StrEnum):
    """The verdict on one file; only ``ok`` is not a mismatch."""

    OK = "ok"
    MODIFIED = "modified"
    MISSING = "missing"
    EXTRA = "extra"
    UNVERIFIED = "unverified"  # the manifest gives no hash for it
    # A link, pipe or device in the folder: never an item (build never lists one, verify never
    # follows one), so it is reported but is not a mismatch.
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Check:
    """One file or item checked.

    Attributes:
        path: the path in the folder.
        status: the verdict.
        item: the item id (None for an extra file).
        detail: what differs, in words.
        expected: the manifest's hashes (algorithm code, lowercase hex).
        actual: the hashes of the file as found.
    """

    path: str
    status: Status
    item: str | None = None
    detail: str = ""
    expected: tuple[tuple[str, str], ...] = ()
    actual: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "item": self.item,
            "path": self.path,
            "status": self.status.value,
            "detail": self.detail,
            "expected": dict(self.expected),
            "actual": dict(self.actual),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The result of verifying one folder against one manifest."""

    manifest: str
    folder: str
    checks: tuple[Check, ...]

    def count(self, status: Status) -> int:
        return sum(1 for check in self.checks if check.status is status)

    @property
    def ok(self) -> bool:
        return all(check.status in (Status.OK, Status.SKIPPED) for check in self.checks)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s.value}" for s in Status if self.count(s))
        return f"{self.folder}: {counts or 'nothing to check'}"

    def to_json(self) -> str:
        document = {
            "manifest": self.manifest,
            "folder": self.folder,
            "ok": self.ok,
            "summary": {s.value: self.count(s) for s in Status},
            "files": [check.to_json() for check in self.checks],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def text_lines(self, *, all_files: bool = False) -> list[str]:
        lines = [
            f"{c.status.value.upper():<10} {c.path}" + (f"  ({c.detail})" if c.detail else "")
            for c in self.checks
            if all_files or c.status not in (Status.OK, Status.SKIPPED)
        ]
        return [*lines, self.summary()]


@dataclass(frozen=True, slots=True)
class _Expected:
    item: str
    path: str
    size: int | None
    hashes: tuple[tuple[Algorithm, str], ...]


def read_manifest(path: str, limits: Limits) -> etree._ElementTree:
    """Read a manifest (hardened parser) and refuse one that is not an evidence manifest."""
    tree = parse_file(path, limits=limits)
    if etree.QName(tree.getroot()).text != f"{{{E_NS}}}evidenceManifest":
        raise UnreadableInput(path, "not an evidence manifest (root element e:evidenceManifest)")
    return tree


def expected_files(tree: etree._ElementTree, name: str) -> tuple[list[_Expected], set[str]]:
    """The items to check and the other files the manifest names (acquisition logs).

    Raises:
        UnreadableInput: a path that could point outside the folder, a path listed twice, a
            malformed hash or size (with the line of the item).
    """
    found: list[_Expected] = []
    seen: dict[str, str] = {}
    for item in tree.getroot().iterfind("e:items/e:item", NSMAP):
        item_id = item.get("id") or "?"
        path = item.findtext("e:path", None, NSMAP)
        if path is None:
            continue
        _check_path(name, item, item_id, path)
        if key(path) in seen:
            raise UnreadableInput(
                name,
                f"items '{seen[key(path)]}' and '{item_id}' name the same file {path!r}",
                item.sourceline,
            )
        seen[key(path)] = item_id
        found.append(
            _Expected(item_id, path, _size(name, item, item_id), _hashes(name, item, item_id))
        )
    logs = set()
    for log in tree.getroot().iterfind("e:items/e:item/e:acquisition/e:log", NSMAP):
        _check_path(name, log, "?", log.text or "")
        logs.add(key(log.text or ""))
    return found, logs


def _check_path(name: str, element: etree._Element, item_id: str, path: str) -> None:
    problem = path_problem(path)
    if problem:
        raise UnreadableInput(
            name,
            f"item '{item_id}': path {path!r} refused: {problem}; the manifest is not verified",
            element.sourceline,
        )


def _size(name: str, item: etree._Element, item_id: str) -> int | None:
    text = item.findtext("e:size", None, NSMAP)
    if text is None:
        return None
    if not text.strip().isdigit():
        raise UnreadableInput(
            name, f"item '{item_id}': size {text!r} is not a number", item.sourceline
        )
    return int(text)


def _hashes(name: str, item: etree._Element, item_id: str) -> tuple[tuple[Algorithm, str], ...]:
    hashes: dict[Algorithm, str] = {}
    for element in item.iterfind("e:hash", NSMAP):
        code = element.get("algorithm", "")
        value = (element.text or "").strip().lower()
        where = f"item '{item_id}': {code or 'a hash without algorithm'}"
        try:
            algorithm = Algorithm(code)
        except ValueError:
            known = ", ".join(a.value for a in Algorithm)
            raise UnreadableInput(
                name, f"{where}: unknown hash algorithm (known: {known})", element.sourceline
            ) from None
        if len(value) != algorithm.hex_length or not set(value) <= _HEX:
            raise UnreadableInput(
                name,
                f"{where} value has {len(value)} characters, not {algorithm.hex_length}"
                " hexadecimal digits; correct the manifest from the tool's report",
                element.sourceline,
            )
        if algorithm in hashes and hashes[algorithm] != value:
            raise UnreadableInput(
                name, f"{where} is given twice with different values", element.sourceline
            )
        hashes[algorithm] = value
    return tuple(hashes.items())


def verify(
    manifest: str,
    tree: etree._ElementTree,
    root: Path,
    *,
    exclude: tuple[str, ...] = (),
    workers: int | None = None,
    on_total: Callable[[int, int], None] | None = None,
    on_bytes: Progress | None = None,
) -> Report:
    """Check the folder ``root`` against the manifest ``tree`` (read from ``manifest``).

    Raises:
        UnreadableInput: a hostile or malformed manifest, or a folder that cannot be read.
    """
    expected, logs = expected_files(tree, manifest)
    listing = walk(root, exclude, (Path(manifest),) if manifest != "-" else ())
    found: dict[str, FoundFile] = {key(f.path): f for f in listing.files}
    others = {key(s.path): s for s in listing.skipped}
    checks: dict[str, Check] = {}
    to_hash: dict[str, _Expected] = {}
    for item in expected:
        check = _without_hashing(item, found.get(key(item.path)), others)
        if check is not None:
            checks[item.item] = check
        else:
            to_hash[found[key(item.path)].path] = item
    if on_total is not None:
        on_total(len(to_hash), sum(found[key(p)].size for p in to_hash))
    algorithms = tuple(
        a for a in Algorithm if any(a is b for i in to_hash.values() for b, _ in i.hashes)
    )
    results = hash_files(
        root,
        [found[key(p)] for p in to_hash],
        algorithms,
        workers=workers or default_workers(),
        on_bytes=on_bytes,
    )
    for path, digest in results:
        item = to_hash[path]
        if isinstance(digest, OSError):
            detail = f"cannot be read: {digest.strerror or digest}"
            checks[item.item] = Check(
                item.path, Status.MODIFIED, item.item, detail, _hex(item.hashes)
            )
            continue
        actual = tuple((a, v) for a, v in digest.hashes if any(a is b for b, _ in item.hashes))
        differs = [a.value for a, v in item.hashes if digest.value(a) != v]
        detail = f"{', '.join(differs)} differ" if differs else ""
        if item.size is not None and digest.size != item.size:
            detail = f"size {digest.size} bytes, the manifest says {item.size}"
        status = Status.MODIFIED if detail else Status.OK
        checks[item.item] = Check(
            item.path, status, item.item, detail, _hex(item.hashes), _hex(actual)
        )
    named = {key(i.path) for i in expected} | logs
    extra = [
        Check(f.path, Status.EXTRA, detail="not in the manifest")
        for k, f in found.items()
        if k not in named
    ] + [
        Check(s.path, Status.EXTRA if s.is_file else Status.SKIPPED, detail=s.reason)
        for k, s in others.items()
        if k not in named
    ]
    ordered = [checks[i.item] for i in expected] + sorted(extra, key=lambda c: c.path)
    return Report(manifest, str(root), tuple(ordered))


def _without_hashing(
    item: _Expected, file: FoundFile | None, others: Mapping[str, object]
) -> Check | None:
    """The verdict when no hashing is needed (missing, wrong size, no hash), else None."""
    expected = _hex(item.hashes)
    if file is None:
        other = others.get(key(item.path))
        if other is not None:
            reason = getattr(other, "reason", "")
            return Check(
                item.path, Status.MODIFIED, item.item, f"not a regular file: {reason}", expected
            )
        return Check(item.path, Status.MISSING, item.item, "not in the folder", expected)
    if item.size is not None and file.size != item.size:
        detail = f"size {file.size} bytes, the manifest says {item.size}"
        return Check(item.path, Status.MODIFIED, item.item, detail, expected)
    if not item.hashes:
        detail = "the manifest gives no hash for this file"
        return Check(item.path, Status.UNVERIFIED, item.item, detail)
    return None


def _hex(hashes: tuple[tuple[Algorithm, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((a.value, v) for a, v in hashes)
