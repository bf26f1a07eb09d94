"""The ``interop`` command: options in, one API call, errors out as one line and an exit code.

Heavy modules (lxml, the validators) are imported inside the commands so that ``interop
--version`` and ``interop validate one.xml`` start quickly.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from interop import __version__
from interop.errors import InteropError
from interop.evidence.cli import evidence

if TYPE_CHECKING:
    from interop.validate.findings import FileReport, Severity

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class CliError(click.ClickException):
    """An error shown as one line, with the exit code of its kind."""

    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"interop: error: {self.format_message()}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="interop")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Exchange cross-border judicial cooperation documents: validate, convert, render."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "sarif"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Exit 1 on errors only, or on warnings too.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option(
    "--schema",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Validate against this XSD instead of the bundled formats.",
)
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="OASIS XML catalog resolving the schema's imports offline.",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Schematron rules to run as well (XPath 1 or 2 query binding). Repeatable.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Largest accepted document, in MB.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def validate(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    jobs: int | None,
    schema: Path | None,
    catalog: Path | None,
    rules: tuple[Path, ...],
    max_size: int,
    progress: bool | None,
) -> None:
    """Validate documents: XSD, then business rules.

    PATHS are files, folders (searched for *.xml) or - for standard input. Each document's
    type is detected from its root element. Exit status: 0 all valid, 1 any invalid,
    2 unreadable input or bad usage.
    """
    from interop.validate.batch import default_jobs, expand, validate_all
    from interop.validate.findings import Severity
    from interop.validate.validator import ValidationSettings
    from interop.xmlio import Limits

    if catalog is not None and schema is None:
        raise CliError("--catalog needs --schema (the bundled formats have their own catalog)")
    files = expand(paths)
    _refuse_overwriting_input(output, files)
    settings = ValidationSettings(
        schema, catalog, tuple(rules), Limits(max_bytes=max_size * 1024 * 1024)
    )
    show_progress = progress if progress is not None else _is_tty(sys.stderr)
    with _progress_bar(len(files), show_progress and len(files) > 1) as advance:
        reports = validate_all(files, settings, jobs or default_jobs(), advance)
    severity = Severity(fail_on)
    _emit(fmt, reports, output, severity)
    if any(not r.readable for r in reports):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_INVALID if any(r.fails(severity) for r in reports) else EXIT_OK)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def formats(fmt: str) -> None:
    """List the bundled document types: name, namespace, version, root element."""
    import json

    from interop.formats import registry

    found = registry().formats
    if fmt == "json":
        rows = [
            {
                "name": f.name,
                "family": f.family,
                "namespace": f.namespace,
                "version": f.version,
                "root": f.root,
                "rules": [p.name for p in f.rules],
            }
            for f in found
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(f.name) for f in found)
    for f in found:
        click.echo(f"{f.name:<{width}}  {f.namespace:<28}  {f.version:<5}  {f.root}")


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--from", "source", metavar="NAME", help="Format of the inputs (see --list).")
@click.option("--to", "target", metavar="NAME", help="Format to write (see --list).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (one input).")
@click.option(
    "--out-dir", type=click.Path(file_okay=False), help="Folder for the outputs (batches)."
)
@click.option("--strict", is_flag=True, help="Exit 1 when anything was not carried over.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON report here.")
@click.option("--list", "list_formats", is_flag=True, help="List the formats and exit.")
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Header spec of a CSV format (replaces the built-in one).",
)
@click.option("--document-language", help="Language of the document made (CSV imports).")
@click.option("--case-reference", help="Case file number (CSV imports).")
@click.option(
    "--authority",
    metavar="NAME;KIND;CC",
    help="Compiling or sending authority (CSV imports), e.g. 'StA Berlin;prosecutor;DE'.",
)
@click.option("--time-zone", help="Time zone of local times in a sheet, e.g. Europe/Berlin.")
@click.option(
    "-O",
    "--option",
    "extra",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option of the national format's converter, e.g. -O recipient=NAME. Repeatable.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Largest accepted input, in MB.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def convert(
    paths: tuple[str, ...],
    source: str | None,
    target: str | None,
    output: str | None,
    out_dir: str | None,
    strict: bool,
    report: str | None,
    list_formats: bool,
    spec_path: str | None,
    document_language: str | None,
    case_reference: str | None,
    authority: str | None,
    time_zone: str | None,
    extra: tuple[str, ...],
    max_size: int,
    progress: bool | None,
) -> None:
    """Convert documents between national formats and the common formats.

    Every conversion reports what it could not carry over; output is validated before it is
    written and never written when invalid. Exit status: 0 done, 1 invalid output (or anything
    lost, with --strict), 2 unreadable input or bad usage.
    """
    from interop.convert import batch

    if list_formats:
        click.echo(batch.format_table())
        return
    if not source or not target or not paths:
        raise click.UsageError("give FILE..., --from NAME and --to NAME (or --list)")
    options = batch.source_options(
        source,
        spec_path=spec_path,
        document_language=document_language,
        case_reference=case_reference,
        authority=authority,
        time_zone=time_zone,
    )
    plan = batch.plan(
        paths,
        source,
        target,
        output=output,
        out_dir=out_dir,
        max_bytes=max_size * 1024 * 1024,
        source_options=options,
        national_options=batch.key_values(extra),
    )
    show_progress = progress if progress is not None else _is_tty(sys.stderr)
    with _progress_bar(len(plan.jobs), show_progress and len(plan.jobs) > 1) as advance:
        results = batch.run(plan, advance)
    for line in batch.summary_lines(results):
        click.echo(line, err=True)
    if report is not None:
        from interop import xmlio

        xmlio.write_atomic(report, batch.json_report(results).encode("utf-8"))
    sys.exit(batch.exit_code(results, strict=strict))


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--notice", metavar="KIND", help="Notice kind (see --list) [by document type].")
@click.option("--lang", "language", metavar="LL", help="Language [the recipient's].")
@click.option("--also", metavar="LL", help="A second language, side by side.")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "pdf", "txt"]), default="html", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (one input).")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Folder for the outputs.")
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Your own templates; a file named like a bundled one replaces it (sandboxed).",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/a-3b", "pdf/ua-1"]),
    help="PDF/A-3b (source XML attached) or PDF/UA-1 (tagged).",
)
@click.option("--no-validate", is_flag=True, help="Render even a document that breaks the rules.")
@click.option("--list", "list_kinds", is_flag=True, help="List notice kinds and languages.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def render(
    paths: tuple[str, ...],
    notice: str | None,
    language: str | None,
    also: str | None,
    fmt: str,
    output: str | None,
    out_dir: str | None,
    template_dir: str | None,
    pdf_variant: str | None,
    no_validate: bool,
    list_kinds: bool,
    jobs: int | None,
    progress: bool | None,
) -> None:
    """Render notices (HTML, PDF or text) in one language or two side by side.

    Exit status: 0 done, 1 a document is invalid or a notice cannot be made from it,
    2 unreadable input or bad usage.
    """
    from interop.render import batch, listing
    from interop.render.html import RenderOptions
    from interop.render.job import Format, RenderJob
    from interop.validate.batch import default_jobs

    if list_kinds:
        click.echo(listing.table())
        return
    if not paths:
        raise click.UsageError("give FILE... (or --list)")
    if also and not language:
        raise click.UsageError("--also needs --lang")
    if pdf_variant and fmt != "pdf":
        raise click.UsageError("--pdf-variant needs --format pdf")
    languages = tuple(x for x in (language, also) if x)
    job = RenderJob(
        options=RenderOptions(notice, languages, Path(template_dir) if template_dir else None),
        format=Format(fmt),
        pdf_variant=pdf_variant,
        validate=not no_validate,
    )
    files = batch.input_files(paths)
    targets = batch.outputs(files, job, output, out_dir)
    if fmt == "pdf" and "-" in targets and _is_tty(sys.stdout):
        raise click.UsageError("PDF to a terminal: give -o FILE.pdf")
    show_progress = (progress if progress is not None else _is_tty(sys.stderr)) and len(files) > 1
    with _progress_bar(len(files), show_progress, "rendering") as advance:
        outcomes = batch.render_all(
            files,
            targets,
            job,
            jobs=jobs or default_jobs(),
            write_stdout=sys.stdout.buffer.write,
            on_done=advance,
        )
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"interop: error: {outcome.error}", err=True)
        elif outcome.output != "-" and len(outcomes) > 1:
            click.echo(f"{outcome.source} -> {outcome.output}", err=True)
    sys.exit(max((outcome.exit_code for outcome in outcomes), default=0))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--to", "target", metavar="LL", required=True, help="Language to translate into.")
@click.option("--engine", metavar="NAME", help="Engine to use (apertium, argos) [by pair].")
@click.option(
    "--glossary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your glossary (TBX or CSV), used with the core glossary.",
)
@click.option(
    "--memory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory (SQLite) [$INTEROP_TM or ~/.local/share/interop/memory.sqlite].",
)
@click.option("--force", is_flag=True, help="Replace unreviewed machine translations.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (one input).")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Folder for the outputs.")
@click.option("--strict", is_flag=True, help="Exit 1 when a field was flagged or a term missed.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [on a terminal].")
def translate(
    paths: tuple[str, ...],
    target: str,
    engine: str | None,
    glossary: Path | None,
    memory: Path | None,
    force: bool,
    output: str | None,
    out_dir: str | None,
    strict: bool,
    progress: bool | None,
) -> None:
    """Machine-translate the free text of documents, keeping the original and the provenance.

    Names, numbers, dates and references are protected; sentences in the translation memory
    are reused (reviewed human translations first); each translation is recorded as machine,
    unreviewed, with engine, model and date. Output is validated before it is written.
    Exit status: 0 done, 1 invalid output (or, with --strict, a flagged field or a missed
    glossary term), 2 unreadable input, missing language pair or bad usage.
    """
    from interop.translate import batch
    from interop.translate.document import TranslateOptions, Translator
    from interop.translate.glossary import Glossary
    from interop.translate.memory import Memory
    from interop.validate.validator import ValidationSettings, Validator

    if engine is not None:
        from interop.translate.engine import get

        get(engine)  # an unknown or unusable engine: one error, before any file is read
    files = batch.input_files(paths)
    targets = batch.outputs(files, target, output, out_dir)
    terms = Glossary.core()
    if glossary is not None:
        terms = terms.merged(Glossary.load(glossary))
    store = Memory(memory)
    translator = Translator(TranslateOptions(target, engine, force=force), store, glossary=terms)
    validator = Validator(ValidationSettings())
    show_progress = (progress if progress is not None else _is_tty(sys.stderr)) and len(files) > 1
    try:
        with _progress_bar(len(files), show_progress, "translating") as advance:
            outcomes = batch.translate_all(
                files,
                targets,
                translator,
                validator,
                write_stdout=sys.stdout.buffer.write,
                on_done=advance,
            )
    finally:
        store.close()
    code = EXIT_OK
    for outcome in outcomes:
        code = max(code, outcome.exit_code)
        if outcome.error:
            click.echo(f"interop: error: {outcome.error}", err=True)
            continue
        assert outcome.report is not None
        shown = outcome.source if outcome.output == "-" else f"{outcome.source} -> {outcome.output}"
        click.echo(f"{shown}: {outcome.report.summary()}", err=True)
        for flagged in outcome.report.flagged:
            click.echo(
                f"interop: warning: {outcome.source}: {flagged.path}: {flagged.reason}", err=True
            )
        for path, violation in outcome.report.violations:
            click.echo(f"interop: warning: {outcome.source}: {path}: {violation}", err=True)
        if strict and (outcome.report.flagged or outcome.report.violations):
            code = max(code, EXIT_INVALID)
    sys.exit(code)


@cli.group()
def xliff() -> None:
    """Human review of machine translations through XLIFF 1.2 (what CAT tools read)."""


@xliff.command("export")
@click.argument("document", type=click.Path(dir_okay=False))
@click.option("--to", "target", metavar="LL", required=True, help="Language of the translation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="FILE.xlf")
@click.option(
    "--memory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory to pre-fill from [$INTEROP_TM or the default].",
)
@click.option(
    "--glossary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your glossary (TBX or CSV); its terms and the core glossary's become notes.",
)
def xliff_export(
    document: str, target: str, output: str, memory: Path | None, glossary: Path | None
) -> None:
    """Write the sentences of DOCUMENT's free text for review in a CAT tool.

    One unit per sentence; protected tokens are inline placeholders; the current translation
    (machine output as needing review, human translations as translated or final) is
    pre-filled. Exit status: 0 done, 2 unreadable input or bad usage.
    """
    from interop import xmlio
    from interop.translate.glossary import Glossary
    from interop.translate.memory import Memory
    from interop.translate.xliff import export_xliff

    _refuse_writing_over(output, [document])
    tree = xmlio.parse_file(document)
    terms = Glossary.core()
    if glossary is not None:
        terms = terms.merged(Glossary.load(glossary))
    store = Memory(memory)
    try:
        data = export_xliff(
            tree, target, original=Path(document).name, memory=store, glossary=terms
        )
    finally:
        store.close()
    xmlio.write_atomic(output, data)
    click.echo(f"{document} -> {output}", err=True)


@xliff.command("import")
@click.argument("document", type=click.Path(dir_okay=False))
@click.argument("xliff_file", metavar="FILE.xlf", type=click.Path(dir_okay=False))
@click.option("--reviewer", metavar="NAME", required=True, help="Who reviewed the translation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="Output.")
@click.option(
    "--memory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory to store the reviewed sentences in [$INTEROP_TM or the default].",
)
def xliff_import(
    document: str, xliff_file: str, reviewer: str, output: str, memory: Path | None
) -> None:
    """Bring a reviewed XLIFF file back: record the reviewer, mark the texts reviewed.

    Checks that every unit belongs to DOCUMENT (id and source hash) and that every target
    keeps its source's placeholders. Edited sentences become a human translation (the machine
    trail stays on it). Exit status: 0 done, 1 a target fails a check or the output would be
    invalid, 2 the XLIFF does not belong to the document, unreadable input or bad usage.
    """
    from interop import xmlio
    from interop.translate.batch import check
    from interop.translate.memory import Memory
    from interop.translate.review import import_xliff
    from interop.validate.validator import ValidationSettings, Validator

    if not reviewer.strip():
        raise click.UsageError("--reviewer needs a name")
    _refuse_writing_over(output, [document, xliff_file])
    tree = xmlio.parse_file(document)
    reviewed = xmlio.parse_file(xliff_file)
    store = Memory(memory)
    try:
        report = import_xliff(
            tree, reviewed, name=xliff_file, reviewer=reviewer.strip(), memory=store
        )
    finally:
        store.close()
    check(tree, document, Validator(ValidationSettings()))
    xmlio.write_atomic(output, xmlio.serialize(tree))
    click.echo(f"{document} + {xliff_file} -> {output}: {report.summary()}", err=True)
    for result in report.fields:
        if result.outcome == "incomplete":
            click.echo(f"interop: warning: {result.path}: {result.detail}", err=True)


@cli.group()
def tm() -> None:
    """The translation memory: exchange it with CAT tools as TMX 1.4b."""


@tm.command("import")
@click.argument("tmx", metavar="FILE.tmx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--memory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory [$INTEROP_TM or ~/.local/share/interop/memory.sqlite].",
)
def tm_import(tmx: Path, memory: Path | None) -> None:
    """Add the translation units of a TMX 1.4b file to the memory."""
    from interop.translate.memory import Memory

    store = Memory(memory)
    try:
        count = store.import_tmx(tmx)
    finally:
        store.close()
    click.echo(f"{tmx}: {count} segments imported", err=True)


@tm.command("export")
@click.argument("tmx", metavar="FILE.tmx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--memory",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory [$INTEROP_TM or ~/.local/share/interop/memory.sqlite].",
)
def tm_export(tmx: Path, memory: Path | None) -> None:
    """Write the whole memory as a TMX 1.4b file."""
    from interop.translate.memory import Memory

    store = Memory(memory)
    try:
        count = store.export_tmx(tmx)
    finally:
        store.close()
    click.echo(f"{tmx}: {count} segments exported", err=True)


@cli.group()
def models() -> None:
    """Argos translation models, installed from .argosmodel files (never downloaded)."""


@models.command("install")
@click.argument(
    "package", metavar="FILE.argosmodel", type=click.Path(dir_okay=False, path_type=Path)
)
def models_install(package: Path) -> None:
    """Install a model package; it replaces an installed model of the same pair."""
    from interop.translate import models as store

    model = store.install(package)
    click.echo(f"installed {model.name} ({model.pair}) version {model.version}")


@models.command("list")
def models_list() -> None:
    """List the installed models: name, pair, version."""
    from interop.translate import models as store

    found = store.installed()
    if not found:
        click.echo(f"no models installed in {store.store_dir()}", err=True)
        return
    width = max(len(m.name) for m in found)
    for model in found:
        click.echo(f"{model.name:<{width}}  {model.pair:<8}  {model.version}")


@models.command("remove")
@click.argument("name", metavar="NAME")
def models_remove(name: str) -> None:
    """Remove an installed model, by name (translate-de_en) or pair (de->en)."""
    from interop.translate import models as store

    model = store.remove(name)
    click.echo(f"removed {model.name} ({model.pair})")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes per lane (validation; the rest) and server process [cores / workers].",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    help="name:token lines; every request then needs Authorization: Bearer TOKEN.",
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False),
    help="Keep every upload and output here [keep nothing].",
)
@click.option(
    "--audit-log",
    type=click.Path(dir_okay=False),
    help="Append-only audit log [~/.local/state/interop/audit.jsonl].",
)
@click.option(
    "--max-upload",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Largest accepted upload, in MB.",
)
@click.option(
    "--memory",
    type=click.Path(dir_okay=False),
    help="Translation memory (SQLite) [$INTEROP_TM or ~/.local/share/interop/memory.sqlite].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    help="Longest one request's work may take, in seconds (then 503).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    jobs: int | None,
    token_file: str | None,
    workspace: str | None,
    audit_log: str | None,
    max_upload: int,
    memory: str | None,
    timeout: float,
) -> None:
    """Serve the toolkit over HTTP: a JSON API (see /v1/openapi.json) on loopback.

    Without --token-file the service only listens on loopback addresses. Needs the [serve]
    extra: pip install 'interop[serve]'.
    """
    try:
        from interop.serve import server
        from interop.serve.settings import MB, ServeSettings, default_audit_log
    except ImportError as exc:
        raise CliError(f"the service needs the [serve] extra ({exc.name} is missing)") from None
    from interop.validate.batch import default_jobs

    settings = ServeSettings(
        audit_log=audit_log or str(default_audit_log()),
        token_file=token_file,
        workspace=workspace,
        max_upload=max_upload * MB,
        jobs=jobs or max(1, default_jobs() // workers),
        memory=memory,
        timeout=timeout,
    )
    server.run(settings, host, port, workers)


def _emit(fmt: str, reports: list[FileReport], output: str | None, fail_on: Severity) -> None:
    from interop import xmlio
    from interop.validate.reports import write_report

    color = fmt == "text" and output is None and _color_wanted()
    buffer = io.StringIO()
    write_report(fmt, reports, buffer, color=color, fail_on=fail_on, tool_version=__version__)
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
    else:
        xmlio.write_atomic(output, buffer.getvalue().encode("utf-8"))


def _refuse_overwriting_input(output: str | None, files: list[str]) -> None:
    if output is None:
        return
    target = Path(output).resolve()
    if any(f != "-" and Path(f).resolve() == target for f in files):
        raise CliError(f"{output}: the report would overwrite an input file; choose another -o")


def _refuse_writing_over(output: str, inputs: list[str]) -> None:
    target = Path(output).resolve()
    if any(Path(f).resolve() == target for f in inputs):
        raise CliError(f"{output}: would overwrite an input; choose another -o")


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _color_wanted() -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return _is_tty(sys.stdout) and not os.environ.get("NO_COLOR")


@contextmanager
def _progress_bar(
    total: int, enabled: bool, label: str = "validating"
) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error (yields its update function), or nothing."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


cli.add_command(evidence)


def main() -> NoReturn:
    """Entry point of the console script: no traceback ever reaches a user."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interop: aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        # One line, like every other error; the help is one option away.
        command = exc.ctx.command_path if exc.ctx else "interop"
        click.echo(f"interop: error: {exc.format_message()} (see '{command} --help')", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except InteropError as exc:
        click.echo(f"interop: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(EXIT_USAGE if isinstance(sys.exc_info()[1], BrokenPipeError) else 130)
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"interop: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
