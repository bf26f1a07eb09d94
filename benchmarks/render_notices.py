"""Benchmark: render notices to HTML on one core, and to PDF against bare WeasyPrint, in one run.

    .venv/bin/python benchmarks/render_notices.py [--html 1000] [--pdf 100] [--runs 3]

Documents: the examples that have a notice (summonses, decisions, letters of rights, requests,
manifests...), each copy made different (document id, dates, names) so that nothing is served
from a cache of an earlier copy; languages cycle through all 28 catalogs.

* HTML: ``render_html`` on parsed documents in this process (one core). Prints notices/second
  (median of the runs). Target: >= 300 notices/s.
* PDF: ``render_tree(..., Format.PDF)`` (HTML + WeasyPrint, our fetcher, our options) against
  the baseline "WeasyPrint alone": ``HTML(string=...).write_pdf()`` on the same HTML pages,
  same PDF options. Prints both times and the ratio. Target: ours / bare <= 1.10.
* Batch PDF on every core: ``interop render`` batch code with 1 worker and with all cores on
  the same files; prints the wall-time speedup (2 cores: ideally close to 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interop.render.catalogs import LANGUAGES  # noqa: E402
from interop.render.html import RenderOptions, render_html  # noqa: E402
from interop.render.job import Format, RenderJob, render_tree  # noqa: E402
from interop.xmlio import parse_file, serialize  # noqa: E402

C = "{urn:interop:common:1}"


def seeds() -> list[etree._ElementTree]:
    folders = [ROOT / "examples" / f for f in ("notification", "request", "evidence")]
    paths = sorted(p for f in folders for p in f.glob("*.xml") if "recipient-list" not in p.name)
    return [parse_file(p) for p in paths]


def variants(count: int) -> list[tuple[etree._ElementTree, str]]:
    """``count`` different documents, each with the language to render it in."""
    base = seeds()
    out = []
    for i in range(count):
        tree = etree.ElementTree(etree.fromstring(serialize(base[i % len(base)])))
        root = tree.getroot()
        root.find(f"{C}documentId").text = f"urn:uuid:00000000-0000-4000-8000-{i:012d}"  # type: ignore[union-attr]
        for element in root.iter(f"{C}issueDate", f"{C}date", f"{C}birthDate"):
            text = element.text or ""
            if len(text) == 10:  # full dates only; partial ones (1989, 2026-03) stay
                day = date.fromisoformat(text) + timedelta(days=i % 97)
                element.text = day.isoformat()
        for name in root.iter(f"{C}familyName"):
            name.text = f"{name.text} {i}"
        out.append((tree, LANGUAGES[i % len(LANGUAGES)]))
    return out


def time_html(documents: list[tuple[etree._ElementTree, str]]) -> dict[str, float]:
    """CPU seconds per family: notices proper (notification) and the long renderings of
    requests and evidence manifests, which are whole forms of several pages."""
    by_family: dict[str, list[tuple[etree._ElementTree, str]]] = {}
    for tree, language in documents:
        family = etree.QName(tree.getroot()).namespace.split(":")[2]  # type: ignore[union-attr]
        by_family.setdefault(family, []).append((tree, language))
    spent: dict[str, float] = {}
    for family, group in by_family.items():
        # One clock reading per group: reading the process clock is a system call here,
        # costly enough to distort a per-document timing.
        start = time.process_time()
        for tree, language in group:
            render_html(tree, RenderOptions(None, (language,)))
        spent[family] = time.process_time() - start
    return spent


def time_pdf(documents: list[tuple[etree._ElementTree, str]]) -> tuple[float, float]:
    """(ours, bare WeasyPrint) in seconds for the same documents and pages."""
    from weasyprint import HTML  # noqa: PLC0415

    ours = bare = 0.0
    for index, (tree, language) in enumerate(documents):
        page = render_html(tree, RenderOptions(None, (language,)))
        # Alternate which goes first, so that drift in a shared machine's speed (another
        # job starting, the CPU clocking down) weighs on both sides alike.
        for side in (0, 1) if index % 2 else (1, 0):
            start = time.perf_counter()
            if side == 0:
                HTML(string=page).write_pdf(pdf_variant=None, pdf_tags=False)
                bare += time.perf_counter() - start
            else:
                render_tree(tree, RenderJob(RenderOptions(None, (language,)), Format.PDF))
                ours += time.perf_counter() - start
    return ours, bare


def time_batch(documents: list[tuple[etree._ElementTree, str]], jobs: int, folder: Path) -> float:
    from interop.render.batch import render_all  # noqa: PLC0415

    files = []
    for i, (tree, _language) in enumerate(documents):
        path = folder / f"doc-{i:04d}.xml"
        path.write_bytes(serialize(tree))
        files.append(str(path))
    targets = [str(folder / f"out-{jobs}-{i:04d}.pdf") for i in range(len(files))]
    job = RenderJob(RenderOptions(None, ("de",)), Format.PDF, validate=False)
    start = time.perf_counter()
    outcomes = render_all(files, targets, job, jobs=jobs, write_stdout=sys.stdout.buffer.write)
    elapsed = time.perf_counter() - start
    assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=1000)
    parser.add_argument("--pdf", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    documents = variants(args.html)
    render_html(documents[0][0], RenderOptions(None, ("en",)))  # compile templates, load data
    for language in LANGUAGES:
        render_html(documents[0][0], RenderOptions(None, (language,)))
    runs = [time_html(documents) for _ in range(args.runs)]
    counts: dict[str, int] = {}
    for tree, _language in documents:
        family = etree.QName(tree.getroot()).namespace.split(":")[2]  # type: ignore[union-attr]
        counts[family] = counts.get(family, 0) + 1
    total = statistics.median(sum(run.values()) for run in runs)
    print(f"HTML: {args.html} documents, median {total:.2f} s CPU "
          f"-> {args.html / total:.0f} documents/s on one core (target >= 300)")  # fmt: skip
    for family, count in sorted(counts.items()):
        spent = statistics.median(run[family] for run in runs)
        print(f"  {family:<13} {count:5d} documents  {count / spent:6.0f}/s")

    if args.pdf:
        sample = documents[: args.pdf]
        ours, bare = zip(*(time_pdf(sample) for _ in range(args.runs)), strict=True)
        ratio = statistics.median(ours) / statistics.median(bare)
        print(f"PDF: {args.pdf} notices, ours {statistics.median(ours):.1f} s "
              f"({args.pdf / statistics.median(ours):.1f}/s), WeasyPrint alone "
              f"{statistics.median(bare):.1f} s -> ratio {ratio:.3f} (target <= 1.10)")  # fmt: skip
        from interop.validate.batch import default_jobs  # noqa: PLC0415

        cores = default_jobs()
        with tempfile.TemporaryDirectory() as tmp:
            serial = time_batch(sample, 1, Path(tmp))
            parallel = time_batch(sample, cores, Path(tmp))
        print(f"PDF batch: 1 worker {serial:.1f} s, {cores} workers {parallel:.1f} s "
              f"-> speedup {serial / parallel:.2f}x on {cores} cores")  # fmt: skip


if __name__ == "__main__":
    main()
