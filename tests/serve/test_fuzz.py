"""Property-based fuzzing from the OpenAPI description (schemathesis): whatever a client sends
to a documented endpoint, the answer is documented (status, content type, body schema) and
never a 500.

Driven through hypothesis directly (each operation's strategy from schemathesis): bounded,
derandomized, and independent of schemathesis's pytest plug-in.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Route
from starlette.testclient import TestClient

from interop.serve import openapi
from interop.serve.app import api_routes, create_app
from interop.serve.engine import Engine
from interop.serve.settings import ServeSettings
from tests.serve.conftest import SUMMONS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 40
OPERATIONS = [
    (method.upper(), path) for path, item in openapi.document()["paths"].items() for method in item
]


@pytest.fixture(scope="module")
def api_schema(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Any:
    audit = tmp_path_factory.mktemp("fuzz") / "audit.jsonl"
    app = create_app(ServeSettings(audit_log=str(audit), max_upload=256 * 1024), engine)
    return schemathesis.openapi.from_asgi("/v1/openapi.json", app)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_the_api_keeps_its_description(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]
    calls: list[int] = []

    @given(data=st.data())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        response = case.call_and_validate(checks=CHECKS)
        calls.append(response.status_code)

    fuzz()
    assert calls, "the fuzzer sent nothing"
    assert all(status < 500 for status in calls)


# Random bodies mostly get 400s; these runs send a real document with fuzzed options, so that
# the answers that do work are checked against the description too.
_VALUES = {
    "/v1/render": {
        "notice": ["summons", "decision", "nope"],
        "lang": ["de", "pl", "ar", "xx", "DE"],
        "also": ["fr", "en", "xx"],
        "format": ["html", "txt", "docx"],
        "validate": ["true", "false", "yes"],
        "pdf_variant": ["pdf/ua-1"],
    },
    "/v1/validate": {"format": ["summons", "decision", "nope"]},
    "/v1/convert": {
        "from": ["common", "csv-evidence", "nope", "x.toml"],
        "to": ["common", "xjustiz-0500017"],
        "option": ["recipient=X", "schema_dir=/", "a"],
        "time_zone": ["Europe/Berlin", "Mars/Olympus"],
    },
}

_WORKING = {
    "/v1/render": {"format": "txt"},
    "/v1/validate": {},
    "/v1/convert": {"from": "common", "to": "common"},
}


@pytest.mark.parametrize("path", list(_VALUES))
def test_real_documents_with_fuzzed_options(api_schema: Any, path: str) -> None:
    responses = openapi.document()["paths"][path]["post"]["responses"]
    document = SUMMONS.read_bytes()
    values = _VALUES[path]
    options = st.dictionaries(
        st.sampled_from(sorted(values)),
        st.one_of(
            st.sampled_from([v for choices in values.values() for v in choices]),
            st.text(max_size=12),
        ),
        max_size=4,
    )
    seen: set[int] = set()
    with TestClient(api_schema.app) as client:

        @given(params=options)
        @example(params=_WORKING[path])
        @settings(max_examples=60, deadline=None, derandomize=True, database=None)
        def fuzz(params: dict[str, str]) -> None:
            answer = client.post(
                path, params=params, content=document, headers={"content-type": "text/xml"}
            )
            assert str(answer.status_code) in responses, (params, answer.text)
            media_type = answer.headers["content-type"].split(";")[0]
            assert media_type in responses[str(answer.status_code)]["content"], params
            seen.add(answer.status_code)

        fuzz()
    assert {200, 400} <= seen


def test_every_operation_is_fuzzed() -> None:
    assert ("POST", "/v1/render") in OPERATIONS and ("GET", "/v1/health") in OPERATIONS
    routes = [r for r in api_routes() if isinstance(r, Route) and r.include_in_schema]
    assert len(OPERATIONS) == len(routes) == 13
