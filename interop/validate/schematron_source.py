"""Reading a Schematron file and its includes into one element tree.

Includes are resolved relative to the including file and must stay inside that file's folder,
so a rules file cannot pull in arbitrary files from elsewhere on the disk. Every file goes
through the hardened parser in :mod:`interop.xmlio`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from interop.errors import SchemaError
from interop.xmlio import parse_file

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_MAX_INCLUDE_DEPTH = 16
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def ns(local: str) -> str:
    """The Clark name of a Schematron element."""
    return f"{{{SCH_NS}}}{local}"


@dataclass
class SchemaSource:
    """A Schematron schema with includes expanded, remembering which file each part came from.

    Attributes:
        path: the top-level file.
        root: the ``sch:schema`` element, includes replaced by what they include.
    """

    path: Path
    root: etree._Element
    _origins: dict[etree._Element, Path] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SchemaSource:
        """Parse ``path`` and expand its includes.

        Raises:
            SchemaError: not a Schematron schema, or an include that cannot be resolved.
            UnreadableInput: a file that cannot be read as XML.
        """
        root = parse_file(path).getroot()
        source = cls(path, root, {root: path})
        if root.tag != ns("schema"):
            raise source.error(root, f"the root element is not sch:schema in {SCH_NS}")
        source._expand(root, path, 0)
        return source

    def error(self, element: etree._Element, what: str) -> SchemaError:
        """A :class:`SchemaError` naming the file and line of ``element``."""
        return SchemaError(f"{self.where(element)}: {what}")

    def where(self, element: etree._Element) -> str:
        """``file:line`` of an element, in the file it was included from."""
        return f"{self._file_of(element)}:{element.sourceline}"

    def children(self, parent: etree._Element, *names: str) -> list[etree._Element]:
        """The Schematron children of ``parent`` with the given local names, in order."""
        wanted = {ns(name) for name in names}
        return [child for child in parent if child.tag in wanted]

    def _file_of(self, element: etree._Element) -> Path:
        current: etree._Element | None = element
        while current is not None:
            if current in self._origins:
                return self._origins[current]
            current = current.getparent()
        return self.path

    def _expand(self, element: etree._Element, file: Path, depth: int) -> None:
        for include in list(element.iter(ns("include"))):
            parent = include.getparent()
            if parent is None:
                raise self.error(include, "sch:include cannot be the root element")
            if depth >= _MAX_INCLUDE_DEPTH:
                raise self.error(include, "includes nest too deeply (a cycle?)")
            included, target = self._load_include(include, file, depth)
            replacement = list(included) if included.tag == ns("schema") else [included]
            position = parent.index(include)
            parent.remove(include)
            for offset, part in enumerate(replacement):
                self._origins[part] = target
                parent.insert(position + offset, part)

    def _load_include(
        self, include: etree._Element, file: Path, depth: int
    ) -> tuple[etree._Element, Path]:
        href = include.get("href") or ""
        target_path, _, fragment = href.partition("#")
        target = self._resolve(include, unquote(target_path), file)
        root = parse_file(target).getroot()
        self._origins[root] = target
        self._expand(root, target, depth + 1)
        if not fragment:
            return root, target
        found = next((e for e in root.iter() if e.get("id") == fragment), None)
        if found is None:
            raise self.error(include, f"no element with id {fragment!r} in {target}")
        return found, target

    def _resolve(self, include: etree._Element, href: str, file: Path) -> Path:
        if not href or _URL_SCHEME.match(href):
            raise self.error(include, f"sch:include href {href!r} must be a relative file path")
        folder = file.parent.resolve()
        target = (folder / href).resolve()
        if not target.is_relative_to(folder):
            raise self.error(include, f"sch:include {href!r} leaves the folder {folder}")
        return target
