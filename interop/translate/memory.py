"""Translation memory: segments already translated, with their provenance, in SQLite.

A segment translated once is reused; a human translation always wins over a machine one, a
reviewed one over an unreviewed one, and among equals the newest. Entries are keyed by the
language pair, the source segment (whitespace-normalised, hashed) and the provenance (origin,
status, engine, model, version, reviewer): storing the same provenance again replaces the
target, a different provenance adds an entry, so a reviewed human translation never erases
the machine output it corrected.

The database uses WAL, so one process can read while another writes, and a busy timeout, so
two writers wait for each other instead of failing. TMX 1.4b import and export carry the
provenance as ``<prop type="x-interop-...">``; TMX is read only through :mod:`interop.xmlio`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from lxml import etree

from interop import __version__ as _version
from interop.errors import UnreadableInput, UsageError
from interop.xmlio import parse_file, serialize, write_atomic

SCHEMA_VERSION: Final = 1
ORIGINS: Final = ("machine", "human")
STATUSES: Final = ("unreviewed", "reviewed")
_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_PROP: Final = "x-interop-"
# Provenance fields carried as TMX <prop type="x-interop-NAME">.
_PROPS: Final = ("origin", "status", "engine", "model", "model-version", "reviewed-by")

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS segment (
    id            INTEGER PRIMARY KEY,
    source_lang   TEXT NOT NULL,
    target_lang   TEXT NOT NULL,
    source_hash   TEXT NOT NULL,  -- sha256 of the whitespace-normalised source text
    source_text   TEXT NOT NULL,
    target_text   TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('machine', 'human')),
    status        TEXT NOT NULL CHECK (status IN ('unreviewed', 'reviewed')),
    rank          INTEGER NOT NULL,  -- 0 human reviewed, 1 human, 2 machine reviewed, 3 machine
    engine        TEXT NOT NULL DEFAULT '',  -- '' for none: NULLs would defeat UNIQUE
    model         TEXT NOT NULL DEFAULT '',
    model_version TEXT NOT NULL DEFAULT '',
    reviewed_by   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,  -- ISO 8601 UTC, when the translation was made
    updated_at    TEXT NOT NULL,  -- when it was last stored here
    UNIQUE (source_lang, target_lang, source_hash, origin, status,
            engine, model, model_version, reviewed_by)
);
CREATE INDEX IF NOT EXISTS segment_lookup
    ON segment (source_lang, target_lang, source_hash, rank, created_at DESC);
"""


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    """One translated segment and where it came from."""

    source_text: str
    target_text: str
    source: str
    target: str
    origin: str  # "machine" | "human"
    status: str  # "unreviewed" | "reviewed"
    engine: str | None
    model: str | None
    model_version: str | None
    reviewed_by: str | None
    created_at: str  # ISO 8601 UTC


def default_path() -> Path:
    """``$INTEROP_TM``, else ``$XDG_DATA_HOME/interop/memory.sqlite`` (~/.local/share)."""
    configured = os.environ.get("INTEROP_TM")
    if configured:
        return Path(configured)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "interop" / "memory.sqlite"


