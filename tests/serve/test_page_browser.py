"""The clerk's page in a real headless Chromium against a real ``interop serve`` (issue 7):
open, validate, translate, review, preview and download a summons; keyboard use, labels, the
page language and a hostile upload. Screenshots of the main screens go to $INTEROP_ARTEFACTS."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from interop import xmlio
from tests.conftest import FIXTURES
from tests.serve.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    C,
    N,
    artefacts,
    spanish_summons,
    summons_with_findings,
)
from tests.serve.real_server import running_server

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)

REVIEWER = "Marie Lefèvre"
EDITED = "Apportez votre passeport et cette convocation."
TO_BRING = '[data-lang="fr"][data-path$="toBring"]'
ATTACKS = sorted((FIXTURES / "xml-attacks").glob("*.xml"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The base URL of a real ``interop serve``, and its log."""
    folder = tmp_path_factory.mktemp("page-server")
    with running_server(folder, "--memory", str(folder / "memory.sqlite")) as base:
        yield base, folder / "server.log"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: tuple[str, Path]) -> Iterator[Page]:
    """A fresh browser tab (English browser); every request it makes must stay on the server."""
    log = server[1]
    logged = log.stat().st_size
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    # Opening a document validates it in a worker: on a busy CI machine that can take longer
    # than Playwright's 5 s for an expect(), which once failed this module.
    context.set_default_timeout(20_000)
    expect.set_options(timeout=20_000)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    yield context.new_page()
    context.close()
    own = urlsplit(server[0]).netloc
    assert [url for url in requested if urlsplit(url).netloc not in ("", own)] == []
    written = log.read_bytes()[logged:].decode(errors="replace")
    assert "Traceback" not in written, written


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(artefacts() / f"page-{name}.png"), full_page=True)


def _open(page: Page, base: str, document: Path) -> None:
    page.goto(f"{base}/?ui=en")
    page.set_input_files("#document", str(document))
    page.click("#open-button")
    expect(page.locator("form#work-form")).to_be_visible()


def test_a_clerk_translates_reviews_and_downloads_a_summons(
    page: Page, server: tuple[str, Path], tmp_path: Path
) -> None:
    summons = spanish_summons(tmp_path)
    page.goto(f"{server[0]}/?ui=en")
    _shot(page, "start")
    page.set_input_files("#document", str(summons))
    page.click("#open-button")

    # Valid, nothing to fix.
    expect(page.locator("#document-name")).to_contain_text(summons.name)
    expect(page.locator("#validity")).to_have_class(re.compile(r"(^|\s)valid(\s|$)"))
    expect(page.locator("#no-findings")).to_be_visible()
    expect(page.locator("li.finding")).to_have_count(0)

    # French for the witness, Spanish beside it; the free text machine-translated into French.
    page.select_option("#lang", "fr")
    page.select_option("#also", "es")
    page.select_option("#translate-to", "fr")
    page.select_option("#engine", "apertium")
    page.click("#translate-button")
    expect(page.locator("#status")).to_contain_text("French")
    machine = page.locator('fieldset.passage[data-lang="fr"][data-origin="machine"]')
    expect(machine).to_have_count(9)
    expect(page.locator(f"fieldset.passage{TO_BRING}")).to_have_attribute(
        "data-status", "unreviewed"
    )

    page.click("#preview-button")
    frame = page.locator("iframe#preview-frame")
    expect(frame).to_have_attribute("title", re.compile(r"\S"))
    notice = page.frame_locator("iframe#preview-frame")
    expect(notice.locator('[lang="fr"]').first).to_be_attached()
    expect(notice.locator('[lang="es"]').first).to_be_attached()
    expect(notice.locator("body")).to_contain_text("Traiga su documento de identidad")
    expect(notice.locator("body")).to_contain_text("Amenez")  # Apertium's French
    expect(notice.locator(".provenance.machine").first).to_be_attached()  # labelled as such
    # A sandboxed frame is painted only once it has been on screen.
    frame.scroll_into_view_if_needed()
    frame.screenshot(path=str(artefacts() / "page-preview-notice.png"))
    _shot(page, "preview")

    # Edit the machine-translated sentence, tick Reviewed, save.
    passage = page.locator(f"fieldset.passage{TO_BRING}")
    expect(passage.locator("legend")).not_to_be_empty()
    expect(passage.locator(".original")).to_have_attribute("lang", "es")
    sentence = passage.locator("textarea.sentence")
    expect(sentence).to_have_count(1)
    expect(sentence).to_have_value(re.compile(r"^Amenez"))
    sentence.fill(EDITED)
    passage.locator("input.reviewed").check()
    page.fill("#reviewer", REVIEWER)
    page.click("#review-button")
    passage = page.locator(f"fieldset.passage{TO_BRING}")
    expect(passage).to_have_attribute("data-status", "reviewed")
    expect(passage).to_have_attribute("data-origin", "human")
    expect(passage.locator("textarea.sentence")).to_have_value(EDITED)
    expect(passage.locator(".passage-status")).to_contain_text(REVIEWER)
    # The other passages stay as the machine left them.
    expect(machine).to_have_count(8)
    _shot(page, "review")

    pdf = _download(page, "#download-pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
    )
    assert EDITED in text
    assert REVIEWER in text
    assert "Traiga su documento de identidad y esta citación." in text  # the Spanish column

    xml = xmlio.parse_file(_download(page, "#download-xml", tmp_path))
    (french,) = xml.xpath("/n:summons/n:toBring/c:text[@lang='fr']", namespaces={"n": N, "c": C})
    assert french.text == EDITED
    assert french.get("origin") == "human"
    assert french.get("status") == "reviewed"
    assert french.get("reviewedBy") == REVIEWER
    assert french.get("engine") == "apertium"  # the machine's part stays on record


