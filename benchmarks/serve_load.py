"""Load test: many concurrent clients validating and rendering against a real ``interop serve``.

    .venv/bin/python benchmarks/serve_load.py [--clients 50] [--duration 30] [--render-share 0.25]
        [--workers 1] [--jobs N] [--url http://127.0.0.1:PORT]

Starts ``interop serve`` on a free loopback port (unless --url is given), waits until it is
healthy, then runs CLIENTS clients for DURATION seconds (and at most --max-requests requests in
all). Each client keeps one HTTP/1.1 connection open and sends its next request as soon as the
previous answer arrived (a closed loop: latency includes waiting behind the other clients).
Requests: validate one of the examples (raw XML body), or, with probability RENDER_SHARE,
render one of them as an HTML notice. Prints requests/second, p50/p95 latency per kind and in
all, and the number of errors (anything but 200). Target: zero errors; p95 of validating one
document under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    p
    for folder in ("request", "notification", "evidence")
    for p in sorted((ROOT / "examples" / folder).glob("*.xml"))
]
RENDERABLE = [p for p in EXAMPLES if "recipient-list" not in p.name]
LANGUAGES = ["en", "de", "fr", "pl", "es", "it"]


@dataclass
class Stats:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {"validate": [], "render": []}
    )
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.errors)

    def summary(self) -> dict[str, object]:
        every = [x for values in self.latencies.values() for x in values]
        result: dict[str, object] = {
            "requests": self.requests,
            "seconds": round(self.elapsed, 2),
            "requests_per_second": round(self.requests / self.elapsed, 1) if self.elapsed else 0,
            "errors": len(self.errors),
        }
        for kind, values in [*self.latencies.items(), ("all", every)]:
            result[kind] = _percentiles(values)
        return result


def _percentiles(values: list[float]) -> dict[str, float | int]:
    if len(values) < 2:
        return {"count": len(values)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"count": len(values), "p50_ms": round(cuts[49] * 1000, 1),
            "p95_ms": round(cuts[94] * 1000, 1)}  # fmt: skip


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, body: bytes
) -> tuple[int, bytes]:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: loopback\r\nContent-Type: application/xml\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode("ascii") + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _client(
    host: str, port: int, deadline: float, stats: Stats, budget: list[int], *,
    render_share: float, seed: int,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    documents = {p: p.read_bytes() for p in EXAMPLES}
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            if rng.random() < render_share:
                kind, doc = "render", rng.choice(RENDERABLE)
                path = f"/v1/render?lang={rng.choice(LANGUAGES)}&format=html"
            else:
                kind, doc, path = "validate", rng.choice(EXAMPLES), "/v1/validate"
            started = time.perf_counter()
            try:
                status, answer = await _exchange(reader, writer, path, documents[doc])
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                stats.errors.append(f"{kind} {doc.name}: {type(exc).__name__}: {exc}")
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            if status != 200:
                stats.errors.append(f"{kind} {doc.name}: {status} {answer[:200]!r}")
                continue
            stats.latencies[kind].append(time.perf_counter() - started)
    finally:
        writer.close()


async def load(
    host: str, port: int, *, clients: int, duration: float, max_requests: int,
    render_share: float,
) -> Stats:  # fmt: skip
    """Run the clients against a running service."""
    stats = Stats()
    budget = [max_requests]
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(
        *(
            _client(host, port, deadline, stats, budget, render_share=render_share, seed=seed)
            for seed in range(clients)
        )
    )
    stats.elapsed = time.monotonic() - started
    return stats


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve(workers: int = 1, jobs: int | None = None) -> Iterator[tuple[str, int, Path]]:
    """A real ``interop serve`` subprocess on a free loopback port: yields host, port, audit log."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        audit = Path(folder) / "audit.jsonl"
        command = [sys.executable, "-m", "interop", "serve", "--port", str(port),
                   "--workers", str(workers), "--audit-log", str(audit)]  # fmt: skip
        if jobs:
            command += ["--jobs", str(jobs)]
        log = (Path(folder) / "server.log").open("wb")
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process, Path(folder) / "server.log")
            yield "127.0.0.1", port, audit
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"interop serve stopped: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("interop serve did not become healthy within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--render-share", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--jobs", type=int, help="worker processes per server [all cores]")
    parser.add_argument("--url", help="an already running service, e.g. http://127.0.0.1:8080")
    args = parser.parse_args()
    options = {"clients": args.clients, "duration": args.duration,
               "max_requests": args.max_requests, "render_share": args.render_share}  # fmt: skip
    if args.url:
        host, _, port = args.url.removeprefix("http://").rstrip("/").partition(":")
        stats = asyncio.run(load(host, int(port or 80), **options))
    else:
        with serve(args.workers, args.jobs) as (host, port, _):
            stats = asyncio.run(load(host, port, **options))
    print(f"cores: {os.cpu_count()}; {args.clients} clients, {args.duration:g} s, "
          f"render share {args.render_share:g}")  # fmt: skip
    print(json.dumps(stats.summary(), indent=2))
    for error in stats.errors[:10]:
        print("error:", error)
    sys.exit(1 if stats.errors else 0)


if __name__ == "__main__":
    main()