def now() -> str:
    """The current time as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Memory:
    """A translation memory in one SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        """Open (and create) the memory at ``path``, by default :func:`default_path`.

        Raises:
            UnreadableInput: the file is not a translation memory or cannot be opened.
        """
        self.path = path if path is not None else default_path()
        name = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: every store is its own short transaction, so writers hold the lock
            # only for a moment; imports open an explicit transaction.
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UnreadableInput(
                    name, f"translation memory of a newer version ({version}); upgrade interop"
                )
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise UnreadableInput(
                name, f"not a translation memory ({exc}); give another --tm file"
            ) from None
        except OSError as exc:
            raise UnreadableInput(name, f"cannot open the translation memory: {exc}") from None

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, source_text: str, source: str, target: str) -> MemoryEntry | None:
        """The best translation of ``source_text``: human reviewed > human > machine reviewed >
        machine, the newest among equals; None if the segment was never translated."""
        row = self._db.execute(
            _SELECT + " WHERE source_lang = ? AND target_lang = ? AND source_hash = ? "
            "ORDER BY rank, created_at DESC, id DESC LIMIT 1",
            (_lang(source), _lang(target), _hash(source_text)),
        ).fetchone()
        return _entry(row) if row else None

    def store(self, entry: MemoryEntry) -> None:
        """Add a translation, or replace the one with the same provenance.

        Raises:
            UsageError: an origin or status we do not know.
        """
        self._db.execute(_UPSERT, _row(entry))

    def entries(self) -> list[MemoryEntry]:
        """Every entry, in the order stored."""
        rows = self._db.execute(_SELECT + " ORDER BY id").fetchall()
        return [_entry(row) for row in rows]

    def import_tmx(self, path: Path) -> int:
        """Store every translation unit of a TMX file; returns how many entries were stored.

        Provenance comes from our ``x-interop-*`` props; a unit without them is taken as an
        unreviewed human translation (what a CAT tool's memory holds).

        Raises:
            UnreadableInput: unreadable, malformed, hostile (DOCTYPE, entities) or not TMX.
        """
        entries = _read_tmx(path)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(_UPSERT, [_row(entry) for entry in entries])
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return len(entries)

    def export_tmx(self, path: Path) -> int:
        """Write every entry to a TMX 1.4b file (atomically); returns how many were written."""
        entries = self.entries()
        write_atomic(path, serialize(_tmx(entries)))
        return len(entries)


_SELECT: Final = (
    "SELECT source_text, target_text, source_lang, target_lang, origin, status, engine, model, "
    "model_version, reviewed_by, created_at FROM segment"
)
_UPSERT: Final = """
INSERT INTO segment (source_lang, target_lang, source_hash, source_text, target_text, origin,
                     status, rank, engine, model, model_version, reviewed_by, created_at,
                     updated_at)
VALUES (:source_lang, :target_lang, :source_hash, :source_text, :target_text, :origin, :status,
        :rank, :engine, :model, :model_version, :reviewed_by, :created_at, :updated_at)
ON CONFLICT (source_lang, target_lang, source_hash, origin, status, engine, model,
             model_version, reviewed_by)
DO UPDATE SET source_text = excluded.source_text, target_text = excluded.target_text,
              created_at = excluded.created_at, updated_at = excluded.updated_at
"""


def _lang(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def _hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _rank(origin: str, status: str) -> int:
    return (0 if origin == "human" else 2) + (0 if status == "reviewed" else 1)


def _row(entry: MemoryEntry) -> dict[str, object]:
    if entry.origin not in ORIGINS:
        raise UsageError(f"origin must be one of {', '.join(ORIGINS)}, not {entry.origin!r}")
    if entry.status not in STATUSES:
        raise UsageError(f"status must be one of {', '.join(STATUSES)}, not {entry.status!r}")
    return {
        "source_lang": _lang(entry.source),
        "target_lang": _lang(entry.target),
        "source_hash": _hash(entry.source_text),
        "source_text": entry.source_text,
        "target_text": entry.target_text,
        "origin": entry.origin,
        "status": entry.status,
        "rank": _rank(entry.origin, entry.status),
        "engine": entry.engine or "",
        "model": entry.model or "",
        "model_version": entry.model_version or "",
        "reviewed_by": entry.reviewed_by or "",
        "created_at": entry.created_at,
        "updated_at": now(),
    }


def _entry(row: tuple[str, ...]) -> MemoryEntry:
    source_text, target_text, source, target, origin, status, *rest = row
    engine, model, model_version, reviewed_by, created_at = rest
    return MemoryEntry(
        source_text=source_text,
        target_text=target_text,
        source=source,
        target=target,
        origin=origin,
        status=status,
        engine=engine or None,
        model=model or None,
        model_version=model_version or None,
        reviewed_by=reviewed_by or None,
        created_at=created_at,
    )


# ----------------------------------------------------------------------------------------------
# TMX 1.4b
# ----------------------------------------------------------------------------------------------
def _tmx_date(iso: str) -> str:
    """ISO 8601 UTC -> TMX's YYYYMMDDThhmmssZ."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _iso_date(tmx: str | None) -> str | None:
    """TMX's YYYYMMDDThhmmssZ -> ISO 8601 UTC (None when absent or malformed)."""
    if not tmx:
        return None
    try:
        moment = datetime.strptime(tmx, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _tmx(entries: list[MemoryEntry]) -> etree._Element:
    sources = {entry.source for entry in entries}
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "interop",
            "creationtoolversion": _version,
            "segtype": "sentence",
            "o-tmf": "interop-sqlite",
            "adminlang": "en",
            "srclang": sources.pop() if len(sources) == 1 else "*all*",
            "datatype": "plaintext",
            "creationdate": _tmx_date(now()),
        },
    )
    body = etree.SubElement(root, "body")
    for entry in entries:
        unit = etree.SubElement(body, "tu", srclang=entry.source)
        if date := _tmx_date(entry.created_at):
            unit.set("creationdate", date)
        values = (
            entry.origin,
            entry.status,
            entry.engine,
            entry.model,
            entry.model_version,
            entry.reviewed_by,
        )
        for name, value in zip(_PROPS, values, strict=True):
            if value:
                etree.SubElement(unit, "prop", type=_PROP + name).text = value
        for lang, text in ((entry.source, entry.source_text), (entry.target, entry.target_text)):
            variant = etree.SubElement(unit, "tuv", {_XML_LANG: lang})
            etree.SubElement(variant, "seg").text = text
    etree.indent(root, space=" ")
    return root


