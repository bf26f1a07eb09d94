"""Hostile and wrong input: attack files, oversized uploads, wrong content types — always a
4xx problem with the CLI's one-line message, never a 500 or a traceback."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from interop.serve import limits
from interop.serve.problems import Problem
from tests.conftest import FIXTURES, run_cli
from tests.serve.conftest import SUMMONS, XML, MakeClient

ATTACKS = sorted((FIXTURES / "xml-attacks").glob("*.xml"))
ENDPOINTS = ["/v1/validate", "/v1/render", "/v1/convert?from=common&to=common"]
# Endpoints that read a document but take no raw-body type list of their own.
READERS = [*ENDPOINTS, "/v1/translate?to=fr", "/v1/xliff/export?to=fr"]


def test_the_attack_corpus_is_there() -> None:
    assert len(ATTACKS) >= 8


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
def test_attacks_are_refused_with_the_cli_message(client: TestClient, attack: Path) -> None:
    cli = run_cli("render", attack.name, cwd=attack.parent)
    assert cli.returncode == 2
    files = {"document": (attack.name, attack.read_bytes(), "application/xml")}
    for endpoint in READERS:
        answer = client.post(endpoint, files=files)
        assert answer.status_code == 400, (endpoint, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert cli.stderr.strip() == f"interop: error: {answer.json()['detail']}", endpoint
        assert "Traceback" not in answer.text
    manifest = [("manifest", (attack.name, attack.read_bytes(), "application/xml"))]
    answer = client.post("/v1/evidence/verify", files=manifest)
    assert answer.status_code == 400
    assert cli.stderr.strip() == f"interop: error: {answer.json()['detail']}"


def test_compressed_input_is_refused(client: TestClient) -> None:
    answer = client.post("/v1/validate", content=gzip.compress(SUMMONS.read_bytes()), headers=XML)
    assert answer.status_code == 400
    assert "gzip-compressed input is refused" in answer.json()["detail"]


@pytest.fixture
def small(make_client: MakeClient) -> TestClient:
    return make_client(max_upload=64 * 1024)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_oversized_upload_is_413(small: TestClient, endpoint: str) -> None:
    big = b"<a>" + b"x" * (64 * 1024) + b"</a>"
    answer = small.post(endpoint, content=big, headers=XML)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "the upload is larger than the 0.0625 MB limit"
    form = small.post(endpoint, files={"document": ("big.xml", big, "application/xml")})
    assert form.status_code == 413


def test_an_oversized_body_without_a_length_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"<a>"
        for _ in range(100):
            yield b"x" * 1024
        yield b"</a>"

    answer = small.post("/v1/validate", content=chunks(), headers=XML)
    assert answer.status_code == 413


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_wrong_content_type_is_415(client: TestClient, endpoint: str) -> None:
    data = SUMMONS.read_bytes()
    for headers in ({"content-type": "image/png"}, {}):
        answer = client.post(endpoint, content=data, headers=headers)
        assert answer.status_code == 415, headers
        assert answer.headers["content-type"] == "application/problem+json"
    files = {"document": ("s.xml", data, "image/png")}
    assert client.post(endpoint, files=files).status_code == 415


def test_a_broken_form_is_400(client: TestClient) -> None:
    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    answer = client.post("/v1/validate", content=b"--xyz\r\ngarbage", headers=headers)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"


def test_non_utf8_and_binary_bodies_are_400(client: TestClient) -> None:
    for body in (b"\xff\xfe\x00<", bytes(range(256)), b""):
        answer = client.post("/v1/validate", content=body, headers=XML)
        assert answer.status_code == 400, body[:8]


def test_a_stalled_upload_is_given_up_with_408(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "IDLE_SECONDS", 0.2)
    sent = []

    async def trickle() -> dict[str, object]:
        if not sent:  # the first bytes, then nothing more
            sent.append(True)
            return {"type": "http.request", "body": b"<a>", "more_body": True}
        await asyncio.sleep(5)
        raise AssertionError("the server waited")

    scope = {"type": "http", "method": "POST", "path": "/v1/validate", "headers": []}
    with pytest.raises(Problem) as raised:
        asyncio.run(limits.read_body(Request(scope, trickle), 1000))
    assert raised.value.status == 408
    assert raised.value.detail.startswith("the upload stalled")
