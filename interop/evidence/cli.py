"""``interop evidence``: build, verify, custody, import, export, sign, check-signature.

Thin like the rest of the command line: options in, one API call, findings out. Only click and
the standard library are imported here; the machinery is imported inside each command so that
``interop --help`` stays fast. Errors are raised as :class:`interop.errors.InteropError`, which
``interop.cli.main`` turns into one line and an exit status.
"""

# Commands import their machinery lazily (fast start); click passes options by keyword.
# ruff: noqa: PLC0415, PLR0917

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from interop.errors import UsageError

if TYPE_CHECKING:
    from lxml import etree

    from interop.validate.findings import Finding

EXIT_OK, EXIT_FAILED = 0, 1
SHOWN_PER_RULE = 3  # findings shown per rule; a folder of 10,000 files repeats each 10,000 times
IMPORT_FORMATS = ("case", "dfxml", "hashdeep", "md5deep", "sha256sum", "bsd")
EXPORT_FORMATS = ("case",)
_EXTRA_HASHES = {"sha512": "SHA-512", "sha3-256": "SHA3-256", "sha1": "SHA-1", "md5": "MD5"}


@click.group()
def evidence() -> None:
    """Evidence manifests: build, verify, chain of custody, imports, signatures."""


# ----- build ----------------------------------------------------------------------------------


