"""The audit log: one JSON line for every document the service produces or changes.

Documents about people's liberty need accountability: who (token name, or ``local``), when
(UTC), what (action and options), from which input and to which output (SHA-256 of each).
The file is opened append-only (``O_APPEND``, so processes sharing it never overwrite each
other), created readable by its owner only, and every line is flushed to disk before the
response leaves.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interop.errors import UsageError


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    who: str
    action: str
    input_sha256: str
    output_sha256: str
    options: Mapping[str, Any]
    request_id: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "who": self.who,
                "action": self.action,
                "input_sha256": self.input_sha256,
                "output_sha256": self.output_sha256,
                "options": dict(self.options),
                "request": self.request_id,
            },
            ensure_ascii=False,
            sort_keys=False,
        )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AuditLog:
    """An append-only JSON Lines file; safe to share between threads and processes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._open()  # errors (a folder we cannot write) show at start-up, not at first use

    def _open(self) -> int:
        if self._fd is None:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
                self._fd = os.open(self.path, flags, 0o600)
            except OSError as exc:
                raise UsageError(
                    f"{self.path}: cannot open the audit log: {exc.strerror}"
                ) from None
        return self._fd

    def append(self, entry: AuditEntry) -> None:
        """Write one line and flush it to disk (blocking: call it off the event loop)."""
        line = (entry.to_json() + "\n").encode("utf-8")
        with self._lock:
            fd = self._open()
            # One write per line: with O_APPEND the kernel places it at the end as a whole.
            os.write(fd, line)
            os.fsync(fd)

    def close(self) -> None:
        """Close the file (a later :meth:`append` opens it again)."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
