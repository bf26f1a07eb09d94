"""The ``interop`` command: options in, one API call, errors out as one line and an exit code.

Heavy modules (lxml, the validators) are imported inside the commands so that ``interop
--version`` and ``interop validate one.xml`` start quickly.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from interop import __version__
from interop.cli_support import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    color_wanted,
    is_tty,
    progress_bar,
)
from interop.errors import InteropError
from interop.evidence.cli import evidence
from interop.serve.cli import serve
from interop.translate.cli import COMMANDS as TRANSLATE_COMMANDS

if TYPE_CHECKING:
    from interop.validate.findings import FileReport, Severity


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
    show_progress = progress if progress is not None else is_tty(sys.stderr)
    with progress_bar(len(files), show_progress and len(files) > 1) as advance:
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
    show_progress = progress if progress is not None else is_tty(sys.stderr)
    with progress_bar(len(plan.jobs), show_progress and len(plan.jobs) > 1) as advance:
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
    if fmt == "pdf" and "-" in targets and is_tty(sys.stdout):
        raise click.UsageError("PDF to a terminal: give -o FILE.pdf")
    show_progress = (progress if progress is not None else is_tty(sys.stderr)) and len(files) > 1
    with progress_bar(len(files), show_progress, "rendering") as advance:
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


def _emit(fmt: str, reports: list[FileReport], output: str | None, fail_on: Severity) -> None:
    from interop import xmlio
    from interop.validate.reports import write_report

    color = fmt == "text" and output is None and color_wanted()
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


for command in (evidence, *TRANSLATE_COMMANDS, serve):
    cli.add_command(command)


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