@evidence.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--case", required=True, metavar="REF", help="Your file number for the matter.")
@click.option(
    "--compiled-by",
    required=True,
    metavar="NAME;KIND;CC",
    help="Authority compiling the manifest, e.g. 'Staatsanwaltschaft Berlin;prosecutor;DE'.",
)
@click.option("--language", default="en", show_default=True, help="Language of the manifest.")
@click.option(
    "--seized-by",
    metavar="NAME;FUNCTION;ORGANISATION;CC[;NUMBER]",
    help="Officer who seized the files (starts the chain of custody).",
)
@click.option("--seized-at", metavar="ISO", help="When, with offset: 2026-03-05T09:10:00+01:00.")
@click.option("--place", metavar="LOCALITY;CC", help="Where the files were seized.")
@click.option(
    "--legal-basis",
    multiple=True,
    metavar="INSTRUMENT[;TITLE[;ARTICLE]]",
    help="Legal basis of the seizure, e.g. 'national-law;Strafprozessordnung;§ 94'. Repeatable.",
)
@click.option(
    "--decision", metavar="NUMBER[;ISSUER[;CC[;DATE]]]", help="The search or seizure order."
)
@click.option("--witness", multiple=True, metavar="NAME", help="Person present. Repeatable.")
@click.option("--seizure-record", metavar="NUMBER[;ISSUER[;CC[;DATE]]]", help="The seizure report.")
@click.option(
    "--request", metavar="NUMBER[;ISSUER[;CC[;DATE]]]", help="The request (EIO) answered."
)
@click.option(
    "--hash",
    "hashes",
    multiple=True,
    type=click.Choice(sorted(_EXTRA_HASHES)),
    help="A hash besides SHA-256 (always computed); md5 and sha1 for legacy tools. Repeatable.",
)
@click.option("--exhibit-prefix", default="", help="Put before the exhibit numbers 001, 002...")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out matching files.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Manifest.")
@click.option(
    "--write-invalid",
    is_flag=True,
    help="Write the manifest even when it breaks the rules, to complete by hand (exit 1).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Hashing threads [all cores].")
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def build(
    folder: Path,
    case: str,
    compiled_by: str,
    language: str,
    seized_by: str | None,
    seized_at: str | None,
    place: str | None,
    legal_basis: tuple[str, ...],
    decision: str | None,
    witness: tuple[str, ...],
    seizure_record: str | None,
    request: str | None,
    hashes: tuple[str, ...],
    exhibit_prefix: str,
    exclude: tuple[str, ...],
    output: str,
    write_invalid: bool,
    jobs: int | None,
    progress: bool | None,
) -> None:
    """Build the evidence manifest of FOLDER, one item per file.

    Each item has the file's path, size, media type and SHA-256 (plus the --hash algorithms).
    Paths are relative to FOLDER; symbolic links are never followed (each is reported and
    left out, even one pointing inside FOLDER: its target is listed under its own path). The
    manifest is validated (XSD and rules) and written only when it is valid: without the
    seizure (--seized-by, --seized-at, --place, --legal-basis, --decision) the rules say what
    is missing. Exit status: 0 written, 1 invalid or incomplete (a file could not be listed),
    2 unreadable folder or bad usage.
    """
    from interop.evidence.build import BuildOptions
    from interop.evidence.build import build as build_manifest
    from interop.evidence.hashing import Algorithm
    from interop.evidence.manifest import Authority, Reference

    options = BuildOptions(
        case=case,
        compiled_by=Authority.parse(compiled_by),
        language=language,
        algorithms=tuple(Algorithm(_EXTRA_HASHES[h]) for h in hashes),
        seizure=_seizure_facts(
            seized_by, seized_at, place, legal_basis, decision, witness, seizure_record
        ),
        request=Reference.parse(request, "--request") if request else None,
        exhibit_prefix=exhibit_prefix,
        exclude=exclude,
        workers=jobs,
    )
    started = time.perf_counter()
    with _byte_progress(_wanted(progress), "hashing") as (on_total, on_bytes):
        result = build_manifest(
            folder,
            options,
            skip_files=(Path(output),) if output != "-" else (),
            on_total=on_total,
            on_bytes=on_bytes,
        )
    seconds = time.perf_counter() - started
    for skipped in result.skipped:
        level = "error" if skipped.is_file else "warning"
        _echo(f"interop: {level}: {folder / skipped.path}: {skipped.reason}; not listed")
    for path, message in result.changed:
        _echo(f"interop: warning: {folder / path}: {message} while it was hashed")
    _show_findings(output, result.findings)
    if options.seizure is None and not result.valid:
        _echo(
            "interop: hint: give the seizure: --seized-by, --seized-at, --place,"
            " --legal-basis and --decision (see 'interop evidence build --help')"
        )
    ok = result.valid and result.complete
    rate = result.total_bytes / 1e6 / seconds if seconds > 0 else 0.0
    summary = f"{folder}: {result.files} files, {result.total_bytes:,} bytes in {seconds:.1f} s"
    if rate >= 1:
        summary += f" ({rate:,.0f} MB/s)"
    if ok or write_invalid:
        _write(output, result.tree)
        state = "" if ok else " (INVALID: complete it before use)"
        _echo(f"{summary} -> {output}{state}")
    else:
        _echo(f"{summary}: manifest not written (fix the errors above, or --write-invalid)")
    sys.exit(EXIT_OK if ok else EXIT_FAILED)


def _seizure_facts(
    seized_by: str | None,
    seized_at: str | None,
    place: str | None,
    legal_basis: tuple[str, ...],
    decision: str | None,
    witness: tuple[str, ...],
    record: str | None,
) -> Any:
    from interop.evidence.build import SeizureFacts
    from interop.evidence.manifest import Holder, LegalBasis, Place, Reference, utc_instant

    details = (seized_at, place, legal_basis, decision, witness, record)
    if seized_by is None:
        if any(details):
            raise UsageError("the seizure options need --seized-by (who seized the files)")
        return None
    if not seized_at or not place:
        raise UsageError("--seized-by needs --seized-at (when) and --place (where)")
    return SeizureFacts(
        seized_by=Holder.parse(seized_by, "--seized-by"),
        at=utc_instant(seized_at, "--seized-at"),
        place=Place.parse(place),
        legal_bases=tuple(LegalBasis.parse(b) for b in legal_basis),
        decision=Reference.parse(decision) if decision else None,
        witnesses=witness,
        record=Reference.parse(record, "--seizure-record") if record else None,
    )


