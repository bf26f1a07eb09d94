"""GET endpoints: health, version, formats, converters, notices; unknown paths and methods."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from interop import __version__
from interop.convert import registry
from tests.conftest import run_cli


def test_health_asks_a_worker(client: TestClient) -> None:
    answer = client.get("/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "workers": 2}  # one per lane
    assert len(answer.headers["x-request-id"]) == 32


def test_version(client: TestClient) -> None:
    assert client.get("/v1/version").json() == {
        "name": "interop",
        "version": __version__,
        "api": "v1",
    }


def test_formats_are_the_cli_list(client: TestClient) -> None:
    done = run_cli("formats", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert client.get("/v1/formats").json() == json.loads(done.stdout)


def test_converters_name_every_registered_format(client: TestClient) -> None:
    rows = client.get("/v1/converters").json()
    assert [row["name"] for row in rows] == registry.names()
    common = next(row for row in rows if row["name"] == "common")
    assert common["directions"] == ["from-common", "to-common"]
    assert "summons" in common["document_types"]


def test_notices_list_kinds_and_languages(client: TestClient) -> None:
    body = client.get("/v1/notices").json()
    kinds = {kind["name"]: kind for kind in body["notices"]}
    assert kinds["summons"]["documents"] == ["summons"]
    codes = [language["code"] for language in body["languages"]]
    assert {"en", "de", "fr", "pl", "ar"} <= set(codes)
    assert all("reviewed_by" in language for language in body["languages"])


def test_unknown_path_and_method_are_json_problems(client: TestClient) -> None:
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "no such endpoint: /v1/nothing (see /v1/openapi.json)"
    wrong = client.delete("/v1/validate")
    assert wrong.status_code == 405
    assert wrong.json()["detail"] == "DELETE is not allowed on /v1/validate"
