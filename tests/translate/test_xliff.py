"""XLIFF 1.2 review round trips: export, edit as a CAT tool would, import, provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from interop import xmlio
from interop.errors import UnreadableInput
from interop.translate import inline
from interop.translate.document import TranslateOptions, Translator, pieces
from interop.translate.fields import fields
from interop.translate.memory import Memory
from interop.translate.protect import Protected
from interop.translate.review import ReviewRejected, XliffMismatch, import_xliff
from interop.translate.xliff import XLIFF, export_xliff
from tests.translate.support import EIO, STATUS, FakeEngine, errors, read, selector, versions

X = f"{{{XLIFF}}}"


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Memory]:
    store = Memory(tmp_path / "memory.sqlite")
    yield store
    store.close()


def machine_translated(path: Path, target: str, memory: Memory) -> etree._ElementTree:
    tree = read(path)
    Translator(TranslateOptions(target), memory, select=selector(FakeEngine())).translate(tree)
    return tree


def export(tree: etree._ElementTree, target: str, memory: Memory | None) -> etree._ElementTree:
    data = export_xliff(tree, target, original="doc.xml", memory=memory)
    return xmlio.parse_bytes(data, "doc.xlf")


def units(xliff: etree._ElementTree) -> list[etree._Element]:
    return list(xliff.getroot().iter(f"{X}trans-unit"))


def confirm_all(xliff: etree._ElementTree) -> None:
    """What a reviewer does who accepts every suggestion."""
    for unit in units(xliff):
        unit.find(f"{X}target").set("state", "translated")


def test_export_has_one_unit_per_sentence_with_placeholders_and_suggestions(
    memory: Memory,
) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    root = xliff.getroot()
    assert root.tag == f"{X}xliff" and root.get("version") == "1.2"
    file = root.find(f"{X}file")
    assert (file.get("source-language"), file.get("target-language")) == ("es", "de")
    groups = list(root.iter(f"{X}group"))
    assert [g.get("id") for g in groups] == [f.path for f in fields(tree)]
    sentences = [p for f in fields(tree) for p in pieces(f.original().text, "es") if p.core]
    assert len(units(xliff)) == len(sentences) > 2
    first = units(xliff)[0]
    assert first.get("id") == f"{groups[0].get('id')}#1"
    assert first.get("extradata", "").startswith("sha256:")
    target = first.find(f"{X}target")
    assert target.get("state") == "needs-review-translation"
    assert target.get("state-qualifier") == "mt-suggestion"
    placeholders = list(root.iter(f"{X}x"))
    assert placeholders and all(p.get("ctype") == "x-interop-protected" for p in placeholders)
    assert {"Málaga", "812/2026"} <= {p.get("equiv-text") for p in placeholders}
    # Protected tokens are never plain text in the source a translator edits.
    sources = " ".join("".join(u.find(f"{X}source").itertext()) for u in units(xliff))
    assert "Málaga" not in sources and "812/2026" not in sources


def test_human_translations_are_exported_as_final(memory: Memory) -> None:
    xliff = export(read(EIO), "fr", None)
    states = {
        u.find(f"{X}target").get("state") for u in units(xliff) if len(u.findall(f"{X}target"))
    }
    assert states == {"final"}


def test_accepted_suggestions_become_reviewed_machine_text(memory: Memory, tmp_path: Path) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    confirm_all(xliff)
    report = import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak", memory=memory)
    assert {r.outcome for r in report.fields} == {"reviewed"}
    for text in versions(tree, "de"):
        assert text.get("origin") == "machine"
        assert text.get("engine") == "fake-engine"
        assert text.get("status") == "reviewed"
        assert text.get("reviewedBy") == "Jana Novak"
        assert text.get("reviewedAt")
    assert errors(tree) == []
    assert report.stored == len(units(xliff))
    entry = memory.lookup(report_sentence(tree), "es", "de")
    assert entry is not None and entry.status == "reviewed" and entry.origin == "machine"


def report_sentence(tree: etree._ElementTree) -> str:
    return fields(tree)[0].original().text.split(". ")[0] + "."


def test_an_edited_sentence_makes_a_human_translation_that_keeps_the_trail(
    memory: Memory,
) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    confirm_all(xliff)
    target = units(xliff)[0].find(f"{X}target")
    for child in list(target):
        target.remove(child)
    # Rewritten by the reviewer, keeping the source's placeholders as a CAT tool does.
    source = units(xliff)[0].find(f"{X}source")
    wanted = [x.get("id") for x in source.iter(f"{X}x")]
    target.text = "Die EEA wurde am "
    for number in wanted:
        etree.SubElement(target, f"{X}x", id=number).tail = " "
    target[-1].tail = " anerkannt."
    import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak", memory=memory)
    first, second = versions(tree, "de")
    assert first.text.startswith("Die EEA wurde am ")
    assert first.get("origin") == "human"
    assert first.get("translator") == "Jana Novak"
    assert first.get("engine") == "fake-engine"  # post-edited machine output, on record
    assert first.get("status") == "reviewed"
    assert second.get("origin") == "machine"  # the other field was only confirmed
    assert errors(tree) == []
    entry = memory.lookup(report_sentence(tree), "es", "de")
    assert entry is not None and entry.origin == "human" and entry.reviewed_by == "Jana Novak"


def test_reviewed_human_translations_stay_and_an_edit_names_both_people(memory: Memory) -> None:
    tree = read(EIO)
    before = {t.get("reviewedBy") for t in versions(tree, "fr")}
    xliff = export(tree, "fr", None)
    report = import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak")
    assert {r.outcome for r in report.fields} == {"unchanged"}
    assert {t.get("reviewedBy") for t in versions(tree, "fr")} == before
    unit = next(u for u in units(xliff) if u.find(f"{X}target") is not None)
    target = unit.find(f"{X}target")
    target.text = "Vu l'urgence, " + (target.text or "")
    import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak")
    group = unit.getparent().get("id")
    edited = next(f for f in fields(tree) if f.path == group).version("fr")
    assert edited.text.startswith("Vu l'urgence, ")
    assert edited.get("origin") == "human"
    assert edited.get("translator") == (
        "Sabine Keßler, allgemein beeidigte Übersetzerin (LG Frankfurt am Main); Jana Novak"
    )
    assert edited.get("reviewedBy") == "Jana Novak"
    assert errors(tree) == []


def test_unreviewed_units_leave_the_field_as_it_was(memory: Memory) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    report = import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak", memory=memory)
    assert {r.outcome for r in report.fields} == {"incomplete"}
    assert {t.get("status") for t in versions(tree, "de")} == {"unreviewed"}


def test_a_target_that_loses_a_placeholder_is_rejected(memory: Memory) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    confirm_all(xliff)
    unit = next(u for u in units(xliff) if u.find(f"{X}target").find(f"{X}x") is not None)
    target = unit.find(f"{X}target")
    target.remove(target.find(f"{X}x"))
    with pytest.raises(ReviewRejected, match="placeholders") as caught:
        import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak", memory=memory)
    assert caught.value.exit_code == 1
    assert {t.get("status") for t in versions(tree, "de")} == {"unreviewed"}


def test_a_changed_source_or_unknown_unit_is_refused(memory: Memory) -> None:
    tree = machine_translated(STATUS, "de", memory)
    xliff = export(tree, "de", memory)
    fields(tree)[0].original().text = "Otro texto."
    with pytest.raises(XliffMismatch, match="export again") as caught:
        import_xliff(tree, xliff, name="doc.xlf", reviewer="Jana Novak")
    assert caught.value.exit_code == 2
    other = export(machine_translated(STATUS, "de", memory), "de", memory)
    units(other)[0].set("id", "/n:statusUpdate/n:nothing#1")
    with pytest.raises(XliffMismatch, match="names no sentence"):
        import_xliff(read(STATUS), other, name="doc.xlf", reviewer="Jana Novak")


def test_not_xliff_is_unreadable() -> None:
    with pytest.raises(UnreadableInput, match=r"XLIFF 1\.2"):
        import_xliff(read(STATUS), read(EIO), name="x.xlf", reviewer="Jana Novak")


@given(
    st.lists(st.one_of(st.text(alphabet="abc äß.,ZQ1", max_size=6), st.integers(1, 4)), max_size=8)
)
def test_inline_round_trip(parts: list[str | int]) -> None:
    """Whatever the placeholders stand for, text -> inline -> text gives the text back."""
    tokens = {1: "Müller", 2: "HRB 1234", 3: "Art. 7(2)", 4: "7"}
    text = "".join(tokens[p] if isinstance(p, int) else p for p in parts)
    assert inline.resolve(inline.text_inline(text, tokens), tokens) == text
    element = etree.Element(f"{X}target")
    inline.fill(element, inline.text_inline(text, tokens), tokens)
    assert inline.resolve(inline.read_inline(element), tokens) == text


def test_source_inline_numbers_tokens_in_order() -> None:
    protected = Protected("Herr ZQ1Z zahlte ZQ2Z an ZQ1Z.", {"ZQ1Z": "Müller", "ZQ2Z": "5 EUR"})
    assert inline.source_inline(protected) == ["Herr ", 1, " zahlte ", 2, " an ", 1, "."]
    assert inline.tokens_by_id(protected) == {1: "Müller", 2: "5 EUR"}
