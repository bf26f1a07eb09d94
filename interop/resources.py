"""Access to the data folders that ship inside the package (xsd/, templates/, locales/, examples/).

Code never builds paths relative to the repository: in a source checkout ``interop/_data``
holds symlinks to the top-level folders, in a wheel it holds real copies.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    """The package's data folder."""
    return files("interop") / "_data"


@lru_cache(maxsize=1)
def xsd_dir() -> Path:
    """The bundled schema folder as a real filesystem path (libxml2 needs one for imports)."""
    return _as_path(data_root() / "xsd")


@lru_cache(maxsize=1)
def templates_dir() -> Path:
    """The bundled notice templates folder."""
    return _as_path(data_root() / "templates")


@lru_cache(maxsize=1)
def locales_dir() -> Path:
    """The bundled gettext catalogs folder."""
    return _as_path(data_root() / "locales")


@lru_cache(maxsize=1)
def examples_dir() -> Path:
    """The bundled example documents (the clerk's page offers them)."""
    return _as_path(data_root() / "examples")


def _as_path(resource: Traversable) -> Path:
    # Wheels are installed unzipped, so as_file returns the real location without copying.
    with as_file(resource) as path:
        return Path(path)
