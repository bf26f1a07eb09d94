"""POST /v1/render: the notice itself, with the right content type; CLI messages on errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CASES, run_cli
from tests.serve.conftest import SUMMONS, XML


def test_bilingual_html(client: TestClient) -> None:
    answer = client.post("/v1/render?lang=pl&also=de", content=SUMMONS.read_bytes(), headers=XML)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["content-disposition"] == 'inline; filename="document.notice.pl-de.html"'
    assert answer.headers["content-security-policy"].startswith("default-src 'none';")
    assert answer.headers["cache-control"] == "no-store"
    page = answer.text
    assert 'lang="pl"' in page and 'lang="de"' in page
    assert "Wezwanie" in page and "Ladung" in page


def test_the_same_bytes_as_the_cli(client: TestClient, tmp_path: Path) -> None:
    out = tmp_path / "notice.txt"
    done = run_cli("render", str(SUMMONS), "--lang", "fr", "--format", "txt", "-o", str(out))
    assert done.returncode == 0, done.stderr
    files = {"document": (SUMMONS.name, SUMMONS.read_bytes(), "application/xml")}
    answer = client.post("/v1/render", params={"lang": "fr", "format": "txt"}, files=files)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.content == out.read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf(client: TestClient, tmp_path: Path) -> None:
    answer = client.post(
        "/v1/render?lang=de&format=pdf&pdf_variant=pdf/ua-1",
        content=SUMMONS.read_bytes(),
        headers=XML,
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ladung" in text


def test_an_invalid_document_is_refused_with_the_cli_message(client: TestClient) -> None:
    case = CASES / "invalid" / "REQ-003-search-without-proportionality.xml"
    files = {"document": (case.name, case.read_bytes(), "text/xml")}
    answer = client.post("/v1/render", files=files)
    assert answer.status_code == 422
    cli = run_cli("render", case.name, cwd=case.parent)
    assert cli.returncode == 1
    assert cli.stderr.strip() == f"interop: error: {answer.json()['detail']}"
    relaxed = client.post("/v1/render?validate=false", files=files)
    assert relaxed.status_code in (200, 422)  # without the check, only the template decides


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("notice=nope", "unknown notice 'nope'; known notices: summons, "),
        ("also=de", "also needs lang (the first language)"),
        ("format=docx", "format='docx': choose one of html, pdf, txt"),
        ("pdf_variant=pdf/ua-1", "pdf_variant needs format=pdf"),
        ("lang=xx", "xx"),
        ("notice=decision", "notice 'decision' renders decision documents, not summons"),
    ],
)
def test_bad_options(client: TestClient, query: str, detail: str) -> None:
    answer = client.post(f"/v1/render?{query}", content=SUMMONS.read_bytes(), headers=XML)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert detail in answer.json()["detail"]
