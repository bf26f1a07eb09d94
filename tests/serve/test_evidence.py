"""POST /v1/evidence/verify: an uploaded manifest against uploaded files, as the CLI reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from interop.evidence.build import build
from interop.xmlio import serialize
from tests.conftest import run_cli
from tests.evidence.evidence_trees import make_tree, options


@pytest.fixture
def evidence(tmp_path: Path) -> tuple[Path, bytes]:
    folder = tmp_path / "evidence"
    make_tree(folder)
    result = build(folder, options())
    assert result.valid
    return folder, serialize(result.tree)


def _files(folder: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (p.relative_to(folder).as_posix(), p.read_bytes(), "application/octet-stream"))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]


def test_untouched_files_are_ok_as_the_cli_says(
    client: TestClient, evidence: tuple[Path, bytes], tmp_path: Path
) -> None:
    folder, manifest = evidence
    (tmp_path / "manifest.xml").write_bytes(manifest)
    cli = run_cli(
        "evidence", "verify", "manifest.xml", "evidence", "--format", "json", cwd=tmp_path
    )
    assert cli.returncode == 0, cli.stderr
    files = [("manifest", ("manifest.xml", manifest, "application/xml")), *_files(folder)]
    answer = client.post("/v1/evidence/verify", files=files)
    assert answer.status_code == 200, answer.text
    expected = json.loads(cli.stdout)
    expected["folder"] = "-"
    assert answer.json() == expected
    assert answer.json()["ok"] is True


def test_a_changed_and_a_missing_file(client: TestClient, evidence: tuple[Path, bytes]) -> None:
    folder, manifest = evidence
    files = _files(folder)
    changed = files[0][1]
    files[0] = ("files", (changed[0], changed[1] + b"!", changed[2]))
    del files[1]
    answer = client.post(
        "/v1/evidence/verify", files=[("manifest", ("m.xml", manifest, "text/xml")), *files]
    )
    assert answer.status_code == 200
    report = answer.json()
    assert report["ok"] is False
    assert report["summary"]["modified"] == 1 and report["summary"]["missing"] == 1


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../b", "a//b"])
def test_paths_outside_the_folder_are_refused(
    client: TestClient, evidence: tuple[Path, bytes], path: str
) -> None:
    _, manifest = evidence
    files = [
        ("manifest", ("m.xml", manifest, "application/xml")),
        ("files", (path, b"x", "application/octet-stream")),
    ]
    answer = client.post("/v1/evidence/verify", files=files)
    assert answer.status_code == 400
    assert "give paths relative to the evidence folder" in answer.json()["detail"]


def test_not_a_manifest_and_not_a_form(client: TestClient) -> None:
    files = [("manifest", ("m.xml", b"<a/>", "application/xml"))]
    answer = client.post("/v1/evidence/verify", files=files)
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "m.xml: not an evidence manifest (root element e:evidenceManifest)"
    )
    raw = client.post("/v1/evidence/verify", content=b"<a/>", headers={"content-type": "text/xml"})
    assert raw.status_code == 415
