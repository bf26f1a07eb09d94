"""Render one document: read it, check it, render the notice, return the bytes to write.

The order of steps lives here: read (hardened parser) → validate (schema and business rules:
a notice is never made from a document that breaks them, unless asked) → HTML → text or PDF.
Template problems (a field the document lacks, a sandbox violation) become one-line errors.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from lxml import etree

from interop.errors import RenderError
from interop.render.html import RenderOptions, render_html
from interop.xmlio import DEFAULT_LIMITS, Limits, parse_bytes, read_capped

if TYPE_CHECKING:
    from interop.validate.validator import Validator


class Format(StrEnum):
    """Output formats of a notice."""

    HTML = "html"
    PDF = "pdf"
    TEXT = "txt"


@dataclass(frozen=True, slots=True)
class RenderJob:
    """Everything that decides the bytes of one notice."""

    options: RenderOptions = field(default_factory=RenderOptions)
    format: Format = Format.HTML
    pdf_variant: str | None = None
    validate: bool = True
    limits: Limits = DEFAULT_LIMITS


def render_file(path: str, job: RenderJob) -> bytes:
    """The notice for the document in ``path``.

    Raises:
        UnreadableInput: the file cannot be read as XML.
        RenderError: the document is invalid, not a kind we render, or a template fails.
        UsageError: bad options (unknown notice, language without a catalog...).
    """
    data = read_capped(Path(path), job.limits.max_bytes)
    return render_bytes(data, path, job)


def render_bytes(
    data: bytes, path: str, job: RenderJob, validator: Validator | None = None
) -> bytes:
    """The notice for a document held in memory; ``path`` names it in messages.

    Args:
        validator: checks the document (when the job validates); by default one shared by
            this process. Give each thread its own.

    Raises:
        The same errors as :func:`render_file`.
    """
    tree = parse_bytes(data, path, limits=job.limits)
    if job.validate:
        _check_valid(data, path, validator or _validator())
    return render_tree(tree, job, source=data, name=Path(path).name)


def render_tree(
    tree: etree._ElementTree, job: RenderJob, *, source: bytes | None = None, name: str = ""
) -> bytes:
    """The notice for a parsed document, in the job's format."""
    try:
        html = render_html(tree, job.options)
    except SecurityError as exc:
        raise RenderError(f"{name}: template refused by the sandbox: {exc}") from None
    except (TemplateError, RenderError) as exc:
        where = _template_line(exc)
        raise RenderError(
            f"{name}: {where}: {_message(exc)} (the document lacks a field the notice "
            "needs, or the template has an error)"
        ) from None
    if job.format is Format.HTML:
        return html.encode("utf-8")
    if job.format is Format.TEXT:
        from interop.render.text import html_to_text  # noqa: PLC0415

        return html_to_text(html).encode("utf-8")
    from interop.render.pdf import render_pdf  # noqa: PLC0415

    return render_pdf(
        html,
        variant=job.pdf_variant,
        source_xml=source,
        source_name=name or "document.xml",
        template_dir=job.options.template_dir,
    )


def _template_line(exc: Exception) -> str:
    """``file.html.j2:line`` of a template error (Jinja puts template frames in tracebacks)."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{Path(exc.filename).name}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "template"


def _message(exc: Exception) -> str:
    return str(exc.message) if isinstance(exc, TemplateError) else str(exc)


def _check_valid(data: bytes, path: str, validator: Validator) -> None:
    report = validator.check_bytes(data, path)
    errors = [finding for finding in report.findings if finding.severity == "error"]
    if errors:
        first = errors[0]
        line = f":{first.line}" if first.line else ""
        raise RenderError(
            f"{path}{line}: invalid document: [{first.rule}] {first.message} "
            f"({len(errors)} error(s); see interop validate, or render with --no-validate)"
        )


@lru_cache(maxsize=1)
def _validator() -> Validator:
    from interop.validate.validator import ValidationSettings, Validator  # noqa: PLC0415

    return Validator(ValidationSettings())