# ----- verify ---------------------------------------------------------------------------------


@evidence.command()
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--all", "all_files", is_flag=True, help="List the files that are OK too.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Ignore matching files.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Largest accepted manifest, in MB.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Hashing threads [all cores].")
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def verify(
    manifest: str,
    folder: Path,
    fmt: str,
    output: str | None,
    all_files: bool,
    exclude: tuple[str, ...],
    max_size: int,
    jobs: int | None,
    progress: bool | None,
) -> None:
    """Check FOLDER against MANIFEST: sizes, hashes, missing and extra files.

    Each file is reported OK, MODIFIED, MISSING or EXTRA (in the folder, not in the manifest).
    A manifest whose paths could point outside FOLDER (.., absolute) is refused. Exit status:
    0 everything matches, 1 any mismatch, 2 unreadable or refused manifest, or bad usage.
    """
    from interop import xmlio
    from interop.evidence.verify import read_manifest
    from interop.evidence.verify import verify as verify_folder
    from interop.xmlio import Limits

    if output is not None and Path(output).resolve() == Path(manifest).resolve():
        raise UsageError(f"{output}: the report would overwrite the manifest; choose another -o")
    tree = read_manifest(manifest, Limits(max_bytes=max_size * 1024 * 1024))
    with _byte_progress(_wanted(progress), "verifying") as (on_total, on_bytes):
        report = verify_folder(
            manifest,
            tree,
            folder,
            exclude=exclude,
            workers=jobs,
            on_total=on_total,
            on_bytes=on_bytes,
        )
    text = (
        report.to_json()
        if fmt == "json"
        else "\n".join(report.text_lines(all_files=all_files)) + "\n"
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        xmlio.write_atomic(output, text.encode("utf-8"))
        _echo(report.summary())
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


# ----- custody --------------------------------------------------------------------------------


@evidence.command()
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--from",
    "source",
    required=True,
    metavar="HOLDER",
    help="Who releases the items: id, name, or NAME;FUNCTION;ORGANISATION;CC.",
)
@click.option(
    "--to",
    "target",
    required=True,
    metavar="HOLDER",
    help="Who receives them: id, name, or NAME;FUNCTION;ORGANISATION;CC (added).",
)
@click.option("--at", "when", required=True, metavar="ISO", help="When, with offset or Z.")
@click.option("--place", required=True, metavar="LOCALITY;CC", help="Where.")
@click.option(
    "--purpose",
    required=True,
    help="transfer, storage, transport, examination, imaging, extraction, return...",
)
@click.option(
    "--items",
    multiple=True,
    metavar="ID...",
    help="Items concerned (ids, space or comma separated) [all items].",
)
@click.option(
    "--means",
    metavar="METHOD",
    help="in-person, police-escort, courier, registered-post, diplomatic-bag,"
    " secure-electronic-transfer.",
)
@click.option("--carrier", help="Courier company or transfer system.")
@click.option("--tracking", metavar="REF", help="Waybill, tracking number or message id.")
@click.option("--container-seal", multiple=True, metavar="NUMBER", help="Bag or box seal.")
@click.option("--tool", multiple=True, metavar="NAME;VERSION", help="Tool used. Repeatable.")
@click.option("--note", help="What was done (in the manifest's language).")
@click.option("--seals-intact/--seals-broken", default=None, help="State of the seals found.")
@click.option("--record", metavar="NUMBER[;ISSUER[;CC[;DATE]]]", help="Hand-over receipt.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the manifest here.")
@click.option("--in-place", is_flag=True, help="Replace MANIFEST itself (atomically).")
def custody(
    manifest: str,
    source: str,
    target: str,
    when: str,
    place: str,
    purpose: str,
    items: tuple[str, ...],
    means: str | None,
    carrier: str | None,
    tracking: str | None,
    container_seal: tuple[str, ...],
    tool: tuple[str, ...],
    note: str | None,
    seals_intact: bool | None,
    record: str | None,
    output: str | None,
    in_place: bool,
) -> None:
    """Append a custody event (hand-over, storage, examination) to MANIFEST.

    Refused when an item would be released by someone who does not hold it, or when the event
    is dated before the last event or before the seizure. MANIFEST is never changed unless
    --in-place is given; otherwise -o names the new manifest. Exit status: 0 written, 1 the
    event is refused (or the result breaks a rule), 2 unreadable manifest or bad usage.
    """
    from interop.evidence.custody import Event, append_event
    from interop.evidence.manifest import Place, Reference, utc_instant
    from interop.evidence.verify import read_manifest

    target_file = _custody_output(manifest, output, in_place)
    tree = read_manifest(manifest, _limits())
    event = Event(
        from_holder=source,
        to_holder=target,
        at=utc_instant(when),
        place=Place.parse(place),
        purpose=purpose,
        items=tuple(i for group in items for i in group.replace(",", " ").split()),
        method=means,
        carrier=carrier,
        tracking=tracking,
        container_seals=container_seal,
        tools=tuple(_tool(t) for t in tool),
        note=note,
        seals_intact=seals_intact,
        record=Reference.parse(record, "--record") if record else None,
    )
    signed = _signed(tree)
    event_id = append_event(tree, event)
    findings = _errors(tree, manifest)
    if findings:
        _show_findings(manifest, findings)
        _echo(f"{manifest}: event refused, nothing written")
        sys.exit(EXIT_FAILED)
    _write(target_file, tree, indent=False)
    _echo(f"{manifest}: custody event {event_id} appended -> {target_file}")
    if signed:
        _echo(
            "interop: warning: the manifest was signed; its signature no longer matches:"
            " sign it again"
        )


