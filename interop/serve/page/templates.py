"""The page's Jinja environment: our own templates (``templates/page/``), autoescaped, strict.

Wording comes from the catalogs through the page language's localizer, passed as ``_`` (and
``label``, ``language_name``) in each render's context; pybabel extracts the ``_("...")`` calls.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from interop import __version__
from interop.render.notices import BY_NAME
from interop.resources import templates_dir
from interop.serve.page.findings import place
from interop.serve.page.text import language_choices, languages, own_name, page_text


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir() / "page")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_page(template: str, ui: str, **context: Any) -> str:
    """The page ``template`` in language ``ui``."""
    text = page_text(ui)
    return (
        environment()
        .get_template(template)
        .render(
            ui=ui,
            direction=text.direction,
            _=text.gettext,
            ngettext=text.ngettext,
            label=text.label,
            language_name=text.language_name,
            notice_title=lambda name: text.gettext(BY_NAME[name].title),
            place=lambda path: place(path, text),
            ui_languages=[(code, own_name(code)) for code in languages()],
            languages=language_choices(text, languages()),
            version=__version__,
            **context,
        )
    )


@lru_cache(maxsize=1)
def stylesheet() -> bytes:
    """The page's CSS (``templates/page/page.css``)."""
    return (templates_dir() / "page" / "page.css").read_bytes()
