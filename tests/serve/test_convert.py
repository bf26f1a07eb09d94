"""POST /v1/convert: the converted document and the loss report of ``interop convert --report``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CASES, EXAMPLES, FIXTURES, run_cli
from tests.serve.conftest import SUMMONS, XML

CSV = CASES / "csv" / "evidence-de-semikolon-bom.csv"
MANIFEST = EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml"
CSV_OPTIONS = {
    "document_language": "de",
    "case_reference": "276 Js 1234/26",
    "authority": "Staatsanwaltschaft Berlin;prosecutor;DE",
    "time_zone": "Europe/Berlin",
}


def test_common_to_common_is_lossless(client: TestClient) -> None:
    answer = client.post(
        "/v1/convert?from=common&to=common", content=SUMMONS.read_bytes(), headers=XML
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["report"]["summary"]["lossless"] == 1
    assert body["document"]["media_type"] == "application/xml"
    assert body["document"]["encoding"] == "utf-8"
    assert "<n:summons" in body["document"]["content"]
    assert body["attachments"] == []


def test_a_csv_import_reports_as_the_cli_does(client: TestClient, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in CSV_OPTIONS.items()]
    done = run_cli(
        "convert", CSV.name, "--from", "csv-evidence", "--to", "common", *flags,
        "-o", str(tmp_path / "out.xml"), "--report", str(report), cwd=CSV.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = {"document": (CSV.name, CSV.read_bytes(), "text/csv")}
    params = {"from": "csv-evidence", "to": "common", **CSV_OPTIONS}
    answer = client.post("/v1/convert", params=params, files=files)
    assert answer.status_code == 200, answer.text
    expected = json.loads(report.read_text())
    expected["summary"]["written"] = 0  # the service writes nothing; it answers
    expected["files"][0]["output"] = None
    assert answer.json()["report"] == expected
    assert "<e:evidenceManifest" in answer.json()["document"]["content"]


def test_national_options_reach_the_converter(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTEROP_XJUSTIZ_XSD", str(FIXTURES / "xjustiz-3.6.2" / "xsd"))
    params = {"from": "common", "to": "xjustiz-0500017", "option": "recipient=Prokuratura Okręgowa"}
    answer = client.post("/v1/convert", params=params, content=MANIFEST.read_bytes(), headers=XML)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "Prokuratura Okręgowa" in body["document"]["content"]
    assert any("e:custodyEvent" in entry["path"] for entry in body["report"]["files"][0]["loss"])
    for attachment in body["attachments"]:
        assert base64.b64decode(attachment["content"])


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"from": "common"}, "give from=NAME and to=NAME (see GET /v1/converters)"),
        ({"from": "../../etc/spec.toml", "to": "common"}, "unknown format '../../etc/spec.toml'"),
        ({"from": "common", "to": "xjustiz-0500017", "option": "colour"}, "write KEY=VALUE"),
        ({"from": "common", "to": "xjustiz-0500017", "option": "colour=red"}, "does not take"),
        (
            {"from": "common", "to": "xjustiz-0500017", "option": "schema_dir=/etc"},
            "option 'schema_dir' of format 'xjustiz-0500017' cannot be given over HTTP",
        ),
        ({"from": "csv-evidence", "to": "common", "authority": "StA"}, "NAME;KIND;CC"),
    ],
)
def test_bad_options(client: TestClient, params: dict[str, str], detail: str) -> None:
    answer = client.post("/v1/convert", params=params, content=MANIFEST.read_bytes(), headers=XML)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"]


def test_an_unreadable_input_gets_the_report_and_the_cli_message(client: TestClient) -> None:
    answer = client.post(
        "/v1/convert?from=common&to=common",
        files={"document": ("broken.xml", b"<a>", "application/xml")},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("broken.xml:1:")
    assert answer.json()["report"]["summary"]["unreadable"] == 1


def test_invalid_output_is_not_returned(client: TestClient) -> None:
    case = CASES / "invalid" / "REQ-003-search-without-proportionality.xml"
    answer = client.post(
        "/v1/convert?from=common&to=common", content=case.read_bytes(), headers=XML
    )
    assert answer.status_code == 422
    body = answer.json()
    assert "output error" in body["detail"] and "(nothing written)" in body["detail"]
    assert body["report"]["summary"]["invalid"] == 1
    assert "document" not in body
