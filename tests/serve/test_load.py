"""A bounded load test on loopback: a real ``interop serve`` subprocess, 50 concurrent clients
validating and rendering for a few seconds (benchmarks/serve_load.py runs 30 s); no errors."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys

import pytest

from tests.conftest import ROOT

DURATION = 3.0
CLIENTS = 50


def _benchmark() -> object:
    spec = importlib.util.spec_from_file_location(
        "serve_load", ROOT / "benchmarks" / "serve_load.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["serve_load"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_fifty_clients_validating_and_rendering(
    capsys: pytest.CaptureFixture[str], workers: int
) -> None:
    bench = _benchmark()
    with bench.serve(workers=workers) as (host, port, audit):  # type: ignore[attr-defined]
        stats = asyncio.run(
            bench.load(  # type: ignore[attr-defined]
                host, port, clients=CLIENTS, duration=DURATION, max_requests=20_000,
                render_share=0.25,
            )
        )  # fmt: skip
        renders = len(stats.latencies["render"])
        audited = [json.loads(line) for line in audit.read_text().splitlines()]
    summary = stats.summary()
    with capsys.disabled():
        print(f"\nserve load ({CLIENTS} clients, {DURATION:g} s, {workers} server processes):")
        print(json.dumps(summary))
    assert stats.errors == []
    assert summary["requests"] >= CLIENTS  # every client got answers
    assert stats.latencies["validate"] and renders
    assert len(audited) == renders  # one audit line per notice, none lost under load
    assert {line["action"] for line in audited} == {"render"}
