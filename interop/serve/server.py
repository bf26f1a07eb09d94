"""``interop serve``: check the settings, then run uvicorn (one or more server processes)."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket

from interop.errors import UsageError
from interop.serve.audit import AuditLog
from interop.serve.auth import load_tokens
from interop.serve.settings import ENVIRONMENT, ServeSettings


def is_loopback(host: str) -> bool:
    """Whether ``host`` only ever reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(settings: ServeSettings, host: str) -> None:
    """Refuse what would make an unsafe or broken service, before anything starts.

    Raises:
        UsageError: open to the network without tokens, or an unusable file.
    """
    if settings.token_file is None and not is_loopback(host):
        raise UsageError(
            f"--host {host} opens the service to the network; give --token-file FILE so that "
            "every request needs a token"
        )
    if settings.token_file is not None:
        load_tokens(settings.token_file)
    AuditLog(settings.audit_log).close()


def run(
    settings: ServeSettings, host: str, port: int, workers: int, max_connections: int = 256
) -> None:
    """Serve until interrupted; past ``max_connections`` open connections (per server
    process) new requests are answered 503 at once instead of queueing without end."""
    import uvicorn  # noqa: PLC0415

    check(settings, host)
    os.environ[ENVIRONMENT] = settings.to_environment()
    _port_free(host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    uvicorn.run(
        "interop.serve.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        server_header=False,
        proxy_headers=False,
        log_level="info",
        timeout_graceful_shutdown=30,
        limit_concurrency=max_connections,
    )


def _port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
