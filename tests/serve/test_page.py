"""The clerk's page through Starlette's TestClient: every action, its record, its guards.

The browser itself (keyboard, downloads, screenshots) is tested in test_page_browser.py; here
the forms are posted as a browser would post them, and the answers read as HTML.
"""

from __future__ import annotations

import base64
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from interop import xmlio
from interop.render.catalogs import available
from interop.resources import templates_dir
from tests.conftest import EXAMPLES, FIXTURES, ROOT
from tests.serve.conftest import SUMMONS, MakeClient, audit_lines
from tests.translate.support import apertium_pair

USB = "evidence/evidence-documents-usb-es-fr.xml"
C = "{urn:interop:common:1}"
TOKEN = "page-token-of-the-clerks-office"
needs_apertium = pytest.mark.skipif(
    not apertium_pair("spa-eng"), reason="apertium-eng-spa is installed by scripts/dev setup"
)


class Page(HTMLParser):
    """What a test needs of an answered page: its form's fields, labels, ids and texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.fields: dict[str, str] = {}
        self.controls: list[dict[str, str]] = []
        self.labels: set[str] = set()
        self.ids: dict[str, dict[str, str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids[found["id"]] = {"tag": tag, **found}
        if tag == "label" and "for" in found:
            self.labels.add(found["for"])
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append({"tag": tag, **found})
        if tag == "input" and found.get("type") == "hidden":
            self.fields[found["name"]] = found.get("value", "")
        if tag == "textarea":
            self._textarea = found["name"]
            self.fields[found["name"]] = ""
        if tag == "select":
            self._select = found["name"]
        if tag == "option" and self._select and "selected" in found:
            self.fields[self._select] = found["value"]  # what a browser sends for the select

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def text_of(self, element_id: str) -> str:
        match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', self.html, re.S)
        assert match, f"no element #{element_id}"
        return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()

    def document(self) -> bytes:
        return base64.b64decode(self.fields["state"])


def post(client: TestClient, path: str, fields: dict[str, str], **kwargs: Any) -> Any:
    """A multipart form post, as a browser sends the page's forms."""
    files = {key: (None, value) for key, value in fields.items()}
    return client.post(path, files=files, **kwargs)


def open_example(client: TestClient, example: str, ui: str = "en") -> Page:
    answer = post(client, "/page/open", {"example": example, "ui": ui})
    assert answer.status_code == 200, answer.text
    return Page(answer.text)


def act(client: TestClient, page: Page, action: str, **fields: str) -> Any:
    return post(client, "/page/act", {**page.fields, "action": action, **fields})


def test_the_start_page_speaks_the_chosen_or_the_browsers_language(client: TestClient) -> None:
    assert '<html lang="en"' in client.get("/").text
    assert '<html lang="de"' in client.get("/?ui=de").text
    polish = client.get("/", headers={"accept-language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert '<html lang="pl"' in polish.text
    assert '<html lang="fr"' in client.get("/?ui=xx", headers={"accept-language": "fr-CA"}).text
    arabic = client.get("/?ui=ar").text
    assert '<html lang="ar" dir="rtl"' in arabic
    german = Page(client.get("/?ui=de").text)
    assert german.text_of("open-button") == "Öffnen"


def test_every_control_has_a_label(client: TestClient, make_client: MakeClient) -> None:
    pages = [Page(client.get("/").text), open_example(client, USB)]
    for page in pages:
        assert page.controls
        for control in page.controls:
            labelled = control.get("id") in page.labels or control.get("aria-label")
            assert labelled, f"{control} has no label"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_page_colours_have_the_contrast_wcag_aa_asks(client: TestClient) -> None:
    css = client.get("/page/page.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-f]{6})", css.text))
    for text in ("ink", "muted", "accent", "bad", "good", "mt"):
        for background in ("paper", "soft"):
            ratio = _contrast(colours[text], colours[background])
            assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}"
    assert _contrast("#ffffff", colours["accent"]) >= 4.5  # primary buttons


def test_an_example_opens_valid_with_nothing_to_fix(client: TestClient) -> None:
    page = open_example(client, "notification/summons-witness-videoconference.xml")
    assert page.ids["validity"]["class"] == "valid"
    assert "no-findings" in page.ids
    assert page.document() == SUMMONS.read_bytes()
    assert page.ids["notice"]["tag"] == "select"
    assert 'value="summons" selected' in page.html
    assert re.search(r'<option value="pl" selected>', page.html)  # the recipient's language


