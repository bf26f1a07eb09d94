"""The audit log: one line per document produced; the workspace keeps files only when asked."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from interop.serve import tasks
from tests.serve.conftest import SUMMONS, XML, MakeClient, audit_lines


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_render_and_convert_are_audited(client: TestClient, tmp_path: Path) -> None:
    source = SUMMONS.read_bytes()
    assert client.post("/v1/validate", content=source, headers=XML).status_code == 200
    rendered = client.post("/v1/render?lang=en&also=fr", content=source, headers=XML)
    converted = client.post("/v1/convert?from=common&to=common", content=source, headers=XML)
    refused = client.post("/v1/render?lang=xx", content=source, headers=XML)
    assert (rendered.status_code, converted.status_code, refused.status_code) == (200, 200, 400)
    log = tmp_path / "audit.jsonl"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = audit_lines(log)
    assert [line["action"] for line in lines] == ["render", "convert"]  # validate changes nothing
    render, convert = lines
    assert set(render) == {
        "time", "who", "action", "input_sha256", "output_sha256", "options", "request",
    }  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", render["time"])
    assert render["who"] == "local"
    assert render["input_sha256"] == _sha(source) == convert["input_sha256"]
    assert render["output_sha256"] == _sha(rendered.content)
    assert render["options"]["languages"] == ["en", "fr"]
    assert render["request"] == rendered.headers["x-request-id"]
    document = converted.json()["document"]["content"].encode("utf-8")
    assert convert["output_sha256"] == _sha(document)
    assert convert["options"] == {"from": "common", "to": "common"}


def test_the_log_is_only_appended_to(make_client: MakeClient, tmp_path: Path) -> None:
    log = tmp_path / "kept.jsonl"
    log.write_text('{"earlier": true}\n')
    log.chmod(0o600)
    client = make_client(audit_log=str(log))
    client.post("/v1/render?format=txt", content=SUMMONS.read_bytes(), headers=XML)
    lines = log.read_text().splitlines()
    assert lines[0] == '{"earlier": true}' and len(lines) == 2
    assert json.loads(lines[1])["action"] == "render"


def test_nothing_is_kept_without_a_workspace(client: TestClient, tmp_path: Path) -> None:
    client.post("/v1/render?format=txt", content=SUMMONS.read_bytes(), headers=XML)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.jsonl"]


def test_a_workspace_keeps_uploads_and_outputs(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(workspace=str(tmp_path / "work"))
    files = {"document": ("summons.xml", SUMMONS.read_bytes(), "application/xml")}
    answer = client.post("/v1/render?format=txt&lang=de", files=files)
    assert answer.status_code == 200
    [folder] = (tmp_path / "work").glob("*/*-render")
    assert folder.name == f"{answer.headers['x-request-id']}-render"
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert kept == {"summons.xml": SUMMONS.read_bytes(), "summons.notice.de.txt": answer.content}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_an_internal_error_is_a_500_with_an_id_and_no_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: object) -> object:
        raise ZeroDivisionError("the secret details")

    monkeypatch.setattr(tasks, "validate", explode)
    with caplog.at_level(logging.ERROR, logger="interop.serve"):
        answer = client.post("/v1/validate", content=SUMMONS.read_bytes(), headers=XML)
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["detail"] == f"internal error {body['id']}; the details are in the server's log"
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert body["id"] in caplog.text and "ZeroDivisionError" in caplog.text