def _read_tmx(path: Path) -> list[MemoryEntry]:
    name = str(path)
    # CAT tools write <!DOCTYPE tmx SYSTEM "tmx14.dtd">: accepted, never loaded.
    root = parse_file(path, external_doctype=True).getroot()
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag != "tmx":
        raise UnreadableInput(name, f"not a TMX file (root element <{tag}>, expected <tmx>)")
    header = root.find("header")
    default_source = header.get("srclang") if header is not None else None
    entries: list[MemoryEntry] = []
    for unit in root.iterfind("body/tu"):
        entries.extend(_unit_entries(unit, default_source, name))
    return entries


def _unit_entries(unit: etree._Element, default_source: str | None, name: str) -> list[MemoryEntry]:
    props = {
        prop.get("type", "")[len(_PROP) :]: (prop.text or "").strip()
        for prop in unit.iterfind("prop")
        if prop.get("type", "").startswith(_PROP)
    }
    variants: dict[str, str] = {}
    for variant in unit.iterfind("tuv"):
        lang = variant.get(_XML_LANG) or variant.get("lang")
        seg = variant.find("seg")
        if not lang or seg is None:
            raise UnreadableInput(name, "<tuv> without xml:lang or <seg>", variant.sourceline)
        variants[_lang(lang)] = _seg_text(seg)
    if not variants:
        return []
    source = _lang(unit.get("srclang") or default_source or "")
    if source in {"", "*all*"}:
        source = next(iter(variants))  # TMX: with "*all*" any variant may be the source
    if source not in variants:
        return []  # the unit has no text in its source language: nothing to reuse
    origin = props.get("origin") or "human"
    status = props.get("status") or "unreviewed"
    if origin not in ORIGINS or status not in STATUSES:
        raise UnreadableInput(
            name,
            f"unknown x-interop-origin {origin!r} or x-interop-status {status!r}",
            unit.sourceline,
        )
    created = _iso_date(unit.get("changedate") or unit.get("creationdate")) or now()
    return [
        MemoryEntry(
            source_text=variants[source],
            target_text=text,
            source=source,
            target=lang,
            origin=origin,
            status=status,
            engine=props.get("engine") or None,
            model=props.get("model") or None,
            model_version=props.get("model-version") or None,
            reviewed_by=props.get("reviewed-by") or None,
            created_at=created,
        )
        for lang, text in variants.items()
        if lang != source
    ]


def _seg_text(seg: etree._Element) -> str:
    """The text of a <seg>: inline codes (bpt, ept, ph, it, ut) are native markup, not text."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag in {"hi", "sub"}:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
