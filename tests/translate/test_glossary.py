"""Glossaries: TBX (both generations) and CSV, enforcement, violations, the core glossary."""

from __future__ import annotations

import difflib
import importlib.util
import sys
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from interop.errors import HostileInput, UnreadableInput
from interop.translate.glossary import Glossary
from interop.translate.protect import protect, restore
from tests.conftest import ROOT

CORE = ROOT / "interop" / "translate" / "data" / "core-glossary.tbx"
SCRIPT = ROOT / "scripts" / "gen_core_glossary.py"
REGENERATE = ".venv/bin/python scripts/gen_core_glossary.py"

TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <langSet xml:lang="en">
        <tig><term>European Arrest Warrant</term></tig>
        <tig><term>EAW</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de-DE">
        <tig><term>EU-Haftbefehl</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <tig><term>Europäischer Haftbefehl</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>arson</term></tig></langSet>
      <langSet xml:lang="de"><tig><term>Brandstiftung</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:basic="http://www.tbxinfo.net/ns/basic"
     type="TBX-Basic" style="dct" xml:lang="en">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>witness</term></termSec></langSec>
      <langSec xml:lang="pl">
        <termSec><term>świadek</term>
          <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus>
        </termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en"><termSec><term>expert</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
      <langSec xml:lang="pl"><termSec><term>biegły</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tbx_basic(tmp_path: Path) -> None:
    glossary = Glossary.load(write(tmp_path, "g.tbx", TBX_BASIC))
    assert glossary.terms("en", "de") == [
        ("European Arrest Warrant", "Europäischer Haftbefehl"),
        ("arson", "Brandstiftung"),
        ("EAW", "Europäischer Haftbefehl"),
    ]
    # A deprecated term is still recognised in a source text, never proposed as a target.
    assert ("EU-Haftbefehl", "European Arrest Warrant") in glossary.terms("de", "en")
    assert glossary.languages() == {"en", "de"}


def test_a_short_form_translates_to_the_short_form(tmp_path: Path) -> None:
    tbx = TBX_BASIC.replace(
        "<tig><term>arson</term></tig>",
        "<tig><term>arson (wilful)</term></tig><tig><term>arson</term>"
        '<termNote type="termType">shortForm</termNote></tig>',
    ).replace(
        "<tig><term>Brandstiftung</term></tig>",
        "<tig><term>vorsätzliche Brandstiftung</term></tig><tig><term>Brandstiftung</term>"
        '<termNote type="termType">shortForm</termNote></tig>',
    )
    terms = dict(Glossary.load(write(tmp_path, "g.tbx", tbx)).terms("en", "de"))
    assert terms["arson (wilful)"] == "vorsätzliche Brandstiftung"
    assert terms["arson"] == "Brandstiftung"


def test_tbx_2019_with_namespaces_and_dct_status(tmp_path: Path) -> None:
    glossary = Glossary.load(write(tmp_path, "g.tbx", TBX_2019))
    assert glossary.terms("en-GB", "pl") == [("witness", "świadek"), ("expert", "biegły")]


