"""The bundled example documents a clerk can open without uploading anything."""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from interop.errors import UsageError
from interop.resources import examples_dir

# The families of the common formats; national formats (examples/national) are for convert.
FAMILIES: Final = ("notification", "request", "evidence")


@lru_cache(maxsize=1)
def listing() -> tuple[str, ...]:
    """Relative paths (``notification/summons-....xml``) of the examples, sorted."""
    root = examples_dir()
    return tuple(
        f"{family}/{path.name}"
        for family in FAMILIES
        for path in sorted((root / family).glob("*.xml"))
    )


def read(name: str) -> tuple[bytes, str]:
    """The bytes and file name of example ``name`` (only names of :func:`listing`).

    Raises:
        UsageError: not one of the examples (a name is never used as a path otherwise).
    """
    if name not in listing():
        raise UsageError(f"{name!r} is not one of the bundled examples")
    path = examples_dir() / name
    return path.read_bytes(), path.name
