"""The catalogs: complete, in step with the templates, right plural forms, honest review state."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from interop.render.catalogs import LANGUAGES, available, catalog, po_path
from interop.render.placeholders import placeholder_problems
from tests.conftest import ROOT


def test_all_languages_the_issue_names_have_a_catalog() -> None:
    eu = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
    assert set(available()) == set(LANGUAGES) == {*eu, "ar", "tr", "ru", "uk"}


def test_catalogs_are_complete_and_in_step_with_the_sources() -> None:
    # The same check a translator runs: no untranslated or fuzzy entry, the same placeholders
    # as the source, every catalog (and the .pot) in step with templates, code and XSDs.
    done = subprocess.run(
        [sys.executable, "scripts/catalogs.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_those_of_the_language(language: str) -> None:
    with po_path(language).open("rb") as handle:
        messages = read_po(handle, locale=language)
    assert messages.num_plurals == get_plural(language).num_plurals
    for message in messages:
        if isinstance(message.id, tuple):
            assert len(message.string) == messages.num_plurals, message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_states_its_review(language: str) -> None:
    text = po_path(language).read_text(encoding="utf-8")
    assert '"X-Legal-Review: ' in text
    # Nobody has reviewed these yet; the notices say so (see test_render_html).
    assert catalog(language).reviewed_by is None


def test_placeholder_check_catches_a_dropped_or_invented_name() -> None:
    assert placeholder_problems("on %(date)s", ["am %(date)s"]) == []
    assert placeholder_problems("on %(date)s", ["am"]) == ["form 0 lacks date"]
    assert placeholder_problems("on %(date)s", ["am %(datum)s"]) == [
        "form 0 lacks date",
        "form 0 has unknown datum",
    ]
    plural = ("%(num)s day", "%(num)s days")
    assert placeholder_problems(plural, ["%(num)s den", "%(num)s dny", "%(num)s dní"]) == []
    assert placeholder_problems(plural, ["jeden den", "%(num)s dny", "%(num)s dní"]) == [
        "form 0 lacks num"
    ]
