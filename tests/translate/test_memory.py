"""Translation memory: the best translation wins, TMX round trips, hostile TMX is refused."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from interop.errors import HostileInput, UnreadableInput, UsageError
from interop.translate.memory import Memory, MemoryEntry, default_path
from interop.xmlio import parse_file

SOURCE = "Der Beschuldigte wurde festgenommen."


def entry(
    target: str, origin: str = "machine", status: str = "unreviewed", **kw: str
) -> MemoryEntry:
    values: dict[str, str | None] = {
        "engine": "apertium" if origin == "machine" else None,
        "model": "apertium-deu-eng" if origin == "machine" else None,
        "model_version": "1.0" if origin == "machine" else None,
        "reviewed_by": "A. Reviewer" if status == "reviewed" else None,
        "created_at": "2026-03-24T10:00:00Z",
    }
    values.update(kw)
    return MemoryEntry(
        source_text=SOURCE,
        target_text=target,
        source="de",
        target="en",
        origin=origin,
        status=status,
        engine=values["engine"],
        model=values["model"],
        model_version=values["model_version"],
        reviewed_by=values["reviewed_by"],
        created_at=values["created_at"] or "",
    )


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    opened = Memory(tmp_path / "tm.sqlite")
    yield opened  # type: ignore[misc]
    opened.close()


def test_unknown_segment(memory: Memory) -> None:
    assert memory.lookup(SOURCE, "de", "en") is None


def test_human_beats_machine_even_when_older(memory: Memory) -> None:
    memory.store(entry("The accused was arrested.", "human", created_at="2020-01-01T00:00:00Z"))
    memory.store(entry("The suspect was arrested.", "machine", created_at="2026-01-01T00:00:00Z"))
    found = memory.lookup(SOURCE, "de", "en")
    assert found is not None
    assert (found.origin, found.target_text) == ("human", "The accused was arrested.")


def test_reviewed_beats_unreviewed(memory: Memory) -> None:
    memory.store(
        entry("Machine, reviewed.", "machine", "reviewed", created_at="2020-01-01T00:00:00Z")
    )
    memory.store(entry("Machine, newer.", "machine", created_at="2026-01-01T00:00:00Z"))
    assert memory.lookup(SOURCE, "de", "en").target_text == "Machine, reviewed."  # type: ignore[union-attr]
    memory.store(entry("Human.", "human"))
    assert memory.lookup(SOURCE, "de", "en").target_text == "Human."  # type: ignore[union-attr]
    memory.store(entry("Human, reviewed.", "human", "reviewed", created_at="2019-01-01T00:00:00Z"))
    best = memory.lookup(SOURCE, "de", "en")
    assert best is not None
    assert (best.target_text, best.reviewed_by) == ("Human, reviewed.", "A. Reviewer")


def test_newest_among_equals(memory: Memory) -> None:
    memory.store(entry("Old.", "human", created_at="2020-01-01T00:00:00Z"))
    memory.store(entry("New.", "human", created_at="2026-01-01T00:00:00Z", reviewed_by="B"))
    assert memory.lookup(SOURCE, "de", "en").target_text == "New."  # type: ignore[union-attr]


def test_store_replaces_the_same_provenance_and_keeps_others(memory: Memory) -> None:
    memory.store(entry("First."))
    memory.store(entry("Second."))
    memory.store(entry("Other model.", model="apertium-deu-eng-2"))
    assert sorted(e.target_text for e in memory.entries()) == ["Other model.", "Second."]


def test_lookup_ignores_whitespace_differences_and_language_regions(memory: Memory) -> None:
    memory.store(entry("The accused was arrested."))
    found = memory.lookup("  Der Beschuldigte\nwurde  festgenommen. ", "de-DE", "en_GB")
    assert found is not None
    assert found.target_text == "The accused was arrested."
    assert memory.lookup(SOURCE, "de", "fr") is None


def test_unknown_origin_or_status_is_refused(memory: Memory) -> None:
    with pytest.raises(UsageError, match="origin"):
        memory.store(entry("x", "robot"))
    with pytest.raises(UsageError, match="status"):
        memory.store(entry("x", "human", "approved"))


def test_tmx_round_trip(memory: Memory, tmp_path: Path) -> None:
    memory.store(entry("Machine.", created_at="2026-03-24T10:00:00Z"))
    memory.store(
        entry("Human & <reviewed>.", "human", "reviewed", created_at="2026-03-25T11:30:00Z")
    )
    memory.store(
        dataclasses.replace(
            entry("Zeuge", "human"), source_text="witness", source="en", target="de"
        )
    )
    tmx = tmp_path / "out.tmx"
    assert memory.export_tmx(tmx) == 3

    root = parse_file(tmx).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4"
    assert header is not None
    for attribute in ("creationtool", "srclang", "adminlang", "segtype", "o-tmf", "datatype"):
        assert header.get(attribute), attribute
    assert header.get("srclang") == "*all*"
    assert header.get("segtype") == "sentence"
    props = {p.get("type"): p.text for p in root.iterfind("body/tu[1]/prop")}
    assert props["x-interop-origin"] == "machine"
    assert props["x-interop-engine"] == "apertium"

    again = Memory(tmp_path / "again.sqlite")
    try:
        assert again.import_tmx(tmx) == 3
        assert sorted(map(repr, again.entries())) == sorted(map(repr, memory.entries()))
    finally:
        again.close()


def test_tmx_from_a_cat_tool_is_human_unreviewed(memory: Memory, tmp_path: Path) -> None:
    tmx = tmp_path / "cat.tmx"
    tmx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="CAT" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en-US" srclang="de-DE" datatype="plaintext"/>
<body>
 <tu changedate="20260301T120000Z">
  <tuv xml:lang="de-DE"><seg>Der <bpt i="1">&lt;b&gt;</bpt>Zeuge<ept i="1">&lt;/b&gt;</ept>
 sagte aus.</seg></tuv>
  <tuv xml:lang="en-GB"><seg>The <hi>witness</hi> testified.</seg></tuv>
  <tuv xml:lang="pl-PL"><seg>Świadek zeznał.</seg></tuv>
 </tu>
 <tu><tuv xml:lang="fr"><seg>Pas de source.</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    assert memory.import_tmx(tmx) == 2
    found = memory.lookup("Der Zeuge sagte aus.", "de", "en")
    assert found is not None
    assert (found.target_text, found.origin, found.status) == (
        "The witness testified.",
        "human",
        "unreviewed",
    )
    assert found.created_at == "2026-03-01T12:00:00Z"
    assert memory.lookup("Der Zeuge sagte aus.", "de", "pl") is not None


@pytest.mark.parametrize(
    ("prolog", "message"),
    [
        ('<!DOCTYPE tmx SYSTEM "tmx14.dtd">', "entity reference &x; is refused"),
        ('<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "DOCTYPE"),
        ('<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>', "DOCTYPE"),
        ('<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ENTITY x "y">]>', "DOCTYPE"),
    ],
)
def test_tmx_with_entities_is_refused(
    memory: Memory, tmp_path: Path, prolog: str, message: str
) -> None:
    tmx = tmp_path / "hostile.tmx"
    tmx.write_text(
        f'<?xml version="1.0"?>\n{prolog}\n<tmx version="1.4"><header srclang="de"/><body>'
        '<tu><tuv xml:lang="de"><seg>a</seg></tuv><tuv xml:lang="en"><seg>&x;</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    with pytest.raises(HostileInput, match=message):
        memory.import_tmx(tmx)
    assert memory.entries() == []


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        "<!DOCTYPE tmx PUBLIC '-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN' "
        "'tmx14.dtd'>",
    ],
)
def test_tmx_naming_its_dtd_as_cat_tools_write_it_imports(
    memory: Memory, tmp_path: Path, prolog: str
) -> None:
    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(
        f'<?xml version="1.0"?>\n{prolog}\n<tmx version="1.4"><header srclang="de"/><body>'
        '<tu><tuv xml:lang="de"><seg>Haftbefehl</seg></tuv><tuv xml:lang="en"><seg>arrest '
        "warrant</seg></tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    memory.import_tmx(tmx)
    assert [(e.source_text, e.target_text) for e in memory.entries()] == [
        ("Haftbefehl", "arrest warrant")
    ]


def test_not_a_tmx_is_refused(memory: Memory, tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_text("<xliff/>", encoding="utf-8")
    with pytest.raises(UnreadableInput, match=r"not a TMX file \(root element <xliff>"):
        memory.import_tmx(path)


def test_concurrent_store_from_two_connections(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    Memory(path).close()
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        memory = Memory(path)
        try:
            for number in range(100):
                memory.store(
                    dataclasses.replace(
                        entry(f"{name} {number}"), source_text=f"Satz {name} {number}."
                    )
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            memory.close()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    memory = Memory(path)
    try:
        assert len(memory.entries()) == 200
        assert memory.lookup("Satz b 99.", "de", "en").target_text == "b 99"  # type: ignore[union-attr]
        assert memory._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        memory.close()


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(UnreadableInput, match="not a translation memory"):
        Memory(path)


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INTEROP_TM", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("INTEROP_TM")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "interop" / "memory.sqlite"
