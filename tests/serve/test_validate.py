"""POST /v1/validate: the same JSON report as ``interop validate --format json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CASES, run_cli
from tests.serve.conftest import SUMMONS, XML

INVALID = sorted((CASES / "invalid").glob("*.xml"))[:3]


def _cli_report(path: Path) -> dict[str, object]:
    done = run_cli("validate", "--format", "json", path.name, cwd=path.parent)
    assert done.returncode in (0, 1, 2), done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_a_valid_document_as_the_raw_body(client: TestClient) -> None:
    answer = client.post("/v1/validate", content=SUMMONS.read_bytes(), headers=XML)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    report = answer.json()
    assert report["summary"] == {"files": 1, "valid": 1, "invalid": 0, "errors": 0, "warnings": 0}
    assert report["files"][0]["path"] == "-"  # as for standard input on the command line
    assert report["files"][0]["format"] == "summons"


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_an_uploaded_file_gets_the_cli_report(client: TestClient, case: Path) -> None:
    files = {"document": (case.name, case.read_bytes(), "text/xml")}
    answer = client.post("/v1/validate", files=files)
    assert answer.status_code == 200  # the report says invalid; the request itself worked
    assert answer.json() == _cli_report(case)
    assert answer.json()["summary"]["invalid"] == 1


def test_a_chosen_format(client: TestClient) -> None:
    data = SUMMONS.read_bytes()
    same = client.post("/v1/validate?format=summons", content=data, headers=XML)
    assert same.status_code == 200 and same.json()["summary"]["valid"] == 1
    other = client.post("/v1/validate?format=decision", content=data, headers=XML).json()
    assert other["files"][0]["format"] == "decision"
    assert other["summary"]["valid"] == 0
    assert other["files"][0]["findings"][0]["rule"] == "format:mismatch"


def test_an_unknown_format_or_parameter_is_a_bad_request(client: TestClient) -> None:
    data = SUMMONS.read_bytes()
    unknown = client.post("/v1/validate?format=nope", content=data, headers=XML)
    assert unknown.status_code == 400
    assert unknown.json()["detail"].startswith("unknown format 'nope'; known formats: ")
    typo = client.post("/v1/validate?fromat=summons", content=data, headers=XML)
    assert typo.status_code == 400
    assert typo.json()["detail"] == "unknown parameter 'fromat'; this endpoint takes: format"


def test_malformed_xml_gets_the_cli_message_and_report(client: TestClient, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<a><b></a>")
    answer = client.post("/v1/validate", files={"document": (broken.name, broken.read_bytes())})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    cli = run_cli("render", broken.name, cwd=tmp_path)
    assert cli.stderr.strip() == f"interop: error: {answer.json()['detail']}"
    assert answer.json()["report"] == _cli_report(broken)


def test_a_form_without_the_document_field(client: TestClient) -> None:
    answer = client.post("/v1/validate", files={"file": ("a.xml", b"<a/>", "text/xml")})
    assert answer.status_code == 400
    assert answer.json()["detail"] == "the form needs one file field named 'document'"
