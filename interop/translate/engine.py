"""Translation engines: what every engine offers, the registry, and the choice per language pair.

Nothing registers itself at import time. The built-in engines are listed here by dotted path and
imported only when asked for (the Argos one needs the ``[argos]`` extra); other packages add
engines through the ``interop.translate.engines`` entry point group (each entry point names a
class or factory that takes no arguments and returns an :class:`Engine`).

Engines never reach the network: they translate with what is installed on this machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Final, Protocol, runtime_checkable

from interop.errors import InteropError

ENTRY_POINT_GROUP: Final = "interop.translate.engines"
ORDER_VARIABLE: Final = "INTEROP_ENGINES"
DEFAULT_ORDER: Final = ("apertium", "argos")

BUILTIN: Final = {
    "apertium": "interop.translate.engines.apertium:ApertiumEngine",
    "argos": "interop.translate.engines.argos:ArgosEngine",
}


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """Provenance of a machine translation, as recorded on the translated text.

    Attributes:
        engine: ``argos-translate`` or ``apertium`` (the ``@engine`` attribute).
        model: the model or language-pair package, e.g. ``translate-de_en`` or
            ``apertium-eng-spa``; ``translate-de_en+translate-en_fr`` through a pivot
            (the ``@model`` attribute).
        model_version: the version of that package, ``+``-joined through a pivot
            (the ``@modelVersion`` attribute).
    """

    engine: str
    model: str
    model_version: str


class EngineError(InteropError):
    """No engine can translate a language pair here, or an engine failed (exit status 2).

    The message names what to install where a pair is missing.
    """

    exit_code = 2


@runtime_checkable
class Engine(Protocol):
    """A machine translation engine.

    Attributes:
        name: what ``--engine`` takes (``argos``, ``apertium``).
    """

    name: str

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The (source, target) ISO 639-1 pairs this engine can translate, pivots included."""
        ...

    def info(self, source: str, target: str) -> EngineInfo:
        """The provenance of translations from ``source`` into ``target``.

        Raises:
            EngineError: the pair is not available.
        """
        ...

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """One translation per segment, in order; the whitespace around a segment is kept.

        Segments are sentences or short texts, already split; batching happens inside.

        Raises:
            EngineError: the pair is not available, or the engine failed.
        """
        ...


def names() -> list[str]:
    """Every engine name, built-ins first."""
    return list(BUILTIN) + sorted(n for n in _entry_points() if n not in BUILTIN)


def default_order() -> tuple[str, ...]:
    """The engines to try, in order: ``$INTEROP_ENGINES`` (comma-separated) or apertium, argos."""
    configured = os.environ.get(ORDER_VARIABLE, "")
    order = tuple(name.strip() for name in configured.split(",") if name.strip())
    return order or DEFAULT_ORDER


@cache
def get(name: str) -> Engine:
    """The engine called ``name``, made once per process.

    Raises:
        EngineError: unknown name (the message lists the known ones), or the engine cannot run
            here (its extra or its system package is missing; the message says which).
    """
    target = BUILTIN.get(name) or _entry_points().get(name)
    if target is None:
        raise EngineError(f"unknown engine {name!r}; known engines: {', '.join(names())}")
    engine = _factory(name, target)()
    if not isinstance(engine, Engine):
        raise EngineError(f"engine {name!r} ({target}) is not a translation engine")
    return engine


def available_engines() -> list[Engine]:
    """The engines usable on this machine (their software is installed), in registry order."""
    usable = []
    for name in names():
        try:
            usable.append(get(name))
        except EngineError:
            continue
    return usable


def select(
    source: str,
    target: str,
    *,
    engine: str | None = None,
    order: Sequence[str] | None = None,
) -> Engine:
    """The engine to translate ``source`` into ``target`` with.

    Args:
        source: ISO 639-1 code of the source language.
        target: ISO 639-1 code of the target language.
        engine: use this engine (``--engine``); it must have the pair.
        order: engines to try, first with the pair wins; ``None``: :func:`default_order`.

    Raises:
        EngineError: no engine has the pair; the message names what to install.
    """
    if engine is not None:
        chosen = get(engine)
        if (source, target) not in chosen.pairs():
            raise EngineError(
                f"the {engine} engine cannot translate {source}->{target} here: "
                + _what_to_install(source, target, (engine,))
            )
        return chosen
    tried = tuple(order) if order is not None else default_order()
    for name in tried:
        try:
            candidate = get(name)
        except EngineError:
            continue  # not installed here: the next one may do
        if (source, target) in candidate.pairs():
            return candidate
    return _missing(source, target, tried)


def _missing(source: str, target: str, tried: Sequence[str]) -> Engine:
    raise EngineError(
        f"no translation engine for {source}->{target} (tried {', '.join(tried) or 'none'}): "
        + _what_to_install(source, target, tried)
    )


def _what_to_install(source: str, target: str, engines: Sequence[str]) -> str:
    hints = []
    if "apertium" in engines:
        from interop.translate.engines.apertium import package_hint  # noqa: PLC0415

        hints.append(f"{package_hint(source, target)} with apt-get")
    if "argos" in engines:
        extra = "" if _argos_extra_installed() else " (and the [argos] extra)"
        hints.append(
            f"an Argos package {source}->{target} with "
            f"`interop models install FILE.argosmodel`{extra}"
        )
    return "install " + ", or ".join(hints) if hints else "no engine was tried"


def _argos_extra_installed() -> bool:
    from importlib.util import find_spec  # noqa: PLC0415

    return all(find_spec(name) is not None for name in ("ctranslate2", "sentencepiece"))


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _factory(name: str, target: str) -> Callable[[], object]:
    module_name, _, attribute = target.partition(":")
    try:
        factory: Callable[[], object] = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"engine {name!r} cannot be loaded from {target}: {exc}") from None
    return factory
