"""What every route needs: the engine, the audit log, the workspace, and the caller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from interop.serve.audit import AuditEntry, AuditLog, sha256
from interop.serve.engine import Engine
from interop.serve.settings import ServeSettings
from interop.serve.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Service:
    """The parts of a running service (one per server process)."""

    settings: ServeSettings
    engine: Engine
    audit: AuditLog
    workspace: Workspace | None


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


def who(request: Request) -> str:
    return str(request.scope.get("state", {}).get("who", "local"))


async def record(
    request: Request,
    action: str,
    *,
    source: bytes,
    output: bytes,
    options: Mapping[str, Any],
    files: dict[str, bytes],
) -> None:
    """Audit a document produced (and keep its files in the workspace, if there is one)."""
    entry = AuditEntry(
        who(request), action, sha256(source), sha256(output), options, request_id(request)
    )
    await run_in_threadpool(service(request).audit.append, entry)
    await keep(request, action, files)


async def keep(request: Request, action: str, files: dict[str, bytes]) -> None:
    """Keep a request's files in the workspace, if the service has one."""
    workspace = service(request).workspace
    if workspace is not None:
        await run_in_threadpool(workspace.keep, request_id(request), action, files)
