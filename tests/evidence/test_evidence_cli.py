"""The ``interop evidence`` commands as a user runs them: exit codes, one-line errors, outputs
written only when valid, inputs never modified."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from interop.evidence.manifest import NSMAP
from interop.xmlio import parse_file
from tests.conftest import EXAMPLES, run_cli
from tests.evidence.evidence_trees import SEIZURE_ARGS, make_tree

SEIZED_FILES = EXAMPLES / "evidence" / "seized-files"


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "evidence"
    make_tree(target)
    return target


def test_build_then_verify_the_bundled_example(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.xml"
    built = run_cli("evidence", "build", str(SEIZED_FILES), *SEIZURE_ARGS, "--hash", "sha512",
                    "-o", str(manifest))  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert "4 files" in built.stderr and "-> " in built.stderr
    paths = [p.text for p in parse_file(manifest).getroot().iterfind(".//e:path", NSMAP)]
    assert "Notizen \u2013 Übergabe.txt" in paths and "Fotos/Lagerhalle_Łódź.png" in paths
    checked = run_cli("evidence", "verify", str(manifest), str(SEIZED_FILES), "--all")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.count("OK ") == 4
    assert run_cli("validate", str(manifest)).returncode == 0


def test_verify_reports_each_change_and_exits_1(tmp_path: Path, folder: Path) -> None:
    manifest = tmp_path / "manifest.xml"
    assert (
        run_cli("evidence", "build", str(folder), *SEIZURE_ARGS, "-o", str(manifest)).returncode
        == 0
    )
    (folder / "empty.bin").unlink()
    (folder / "extra.txt").write_bytes(b"new")
    data = bytearray((folder / "noext").read_bytes())
    data[0] ^= 0xFF
    (folder / "noext").write_bytes(bytes(data))
    text = run_cli("evidence", "verify", str(manifest), str(folder))
    assert text.returncode == 1
    assert "MISSING    empty.bin" in text.stdout
    assert "EXTRA      extra.txt" in text.stdout
    assert "MODIFIED   noext" in text.stdout
    report = run_cli("evidence", "verify", str(manifest), str(folder), "--format", "json")
    assert report.returncode == 1
    summary = json.loads(report.stdout)["summary"]
    assert (summary["missing"], summary["extra"], summary["modified"]) == (1, 1, 1)


def test_build_without_the_seizure_reports_the_rules_and_writes_nothing(
    tmp_path: Path, folder: Path
) -> None:
    manifest = tmp_path / "manifest.xml"
    args = ("--case", "1 Js 2/26", "--compiled-by", "Staatsanwaltschaft Berlin;prosecutor;DE")
    done = run_cli("evidence", "build", str(folder), *args, "-o", str(manifest))
    assert done.returncode == 1
    assert "[EVD-020]" in done.stderr and "more errors [EVD-020]" in done.stderr
    assert "not written" in done.stderr and not manifest.exists()
    no_traceback(done.stderr)
    draft = run_cli("evidence", "build", str(folder), *args, "--write-invalid", "-o", str(manifest))
    assert draft.returncode == 1 and manifest.exists() and "INVALID" in draft.stderr


def test_bad_options_are_one_line_usage_errors(tmp_path: Path, folder: Path) -> None:
    out = str(tmp_path / "m.xml")
    cases = [
        ("--seized-at", "2026-03-05T09:10:00", "has no offset"),
        ("--place", "Berlin", "expected LOCALITY;CC"),
    ]
    for option, value, words in cases:
        args = list(SEIZURE_ARGS)
        args[args.index(option) + 1] = value
        done = run_cli("evidence", "build", str(folder), *args, "-o", out)
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and done.stderr.count("\n") == 1
    missing = run_cli("evidence", "build", str(tmp_path / "nowhere"), *SEIZURE_ARGS, "-o", out)
    assert missing.returncode == 2 and "not a folder" in missing.stderr


def test_verify_refuses_a_hostile_manifest(tmp_path: Path, folder: Path) -> None:
    manifest = tmp_path / "manifest.xml"
    assert (
        run_cli("evidence", "build", str(folder), *SEIZURE_ARGS, "-o", str(manifest)).returncode
        == 0
    )
    text = manifest.read_text("utf-8").replace("<e:path>noext<", "<e:path>../../etc/passwd<")
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(text, "utf-8")
    done = run_cli("evidence", "verify", str(hostile), str(folder))
    assert done.returncode == 2
    assert "'../../etc/passwd' refused" in done.stderr and done.stderr.count("\n") == 1
    no_traceback(done.stderr)


def test_custody_writes_a_new_file_and_never_the_input_unless_asked(tmp_path: Path) -> None:
    manifest = tmp_path / "usb.xml"
    shutil.copy(EXAMPLES / "evidence" / "evidence-documents-usb-es-fr.xml", manifest)
    original = manifest.read_bytes()
    args = ["evidence", "custody", str(manifest), "--from", "H4",
            "--to", "Camille Durand;juge d'instruction;Tribunal judiciaire de Paris;FR",
            "--at", "2026-03-20T10:00:00+01:00", "--place", "Paris;FR", "--purpose", "transfer",
            "--means", "in-person", "--seals-intact"]  # fmt: skip
    neither = run_cli(*args)
    assert neither.returncode == 2 and "--in-place" in neither.stderr
    same = run_cli(*args, "-o", str(manifest))
    assert same.returncode == 2 and "--in-place" in same.stderr
    out = tmp_path / "usb-2.xml"
    done = run_cli(*args, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert manifest.read_bytes() == original
    assert "custody event E4 appended" in done.stderr
    assert run_cli("validate", str(out)).returncode == 0
    in_place = run_cli(*args, "--in-place")
    assert in_place.returncode == 0 and manifest.read_bytes() != original


def test_custody_refused_leaves_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    source = str(EXAMPLES / "evidence" / "evidence-documents-usb-es-fr.xml")
    broken = run_cli("evidence", "custody", source, "--from", "H1", "--to", "H2",
                     "--at", "2026-03-20T10:00:00Z", "--place", "Paris;FR",
                     "--purpose", "transfer", "-o", str(out))  # fmt: skip
    assert broken.returncode == 1 and "EVD-021" in broken.stderr and not out.exists()
    courier = run_cli("evidence", "custody", source, "--from", "H4", "--to", "H1",
                      "--at", "2026-03-20T10:00:00Z", "--place", "Paris;FR",
                      "--purpose", "return", "--means", "courier", "-o", str(out))  # fmt: skip
    assert courier.returncode == 1 and "[EVD-027]" in courier.stderr and not out.exists()
    no_traceback(broken.stderr + courier.stderr)


def test_import_and_export_go_through_the_converters(tmp_path: Path, folder: Path) -> None:
    listing = tmp_path / "list.sha256"
    listing.write_text("0" * 63 + "  short.txt\n", "utf-8")  # a hash of the wrong length
    done = run_cli("evidence", "import", str(listing), "--from", "sha256sum", "-o",
                   str(tmp_path / "m.xml"))  # fmt: skip
    assert done.returncode in (1, 2) and not (tmp_path / "m.xml").exists()
    no_traceback(done.stderr)
    out = tmp_path / "laptop.json"
    laptop = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
    exported = run_cli("evidence", "export", str(laptop), "--to", "case", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "@graph" in out.read_text("utf-8") or "@context" in out.read_text("utf-8")


def test_sign_then_check_and_a_custody_event_breaks_the_signature(tmp_path: Path) -> None:
    pytest.importorskip("signxml")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=Katrin Vogel"],
        check=True, capture_output=True,
    )  # fmt: skip
    manifest = EXAMPLES / "evidence" / "evidence-documents-usb-es-fr.xml"
    signed, later = tmp_path / "signed.xml", tmp_path / "later.xml"
    done = run_cli("evidence", "sign", str(manifest), "--key", str(key), "--cert", str(cert),
                   "-o", str(signed))  # fmt: skip
    assert done.returncode == 0, done.stderr
    good = run_cli("evidence", "check-signature", str(signed), "--cert", str(cert))
    assert good.returncode == 0 and "Katrin Vogel" in good.stdout
    added = run_cli("evidence", "custody", str(signed), "--from", "H4", "--to", "H1",
                    "--at", "2026-03-20T10:00:00Z", "--place", "Paris;FR",
                    "--purpose", "return", "-o", str(later))  # fmt: skip
    assert added.returncode == 0 and "sign it again" in added.stderr
    broken = run_cli("evidence", "check-signature", str(later), "--cert", str(cert))
    assert broken.returncode == 1
