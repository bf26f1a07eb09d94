"""The Jinja environment every notice renders in: sandboxed, autoescaped, strict.

One environment per template search path. User templates (``--template-dir``) come first, so
a ministry overrides a bundled template by giving its file the same name; every template,
bundled or not, runs in Jinja's immutable sandbox, with autoescaping on and ``StrictUndefined``
so that a missing field stops the rendering instead of leaving a blank in a legal notice.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from interop.render.view import Node, View
from interop.resources import templates_dir

# Attributes of our objects a template must never reach: the lxml element (its methods can
# write files) and the view that holds the whole document.
_HIDDEN = frozenset({"element", "view", "type_key", "index", "words", "rendered", "root"})


class NoticeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, closed further around our own objects."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, Node | View) and attr in _HIDDEN:
            return False
        if isinstance(value, etree._Element | etree._ElementTree):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


@lru_cache(maxsize=8)
def environment(template_dir: Path | None = None) -> NoticeEnvironment:
    """The environment for bundled templates, overridden by those in ``template_dir``."""
    loaders = [FileSystemLoader(str(templates_dir()))]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    env = NoticeEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    # Placeholders are named and filled by our gettext functions (passed per language in the
    # render context), which escape the data: Jinja's "new style" gettext.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    return env