def test_an_uploaded_document_keeps_its_name_and_bytes(client: TestClient) -> None:
    data = SUMMONS.read_bytes()
    answer = client.post(
        "/page/open", files={"document": ("Ladung 7.xml", data, "text/xml")}, data={"ui": "de"}
    )
    page = Page(answer.text)
    assert page.text_of("document-name") == "Ladung 7.xml"
    assert page.document() == data
    assert '<html lang="de"' in answer.text


def test_findings_are_listed_under_their_section_in_plain_words(
    client: TestClient, tmp_path: Path
) -> None:
    text = SUMMONS.read_text(encoding="utf-8")
    broken = text.replace(
        '<c:text lang="pl" origin="original">Przesłuchanie',
        '<c:text lang="xx" origin="original">Przesłuchanie',
    )
    answer = client.post(
        "/page/open", files={"document": ("s.xml", broken.encode(), "application/xml")}
    )
    page = Page(answer.text)
    assert page.ids["validity"]["class"] == "invalid"
    group = re.search(r'<section class="finding-group".*?</section>', answer.text, re.S)
    assert group is not None
    assert "<h3" in group.group() and ">Subject</h3>" in group.group()
    assert 'class="finding error"' in group.group()
    assert "{…}" in group.group()  # the long list of allowed values is not repeated


@pytest.mark.parametrize("attack", ["xmlbomb.xml", "external.xml", "quadratic.xml"])
def test_a_hostile_upload_gets_one_line_and_no_traceback(client: TestClient, attack: str) -> None:
    data = (FIXTURES / "xml-attacks" / attack).read_bytes()
    answer = client.post("/page/open", files={"document": (attack, data, "application/xml")})
    assert answer.status_code == 400
    page = Page(answer.text)
    assert page.ids["status"]["role"] == "alert"
    message = page.text_of("status")
    assert message.startswith(f"{attack}:") and "\n" not in message
    assert "Traceback" not in answer.text


@pytest.mark.parametrize("example", ["../../pyproject.toml", "/etc/passwd", "national/x.xml"])
def test_only_bundled_examples_open(client: TestClient, example: str) -> None:
    answer = post(client, "/page/open", {"example": example})
    assert answer.status_code == 400
    assert "is not one of the bundled examples" in Page(answer.text).text_of("status")


def test_opening_nothing_is_said_in_the_page_language(client: TestClient) -> None:
    answer = post(client, "/page/open", {"example": "", "ui": "en"})
    assert answer.status_code == 400
    assert Page(answer.text).text_of("status") == "Choose a file or an example first."


def test_a_damaged_form_is_refused(client: TestClient) -> None:
    answer = post(client, "/page/act", {"state": "%%%", "action": "preview"})
    assert answer.status_code == 400
    assert "damaged" in answer.text
    unknown = act(client, open_example(client, USB), "format-disk")
    assert unknown.status_code == 400


def test_preview_is_the_notice_in_a_sandboxed_frame(client: TestClient) -> None:
    page = open_example(client, "notification/summons-witness-videoconference.xml")
    answer = act(client, page, "preview", lang="pl", also="de")
    assert answer.status_code == 200
    frame = re.search(r'<iframe id="preview-frame"([^>]*)>', answer.text)
    assert frame is not None
    assert " sandbox " in frame.group(1) and 'title="' in frame.group(1)
    notice = unescape(re.search(r'srcdoc="([^"]*)"', frame.group(1)).group(1))  # type: ignore[union-attr]
    assert "<html" in notice and "Wezwanie" in notice and "Ladung" in notice
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src" not in policy


def test_downloads(client: TestClient, tmp_path: Path) -> None:
    page = open_example(client, "notification/summons-witness-videoconference.xml")
    html = act(client, page, "download-html", lang="pl", also="de")
    assert html.headers["content-disposition"] == (
        'attachment; filename="summons-witness-videoconference.summons.pl-de.html"'
    )
    assert html.text.startswith("<!DOCTYPE html>")
    xml = act(client, page, "download-xml")
    assert xml.content == SUMMONS.read_bytes()
    pdf = act(client, page, "download-pdf", lang="pl")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    actions = [line["action"] for line in audit_lines(tmp_path / "audit.jsonl")]
    assert actions == ["render", "render"]  # the document itself produced nothing new


@pytest.fixture
def translating(make_client: MakeClient, tmp_path: Path) -> TestClient:
    return make_client(memory=str(tmp_path / "memory.sqlite"))


def _translated(client: TestClient) -> Page:
    page = open_example(client, USB)
    answer = act(client, page, "translate", to="en", engine="apertium", lang="fr", also="en")
    assert answer.status_code == 200, answer.text
    return Page(answer.text)


