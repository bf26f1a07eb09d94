"""``interop translate``, ``xliff``, ``tm`` and ``models``: machine translation, its human review
through CAT tools, the translation memory and the Argos models.

Commands import their machinery lazily (fast start); click passes options by keyword.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from interop.cli_support import EXIT_INVALID, EXIT_OK, is_tty, progress_bar, refuse_writing_over


@click.command()
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
    show_progress = (progress if progress is not None else is_tty(sys.stderr)) and len(files) > 1
    try:
        with progress_bar(len(files), show_progress, "translating") as advance:
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


@click.group()
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

    refuse_writing_over(output, [document])
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
    refuse_writing_over(output, [document, xliff_file])
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


@click.group()
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


@click.group()
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


COMMANDS = (translate, xliff, tm, models)
