"""On a terminal: colour and a progress bar; NO_COLOR and pipes turn them off."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import CASES, COMMON_EXAMPLE_DIRS, ROOT

ANSI = "\x1b["


def _on_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; return exit code and screen."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "interop", *args],
        stdout=follower,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm", **(env or {})},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def _invalid_case() -> Path:
    return next(p for p in sorted((CASES / "invalid").glob("REQ-*.xml")))


def test_colour_and_progress_on_a_terminal() -> None:
    code, screen = _on_terminal("validate", *map(str, COMMON_EXAMPLE_DIRS), str(_invalid_case()))
    assert code == 1
    assert ANSI in screen
    assert "validating" in screen  # the progress bar's label


def test_no_color_is_respected() -> None:
    code, screen = _on_terminal(
        "validate", "--no-progress", str(_invalid_case()), env={"NO_COLOR": "1"}
    )
    assert code == 1
    assert ANSI not in screen


def test_no_progress_bar_for_one_file() -> None:
    _, screen = _on_terminal("validate", str(_invalid_case()))
    assert "validating" not in screen
