"""The service's settings: what ``interop serve`` was started with.

Uvicorn's worker processes build the app themselves, so the settings travel to them as JSON
in one environment variable.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

ENVIRONMENT: Final = "INTEROP_SERVE_SETTINGS"
MB: Final = 1024 * 1024


def default_audit_log() -> Path:
    """``$XDG_STATE_HOME/interop/audit.jsonl`` (``~/.local/state/interop/audit.jsonl``)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "interop" / "audit.jsonl"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """How the service runs.

    Attributes:
        audit_log: the append-only audit log (one JSON line per document produced).
        token_file: ``name:token`` lines; None serves without authentication (loopback only).
        workspace: keep every upload and output here; None keeps nothing.
        max_upload: largest accepted request body, in bytes.
        jobs: worker processes for the work itself (validation, conversion, rendering).
        threads: run the work in threads instead of processes (tests; one process's memory).
        memory: the translation memory (None: ``$INTEROP_TM`` or the default).
        timeout: longest a worker may take for one request, in seconds.
    """

    audit_log: str
    token_file: str | None = None
    workspace: str | None = None
    max_upload: int = 50 * MB
    jobs: int = 1
    threads: bool = False
    memory: str | None = None
    timeout: float = 600.0

    def to_environment(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> ServeSettings:
        raw = os.environ.get(ENVIRONMENT)
        if not raw:
            raise RuntimeError(f"{ENVIRONMENT} is not set; start the service with interop serve")
        return cls(**json.loads(raw))
