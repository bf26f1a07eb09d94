"""Every malicious file of the shared corpus is refused: exit 2, no file read, no connection,
bounded memory. Proved on the real CLI in a subprocess, under strace where available."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_measuring_memory

ATTACKS = sorted((FIXTURES / "xml-attacks").glob("*.xml"))
MEMORY_LIMIT_KB = 100 * 1024


def test_the_corpus_is_there() -> None:
    assert len(ATTACKS) >= 8


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.name)
def test_attack_refused_without_side_effects(
    attack: Path, loopback_listener: list[object], tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    command = [sys.executable, "-m", "interop", "validate", "--no-progress", str(attack)]
    if shutil.which("strace"):
        command = [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect,openat,open",
            "-o",
            str(trace),
            *command,
        ]
    done, max_rss_kb = run_measuring_memory(command, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "DOCTYPE" in done.stdout
    assert "Traceback" not in done.stderr
    assert max_rss_kb < MEMORY_LIMIT_KB, f"{max_rss_kb} kB used"
    assert loopback_listener == [], "a connection was opened"
    if trace.exists():
        calls = trace.read_text()
        assert "AF_INET" not in calls
        assert "xmltestdata" not in calls
        assert "xhtml1-transitional.dtd" not in calls


def test_entity_pointing_at_a_real_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        f'<!DOCTYPE r [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n<r>&s;</r>\n', "utf-8"
    )
    trace = tmp_path / "trace"
    command = [sys.executable, "-m", "interop", "validate", "--format", "json", str(hostile)]
    if shutil.which("strace"):
        command = ["strace", "-f", "-qq", "-e", "trace=openat,open", "-o", str(trace), *command]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 2
    assert "TOP-SECRET-CONTENT" not in done.stdout + done.stderr
    if trace.exists():
        assert "secret.txt" not in trace.read_text()
