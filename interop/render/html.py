"""A notice as one self-contained HTML page, in one language or two side by side.

The notice template renders the body once per language as a sequence of top-level
``<section>`` elements; the layout puts the sections of the two languages next to each other,
row by row, so that a reader can compare each part. Each column carries its own ``lang`` and
``dir``; the footer of each language says when its wording has not been reviewed by a legal
translator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import Any, Final

from lxml import etree
from markupsafe import Markup

from interop.errors import UsageError
from interop.render.environment import environment
from interop.render.localize import Localizer, localizer
from interop.render.notices import NoticeKind, notice_for
from interop.render.schema_types import schema_index
from interop.render.view import View
from interop.resources import templates_dir

_SECTION: Final = re.compile(r"(?=<section\b)")
C: Final = "{urn:interop:common:1}"
N: Final = "{urn:interop:notification:1}"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What to render: the notice kind (None: by document type), languages, user templates."""

    notice: str | None = None
    languages: tuple[str, ...] = ()
    template_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """The notice in one language."""

    language: str
    direction: str
    title: str
    sections: list[Markup]
    unreviewed_note: str


def render_html(document: etree._ElementTree, options: RenderOptions) -> str:
    """The notice for ``document`` as an HTML page (a string, ready to write as UTF-8)."""
    root = document.getroot()
    kind = notice_for(root, options.notice)
    languages = options.languages or (default_language(root),)
    if len(languages) > 2:
        raise UsageError("a notice shows at most two languages side by side")
    env = environment(options.template_dir)
    body = env.get_template(kind.template)
    columns = [_column(root, kind, body, localizer(language)) for language in languages]
    layout = env.get_template("layout.html.j2")
    rows = list(zip_longest(*(column.sections for column in columns), fillvalue=Markup("")))
    return layout.render(
        columns=columns,
        rows=rows,
        body=_body(columns, rows),
        style=Markup(_stylesheet(options.template_dir)),  # noqa: S704 - our own or the user's CSS
        document_id=root.findtext(f"{C}documentId") or "",
        kind=kind.name,
    )


def _body(columns: list[Column], rows: list[tuple[Markup, ...]]) -> Markup:
    """One ``row`` per section, one ``column`` per language, each with its ``lang`` and ``dir``."""
    starts = [
        f'<div class="column" lang="{column.language}" dir="{column.direction}">\n'
        for column in columns
    ]
    html = "".join(
        '<div class="row">\n'
        + "".join(f"{start}{cell}\n</div>\n" for start, cell in zip(starts, row, strict=True))
        + "</div>\n"
        for row in rows
    )
    return Markup(html)  # noqa: S704 - sections are rendered, escaped template output


def _column(root: etree._Element, kind: NoticeKind, body: Any, words: Localizer) -> Column:
    view = View(root, schema_index(), words)
    html = body.render(_context(view, words, kind))
    # The template's output is already escaped markup: split it, don't escape it again.
    sections = [Markup(part) for part in _SECTION.split(html) if part.strip()]  # noqa: S704
    note = ""
    if words.catalog.reviewed_by is None:
        note = str(
            words.gettext(
                "The fixed wording of this notice in %(language)s has not yet been reviewed "
                "by a legal translator.",
                language=words.language_name(words.language),
            )
        )
    return Column(words.language, words.direction, str(words.gettext(kind.title)), sections, note)


def _context(view: View, words: Localizer, kind: NoticeKind) -> dict[str, Any]:
    return {
        "doc": view.root,
        "kind": kind.name,
        "title": words.gettext(kind.title),
        "lang": words.language,
        "dir": words.direction,
        "rows": view.rows,
        "rest": view.rest,
        "each": view.each,
        "allows": view.allows,
        "party": view.party,
        "person_name": view.person_name,
        "remaining": view.remaining,
        "plain": view.plain,
        "raw": raw,
        "country": words.country,
        "language_name": words.language_name,
        "join": words.join,
        "gettext": words.gettext,
        "_": words.gettext,
        "ngettext": words.ngettext,
        "pgettext": words.pgettext,
        "npgettext": words.npgettext,
    }


def raw(node: object) -> str:
    """The element's own text, unformatted (a code as written, a number as digits)."""
    element = getattr(node, "element", None)
    return " ".join((element.text or "").split()) if element is not None else ""


def default_language(root: etree._Element) -> str:
    """The recipient's language: a language they understand, else the delivery language."""
    from interop.render.catalogs import available  # noqa: PLC0415

    known = set(available())
    candidates: list[str] = []
    recipient = root.find(f"{N}recipient")
    if recipient is not None:
        person = recipient.find(f"{N}party")
        ref = recipient.find(f"{N}partyRef")
        if ref is not None:
            person = next((e for e in root.iter() if e.get("id") == ref.get("ref")), None)
        if person is not None:
            candidates += [e.text or "" for e in person.iter(f"{C}languageUnderstood")]
    candidates += [e.text or "" for e in root.iterfind(f"{N}deliveryLanguage")]
    candidates.append(root.findtext(f"{C}documentLanguage") or "en")
    for language in candidates:
        if language.strip() in known:
            return language.strip()
    raise UsageError(
        f"none of the document's languages ({', '.join(candidates)}) has a catalog; "
        "choose one with --lang"
    )


@lru_cache(maxsize=8)
def _stylesheet(template_dir: Path | None) -> str:
    for folder in (template_dir, templates_dir()):
        if folder is not None and (folder / "notice.css").is_file():
            return (folder / "notice.css").read_text(encoding="utf-8")
    return ""