@needs_apertium
def test_translate_marks_machine_passages_for_review(
    translating: TestClient, tmp_path: Path
) -> None:
    page = _translated(translating)
    assert page.text_of("status") == (
        "9 passages translated into English by machine; review them below."
    )
    machine = re.findall(
        r'data-lang="en" data-origin="machine" data-status="unreviewed"', page.html
    )
    assert len(machine) == 9
    assert "Machine translation</strong> (apertium, apertium-eng-spa)" in page.html
    tree = xmlio.parse_bytes(page.document(), "usb.xml")
    english = [t for t in tree.iter(f"{C}text") if t.get("lang") == "en"]
    assert {t.get("origin") for t in english} == {"machine"}
    assert audit_lines(tmp_path / "audit.jsonl")[-1]["action"] == "translate"


def _sentence(page: Page, field: str) -> str:
    return next(k for k in page.fields if k.startswith("t:en:") and field in k)


@needs_apertium
def test_a_review_records_the_reviewer_and_the_edit(
    translating: TestClient, tmp_path: Path
) -> None:
    page = _translated(translating)
    box = _sentence(page, "/e:evidenceManifest/e:conditions#1")
    path = box.removeprefix("t:en:").split("#")[0]
    edited = page.fields[box].replace("memory USB", "USB stick")
    answer = act(
        translating, page, "review", reviewer="Clerk Anna", lang="fr", also="en",
        **{box: edited, f"r:en:{path}": "1"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    reviewed = Page(answer.text)
    assert reviewed.text_of("status") == "1 passage saved as reviewed by Clerk Anna."
    assert (
        f'data-path="{path}" data-lang="en" data-origin="human" data-status="reviewed"'
        in answer.text
    )
    tree = xmlio.parse_bytes(reviewed.document(), "usb.xml")
    field = tree.find(".//{urn:interop:evidence:1}conditions")
    assert field is not None
    english = next(t for t in field if t.get("lang") == "en")
    assert "USB stick" in (english.text or "")
    assert english.get("origin") == "human" and english.get("status") == "reviewed"
    assert english.get("reviewedBy") == "Clerk Anna" and english.get("reviewedAt")
    assert english.get("engine") == "apertium"  # the machine trail stays on record
    others = [t for t in tree.iter(f"{C}text") if t.get("lang") == "en" and t is not english]
    assert {t.get("status") for t in others} == {"unreviewed"}
    assert audit_lines(tmp_path / "audit.jsonl")[-1]["action"] == "review"


@needs_apertium
def test_a_review_that_loses_a_name_saves_nothing(translating: TestClient) -> None:
    page = _translated(translating)
    box = _sentence(page, "/e:item[1]/e:description#1")
    path = box.removeprefix("t:en:").split("#")[0]
    answer = act(
        translating, page, "review", reviewer="Clerk Anna",
        **{box: "A blue binder with invoices.", f"r:en:{path}": "1"},
    )  # fmt: skip
    assert answer.status_code == 422
    again = Page(answer.text)
    assert again.text_of("status").startswith("Keep “Iberia Trade Solutions” exactly once")
    assert again.document() == page.document()
    assert again.fields[box] == "A blue binder with invoices."  # the clerk's text stays


@needs_apertium
def test_a_review_needs_a_reviewer_and_a_ticked_passage(translating: TestClient) -> None:
    page = _translated(translating)
    nobody = act(translating, page, "review", reviewer=" ")
    assert nobody.status_code == 400
    assert Page(nobody.text).text_of("status") == (
        "Write your name as the reviewer before saving a review."
    )
    unticked = act(translating, page, "review", reviewer="Clerk Anna")
    assert unticked.status_code == 400
    assert "Tick Reviewed" in Page(unticked.text).text_of("status")


def test_passages_are_those_of_the_chosen_languages(client: TestClient) -> None:
    page = open_example(client, "notification/summons-witness-videoconference.xml")
    assert "no-passages" in page.ids  # Polish originals, and the recipient reads Polish
    german = Page(act(client, page, "preview", lang="pl", also="de").text)
    passages = re.findall(r'data-lang="(\w+)" data-origin="(\w*)" data-status="(\w*)"', german.html)
    assert passages and set(passages) == {("de", "human", "reviewed"), ("de", "", "")}
    assert "Not translated yet." in german.html


@pytest.fixture
def guarded(make_client: MakeClient, tmp_path: Path) -> TestClient:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"clerk-poznan:{TOKEN}\n")
    tokens.chmod(0o600)
    return make_client(token_file=str(tokens))


def test_with_tokens_the_page_signs_in_with_a_cookie(guarded: TestClient) -> None:
    first = guarded.get("/", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login"
    assert guarded.get("/page/page.css").status_code == 200
    assert "login-button" in guarded.get("/login").text
    wrong = guarded.post("/login", data={"token": "wrong"}, follow_redirects=False)
    assert wrong.headers["location"] == "/login?failed=1"
    right = guarded.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert guarded.get("/").status_code == 200
    page = open_example(guarded, "notification/summons-witness-videoconference.xml")
    assert page.text_of("document-name")
    # The API never takes the cookie: a connector must send the header.
    assert guarded.get("/v1/health").status_code == 401
    signed_out = guarded.post("/logout", follow_redirects=False)
    assert signed_out.status_code == 303
    guarded.cookies.clear()
    assert guarded.get("/", follow_redirects=False).status_code == 303


def test_with_tokens_the_reviewer_is_the_tokens_name(guarded: TestClient) -> None:
    guarded.post("/login", data={"token": TOKEN})
    page = Page(act(guarded, open_example(guarded, USB), "preview", lang="fr").text)
    assert page.ids["reviewer"]["value"] == "clerk-poznan"


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}],
)
def test_forms_from_another_site_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    answer = client.post("/page/open", files={"example": (None, USB)}, headers=headers)
    assert answer.status_code == 403


