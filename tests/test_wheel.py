"""The built wheel carries xsd/, templates/ and locales/ and validates on its own."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import COMMON_EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # No build isolation: the build backend comes from the dev environment, not the network.
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", out, ROOT)
    (found,) = out.glob("interop-*.whl")
    return found


def test_wheel_contains_the_data_folders_as_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "interop/py.typed" in names
        for folder in ("xsd", "templates", "locales"):
            assert any(n.startswith(f"interop/_data/{folder}/") for n in names), folder
        assert "interop/_data/xsd/catalog.xml" in names
        assert any(n.startswith("interop/_data/xsd/rules/") for n in names)
        catalog = zf.read("interop/_data/xsd/catalog.xml")
        assert catalog == (ROOT / "xsd" / "catalog.xml").read_bytes()
        # The gettext catalogs are compiled at build time (hatch_build.py) and shipped.
        for language in ("de", "ar", "ga"):
            assert f"interop/_data/locales/{language}/LC_MESSAGES/interop.mo" in names
            assert f"interop/_data/locales/{language}/LC_MESSAGES/interop.po" in names
        assert "interop/_data/templates/notices/summons.html.j2" in names


def test_installed_wheel_validates_an_example(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel
    )
    # Dependencies (lxml, click, ...) come from this environment: appended after the fresh
    # venv's own site-packages, so `interop` itself is imported from the wheel.
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run(
        python,
        "-c",
        "import interop.resources as r; print(r.__file__); print(r.xsd_dir())",
        cwd=work,
    ).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where
    assert not Path(where[1]).is_symlink()
    example = COMMON_EXAMPLES[0]
    done = subprocess.run(
        [venv / "bin" / "interop", "validate", "--format", "json", example],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"valid": true' in done.stdout
    notice = subprocess.run(
        [venv / "bin" / "interop", "render", "--lang", "el", "--format", "txt",
         ROOT / "examples" / "notification" / "decision-refused.xml"],
        capture_output=True, text=True, cwd=work, timeout=120, check=False,
    )  # fmt: skip
    assert notice.returncode == 0, notice.stderr
    assert notice.stdout.startswith("Γνωστοποίηση απόφασης"), notice.stdout[:500]
