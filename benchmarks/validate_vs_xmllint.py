"""Benchmark: `interop validate` (XSD + business rules, all cores) against
`xmllint --noout --schema` (XSD only, one process) on the same generated documents.

    .venv/bin/python benchmarks/validate_vs_xmllint.py [--count 20000] [--repeat 3]

Documents are made from examples/ (each copy gets its own id), about 5 % broken against the
schema and 5 % breaking a business rule (copied from tests/cases/invalid/). Both tools read the
same files from a warm page cache (one untimed warm-up run each). Prints files/second for both,
the median wall time of each over --repeat runs, and the ratio interop/xmllint (target <= 1.0).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XSD = ROOT / "xsd"
FAMILIES = ("request", "notification", "evidence")


def wrapper_schema(folder: Path) -> Path:
    """One XSD importing every family, so that xmllint validates all documents in one run."""
    imports = "\n".join(
        f'  <xs:import namespace="urn:interop:{f}:1" '
        f'schemaLocation="{(XSD / f / f"{f}-1.xsd").as_uri()}"/>'
        for f in FAMILIES
    )
    path = folder / "all-families.xsd"
    path.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n' + imports + "\n</xs:schema>\n"
    )
    return path


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    valid = [
        p.read_text("utf-8")
        for f in FAMILIES
        for p in sorted((ROOT / "examples" / f).glob("*.xml"))
    ]
    rule_broken = [
        p.read_text("utf-8") for p in sorted((ROOT / "tests/cases/invalid").glob("*.xml"))
    ]
    files = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.05 and rule_broken:
            text = rng.choice(rule_broken)
        else:
            text = rng.choice(valid)
            if roll < 0.10:  # break the schema: the issue date disappears
                start = text.find("<c:issueDate>")
                end = text.find("</c:issueDate>")
                if start >= 0 and end > start:
                    text = text[:start] + text[end + len("</c:issueDate>") :]
        text = text.replace("<c:documentId>", f"<c:documentId>bench-{i:06d}-", 1)
        path = folder / f"{i // 1000:03d}" / f"doc-{i:06d}.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
        files.append(path)
    return files


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="interop -j (0: all cores)")
    args = parser.parse_args()
    if not shutil.which("xmllint"):
        sys.exit("xmllint not found: run scripts/dev setup (installs libxml2-utils)")
    interop = Path(sys.executable).parent / "interop"
    with tempfile.TemporaryDirectory(prefix="interop-bench-") as tmp:
        folder = Path(tmp)
        docs = folder / "docs"
        docs.mkdir()
        files = generate(docs, args.count)
        relative = [str(p.relative_to(folder)) for p in files]
        schema = wrapper_schema(folder)
        xmllint = ["xmllint", "--noout", "--schema", str(schema), *relative]
        ours = [str(interop), "validate", "--no-progress", "--format", "json", "docs"]
        if args.jobs:
            ours[2:2] = ["-j", str(args.jobs)]
        timed(xmllint, folder)  # warm-up: page cache, schema files
        timed(ours, folder)
        xmllint_times = [timed(xmllint, folder) for _ in range(args.repeat)]
        ours_times = [timed(ours, folder) for _ in range(args.repeat)]
    x, o = statistics.median(xmllint_times), statistics.median(ours_times)
    n = args.count
    print(f"documents: {n} (about 90% valid), repeat: {args.repeat}, median wall time")
    print(f"xmllint --schema (XSD only, 1 process): {x:7.2f} s  {n / x:9.0f} files/s")
    print(f"interop validate (XSD + rules, -j all): {o:7.2f} s  {n / o:9.0f} files/s")
    print(f"ratio interop/xmllint wall time: {o / x:.2f}  (target <= 1.00)")


if __name__ == "__main__":
    main()