def _download(page: Page, button: str, folder: Path) -> Path:
    with page.expect_download(timeout=25_000) as started:
        page.click(button)
    download = started.value
    target = folder / download.suggested_filename
    download.save_as(str(target))
    return target


def test_findings_are_shown_by_section(
    page: Page, server: tuple[str, Path], tmp_path: Path
) -> None:
    _open(page, server[0], summons_with_findings(tmp_path))
    validity = page.locator("#validity")
    expect(validity).to_have_class(re.compile(r"(^|\s)invalid(\s|$)"))
    expect(validity).to_contain_text("2")
    expect(page.locator("#no-findings")).to_have_count(0)
    # Capacity, appearance, and the document as a whole (the rules' warning).
    groups = page.locator("section#findings section.finding-group")
    expect(groups).to_have_count(3)
    for group in groups.all():
        expect(group.locator("h3")).not_to_be_empty()
    expect(page.locator("li.finding.error")).to_have_count(2)
    expect(page.locator("li.finding.warning")).to_have_count(1)
    duration = groups.filter(has_text="three hours")
    expect(duration.locator("h3")).to_contain_text("ppearance")
    expect(duration.locator(".finding-where")).to_contain_text(re.compile("duration", re.I))
    for finding in page.locator("li.finding").all():
        expect(finding.locator(".finding-message")).not_to_be_empty()
    _shot(page, "findings")


def _focus_order(page: Page, presses: int) -> list[str]:
    order = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement && document.activeElement.id"))
    return order


def test_the_start_page_works_by_keyboard_alone(
    page: Page, server: tuple[str, Path], tmp_path: Path
) -> None:
    summons = spanish_summons(tmp_path)
    page.goto(f"{server[0]}/?ui=en")
    order = _focus_order(page, 12)
    assert "document" in order, order
    start = order.index("document")
    assert order[start : start + 3] == ["document", "example", "open-button"], order
    # The file input opens the file chooser from the keyboard; Enter on the button opens it.
    page.focus("#document")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(summons))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "open-button"
    page.keyboard.press("Enter")
    expect(page.locator("#document-name")).to_contain_text(summons.name)

    # An example chosen with the arrow keys, opened with Enter.
    page.goto(f"{server[0]}/?ui=en")
    page.focus("#example")
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#example", "select => select.value")
    assert chosen.endswith(".xml"), chosen
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#document-name")).to_contain_text(Path(chosen).name)


# Each form control's accessible name: a <label for>, a wrapping label, aria-label(ledby).
_UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && !e.labels?.length && !e.getAttribute('aria-label')
    && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML)"""


def _unlabelled(page: Page) -> list[str]:
    found: list[str] = page.evaluate(_UNLABELLED)
    return found


def test_every_control_has_a_label(page: Page, server: tuple[str, Path], tmp_path: Path) -> None:
    page.goto(f"{server[0]}/?ui=en")
    assert _unlabelled(page) == []
    expect(page.get_by_label(re.compile("^Document"))).to_have_attribute("id", "document")
    _open(page, server[0], spanish_summons(tmp_path))
    page.select_option("#translate-to", "fr")
    page.select_option("#engine", "apertium")
    page.click("#translate-button")
    expect(page.locator("textarea.sentence").first).to_be_visible()
    assert _unlabelled(page) == []
    reviewed: Locator = page.get_by_label("Reviewed")
    assert reviewed.count() == page.locator("input.reviewed").count() > 0
    for button in page.locator("button").all():
        assert (button.text_content() or button.get_attribute("aria-label") or "").strip()


def test_the_page_speaks_german(page: Page, server: tuple[str, Path], tmp_path: Path) -> None:
    page.goto(f"{server[0]}/?ui=de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#open-form")).to_contain_text("Dokument")
    _shot(page, "start-de")
    # The choice travels with the document.
    page.set_input_files("#document", str(spanish_summons(tmp_path)))
    page.click("#open-button")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("input[name=ui]")).to_have_value("de")


def test_a_hostile_upload_is_one_line_in_the_status(
    page: Page, server: tuple[str, Path], loopback_listener: list[object]
) -> None:
    assert ATTACKS, "no attack files in the shared fixtures"
    for attack in ATTACKS:
        page.goto(f"{server[0]}/?ui=en")
        page.set_input_files("#document", str(attack))
        with page.expect_response(re.compile(r"/page/open$")) as answered:
            page.click("#open-button")
        assert answered.value.status == 400, attack.name
        status = page.locator("#status")
        expect(status).to_have_attribute("role", "alert")
        message = (status.text_content() or "").strip()
        assert message.startswith(f"{attack.name}:"), message  # names the file, then why
        assert "\n" not in message, (attack.name, message)
        assert "Traceback" not in page.content(), attack.name
        expect(page.locator("form#open-form")).to_be_visible()
    _shot(page, "hostile-upload")
    assert loopback_listener == []  # nothing reached for what the files point at
