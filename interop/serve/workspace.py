"""The optional workspace: with ``--workspace DIR`` every upload and output is kept there.

One folder per request, ``DIR/YYYY-MM-DD/<request id>-<action>/``, readable by the service's
user only. Without a workspace nothing uploaded is written anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from interop.convert.converter import plain_file_name_problem
from interop.xmlio import write_atomic


class Workspace:
    """Keeps the files of each request in a folder of its own."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def keep(self, request_id: str, action: str, files: dict[str, bytes]) -> Path:
        """Write ``files`` (name → bytes) into this request's folder (blocking)."""
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        folder = self.root / day / f"{request_id}-{action}"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name, data in files.items():
            safe = name if name != "-" and plain_file_name_problem(name) is None else "upload"
            target = folder / safe
            write_atomic(target, data)
            target.chmod(0o600)
        return folder