def test_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.csv",
        "\ufeffsource_lang,source,target_lang,target\nen,arson,pl,podpalenie\n,,,\n"
        'en,"search  and seizure",pl,przeszukanie i zajęcie\n',
    )
    glossary = Glossary.load(path)
    assert glossary.terms("en", "pl") == [
        ("search and seizure", "przeszukanie i zajęcie"),
        ("arson", "podpalenie"),
    ]
    assert glossary.terms("pl", "en") == []  # a CSV row has one direction


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "g.csv",
            "source,target\narson,podpalenie\n",
            "missing column(s) source_lang, target_lang",
        ),
        ("g.csv", "source_lang,source,target_lang,target\nen,arson,pl,\n", ":2: every row needs"),
        (
            "g.tbx",
            "<martif><text><body><termEntry><langSet><tig><term>x</term></tig></langSet>"
            "</termEntry></body></text></martif>",
            "without xml:lang",
        ),
        ("g.tbx", "<html/>", "not a TBX glossary"),
        ("g.tbx", "<martif>", "not well-formed"),
        ("g.txt", "x", "give a .tbx or .csv file"),
    ],
)
def test_bad_glossaries_are_refused_in_one_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(UnreadableInput) as caught:
        Glossary.load(write(tmp_path, name, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_tbx_with_entities_is_refused(tmp_path: Path) -> None:
    hostile = '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    hostile += "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&x;</term>"
    hostile += "</tig></langSet></termEntry></body></text></martif>"
    with pytest.raises(HostileInput, match="DOCTYPE"):
        Glossary.load(write(tmp_path, "g.tbx", hostile))


def test_a_tbx_naming_its_dtd_loads(tmp_path: Path) -> None:
    named = TBX_BASIC.replace(
        "<martif", '<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">\n<martif', 1
    )
    assert named != TBX_BASIC
    glossary = Glossary.load(write(tmp_path, "g.tbx", named))
    assert glossary.terms("en", "de")


def test_merged_glossary_prefers_the_other(tmp_path: Path) -> None:
    tbx = Glossary.load(write(tmp_path, "g.tbx", TBX_BASIC))
    csv = Glossary(pairs={("en", "de"): {"Arson": "vorsätzliche Brandstiftung"}})

    def approved(glossary: Glossary) -> dict[str, str]:
        return {source.lower(): target for source, target in glossary.terms("en", "de")}

    assert approved(tbx.merged(csv))["arson"] == "vorsätzliche Brandstiftung"
    assert approved(csv.merged(tbx))["arson"] == "Brandstiftung"
    assert len(approved(tbx.merged(csv))) == 3
    assert approved(tbx)["arson"] == "Brandstiftung"  # merging makes a new glossary


def test_violations_name_the_missing_terms(tmp_path: Path) -> None:
    glossary = Glossary.load(write(tmp_path, "g.tbx", TBX_BASIC))
    source = "The European  Arrest Warrant concerns arson and ARSON."
    good = "Europäischer  Haftbefehl wegen Brandstiftung und BRANDSTIFTUNG."
    assert glossary.violations(source, good, "en", "de") == []
    assert glossary.violations(source, "Der EU-Haftbefehl wegen Brandstiftung.", "en", "de") == [
        'glossary: "European  Arrest Warrant" must be translated as "Europäischer Haftbefehl"',
        'glossary: "arson" must be translated as "Brandstiftung"',
    ]


def test_a_term_two_concepts_translate_differently_is_not_enforced() -> None:
    glossary = Glossary(
        [
            {"de": ("Betrug", ("Betrug",)), "en": ("fraud", ("fraud",))},
            {"de": ("Betrug", ("Betrug",)), "en": ("swindling", ("swindling",))},
            {"de": ("Brandstiftung", ("Brandstiftung",)), "en": ("arson", ("arson",))},
        ]
    )
    assert glossary.terms("de", "en") == [("Brandstiftung", "arson")]
    assert glossary.terms("en", "de") == [
        ("swindling", "Betrug"),
        ("arson", "Brandstiftung"),
        ("fraud", "Betrug"),
    ]


def test_whole_words_only(tmp_path: Path) -> None:
    glossary = Glossary.load(write(tmp_path, "g.tbx", TBX_BASIC))
    assert glossary.matches("arsonist", "en", "de") == []
    assert [m.target_term for m in glossary.matches("Arson.", "en", "de")] == ["Brandstiftung"]


# ---------------------------------------------------------------------------------------------
# The core glossary
# ---------------------------------------------------------------------------------------------
@cache
def generator() -> ModuleType:
    """scripts/gen_core_glossary.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_core_glossary", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_core_glossary_is_what_the_script_generates() -> None:
    committed = CORE.read_bytes().decode() if CORE.is_file() else ""
    expected = generator().build(ROOT).decode()
    if committed != expected:
        diff = difflib.unified_diff(
            committed.splitlines(), expected.splitlines(), "shipped", "generated", lineterm="", n=1
        )
        excerpt = "\n".join(line[:200] for line in list(diff)[:30])
        pytest.fail(f"{CORE.name} is out of date; run `{REGENERATE}`.\n{excerpt}", pytrace=False)


def catalog_terms(lang: str, context: str) -> dict[str, str]:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "interop.po").open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.context == context and m.string and not m.fuzzy
    }


def test_core_glossary_has_every_code_in_every_catalog_language() -> None:
    core = Glossary.core()
    languages = {path.parent.parent.name for path in (ROOT / "locales").glob("*/LC_MESSAGES/*.po")}
    assert core.languages() == languages
    offences = catalog_terms("pl", "ListOffenceCode")
    assert len(offences) == 32
    terms = dict(core.terms("en", "pl"))
    for context in ("InstrumentCode", "MeasureCode", "RoleCode", "ListOffenceCode"):
        expected = catalog_terms("pl", context)
        assert expected
        for english, polish in expected.items():
            # Only phrases are enforced: a one-word name ("arson", "Betrug") is too common a
            # word to force on free text (glossary._phrases_only).
            if len(english.split()) > 1:
                assert terms[english] == polish
            else:
                assert english not in terms
            short_english = generator().short_form(english, english)
            short_polish = generator().short_form(polish, english)
            if short_english and short_polish and len(short_english.split()) > 1:
                assert terms[short_english] == short_polish


def test_core_glossary_is_enforced_through_protection() -> None:
    core = Glossary.core()
    trafficking = dict(core.terms("en", "de"))["trafficking in human beings"]
    protected = protect(
        "Trafficking in human beings in Berlin.",
        known=["Berlin"],
        glossary=core,
        source="en",
        target="de",
    )
    assert protected.text == "ZQ1Z in ZQ2Z."
    restored = restore("ZQ1Z in ZQ2Z.", protected)
    assert restored == f"{trafficking[0].upper()}{trafficking[1:]} in Berlin."


def test_core_glossary_leaves_common_words_alone() -> None:
    core = Glossary.core()
    assert "Betrug" not in dict(core.terms("de", "en"))
    assert "arson" not in dict(core.terms("en", "de"))
    protected = protect(
        "Der Betrug in Berlin.", known=["Berlin"], glossary=core, source="de", target="en"
    )
    assert "Betrug" in protected.text


def test_core_glossary_ships_in_the_package() -> None:
    assert (files("interop.translate") / "data" / "core-glossary.tbx").is_file()
