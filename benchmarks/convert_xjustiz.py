"""Benchmark: convert XJustiz 0500017 messages to the common format and back, against
validating the same messages with `interop validate`, in one run and one process each.

    .venv/bin/python benchmarks/convert_xjustiz.py [--count 10000]

The messages are made from examples/evidence/ (each copy with its own message id and exhibit
numbers) by the xjustiz-0500017 converter. Conversion per message: XJustiz -> common, validate
the common document (XSD + rules), common -> XJustiz, validate that output against the official
XSD. Baselines per message: `interop validate` of the XJustiz message against the official XSD
alone, and against the XSD plus the official gds + straf Schematron (XPath 2; timed on at most
1,000 messages because it is slow). Prints messages/second for each, peak memory and both ratios
(target: conversion + validation of the output <= 3x validation alone).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

from interop.convert.formats.xjustiz.asservate import XJustizAsservate
from interop.validate.validator import ValidationSettings, Validator
from interop.xmlio import parse_file, read_capped

ROOT = Path(__file__).resolve().parent.parent
XJUSTIZ = ROOT.parent / "shared" / "fixtures" / "xjustiz-3.6.2"
SCHEMA = XJUSTIZ / "xsd" / "xjustiz_0500_straf_3_6.xsd"
RULES = (
    XJUSTIZ / "schematron" / "xjustiz.gds_1_3.sch",
    XJUSTIZ / "schematron" / "xjustiz.straf_1_2.sch",
)


def generate(folder: Path, count: int, converter: XJustizAsservate) -> list[Path]:
    """XJustiz messages made from the example manifests, each one different."""
    seeds = [parse_file(p) for p in sorted((ROOT / "examples" / "evidence").glob("*.xml"))]
    files = []
    for i in range(count):
        tree = etree.ElementTree(etree.fromstring(etree.tostring(seeds[i % len(seeds)])))
        for number in tree.iter("{urn:interop:evidence:1}exhibitNumber"):
            number.text = f"{number.text}-{i}"
        data = converter.from_common(tree).data  # a new message id each time
        path = folder / f"msg-{i:05d}.xml"
        path.write_bytes(data)
        files.append(path)
    return files


def validate_only(files: list[Path], rules: tuple[Path, ...]) -> float:
    validator = Validator(ValidationSettings(schema=SCHEMA, rules=rules))
    start = time.perf_counter()
    for path in files:
        validator.check_file(str(path))
    return time.perf_counter() - start


def convert_both_ways(files: list[Path], converter: XJustizAsservate) -> float:
    validator = Validator(ValidationSettings())
    start = time.perf_counter()
    for path in files:
        to_common = converter.to_common(read_capped(path, 50 * 1024 * 1024), str(path))
        validator.check_tree(to_common.document, str(path))
        back = converter.from_common(to_common.document)
        converter.check_output(back.data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not SCHEMA.is_file():
        sys.exit(f"{SCHEMA} not found: the benchmark needs ../shared/fixtures")
    converter = XJustizAsservate(
        sender="Staatsanwaltschaft Berlin",
        recipient="Prokuratura Okręgowa w Warszawie",
        schema_dir=SCHEMA.parent,
    )
    with tempfile.TemporaryDirectory(prefix="interop-convert-bench-") as tmp:
        files = generate(Path(tmp), args.count, converter)
        validate_only(files[:50], RULES)  # warm-up: compile schemas and rules, page cache
        convert_both_ways(files[:50], converter)
        sample = files[: min(len(files), 1000)]  # the XPath 2 rules are slow: timed on a sample
        xsd_only = statistics.median(validate_only(files, ()) for _ in range(args.repeat))
        with_rules = statistics.median(validate_only(sample, RULES) for _ in range(args.repeat))
        conversion = statistics.median(
            convert_both_ways(files, converter) for _ in range(args.repeat)
        )
    n, m = len(files), len(sample)
    x, r, c = n / xsd_only, m / with_rules, n / conversion
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"messages: {n} XJustiz 0500017, repeat: {args.repeat}, median wall time, one process")
    print(f"interop validate, official XSD only:                 {x:8.0f} msg/s")
    print(f"interop validate, XSD + gds/straf Schematron (XPath 2, {m} msgs): {r:8.0f} msg/s")
    print(f"convert to common + validate + back + validate:      {c:8.0f} msg/s")
    print(f"peak memory (whole run): {peak_mb:.0f} MB")
    print(f"ratio conversion/validation (XSD + Schematron): {r / c:.2f}  (target <= 3.00)")
    print(f"ratio conversion/validation (XSD only):         {x / c:.2f}")


if __name__ == "__main__":
    main()