def _custody_output(manifest: str, output: str | None, in_place: bool) -> str:
    if in_place and output is not None:
        raise UsageError("give either -o or --in-place, not both")
    if in_place:
        return manifest
    if output is None:
        raise UsageError("give -o FILE for the new manifest, or --in-place to replace MANIFEST")
    if output != "-" and Path(output).resolve() == Path(manifest).resolve():
        raise UsageError(f"{output}: -o names MANIFEST itself; use --in-place to replace it")
    return output


def _tool(spec: str) -> tuple[str, str]:
    name, _, version = spec.partition(";")
    if not name.strip():
        raise UsageError(f"--tool {spec!r}: expected NAME;VERSION")
    return name.strip(), version.strip()


# ----- import and export ----------------------------------------------------------------------


@evidence.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--from", "source", required=True, type=click.Choice(IMPORT_FORMATS), help="Format of FILE."
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Manifest.")
@click.option("--case", metavar="REF", help="Your file number for the matter.")
@click.option("--compiled-by", metavar="NAME;KIND;CC", help="Authority compiling the manifest.")
@click.option("--language", help="Language of the manifest.")
@click.option(
    "-O",
    "--option",
    "extra",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option of the format's reader, e.g. -O root=/mnt/evidence. Repeatable.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when anything was not carried over.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON report here.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Largest accepted input, in MB.",
)
def import_(
    file: str,
    source: str,
    output: str,
    case: str | None,
    compiled_by: str | None,
    language: str | None,
    extra: tuple[str, ...],
    strict: bool,
    report: str | None,
    max_size: int,
) -> None:
    """Make a manifest from CASE/UCO JSON-LD, DFXML or a hash list.

    The same converters as 'interop convert --from NAME --to common': what cannot be carried
    over is reported, and the manifest is validated before it is written (a tool's output never
    holds the seizure's legal basis and decision: the rules say so, and nothing is invented).
    Exit status: 0 written, 1 invalid result (or, with --strict, anything lost), 2 unreadable
    input or bad usage.
    """
    from interop.convert import batch

    options = batch.source_options(
        source, authority=compiled_by, case_reference=case, document_language=language
    )
    _convert(file, source, "common", output, extra, strict, report, max_size, options)


