"""Bearer tokens: missing or wrong → 401 JSON; right → the token's name in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from interop.errors import UsageError
from interop.serve.auth import load_tokens
from interop.serve.server import check, is_loopback
from interop.serve.settings import ServeSettings
from tests.conftest import run_cli
from tests.serve.conftest import SUMMONS, XML, MakeClient, audit_lines

TOKEN = "s3cret-token-of-the-clerks-office"


def _token_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "tokens"
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.fixture
def guarded(make_client: MakeClient, tmp_path: Path) -> TestClient:
    tokens = _token_file(tmp_path, f"# clerks\nclerk-berlin:{TOKEN}\nconnector: {'x' * 40}\n")
    return make_client(token_file=str(tokens))


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token-wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"],
)
def test_without_the_right_token_every_endpoint_is_401(
    guarded: TestClient, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    for method, path in [
        ("GET", "/v1/health"),
        ("GET", "/v1/openapi.json"),
        ("POST", "/v1/render"),
    ]:
        answer = guarded.request(method, path, headers=headers)
        assert answer.status_code == 401
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["www-authenticate"] == 'Bearer realm="interop"'
        assert answer.json()["detail"] == (
            "this service needs a token: send Authorization: Bearer TOKEN"
        )


def test_the_token_names_who_did_it(guarded: TestClient, tmp_path: Path) -> None:
    headers = {**XML, "authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/v1/health", headers=headers).status_code == 200
    answer = guarded.post("/v1/render?format=txt", content=SUMMONS.read_bytes(), headers=headers)
    assert answer.status_code == 200
    assert audit_lines(tmp_path / "audit.jsonl")[-1]["who"] == "clerk-berlin"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds no token"),
        ("clerk\n", "write name:token"),
        ("clerk:short\n", "at least 16 characters"),
        (f"a b:{TOKEN}\n", "write name:token"),
        (f"clerk:{TOKEN}\nclerk:{TOKEN}2\n", "'clerk' appears twice"),
        (f"one:{TOKEN}\ntwo:{TOKEN}\n", "has the token of another name"),
    ],
)
def test_bad_token_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_tokens(str(_token_file(tmp_path, text)))


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = _token_file(tmp_path, f"clerk:{TOKEN}\n", 0o644)
    with pytest.raises(UsageError, match="readable by others; chmod 600"):
        load_tokens(str(path))


def test_the_network_needs_tokens(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    settings = ServeSettings(audit_log=str(tmp_path / "audit.jsonl"))
    with pytest.raises(UsageError, match="opens the service to the network"):
        check(settings, "0.0.0.0")
    done = run_cli("serve", "--host", "0.0.0.0", "--audit-log", str(tmp_path / "a.jsonl"))
    assert done.returncode == 2
    assert done.stderr.startswith("interop: error: --host 0.0.0.0 opens the service")
    assert len(done.stderr.strip().splitlines()) == 1
