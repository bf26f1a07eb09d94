"""The service under test: a real app (Starlette's TestClient), workers shared by the session."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from interop.serve.app import create_app
from interop.serve.engine import Engine
from interop.serve.settings import MB, ServeSettings
from tests.conftest import EXAMPLES

SUMMONS = EXAMPLES / "notification" / "summons-witness-videoconference.xml"
XML = {"content-type": "application/xml"}

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """One worker thread with a warm validator, shared by every app of the session."""
    shared = Engine(1, 50 * MB, threads=True)
    yield shared
    shared.close()


@pytest.fixture
def make_client(engine: Engine, tmp_path: Path) -> Iterator[MakeClient]:
    """Builds a started client for an app with these settings (audit log in tmp_path)."""
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        settings.setdefault("audit_log", str(tmp_path / "audit.jsonl"))
        client = TestClient(create_app(ServeSettings(**settings), engine))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def audit_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
