"""The OpenAPI description is true: every API route is in it and everything in it is a route,
with the methods, parameters and content types the code uses."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR
from starlette.routing import Route
from starlette.testclient import TestClient

from interop.serve import limits, openapi
from interop.serve.app import api_routes
from interop.serve.routes import convert, render, translate
from tests.serve.conftest import SUMMONS, XML


def _documented() -> dict[str, Any]:
    return openapi.document()["paths"]


def _routes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for route in api_routes():
        assert isinstance(route, Route)
        if route.include_in_schema:
            found[route.path] = {m.lower() for m in route.methods or ()} - {"head"}
    return found


def test_it_is_openapi_3_1() -> None:
    document = openapi.document()
    assert document["openapi"] == "3.1.0"
    # The official OpenAPI 3.1 schema (as bundled by schemathesis), then each data schema
    # against the JSON Schema 2020-12 meta-schema.
    assert [str(e) for e in OPENAPI_31_VALIDATOR.iter_errors(document)] == []
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_route_is_described_and_every_description_is_a_route() -> None:
    documented = {path: set(item) for path, item in _documented().items()}
    assert documented == _routes()


def test_the_served_document_is_the_same(client: TestClient) -> None:
    answer = client.get("/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.json() == openapi.document()


def test_request_content_types_are_the_accepted_ones() -> None:
    paths = _documented()
    expected = {
        "/v1/validate": limits.XML_TYPES,
        "/v1/render": limits.XML_TYPES,
        "/v1/convert": limits.DATA_TYPES,
    }
    for path, types in expected.items():
        content = paths[path]["post"]["requestBody"]["content"]
        assert set(content) == {*types, limits.FORM}, path
    for path in ("/v1/translate", "/v1/xliff/export"):
        content = paths[path]["post"]["requestBody"]["content"]
        assert set(content) == {*limits.XML_TYPES, limits.FORM}, path
        form = content[limits.FORM]["schema"]["properties"]
        assert set(form) == {limits.FIELD, "glossary"}
    forms = {
        "/v1/xliff/import": {"document", "xliff"},
        "/v1/evidence/verify": {"manifest", "files"},
    }
    for path, fields in forms.items():
        content = paths[path]["post"]["requestBody"]["content"]
        assert set(content) == {limits.FORM}, path
        assert set(content[limits.FORM]["schema"]["properties"]) == fields


def test_query_parameters_are_the_ones_the_code_takes() -> None:
    paths = _documented()

    def names(path: str) -> tuple[str, ...]:
        return tuple(p["name"] for p in paths[path]["post"]["parameters"])

    assert names("/v1/render") == render.PARAMETERS
    assert names("/v1/convert") == convert.PARAMETERS
    assert names("/v1/validate") == ("format",)
    assert names("/v1/translate") == translate.TRANSLATE_PARAMETERS
    assert names("/v1/xliff/export") == translate.EXPORT_PARAMETERS
    assert names("/v1/xliff/import") == translate.IMPORT_PARAMETERS
    assert "parameters" not in paths["/v1/evidence/verify"]["post"]


@pytest.mark.parametrize(
    ("path", "query"),
    [("/v1/render", "format=html"), ("/v1/render", "format=txt"), ("/v1/render", "format=pdf")],
)
def test_response_content_types_are_documented(client: TestClient, path: str, query: str) -> None:
    answer = client.post(f"{path}?{query}", content=SUMMONS.read_bytes(), headers=XML)
    assert answer.status_code == 200
    media_type = answer.headers["content-type"].split(";")[0]
    assert media_type in _documented()[path]["post"]["responses"]["200"]["content"]


def test_get_endpoints_answer_with_their_documented_type(client: TestClient) -> None:
    for path, item in _documented().items():
        if "get" in item:
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert answer.headers["content-type"] in item["get"]["responses"]["200"]["content"]
