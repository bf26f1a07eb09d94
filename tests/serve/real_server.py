"""A real ``interop serve`` subprocess on a free loopback port, for the tests that need one
(a real browser, real sockets)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(folder: Path, *options: str) -> Iterator[str]:
    """``interop serve`` with one worker per lane, its audit log (``audit.jsonl``) and its log
    (``server.log``) in ``folder``, and ``options``; yields its base URL once it answers."""
    port = free_port()
    log = folder / "server.log"
    command = [sys.executable, "-m", "interop", "serve", "--port", str(port), "--jobs", "1",
               "--audit-log", str(folder / "audit.jsonl"), *options]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until /v1/health answers at all (a 401 without a token counts: the server is up)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"interop serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/v1/health", timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("interop serve did not answer /v1/health within 60 s")
