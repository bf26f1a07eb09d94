"""Benchmark: `interop evidence build` (SHA-256 of every file, one worker and all cores) against
`openssl dgst -sha256` and `sha256sum` over the same files.

    .venv/bin/python benchmarks/evidence_hashing.py [--size-gb 2] [--repeat 3] [--dir /tmp]

Makes a tree of mixed file sizes (about 20 % of the bytes in a couple of thousand small files,
30 % in medium ones, 50 % in three large ones) filled with random bytes, reads it once so that
every tool finds it in the page cache, then times each tool --repeat times, interleaved, and reports
the median. The baselines hash the files in batches (`xargs -0 -n 256`), one process per batch,
never one per file. `interop` runs in a subprocess through its API (`interop.evidence.build`),
timed inside the process (walk, hashing, manifest, validation: everything but the interpreter's
start) and with its peak memory (ru_maxrss); the manifest has a complete seizure, so it is valid
(one warning per item: no custody event yet), as a real build's is. Prints MB/s of each, the
ratios to openssl (targets: one worker >= 0.9x, all cores >= 1.6x), the peak memory (target
< 100 MB) and the time the validation step alone takes. The tree is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

BUILD = """
import json, resource, sys, time
from pathlib import Path
from interop.evidence.build import BuildOptions, SeizureFacts, build
from interop.evidence.manifest import Authority, Holder, LegalBasis, Place, Reference
from interop.evidence.hashing import Algorithm, hash_files
from interop.evidence.folder import walk
from interop.validate.findings import Severity
from interop.validate.validator import ValidationSettings, Validator
folder, workers, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# A complete seizure, as `interop evidence build --seized-by ... --decision ...` gives it: the
# manifest is valid, with one warning per item (no custody event yet).
seizure = SeizureFacts(
    seized_by=Holder("Weber", "KHK", "LKA Berlin", "DE"), at="2026-03-05T08:10:00Z",
    place=Place("Berlin", "DE"),
    legal_bases=(LegalBasis("national-law", "Strafprozessordnung", "§ 94"),),
    decision=Reference("2 Gs 11/26", "AG Berlin", "DE", "2026-03-01"))
options = BuildOptions(case="1 Js 1/26", compiled_by=Authority("StA Berlin", "prosecutor", "DE"),
                       workers=workers, seizure=seizure)
validation = errors = 0.0
start = time.perf_counter()
if mode == "build":
    result = build(folder, options)
    files, size = result.files, result.total_bytes
    seconds = time.perf_counter() - start
    errors = sum(f.severity is Severity.ERROR for f in result.findings)
    checker = Validator(ValidationSettings())
    checker.check_tree(result.tree, "warm-up")
    again = time.perf_counter()
    checker.check_tree(result.tree, "manifest", xsd_on_thread=workers > 1)  # as build does it
    validation = time.perf_counter() - again
else:  # hashing only: the walk and the hashes, no manifest
    found = walk(folder).files
    digests = list(hash_files(folder, found, (Algorithm.SHA256,), workers=workers))
    files, size = len(digests), sum(f.size for f in found)
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "files": files, "bytes": size, "peak": peak,
                  "validation": validation, "errors": errors}))
