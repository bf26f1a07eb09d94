"""Shared test helpers: where the project, its examples and the shared fixtures are."""

from __future__ import annotations

import subprocess
import sys
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
