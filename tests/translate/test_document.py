"""Translating a common document: fields, protection, memory, provenance, validity."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from interop.translate import models
from interop.translate.document import (
    Outcome,
    TranslateOptions,
    Translator,
    pieces,
    provenance,
)
from interop.translate.engine import EngineError, EngineInfo
from interop.translate.engines.argos import ArgosEngine
from interop.translate.fields import fields, known_names
from interop.translate.glossary import Glossary
from interop.translate.memory import Memory, MemoryEntry
from tests.conftest import EXAMPLES
from tests.translate.support import (
    EIO,
    STATUS,
    TEXT,
    FakeEngine,
    LosingEngine,
    apertium_pair,
    errors,
    no_engine,
    read,
    selector,
    versions,
)


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    store = Memory(tmp_path / "memory.sqlite")
    yield store
    store.close()


def translate(tree, target, memory, engine=None, **options):  # type: ignore[no-untyped-def]
    engine = engine or FakeEngine()
    translator = Translator(TranslateOptions(target, **options), memory, select=selector(engine))
    return translator.translate(tree)


def test_fields_come_from_the_schema_markers() -> None:
    tree = read(EIO)
    found = fields(tree)
    # Every c:text of the example belongs to a marked field, and nothing else is a field.
    assert sum(len(f.element) for f in found) == len(list(tree.getroot().iter(TEXT)))
    assert found[0].path == "/r:evidenceRequest/r:urgency/r:reason"
    assert "/r:evidenceRequest/r:measures/r:measure[2]/r:description" in [f.path for f in found]


def test_known_names_hold_parties_authorities_and_places() -> None:
    names = known_names(read(EIO))
    assert "Müller-Lüdenscheidt" in names
    assert "Zoë Marlene Müller-Lüdenscheidt" in names
    assert "Staatsanwaltschaft Frankfurt am Main" in names
    assert names == sorted(names, key=lambda n: (-len(n), n))


def test_every_field_gets_a_machine_translation_with_provenance(memory: Memory) -> None:
    tree = read(EIO)
    originals = [t.text for t in tree.getroot().iter(TEXT) if t.get("origin") == "original"]
    engine = FakeEngine()
    report = translate(tree, "es", memory, engine)
    added = versions(tree, "es")
    assert report.count(Outcome.TRANSLATED) == len(added) == len(fields(tree))
    assert len(engine.calls) == 1  # one batch for the whole document and language pair
    for text in added:
        assert text.get("origin") == "machine"
        assert text.get("status") == "unreviewed"
        assert text.get("engine") == "fake-engine"
        assert text.get("model") == "fake-de_es"
        assert text.get("modelVersion") == "1.0"
        assert text.get("translatedAt", "").endswith("+00:00")
        # Placed right after the field's other versions, never instead of them.
        assert text.getprevious().tag == TEXT
    after = [t.text for t in tree.getroot().iter(TEXT) if t.get("origin") == "original"]
    assert after == originals
    assert errors(tree) == []


def test_names_numbers_and_references_reach_the_engine_as_placeholders(memory: Memory) -> None:
    tree = read(EIO)
    engine = FakeEngine()
    translate(tree, "es", memory, engine)
    sent = " ".join(s for _, _, batch in engine.calls for s in batch)
    assert "Müller-Lüdenscheidt" not in sent
    assert "Rheinufer Solar Invest" not in sent
    assert "§ 24c KWG" not in sent and "10.000 EUR" not in sent
    spanish = " ".join(t.text for t in versions(tree, "es"))
    # The fake engine upper-cases what it gets; protected tokens come back as they were.
    assert "Müller-Lüdenscheidt" in spanish
    assert "Rheinufer Solar Invest" in spanish
    assert "10.000 EUR" in spanish


def test_documents_translated_together_share_one_call_and_repeated_sentences(
    memory: Memory,
) -> None:
    engine = FakeEngine()
    translator = Translator(TranslateOptions("de"), memory, select=selector(engine))
    first, second = read(STATUS), read(STATUS)
    reports = translator.translate_many([first, second])
    assert [r.count(Outcome.TRANSLATED) for r in reports] == [2, 2]
    assert len(engine.calls) == 1
    sentences = [p.core for f in fields(first) for p in pieces(f.original().text, "es") if p.core]
    assert len(engine.calls[0][2]) == len(sentences)  # each sentence once, not twice
    assert [t.text for t in versions(first, "de")] == [t.text for t in versions(second, "de")]


def test_existing_translations_are_kept_and_human_ones_never_replaced(memory: Memory) -> None:
    tree = read(EIO)
    before = [copy.deepcopy(t) for t in versions(tree, "fr")]
    report = translate(tree, "fr", memory, force=True)
    assert report.count(Outcome.TRANSLATED) == 0
    assert {f.reason for f in report.fields} == {"a human translation exists"}
    assert [t.text for t in versions(tree, "fr")] == [t.text for t in before]


def test_force_replaces_only_unreviewed_machine_text(memory: Memory) -> None:
    tree = read(STATUS)
    kept = translate(tree, "en", memory)
    assert kept.count(Outcome.KEPT) == 2
    assert all(t.get("engine") == "argos-translate" for t in versions(tree, "en"))
    replaced = translate(tree, "en", memory, force=True)
    assert replaced.count(Outcome.TRANSLATED) == 2
    english = versions(tree, "en")
    assert len(english) == 2  # replaced in place: still one version per language
    assert all(t.get("engine") == "fake-engine" for t in english)
    assert errors(tree) == []


def test_a_second_run_comes_from_the_memory_without_an_engine(memory: Memory) -> None:
    first = read(STATUS)
    translate(first, "de", memory)
    second = read(STATUS)
    translator = Translator(TranslateOptions("de"), memory, select=no_engine)
    report = translator.translate(second)
    assert report.count(Outcome.FROM_MEMORY) == 2
    assert [t.text for t in versions(second, "de")] == [t.text for t in versions(first, "de")]
    assert all(t.get("engine") == "fake-engine" for t in versions(second, "de"))


def test_a_reviewed_human_sentence_in_the_memory_wins(memory: Memory) -> None:
    tree = read(STATUS)
    field = fields(tree)[0]
    source = field.original().text
    first = source.split(". ")[0] + "."
    memory.store(_human_entry(first, "Die EEA wurde am 12. März 2026 anerkannt.", "es", "de"))
    report = translate(tree, "de", memory)
    text = field.version("de")
    assert text.text.startswith("Die EEA wurde am 12. März 2026 anerkannt. ")
    # One sentence from a person, the others from the machine: the field is machine text.
    assert text.get("origin") == "machine" and text.get("status") == "unreviewed"
    assert report.fields[0].from_memory == 1
    assert errors(tree) == []


def test_a_field_made_only_of_reviewed_human_sentences_is_a_human_translation(
    memory: Memory,
) -> None:
    tree = read(STATUS)
    fields_ = fields(tree)
    for text in [f.original().text for f in fields_]:
        for piece in pieces(text, "es"):
            memory.store(_human_entry(piece.core, f"DE: {piece.core}", "es", "de"))
    report = Translator(TranslateOptions("de"), memory, select=no_engine).translate(tree)
    assert report.count(Outcome.FROM_MEMORY) == 2
    for text in versions(tree, "de"):
        assert text.get("origin") == "human"
        assert text.get("status") == "reviewed"
        assert text.get("translator") == "Ana Ruiz"
        assert text.get("reviewedBy") == "Ana Ruiz"
        assert text.get("engine") is None
    assert errors(tree) == []


def test_glossary_terms_are_enforced_and_misses_reported(memory: Memory) -> None:
    glossary = Glossary(pairs={("es", "de"): {"registros": "Durchsuchungen"}})
    tree = read(STATUS)
    field = fields(tree)[1]
    second = [p.core for p in pieces(field.original().text, "es")][1]
    assert "registros" in second
    # A sentence from the memory that does not use the approved term.
    memory.store(_human_entry(second, "Beide Suchen sind gleichzeitig vorzunehmen.", "es", "de"))
    engine = FakeEngine()
    report = Translator(
        TranslateOptions("de"), memory, glossary=glossary, select=selector(engine)
    ).translate(tree)
    sent = " ".join(s for _, _, batch in engine.calls for s in batch)
    assert "registros" not in sent  # the term went as a placeholder...
    assert "Durchsuchungen" in field.version("de").text  # ...and came back approved
    assert report.violations == [
        (field.path, 'glossary: "registros" must be translated as "Durchsuchungen"')
    ]


def test_a_lost_token_leaves_the_field_untranslated_with_the_reason(memory: Memory) -> None:
    tree = read(STATUS)
    report = translate(tree, "de", memory, LosingEngine())
    assert report.count(Outcome.FLAGGED) == 2
    assert all("lost" in f.reason for f in report.flagged)
    assert versions(tree, "de") == []
    assert errors(tree) == []


def test_a_missing_pair_changes_nothing(memory: Memory) -> None:
    tree = read(STATUS)
    translator = Translator(TranslateOptions("de"), memory, select=no_engine)
    with pytest.raises(EngineError, match="install"):
        translator.translate(tree)
    assert versions(tree, "de") == []


def test_same_language_is_kept(memory: Memory) -> None:
    report = translate(read(STATUS), "es", memory)
    assert {f.reason for f in report.fields} == {"the original is in es"}


def test_provenance_of_mixed_sources_is_honest() -> None:
    now = "2026-11-27T10:00:00+00:00"
    human = _human_entry("a", "b", "es", "de")
    machine = MemoryEntry(
        "c", "d", "es", "de", "machine", "reviewed", "apertium", "x", "1", "Bo", now
    )
    fresh = EngineInfo("argos-translate", "translate-es_de", "1.9")
    assert provenance([human], now)["origin"] == "human"
    both = provenance([human, machine], now)
    assert both["origin"] == "machine" and both["status"] == "reviewed"
    assert both["reviewedBy"] == "Ana Ruiz; Bo" and both["engine"] == "apertium"
    mixed = provenance([machine, fresh], now)
    assert mixed["status"] == "unreviewed" and "reviewedBy" not in mixed
    assert mixed["engine"] == "apertium + argos-translate"
    assert mixed["translatedAt"] == now


@pytest.mark.skipif(not apertium_pair("es-fr"), reason="apertium-fr-es is installed by setup")
def test_real_apertium_translates_and_keeps_names(memory: Memory) -> None:
    tree = read(STATUS)
    translator = Translator(TranslateOptions("fr", engine="apertium"), memory)
    report = translator.translate(tree)
    assert report.count(Outcome.TRANSLATED) == 2
    french = versions(tree, "fr")
    assert all(t.get("engine") == "apertium" for t in french)
    joined = " ".join(t.text for t in french)
    assert "Wiśniewski" in joined and "812/2026" in joined
    assert "Guardia Civil" in joined or "Málaga" in joined
    assert errors(tree) == []


def test_real_argos_engine_on_the_copy_model(
    copy_model_file: Path, model_store: Path, memory: Memory
) -> None:
    """The whole Argos path (SentencePiece, CTranslate2, restoration) on a model that copies."""
    models.install(copy_model_file)
    engine = ArgosEngine(store=model_store)
    tree = read(EXAMPLES / "notification" / "decision-executed-evidence.xml")
    options = TranslateOptions("en", force=True)
    report = Translator(options, memory, select=lambda s, t: engine).translate(tree)
    assert report.count(Outcome.FLAGGED) == 0
    translated = [f for f in report.fields if f.outcome is Outcome.TRANSLATED]
    assert translated
    for result in translated:
        field = next(f for f in fields(tree) if f.path == result.path)
        text = field.version("en")
        assert text.get("engine") == "argos-translate"
        assert text.get("model") == "translate-de_en"
        # A copying model gives the original back, protected tokens included.
        assert text.text == field.original().text
    assert errors(tree) == []


def _human_entry(source_text: str, target_text: str, source: str, target: str) -> MemoryEntry:
    return MemoryEntry(
        source_text=source_text,
        target_text=target_text,
        source=source,
        target=target,
        origin="human",
        status="reviewed",
        engine=None,
        model=None,
        model_version=None,
        reviewed_by="Ana Ruiz",
        created_at="2026-11-01T09:00:00+00:00",
    )