def test_the_page_is_not_in_the_api_description(client: TestClient) -> None:
    paths = client.get("/v1/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith("/v1/")]


def test_every_page_language_has_a_catalog() -> None:
    assert {"en", "de", "fr", "pl"} <= set(available())
    assert (templates_dir() / "page" / "page.css").is_file()


def test_the_examples_offered_are_the_bundled_ones(client: TestClient) -> None:
    page = Page(client.get("/").text)
    offered = re.findall(r'<option value="([a-z]+/[^"]+\.xml)">', page.html)
    bundled = sorted(
        f"{p.parent.name}/{p.name}"
        for family in ("notification", "request", "evidence")
        for p in (EXAMPLES / family).glob("*.xml")
    )
    assert sorted(offered) == bundled


def _is_start_page_saying(answer: Any, status: int, words: str) -> None:
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert words in Page(answer.text).text_of("status")
    assert "Traceback" not in answer.text


def test_errors_on_the_page_answer_the_page_not_json(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = make_client(max_upload=1000)
    big = "x" * 5000
    _is_start_page_saying(post(small, "/page/open", {"example": big}), 413, "larger than")
    _is_start_page_saying(post(small, "/page/act", {"state": big}), 413, "larger than")
    elsewhere = {"origin": "https://evil.example"}
    refused = small.post("/page/open", files={"example": (None, USB)}, headers=elsewhere)
    _is_start_page_saying(refused, 403, "only be sent from the page")
    _is_start_page_saying(small.get("/page/nothing-here"), 404, "There is no such page.")
    german = small.get("/page/nothing-here?ui=de")
    assert Page(german.text).text_of("status") != "There is no such page."  # said in German
    # The API's answers stay problem documents.
    api = small.post("/v1/validate", content=big, headers={"content-type": "application/xml"})
    assert api.status_code == 413 and api.headers["content-type"] == "application/problem+json"


def test_an_internal_error_on_the_page_is_one_line_with_its_id(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interop.serve.page import routes  # noqa: PLC0415

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug with a secret path /srv/secret")

    page = open_example(client, USB)
    monkeypatch.setattr(routes, "_document_page", broken)
    answer = act(client, page, "preview", lang="fr")
    _is_start_page_saying(answer, 500, "Something went wrong on the server")
    assert "/srv/secret" not in answer.text
    assert answer.headers["x-request-id"] in answer.text  # the id the server's log names


def test_with_tokens_a_form_sent_signed_out_goes_to_the_sign_in(guarded: TestClient) -> None:
    answer = post(guarded, "/page/act", {"action": "preview"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


@pytest.mark.parametrize(
    ("ui", "said"),
    [
        ("en", "Not valid: 1 error, 0 warnings."),
        ("de", "Nicht gültig: 1 Fehler, 0 Warnungen."),
        ("pl", "Dokument nieprawidłowy: 1 błąd, 0 ostrzeżeń."),
    ],
)
def test_the_validity_line_counts_in_the_page_language(
    client: TestClient, ui: str, said: str
) -> None:
    case = ROOT / "tests" / "cases" / "invalid" / "EVD-008-sha256-truncated.xml"
    answer = client.post(
        "/page/open",
        files={"document": (case.name, case.read_bytes(), "text/xml")},
        data={"ui": ui},
    )
    assert Page(answer.text).text_of("validity") == said
