"""Shared test helpers: where the project, its examples and the shared fixtures are."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Documents of the common formats; examples/national/ holds national formats and their specs.
COMMON_EXAMPLE_DIRS = [EXAMPLES / family for family in ("request", "notification", "evidence")]
COMMON_EXAMPLES = sorted(p for folder in COMMON_EXAMPLE_DIRS for p in folder.rglob("*.xml"))
CASES = ROOT / "tests" / "cases"
FIXTURES = ROOT.parent / "shared" / "fixtures"


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``interop`` command in a subprocess (what a user or CI runs)."""
    return subprocess.run(
        [sys.executable, "-m", "interop", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="session")
def fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES


# Runs the command as its only child and writes that child's peak memory (kB) to a file.
# Measuring in the command itself is wrong: Linux carries a process's peak memory across
# exec, so a command forked from a large test session starts with the session's peak; and
# getrusage(RUSAGE_CHILDREN) in the test process would report its largest child ever.
_MEASURE = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[2:]).returncode; "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


def run_measuring_memory(
    args: list[str], tmp_path: Path
) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``args`` and return the result and its peak memory in kB (the command alone)."""
    peak = tmp_path / "peak-kb"
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(peak), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    return done, int(peak.read_text())


@pytest.fixture(scope="module")
def loopback_listener() -> Iterator[list[object]]:
    """Listens where the attack files point (127.0.0.1:5000) and counts connections."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", 5000))
    except OSError:
        pytest.fail("port 5000 on loopback is taken; the no-connection proof needs it")
    sock.listen(8)
    sock.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            accepted.append(conn)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield accepted
    stop.set()
    thread.join()
    sock.close()