@evidence.command()
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--to", "target", required=True, type=click.Choice(EXPORT_FORMATS), help="Format to write."
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output.")
@click.option(
    "-O",
    "--option",
    "extra",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option of the format's writer. Repeatable.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when anything was not carried over.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON report here.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Largest accepted manifest, in MB.",
)
def export(
    manifest: str,
    target: str,
    output: str,
    extra: tuple[str, ...],
    strict: bool,
    report: str | None,
    max_size: int,
) -> None:
    """Write an evidence manifest as CASE/UCO JSON-LD.

    Exit status: 0 written, 1 invalid manifest (or, with --strict, anything lost),
    2 unreadable input or bad usage.
    """
    _convert(manifest, "common", target, output, extra, strict, report, max_size)


def _convert(
    path: str,
    source: str,
    target: str,
    output: str,
    extra: tuple[str, ...],
    strict: bool,
    report: str | None,
    max_size: int,
    source_options: dict[str, Any] | None = None,
) -> None:
    from interop import xmlio
    from interop.convert import batch

    plan = batch.plan(
        [path],
        source,
        target,
        output=output,
        out_dir=None,
        max_bytes=max_size * 1024 * 1024,
        source_options=source_options,
        national_options=batch.key_values(extra),
    )
    results = batch.run(plan)
    for line in batch.summary_lines(results):
        _echo(line)
    if report is not None:
        xmlio.write_atomic(report, batch.json_report(results).encode("utf-8"))
    sys.exit(batch.exit_code(results, strict=strict))


# ----- signatures -----------------------------------------------------------------------------


