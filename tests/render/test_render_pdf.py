"""PDF output: text that reads back in its script, fonts embedded, PDF/A-3b with its source."""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from interop.render.catalogs import catalog
from interop.render.html import RenderOptions
from interop.render.job import Format, RenderJob, render_file
from tests.render.support import BY_KIND

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _tool(*args: str | Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def _pdf(path: Path, tmp_path: Path, *languages: str, variant: str | None = None) -> Path:
    job = RenderJob(RenderOptions(None, languages), Format.PDF, pdf_variant=variant)
    out = tmp_path / f"{path.stem}.pdf"
    out.write_bytes(render_file(str(path), job))
    return out


@pytest.mark.parametrize(
    ("kind", "language", "name"),
    [
        ("letter-of-rights", "ar", "يوسف"),
        ("letter-of-rights", "el", "Youssef"),
        ("summons", "bg", "Agnieszka Zofia Wójcik"),
    ],
)
def test_localized_labels_and_the_persons_name_read_back(
    tmp_path: Path, kind: str, language: str, name: str
) -> None:
    pdf = _pdf(BY_KIND[kind], tmp_path, language)
    text = " ".join(_tool("pdftotext", "-enc", "UTF-8", pdf, "-").split())
    words = catalog(language)
    for label in ("Your rights", "Signature"):
        assert " ".join(words.gettext(label).split()) in text, label
    assert name in text
    fonts = _tool("pdffonts", pdf)
    assert len(fonts.splitlines()) > 2, "no fonts in the PDF"
    for line in fonts.splitlines()[2:]:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"


def test_pdf_a_3b_carries_the_source_xml(tmp_path: Path) -> None:
    pdf = _pdf(BY_KIND["summons"], tmp_path, "pl", "de", variant="pdf/a-3b")
    listing = _tool("pdfdetach", "-list", pdf)
    assert BY_KIND["summons"].name in listing
    _tool("pdfdetach", "-save", "1", "-o", tmp_path / "source.xml", pdf)
    assert (tmp_path / "source.xml").read_bytes() == BY_KIND["summons"].read_bytes()
    metadata = _tool("pdfinfo", "-meta", pdf)
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[int]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_the_pdf_renderer_fetches_nothing_outside_the_template_folder(
    tmp_path: Path, listener: int
) -> None:
    folder = tmp_path / "templates"
    (folder / "notices").mkdir(parents=True)
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (folder / "notices" / "summons.html.j2").write_text(
        f'<section><img src="http://127.0.0.1:{listener}/x.png"/>'
        f'<link rel="stylesheet" href="file://{secret}"/>'
        f'<img src="file:///etc/passwd"/>{{{{ doc.subject }}}}</section>'
    )
    job = RenderJob(RenderOptions(None, ("en",), folder), Format.PDF)
    pdf = render_file(str(BY_KIND["summons"]), job)
    assert pdf.startswith(b"%PDF")
    assert _Counter.hits == []


def test_pdf_ua_is_tagged_for_screen_readers(tmp_path: Path) -> None:
    pdf = _pdf(BY_KIND["decision"], tmp_path, "fr", variant="pdf/ua-1")
    info = _tool("pdfinfo", pdf)
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE), info
    assert "pdfuaid" in _tool("pdfinfo", "-meta", pdf)
