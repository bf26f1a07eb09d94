"""``interop evidence build``: an evidence manifest listing every file of a folder.

The order of the steps is fixed here: walk the folder (no link followed), hash every file
(streaming, all cores), make one digital-file item per file, validate the manifest (XSD and
EVD rules). The caller writes it only when it is valid and complete: a manifest without the
seizure data the rules require is reported with the rules' messages, never filled in with
invented values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from interop.errors import UsageError
from interop.evidence.folder import Skipped, walk
from interop.evidence.hashing import Algorithm, Progress, default_workers, hash_files
from interop.evidence.manifest import (
    Authority,
    Holder,
    Item,
    ItemWriter,
    LegalBasis,
    Place,
    Reference,
    Seizure,
    add_holder,
    ids,
    new_manifest,
)
from interop.evidence.media import media_type
from interop.formats import registry
from interop.validate.findings import Finding, Severity
from interop.validate.validator import ValidationSettings, Validator


@dataclass(frozen=True, slots=True)
class SeizureFacts:
    """What the command line says about the seizure of the folder's files."""

    seized_by: Holder
    at: str  # UTC
    place: Place
    legal_bases: tuple[LegalBasis, ...] = ()
    decision: Reference | None = None
    witnesses: tuple[str, ...] = ()
    record: Reference | None = None


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything ``evidence build`` needs besides the folder.

    Attributes:
        case: the compiling authority's file number.
        compiled_by: the authority that compiles the manifest.
        language: language of the manifest (the item descriptions are the file paths).
        algorithms: hashes besides SHA-256 (always computed, always first).
        seizure: the seizure of the files; None leaves it out (the rules then say what is
            missing).
        request: the request the manifest answers.
        exhibit_prefix: put before each exhibit number (the numbers count the files in path
            order: 001, 002...).
        exclude: glob patterns of files left out.
        workers: hashing threads (None: all cores).
    """

    case: str
    compiled_by: Authority
    language: str = "en"
    algorithms: tuple[Algorithm, ...] = ()
    seizure: SeizureFacts | None = None
    request: Reference | None = None
    exhibit_prefix: str = ""
    exclude: tuple[str, ...] = ()
    workers: int | None = None

    def all_algorithms(self) -> tuple[Algorithm, ...]:
        rest = tuple(dict.fromkeys(a for a in self.algorithms if a is not Algorithm.SHA256))
        return (Algorithm.SHA256, *rest)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The manifest made and what stands in its way.

    Attributes:
        tree: the manifest.
        files: files listed.
        total_bytes: bytes hashed.
        skipped: entries not listed (links, pipes; files that cannot be named or read).
        changed: files whose size changed while they were hashed (path, message).
        findings: the validator's findings on the manifest.
    """

    tree: etree._ElementTree
    files: int
    total_bytes: int
    skipped: tuple[Skipped, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """True when every regular file of the folder is in the manifest."""
        return not any(s.is_file for s in self.skipped)

    @property
    def valid(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def build(
    root: Path,
    options: BuildOptions,
    *,
    skip_files: tuple[Path, ...] = (),
    on_total: Callable[[int, int], None] | None = None,
    on_bytes: Progress | None = None,
    validator: Validator | None = None,
) -> BuildResult:
    """Build the manifest of the folder ``root``.

    Args:
        root: the evidence folder.
        options: case, authority, seizure, algorithms.
        skip_files: files not to list (the manifest being written into the folder).
        on_total: told the number of files and bytes once the folder is walked.
        on_bytes: told, from the hashing threads, how many bytes were just hashed.
        validator: the validator to use (one is made otherwise).

    Raises:
        UnreadableInput: ``root`` is not a readable folder.
        UsageError: the folder holds no file to list.
    """
    listing = walk(root, options.exclude, skip_files)
    if not listing.files:
        raise UsageError(f"{root}: no file to list in the evidence folder")
    if on_total is not None:
        on_total(len(listing.files), sum(f.size for f in listing.files))
    tree = new_manifest(
        case=options.case,
        compiled_by=options.compiled_by,
        language=options.language,
        request=options.request,
    )
    taken = ids(tree)
    seizure = _seizure(tree, options.seizure, taken)
    width = max(3, len(str(len(listing.files))))
    expected = {f.path: f.size for f in listing.files}
    skipped = list(listing.skipped)
    changed: list[tuple[str, str]] = []
    total = number = 0
    writer = ItemWriter(tree, options.language, taken)
    workers = options.workers or default_workers()
    checker = validator or Validator(ValidationSettings())
    found = registry().detect(tree)
    assert found is not None, "a new manifest is of a bundled format"
    # All results first, then the items: writing items is Python that holds the GIL, which
    # the hashing threads need back after each chunk; done in between, it slowed the hashing
    # more than it took itself. The results are small (no file content), and the threads'
    # waiting time is used to compile the schema and rules.
    results = list(
        hash_files(
            root,
            listing.files,
            options.all_algorithms(),
            workers=workers,
            on_bytes=on_bytes,
            meanwhile=lambda: checker.prepare_format(found),
        )
    )
    for path, digest in results:
        if isinstance(digest, OSError):
            skipped.append(Skipped(path, f"cannot be read: {digest.strerror or digest}", True))
            continue
        if digest.size != expected[path]:
            changed.append((path, f"size changed from {expected[path]} to {digest.size} bytes"))
        number += 1
        total += digest.size
        item = Item(
            exhibit_number=f"{options.exhibit_prefix}{number:0{width}d}",
            description=path,
            path=path,
            size=digest.size,
            media_type=media_type(path.rsplit("/", 1)[-1], digest.head),
            hashes=tuple((a.value, v) for a, v in digest.hashes),
            seizure=seizure,
        )
        writer.add(item)
    report = checker.check_tree(tree, str(root), found, xsd_on_thread=workers > 1)
    return BuildResult(
        tree,
        number,
        total,
        tuple(sorted(skipped, key=lambda s: s.path)),
        tuple(changed),
        report.findings,
    )


def _seizure(
    tree: etree._ElementTree, facts: SeizureFacts | None, taken: set[str]
) -> Seizure | None:
    if facts is None:
        return None
    holder_id = add_holder(tree, facts.seized_by, taken)
    return Seizure(
        at=facts.at,
        place=facts.place,
        seized_by=holder_id,
        legal_bases=facts.legal_bases,
        decision=facts.decision,
        witnesses=facts.witnesses,
        record=facts.record,
    )
