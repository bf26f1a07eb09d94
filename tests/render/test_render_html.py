"""Rendering to HTML: every notice in every language, wording from the catalogs, honest labels."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import etree

from interop.errors import RenderError, UsageError
from interop.render.catalogs import LANGUAGES, catalog, po_path
from interop.render.html import RenderOptions, default_language, render_html
from interop.render.job import RenderJob, render_tree
from interop.xmlio import parse_bytes, parse_file
from tests.render.support import BY_KIND, NOTICE_EXAMPLES, html

C = "urn:interop:common:1"
_FIXED = "h1 h2 h3 dt th".split()


def page(text: str) -> etree._Element:
    """A rendered page read back with our own parser (it must be well-formed)."""
    body = re.sub(r"^<!DOCTYPE html>\s*", "", text)
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.DOTALL)
    return parse_bytes(body.encode(), "page.html").getroot()


@cache
def english_words(language: str) -> frozenset[str]:
    """English catalog messages that ``language`` translates differently (they must not show)."""
    with po_path(language).open("rb") as handle:
        messages = list(read_po(handle, locale=language))
    # A word that is also this language's translation of another message is not a leak
    # (Romanian "Instrument" translates "Tool").
    translated = {m.string for m in messages if isinstance(m.string, str)}
    return frozenset(
        message.id
        for message in messages
        if isinstance(message.id, str)
        and len(message.id) > 3
        and "%(" not in message.id
        and message.string != message.id
        and message.id not in translated
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_example_renders_in_every_language_without_english_leaking(language: str) -> None:
    leaks = {}
    for path in NOTICE_EXAMPLES:
        root = page(html(path, language))
        assert root.get("lang") == language
        texts = {" ".join(t.split()) for t in root.itertext()}
        leaked = sorted(texts & english_words(language))
        if leaked:
            leaks[path.name] = leaked
    assert leaks == {}


def test_two_languages_side_by_side_section_by_section() -> None:
    root = page(html(BY_KIND["summons"], "pl", "de"))
    rows = root.findall(".//div[@class='row']")
    assert len(rows) > 5
    for row in rows:
        assert [c.get("lang") for c in row.findall("div[@class='column']")] == ["pl", "de"]
    titles = [h.text for h in root.iter("h1")]
    assert titles == [
        catalog("pl").gettext("Summons to appear"),
        catalog("de").gettext("Summons to appear"),
    ]
    assert titles[0] != titles[1]


def test_right_to_left_languages_render_right_to_left() -> None:
    root = page(html(BY_KIND["letter-of-rights"], "ar", "fr"))
    assert root.get("dir") == "rtl"
    columns = root.findall(".//div[@class='column']")
    assert {(c.get("lang"), c.get("dir")) for c in columns} == {("ar", "rtl"), ("fr", "ltr")}
    # The person's name in Arabic script reaches the notice as written.
    assert "يوسف" in "".join(root.itertext())


def test_free_text_in_the_requested_language_and_a_machine_translation_is_labelled() -> None:
    # The laptop's description exists in German (original), English (machine) and Polish
    # (human, reviewed).
    path = BY_KIND["evidence-manifest"]
    english = page(html(path, "en"))
    machine = english.findall(".//p[@class='provenance machine']")
    assert machine, "a machine translation must say so"
    assert "argos-translate" in machine[0].text and "translate-de_en" in machine[0].text
    blocks = english.findall(".//div[@class='freetext machine']")
    assert blocks and all(b.get("lang") == "en" for b in blocks)
    polish = page(html(path, "pl"))
    human = polish.findall(".//div[@class='freetext human']")
    assert human and human[0].get("lang") == "pl"
    assert "Anna Nowak-Schulz" in "".join(polish.itertext())


def test_without_a_translation_the_original_is_shown_with_its_language_named() -> None:
    root = page(html(BY_KIND["summons"], "en"))
    untranslated = root.findall(".//div[@class='freetext untranslated']")
    assert untranslated and {b.get("lang") for b in untranslated} == {"pl"}
    notes = root.findall(".//p[@class='provenance untranslated']")
    assert notes and "Polish" in notes[0].text


def test_unreviewed_catalogs_say_so_in_the_footer() -> None:
    root = page(html(BY_KIND["decision"], "de", "fr"))
    notes = root.findall(".//footer/p[@class='unreviewed']")
    assert [n.get("lang") for n in notes] == ["de", "fr"]


def test_dates_countries_and_codes_come_from_cldr_and_the_catalog() -> None:
    text = " ".join(page(html(BY_KIND["summons"], "de")).itertext())
    assert "21. April 2026" in text  # Babel's long German date
    assert "Polen" in text  # CLDR country name
    assert catalog("de").pgettext("SummonsCapacityCode", "as a witness") in text


def test_every_field_of_the_document_reaches_the_notice() -> None:
    # Templates place fields in sections; whatever they do not place lands in "Other
    # information" (view.remaining), so every leaf value of the document is in the notice.
    for path in BY_KIND.values():
        document = parse_file(path)
        text = " ".join(" ".join(page(html(path, "en")).itertext()).split())
        for element in document.getroot().iter():
            value = (element.text or "").strip()
            if not isinstance(element.tag, str) or len(element) or not value:
                continue
            if etree.QName(element).localname == "text" and element.get("lang") != "en":
                continue  # other-language versions of a free text are not shown in English
            if _formatted(element):
                continue
            assert " ".join(value.split()) in text, (path.name, etree.QName(element).localname)


def _formatted(element: etree._Element) -> bool:
    """Values the notice shows formatted, not as written: codes, dates, numbers, booleans."""
    value = (element.text or "").strip()
    return bool(
        re.fullmatch(r"[a-z0-9-]+|[A-Z]{2}|\d{4}-\d\d-\d\d.*|\d+|P[T0-9HMSDYW.]+|true|false", value)
    )


def test_the_recipients_language_is_the_default() -> None:
    root = parse_file(BY_KIND["letter-of-rights"]).getroot()
    assert default_language(root) == "ar"
    summons = parse_file(BY_KIND["summons"]).getroot()
    assert default_language(summons) == "pl"


def test_options_that_cannot_work_are_refused_in_one_line() -> None:
    document = parse_file(BY_KIND["summons"])
    with pytest.raises(UsageError, match="unknown notice 'summon'"):
        render_html(document, RenderOptions("summon", ("en",)))
    with pytest.raises(UsageError, match="renders decision documents, not summons"):
        render_html(document, RenderOptions("decision", ("en",)))
    with pytest.raises(UsageError, match="no catalog for language 'xx'"):
        render_html(document, RenderOptions(None, ("xx",)))
    with pytest.raises(UsageError, match="at most two languages"):
        render_html(document, RenderOptions(None, ("en", "de", "fr")))


def test_data_is_escaped_never_interpreted(tmp_path: Path) -> None:
    source = BY_KIND["summons"].read_text(encoding="utf-8")
    hostile = source.replace(
        "Wejście główne od ul. Młyńskiej;",
        "<![CDATA[<script>alert(1)</script><img src=x onerror=alert(2)>]]> Wejście;",
    )
    document = parse_bytes(hostile.encode(), "hostile.xml")
    out = render_html(document, RenderOptions(None, ("en",)))
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


class TestUserTemplates:
    def _dir(self, tmp_path: Path, body: str) -> Path:
        folder = tmp_path / "templates"
        (folder / "notices").mkdir(parents=True)
        (folder / "notices" / "summons.html.j2").write_text(body, encoding="utf-8")
        return folder

    def test_a_user_template_overrides_the_bundled_one_by_name(self, tmp_path: Path) -> None:
        folder = self._dir(
            tmp_path, "<section><h2>{{ _('Costs') }}</h2>{{ doc.subject }}</section>"
        )
        root = page(html(BY_KIND["summons"], "de", template_dir=folder))
        assert [h.text for h in root.iter("h2")] == [catalog("de").gettext("Costs")]

    def test_a_missing_field_fails_loudly_not_blank(self, tmp_path: Path) -> None:
        folder = self._dir(
            tmp_path,
            "<section>{{ doc.appearance.videoconferenceDetails.meetingId }}</section>",
        )
        job = RenderJob(options=RenderOptions(None, ("en",), folder))
        with pytest.raises(RenderError, match=r"summons.html.j2:1: .*meetingId"):
            render_tree(parse_file(BY_KIND["summons"]), job, name="summons.xml")

    def test_a_misspelt_field_name_is_an_error(self, tmp_path: Path) -> None:
        folder = self._dir(tmp_path, "<section>{{ rows(doc, 'subjekt') }}</section>")
        job = RenderJob(options=RenderOptions(None, ("en",), folder))
        with pytest.raises(
            RenderError, match=r"summons.html.j2:1: SummonsType has no field 'subjekt'"
        ):
            render_tree(parse_file(BY_KIND["summons"]), job, name="summons.xml")

    @pytest.mark.parametrize(
        "attack",
        [
            "{{ doc.element.getroottree().write('/tmp/x') }}",
            "{{ doc.view }}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ rows.__self__ }}",
            "{{ cycler.__init__.__globals__ }}",
        ],
    )
    def test_the_sandbox_holds(self, tmp_path: Path, attack: str) -> None:
        folder = self._dir(tmp_path, f"<section>{attack}</section>")
        job = RenderJob(options=RenderOptions(None, ("en",), folder))
        with pytest.raises(RenderError):
            render_tree(parse_file(BY_KIND["summons"]), job, name="summons.xml")
        assert not Path("/tmp/x").exists()


def test_values_against_the_columns_direction_keep_their_own_order() -> None:
    # A phone number in the Arabic column and the Arabic name in the French one are isolated
    # with their own direction, or the bidi algorithm would reorder digits and punctuation.
    root = page(html(BY_KIND["letter-of-rights"], "ar", "fr"))
    arabic, french = root.findall(".//div[@class='row']")[0].findall("div[@class='column']")
    ltr = [s.text for s in arabic.iter("span") if s.get("dir") == "ltr"]
    assert "+32 2 743 73 00" in ltr
    rtl = ["".join(s.itertext()) for s in root.iter("span") if s.get("dir") == "rtl"]
    assert any("يوسف" in text for text in rtl)
    assert not [s for s in french.iter("span") if s.get("dir") == "ltr"]