@evidence.command()
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Private key (PEM).",
)
@click.option(
    "--cert",
    "cert_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Signer's certificate (PEM).",
)
@click.option(
    "--key-password-env",
    metavar="VAR",
    help="Environment variable holding the key's password (never on the command line).",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output.")
def sign(
    manifest: str, key_file: Path, cert_file: Path, key_password_env: str | None, output: str
) -> None:
    """Sign MANIFEST with an enveloped XML signature (only a valid manifest).

    Exit status: 0 written, 1 the manifest breaks a rule, 2 unreadable input, bad key or usage.
    """
    from interop import xmlio
    from interop.evidence.verify import read_manifest

    if Path(output).resolve() == Path(manifest).resolve():
        raise UsageError(f"{output}: -o names MANIFEST itself; choose another file")
    tree = read_manifest(manifest, _limits())
    findings = _errors(tree, manifest)
    if findings:
        _show_findings(manifest, findings)
        _echo(f"{manifest}: not signed (fix the errors above)")
        sys.exit(EXIT_FAILED)
    password = None
    if key_password_env is not None:
        if key_password_env not in os.environ:
            raise UsageError(f"--key-password-env: ${key_password_env} is not set")
        password = os.environ[key_password_env].encode("utf-8")
    signing = _signing()
    data = xmlio.read_capped(Path(manifest), _limits().max_bytes)
    signed = signing.sign(
        data,
        _read(key_file),
        _read(cert_file),
        key_password=password,
        source=manifest,
        key_source=str(key_file),
        cert_source=str(cert_file),
    )
    xmlio.write_atomic(output, signed)
    _echo(f"{manifest} -> {output}: signed")


@evidence.command("check-signature")
@click.argument("signed", type=click.Path(dir_okay=False))
@click.option(
    "--cert",
    "cert_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Certificate the signature must be made with [the one in the signature].",
)
def check_signature(signed: str, cert_file: Path | None) -> None:
    """Check the XML signature of SIGNED (any change since signing fails).

    Exit status: 0 valid, 1 invalid or missing signature, 2 unreadable input or bad usage.
    """
    from interop import xmlio

    signing = _signing()
    data = xmlio.read_capped(Path(signed), _limits().max_bytes)
    result = signing.check(
        data,
        _read(cert_file) if cert_file else None,
        source=signed,
        cert_source=str(cert_file) if cert_file else "certificate",
    )
    shown = result.signer and result.signer not in result.reason
    signer = f" (signer: {result.signer})" if shown else ""
    click.echo(f"{signed}: {result.reason}{signer}")
    sys.exit(EXIT_OK if result.valid else EXIT_FAILED)


def _signing() -> Any:
    try:
        from interop.evidence import signing
    except ImportError as exc:
        raise UsageError(
            f"signatures need the [sign] extra ({exc.name or exc}); pip install 'interop[sign]'"
        ) from None
    return signing


def _read(path: Path) -> bytes:
    from interop.errors import UnreadableInput
    from interop.xmlio import read_capped

    data = read_capped(path, 1024 * 1024)
    if len(data) > 1024 * 1024 - 1:
        raise UnreadableInput(str(path), "larger than 1 MB; is this a PEM key or certificate?")
    return data


# ----- shared ---------------------------------------------------------------------------------


def _limits() -> Any:
    from interop.xmlio import Limits

    return Limits(max_bytes=200 * 1024 * 1024)


def _signed(tree: etree._ElementTree) -> bool:
    return any(
        True for _ in tree.getroot().iterfind("{http://www.w3.org/2000/09/xmldsig#}Signature")
    )


def _errors(tree: etree._ElementTree, name: str) -> list[Finding]:
    """The findings on ``tree`` when it has an error (warnings alone: none)."""
    from interop.validate.findings import Severity
    from interop.validate.validator import ValidationSettings, Validator

    findings = Validator(ValidationSettings()).check_tree(tree, name).findings
    if any(f.severity is Severity.ERROR for f in findings):
        return list(findings)
    return []


def _show_findings(name: str, findings: Sequence[Finding]) -> None:
    """Each finding as a line; past a few per rule, a count (a big folder repeats them)."""
    shown: dict[tuple[str, str], int] = {}
    for finding in findings:
        group = (finding.severity.value, finding.rule)
        shown[group] = shown.get(group, 0) + 1
        if shown[group] <= (SHOWN_PER_RULE if finding.severity.value == "error" else 1):
            where = f":{finding.line}" if finding.line else ""
            _echo(f"{name}{where}: {finding.severity.value}: [{finding.rule}] {finding.message}")
    for (severity, rule), count in shown.items():
        limit = SHOWN_PER_RULE if severity == "error" else 1
        if count > limit:
            _echo(f"{name}: ... and {count - limit} more {severity}s [{rule}]")


def _write(output: str, tree: etree._ElementTree, *, indent: bool = True) -> None:
    from lxml import etree as lxml_etree

    from interop import xmlio

    if indent:
        lxml_etree.indent(tree, space="  ")
    data = xmlio.serialize(tree) + b"\n"
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        xmlio.write_atomic(output, data)


def _echo(line: str) -> None:
    click.echo(line, err=True)


def _wanted(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class _Bar:
    """A bytes progress bar fed from the hashing threads (updates batched, under a lock)."""

    STEP = 32 * 1024 * 1024

    def __init__(self, label: str) -> None:
        self.label = label
        self.lock = threading.Lock()
        self.pending = 0
        self.bar: Any = None

    def total(self, files: int, size: int) -> None:
        self.bar = click.progressbar(
            length=max(size, 1), label=f"{self.label} {files} files", file=sys.stderr
        )
        self.bar.__enter__()

    def advance(self, count: int) -> None:
        with self.lock:
            self.pending += count
            if self.pending >= self.STEP and self.bar is not None:
                self.bar.update(self.pending)
                self.pending = 0

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.pending)
            self.bar.__exit__(None, None, None)


@contextmanager
def _byte_progress(
    enabled: bool, label: str
) -> Iterator[tuple[Callable[[int, int], None] | None, Callable[[int], None] | None]]:
    if not enabled:
        yield None, None
        return
    bar = _Bar(label)
    try:
        yield bar.total, bar.advance
    finally:
        bar.close()
