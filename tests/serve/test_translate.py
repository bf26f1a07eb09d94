"""POST /v1/translate, /v1/xliff/export, /v1/xliff/import: translation and human review."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from interop import xmlio
from tests.serve.conftest import XML, MakeClient, audit_lines
from tests.translate.support import STATUS, apertium_pair, errors, versions

X = "{urn:oasis:names:tc:xliff:document:1.2}"
needs_apertium = pytest.mark.skipif(
    not apertium_pair("es-fr"), reason="apertium-fr-es is installed by scripts/dev setup"
)


@pytest.fixture
def translating(make_client: MakeClient, tmp_path: Path) -> TestClient:
    return make_client(memory=str(tmp_path / "memory.sqlite"))


@needs_apertium
def test_translate_review_round_trip(translating: TestClient, tmp_path: Path) -> None:
    answer = translating.post(
        "/v1/translate?to=fr&engine=apertium", content=STATUS.read_bytes(), headers=XML
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["report"]["summary"].startswith("2 translated")
    translated = body["document"]["content"].encode("utf-8")
    french = versions(xmlio.parse_bytes(translated, "t"), "fr")
    assert {t.get("engine") for t in french} == {"apertium"}
    assert {t.get("status") for t in french} == {"unreviewed"}

    files = {"document": ("status.fr.xml", translated, "application/xml")}
    exported = translating.post("/v1/xliff/export?to=fr", files=files)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "application/x-xliff+xml"
    assert exported.headers["content-disposition"] == 'inline; filename="status.fr.fr.xlf"'
    xliff = xmlio.parse_bytes(exported.content, "x")
    for target in xliff.getroot().iter(f"{X}target"):
        if target.getparent().tag == f"{X}trans-unit":
            target.set("state", "translated")  # the reviewer accepts every sentence

    files["xliff"] = ("status.fr.xlf", xmlio.serialize(xliff), "application/x-xliff+xml")
    imported = translating.post(
        "/v1/xliff/import", params={"reviewer": "Marie Lefort"}, files=files
    )
    assert imported.status_code == 200, imported.text
    reviewed = xmlio.parse_bytes(imported.json()["document"]["content"].encode(), "r")
    french = versions(reviewed, "fr")
    assert {t.get("status") for t in french} == {"reviewed"}
    assert {t.get("reviewedBy") for t in french} == {"Marie Lefort"}
    assert errors(reviewed) == []
    actions = [(line["action"], line["who"]) for line in audit_lines(tmp_path / "audit.jsonl")]
    assert actions == [("translate", "local"), ("review", "local")]
    assert audit_lines(tmp_path / "audit.jsonl")[1]["options"]["reviewer"] == "Marie Lefort"


@needs_apertium
def test_a_changed_document_does_not_take_the_review(translating: TestClient) -> None:
    done = translating.post("/v1/translate?to=fr", content=STATUS.read_bytes(), headers=XML)
    translated = done.json()["document"]["content"].encode()
    files = {"document": ("s.xml", translated, "application/xml")}
    xlf = translating.post("/v1/xliff/export?to=fr", files=files).content
    changed = translated.replace(b"La OEI fue reconocida", b"La OEI fue recibida")
    answer = translating.post(
        "/v1/xliff/import?reviewer=M",
        files={
            "document": ("s.xml", changed, "application/xml"),
            "xliff": ("s.xlf", xlf, "application/xml"),
        },
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/v1/translate", "give to=LL: the language to translate into"),
        ("/v1/translate?to=fr&engine=nope", "nope"),
        ("/v1/translate?to=xx&engine=apertium", "xx"),
        ("/v1/xliff/export", "give to=LL"),
        ("/v1/xliff/import", "give reviewer=NAME"),
        ("/v1/xliff/import?reviewer=M", "the form needs the reviewed file in a file field named"),
    ],
)
def test_bad_requests(translating: TestClient, path: str, detail: str) -> None:
    answer = translating.post(path, content=STATUS.read_bytes(), headers=XML)
    assert answer.status_code == 400
    assert detail in answer.json()["detail"]


def test_an_uploaded_glossary_is_read_and_a_bad_one_named(translating: TestClient) -> None:
    files = {
        "document": ("s.xml", STATUS.read_bytes(), "application/xml"),
        "glossary": ("terms.csv", b"\xff\xfe not a glossary", "text/csv"),
    }
    answer = translating.post("/v1/xliff/export?to=fr", files=files)
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("terms.csv")
    files["glossary"] = ("terms.docx", b"x", "application/octet-stream")
    answer = translating.post("/v1/xliff/export?to=fr", files=files)
    assert answer.json()["detail"] == "terms.docx: not a glossary; give a .tbx or .csv file"
