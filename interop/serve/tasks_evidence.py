"""Evidence verification in the engine's workers: an uploaded manifest against uploaded files.

The files are written into a temporary folder (readable by the service's user only) that is
removed as soon as the report is made; the manifest's and the files' paths are checked first,
so that nothing is written outside that folder.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree

from interop import xmlio
from interop.errors import InteropError, UnreadableInput
from interop.evidence.folder import path_problem
from interop.evidence.manifest import E_NS
from interop.evidence.verify import verify
from interop.serve.problems import status_of
from interop.serve.tasks import Failure, limits


def verify_upload(
    manifest: bytes, name: str, files: tuple[tuple[str, bytes], ...]
) -> dict[str, Any] | Failure:
    """The report of ``interop evidence verify --format json`` for the uploaded files."""
    try:
        tree = xmlio.parse_bytes(manifest, name, limits=limits())
        if etree.QName(tree.getroot()).text != f"{{{E_NS}}}evidenceManifest":
            reason = "not an evidence manifest (root element e:evidenceManifest)"
            raise UnreadableInput(name, reason)
        with tempfile.TemporaryDirectory(prefix="interop-verify-") as folder:
            root = Path(folder)
            _write(root, files)
            report = verify("-", tree, root, workers=1)
    except InteropError as exc:
        return Failure(status_of(exc), str(exc))
    result: dict[str, Any] = json.loads(replace(report, manifest=name, folder="-").to_json())
    return result


def _write(root: Path, files: tuple[tuple[str, bytes], ...]) -> None:
    """Write each file at its relative path under ``root``.

    Raises:
        UnreadableInput: a path that could reach outside the folder, or one given twice.
    """
    for path, data in files:
        problem = path_problem(path)
        if problem:
            raise UnreadableInput(path, f"{problem}; give paths relative to the evidence folder")
        target = root / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            raise UnreadableInput(path, "given twice; each file once") from None
        except OSError as exc:  # "a" and "a/b": a file where a folder would have to be
            raise UnreadableInput(path, f"cannot be placed: {exc.strerror}") from None
