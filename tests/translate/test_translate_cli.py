"""``interop translate``, ``xliff``, ``tm`` and ``models`` from the command line (real engines)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interop import xmlio
from interop.translate import batch
from interop.translate.document import TranslateOptions, Translator
from interop.translate.engine import EngineError
from interop.translate.memory import Memory
from interop.validate.validator import ValidationSettings, Validator
from tests.conftest import EXAMPLES, ROOT
from tests.translate.support import STATUS, FakeEngine, apertium_pair, errors, versions

NOTIFICATIONS = EXAMPLES / "notification"

needs_apertium = pytest.mark.skipif(
    not apertium_pair("es-fr"), reason="apertium-fr-es is installed by scripts/dev setup"
)
X = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(
    *args: str, tmp_path: Path, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The real command, with its memory and model store inside the test's folder."""
    env = {
        **os.environ,
        "INTEROP_TM": str(tmp_path / "default-memory.sqlite"),
        "INTEROP_MODELS": os.environ.get("INTEROP_MODELS", str(tmp_path / "models")),
    }
    return subprocess.run(
        [*prefix, sys.executable, "-m", "interop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )


@needs_apertium
def test_translate_one_document(tmp_path: Path) -> None:
    before = STATUS.read_bytes()
    out = tmp_path / "status.fr.xml"
    done = run("translate", str(STATUS), "--to", "fr", "-o", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 translated" in done.stderr
    assert STATUS.read_bytes() == before  # the input is never modified
    tree = xmlio.parse_file(out)
    french = versions(tree, "fr")
    assert [t.get("engine") for t in french] == ["apertium", "apertium"]
    assert all(t.get("origin") == "machine" and t.get("status") == "unreviewed" for t in french)
    assert errors(tree) == []


@needs_apertium
def test_a_folder_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "status.xml").write_bytes(STATUS.read_bytes())
    (source / "broken.xml").write_text("<n:statusUpdate xmlns:n='urn:interop:notification:1'>")
    out = tmp_path / "out"
    done = run("translate", str(source), "--to", "fr", "--out-dir", str(out), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "broken.xml:1" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["status.fr.xml"]


@needs_apertium
def test_the_memory_makes_a_second_run_need_no_engine(tmp_path: Path) -> None:
    memory = str(tmp_path / "tm.sqlite")
    first = run(
        "translate",
        str(STATUS),
        "--to",
        "fr",
        "--memory",
        memory,
        "-o",
        str(tmp_path / "a.xml"),
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    # A second run with an engine that cannot do es->fr still succeeds: every sentence is known.
    second = run(
        "translate",
        str(STATUS),
        "--to",
        "fr",
        "--memory",
        memory,
        "--engine",
        "argos",
        "-o",
        str(tmp_path / "b.xml"),
        tmp_path=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert "2 from memory" in second.stderr
    assert (tmp_path / "a.xml").read_text().count('engine="apertium"') == 2
    assert (tmp_path / "b.xml").read_text().count('engine="apertium"') == 2


def test_a_missing_pair_is_one_line_naming_what_to_install(tmp_path: Path) -> None:
    done = run(
        "translate", str(STATUS), "--to", "fi", "-o", str(tmp_path / "x.xml"), tmp_path=tmp_path
    )
    assert done.returncode == 2
    assert "install" in done.stderr and "es->fi" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.xml").exists()


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "status.xml"
    copy.write_bytes(STATUS.read_bytes())
    done = run("translate", str(copy), "--to", "fr", "-o", str(copy), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "overwrite" in done.stderr
    assert copy.read_bytes() == STATUS.read_bytes()


@needs_apertium
def test_xliff_review_round_trip(tmp_path: Path) -> None:
    memory = str(tmp_path / "tm.sqlite")
    translated = tmp_path / "status.fr.xml"
    xlf = tmp_path / "status.fr.xlf"
    reviewed = tmp_path / "status.fr.reviewed.xml"
    assert (
        run(
            "translate",
            str(STATUS),
            "--to",
            "fr",
            "--memory",
            memory,
            "-o",
            str(translated),
            tmp_path=tmp_path,
        ).returncode
        == 0
    )
    done = run(
        "xliff",
        "export",
        str(translated),
        "--to",
        "fr",
        "--memory",
        memory,
        "-o",
        str(xlf),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    # The reviewer accepts every suggestion (what a CAT tool writes when a unit is confirmed).
    xliff = xmlio.parse_file(xlf)
    for target in xliff.getroot().iter(f"{X}target"):
        if target.getparent().tag == f"{X}trans-unit":
            target.set("state", "translated")
    xlf.write_bytes(xmlio.serialize(xliff))
    done = run(
        "xliff",
        "import",
        str(translated),
        str(xlf),
        "--reviewer",
        "Marie Lefort",
        "--memory",
        memory,
        "-o",
        str(reviewed),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    tree = xmlio.parse_file(reviewed)
    french = versions(tree, "fr")
    assert {t.get("status") for t in french} == {"reviewed"}
    assert {t.get("reviewedBy") for t in french} == {"Marie Lefort"}
    assert {t.get("engine") for t in french} == {"apertium"}
    assert errors(tree) == []
    # The same XLIFF does not fit a document whose source text has changed since.
    changed = tmp_path / "changed.xml"
    changed.write_text(STATUS.read_text().replace("La OEI fue reconocida", "La OEI fue recibida"))
    other = run(
        "xliff",
        "import",
        str(changed),
        str(xlf),
        "--reviewer",
        "Marie Lefort",
        "-o",
        str(tmp_path / "other.xml"),
        tmp_path=tmp_path,
    )
    assert other.returncode == 2
    assert "export again" in other.stderr and len(other.stderr.strip().splitlines()) == 1


@needs_apertium
def test_tm_export_and_import(tmp_path: Path) -> None:
    first, second = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    tmx = tmp_path / "memory.tmx"
    assert (
        run(
            "translate",
            str(STATUS),
            "--to",
            "fr",
            "--memory",
            first,
            "-o",
            str(tmp_path / "a.xml"),
            tmp_path=tmp_path,
        ).returncode
        == 0
    )
    exported = run("tm", "export", str(tmx), "--memory", first, tmp_path=tmp_path)
    assert exported.returncode == 0, exported.stderr
    imported = run("tm", "import", str(tmx), "--memory", second, tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr
    count = int(exported.stderr.split(": ")[1].split()[0])
    assert count > 2 and f"{count} segments imported" in imported.stderr


def test_models_install_list_remove(
    copy_model_file: Path, model_store: Path, tmp_path: Path
) -> None:
    assert "no models installed" in run("models", "list", tmp_path=tmp_path).stderr
    done = run("models", "install", str(copy_model_file), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "translate-de_en" in done.stdout
    listed = run("models", "list", tmp_path=tmp_path)
    assert "translate-de_en" in listed.stdout and "de->en" in listed.stdout
    assert run("models", "remove", "de->en", tmp_path=tmp_path).returncode == 0
    missing = run("models", "remove", "de->en", tmp_path=tmp_path)
    assert missing.returncode == 2 and "no installed model" in missing.stderr
    broken = tmp_path / "broken.argosmodel"
    broken.write_text("not a zip")
    refused = run("models", "install", str(broken), tmp_path=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


@needs_apertium
@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is not here")
def test_translate_and_review_export_without_a_network(tmp_path: Path) -> None:
    """The whole document path, with a real engine, in a namespace with no network at all."""
    if subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode:
        pytest.skip("unshare -n is not permitted here")
    offline = ("unshare", "-n")
    out, xlf = tmp_path / "status.fr.xml", tmp_path / "status.fr.xlf"
    done = run(
        "translate", str(STATUS), "--to", "fr", "-o", str(out), tmp_path=tmp_path, prefix=offline
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().count('origin="machine" engine="apertium"') == 2
    exported = run(
        "xliff",
        "export",
        str(out),
        "--to",
        "fr",
        "-o",
        str(xlf),
        tmp_path=tmp_path,
        prefix=offline,
    )
    assert exported.returncode == 0, exported.stderr
    assert 'state-qualifier="mt-suggestion"' in xlf.read_text()


def test_a_batch_shares_engine_calls_and_isolates_a_missing_pair(tmp_path: Path) -> None:
    engine = FakeEngine()

    def select(source: str, target: str) -> FakeEngine:
        if source == "pl":
            raise EngineError(f"no translation engine for {source}->{target}: install one")
        return engine

    together = [STATUS, EXAMPLES / "evidence" / "evidence-documents-usb-es-fr.xml"]
    validator = Validator(ValidationSettings())
    with Memory(tmp_path / "tm.sqlite") as memory:
        translator = Translator(TranslateOptions("fi"), memory, select=select)
        files = [str(f) for f in together]
        targets = batch.outputs(files, "fi", None, str(tmp_path / "a"))
        outcomes = batch.translate_all(
            files, targets, translator, validator, write_stdout=lambda data: None
        )
    assert [o.exit_code for o in outcomes] == [0, 0]
    assert len(engine.calls) == 1  # one es->fi call for both documents
    engine.calls.clear()
    files.append(str(NOTIFICATIONS / "summons-suspect-questioning.xml"))
    targets = batch.outputs(files, "fi", None, str(tmp_path / "b"))
    with Memory(tmp_path / "empty.sqlite") as memory:
        translator = Translator(TranslateOptions("fi"), memory, select=select)
        outcomes = batch.translate_all(
            files, targets, translator, validator, write_stdout=lambda data: None
        )
    assert [o.exit_code for o in outcomes] == [0, 0, 2]
    assert len(engine.calls) == 2  # the batch failed on pl->fi: the others one by one
    assert "pl->fi" in (outcomes[2].error or "")
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "evidence-documents-usb-es-fr.fi.xml",
        "status-update-delayed.fi.xml",
    ]
    for written in (tmp_path / "b").iterdir():
        tree = xmlio.parse_file(written)
        assert versions(tree, "fi") and errors(tree) == []
