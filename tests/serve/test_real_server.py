"""A real ``interop serve`` subprocess: the attack corpus over HTTP opens no connection, and the
service answers with tokens, one line per error, and an audit log written by the server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.serve.conftest import SUMMONS
from tests.serve.real_server import running_server

ATTACKS = sorted((FIXTURES / "xml-attacks").glob("*.xml"))
TOKEN = "a-long-enough-token-for-the-test"
MAX_CONNECTIONS = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    folder = tmp_path_factory.mktemp("server")
    tokens = folder / "tokens"
    tokens.write_text(f"connector:{TOKEN}\n")
    tokens.chmod(0o600)
    options = ("--token-file", str(tokens), "--max-connections", str(MAX_CONNECTIONS))
    with running_server(folder, *options) as base:
        yield base, folder / "audit.jsonl", folder / "server.log"


def _call(
    base: str, method: str, path: str, body: bytes | None = None, token: str | None = TOKEN
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/xml"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, body, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.slow
def test_attacks_over_http_open_no_connection(
    server: tuple[str, Path, Path], loopback_listener: list[object]
) -> None:
    base, _, log = server
    for attack in ATTACKS:
        for path in ("/v1/validate", "/v1/render", "/v1/convert?from=common&to=common"):
            status, headers, body = _call(base, "POST", path, attack.read_bytes())
            assert status == 400, (attack.name, path, body)
            assert headers["content-type"] == "application/problem+json"
            assert json.loads(body)["detail"].startswith("-:")
    assert loopback_listener == []  # nothing reached for what the files point at
    assert "Traceback" not in log.read_text()


@pytest.mark.slow
def test_tokens_and_audit_on_the_real_server(server: tuple[str, Path, Path]) -> None:
    base, audit, _ = server
    assert _call(base, "GET", "/v1/version", token=None)[0] == 401
    assert _call(base, "GET", "/v1/version", token="x" * 40)[0] == 401
    status, headers, _ = _call(base, "POST", "/v1/render?format=txt&lang=de", SUMMONS.read_bytes())
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
    last = json.loads(audit.read_text().splitlines()[-1])
    assert (last["who"], last["action"]) == ("connector", "render")
    assert last["request"] == headers["x-request-id"]
    assert audit.stat().st_mode & 0o777 == 0o600


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "interop", "serve", "--port", str(port),
             "--audit-log", str(tmp_path / "audit.jsonl")],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr
        == f"interop: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )


def test_past_max_connections_a_request_gets_503_at_once(server: tuple[str, Path, Path]) -> None:
    base = server[0]
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)  # the server has accepted them
        started = time.monotonic()
        status, _, _ = _call(base, "GET", "/v1/health")
        assert status == 503 and time.monotonic() - started < 5
    finally:
        for connection in idle:
            connection.close()
        time.sleep(0.5)  # the server has seen them close: the other tests get through
    assert _call(base, "GET", "/v1/health")[0] == 200