"""


def make_tree(folder: Path, total: int, seed: int = 6) -> tuple[int, int]:
    """Files of mixed sizes filled from os.urandom; returns (files, bytes)."""
    rng = random.Random(seed)
    plan: list[int] = []
    budget = int(total * 0.2)
    while budget > 0:  # small: 1 KB to 512 KB (about 2,000 files in 2 GB)
        size = min(budget, rng.randint(1, 512) * 1024)
        plan.append(size)
        budget -= size
    budget = int(total * 0.3)
    while budget > 0:  # medium: 1 MB to 32 MB
        size = min(budget, rng.randint(1, 32) * 1024 * 1024)
        plan.append(size)
        budget -= size
    large = total - sum(plan)
    plan.extend([large // 3] * 3)
    rng.shuffle(plan)
    chunk = 1024 * 1024
    for index, size in enumerate(plan):
        target = folder / f"dir{index % 37:02d}" / f"sub{index % 5}" / f"file{index:05d}.bin"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            left = size
            while left > 0:
                out.write(os.urandom(min(chunk, left)))
                left -= chunk
    return len(plan), sum(plan)


def warm(folder: Path) -> None:
    buffer = bytearray(1024 * 1024)
    for path in sorted(folder.rglob("*.bin")):
        with path.open("rb", buffering=0) as handle:
            while handle.readinto(buffer):
                pass


VALIDATION: list[float] = []  # seconds the validation step alone took, per build run


def run_interop(folder: Path, workers: int, mode: str) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(folder), str(workers), mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    import json  # noqa: PLC0415

    result = json.loads(done.stdout)
    if result["errors"]:
        raise SystemExit(f"the manifest built has {result['errors']} errors: fix the benchmark")
    if mode == "build":
        VALIDATION.append(float(result["validation"]))
    return float(result["seconds"]), int(result["peak"])


def run_batched(folder: Path, command: list[str]) -> float:
    start = time.perf_counter()
    find = subprocess.Popen(["find", str(folder), "-type", "f", "-print0"], stdout=subprocess.PIPE)
    subprocess.run(
        ["xargs", "-0", "-n", "256", *command],
        stdin=find.stdout,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    find.wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-gb", type=float, default=2.0, help="size of the tree [2]")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each tool [3]")
    parser.add_argument("--dir", default=None, help="where to make the tree [the temp dir]")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    base = Path(tempfile.mkdtemp(prefix="evidence-bench-", dir=args.dir))
    try:
        folder = base / "tree"
        folder.mkdir()
        started = time.perf_counter()
        files, total = make_tree(folder, int(args.size_gb * 1024**3))
        print(f"tree: {files} files, {total / MB:,.0f} MB in {base} "
              f"(made in {time.perf_counter() - started:.0f} s); {cores} cores")  # fmt: skip
        warm(folder)
        tools = {
            "openssl dgst -sha256 (xargs batches)": lambda: (
                run_batched(folder, ["openssl", "dgst", "-sha256"]), 0),
            "sha256sum (xargs batches)": lambda: (run_batched(folder, ["sha256sum"]), 0),
            "interop hashing only, 1 worker": lambda: run_interop(folder, 1, "hash"),
            f"interop hashing only, {cores} workers": lambda: run_interop(folder, cores, "hash"),
            "interop evidence build, 1 worker": lambda: run_interop(folder, 1, "build"),
            f"interop evidence build, {cores} workers": lambda: run_interop(
                folder, cores, "build"),
        }  # fmt: skip
        for run in tools.values():  # one untimed run each: page cache and code warm
            run()
        times: dict[str, list[float]] = {name: [] for name in tools}
        peaks: dict[str, int] = dict.fromkeys(tools, 0)
        for _ in range(args.repeat):
            for name, run in tools.items():
                seconds, peak = run()
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
        medians = {name: statistics.median(found) for name, found in times.items()}
        openssl = medians["openssl dgst -sha256 (xargs batches)"]
        print(f"\n{'tool':<42} {'median s':>9} {'MB/s':>8} {'x openssl':>10} {'peak MB':>8}")
        for name, seconds in medians.items():
            peak = f"{peaks[name] / 2**20:.0f}" if peaks[name] else "-"
            print(f"{name:<42} {seconds:>9.2f} {total / MB / seconds:>8,.0f} "
                  f"{openssl / seconds:>10.2f} {peak:>8}")  # fmt: skip
        one = openssl / medians["interop evidence build, 1 worker"]
        many = openssl / medians[f"interop evidence build, {cores} workers"]
        peak_mb = max(peaks.values()) / 2**20
        print(f"\ntargets (evidence build): 1 worker {one:.2f}x openssl ({_met(one >= 0.9)} 0.9);"
              f" {cores} workers {many:.2f}x ({_met(many >= 1.6)} 1.6);"
              f" peak memory {peak_mb:.0f} MB ({_met(peak_mb < 100)} 100 MB)")  # fmt: skip
        print(f"validation of the {files:,}-item manifest alone (in the build times above): "
              f"median {statistics.median(VALIDATION) * 1000:.0f} ms")  # fmt: skip
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average during the run: {load:.1f} on {cores} cores")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _met(yes: bool) -> str:
    return "met, target" if yes else "NOT met, target"


if __name__ == "__main__":
    main()
