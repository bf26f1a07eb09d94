"""Evidence folders and build options for the tests of build, verify, custody and the CLI."""

from __future__ import annotations

import hashlib
from pathlib import Path

from interop.evidence.build import BuildOptions, SeizureFacts
from interop.evidence.hashing import Algorithm
from interop.evidence.manifest import (
    Authority,
    Holder,
    LegalBasis,
    Place,
    Reference,
    utc_instant,
)

SEIZED_BY = "Katrin Vogel;Kriminalhauptkommissarin;Landeskriminalamt Berlin;DE"
SEIZURE_ARGS = (
    "--case", "276 Js 1234/26",
    "--compiled-by", "Staatsanwaltschaft Berlin;prosecutor;DE",
    "--seized-by", SEIZED_BY,
    "--seized-at", "2026-03-05T09:10:00+01:00",
    "--place", "Berlin;DE",
    "--legal-basis", "national-law;Strafprozessordnung (StPO);§§ 94, 98",
    "--decision", "352 Gs 187/26;Amtsgericht Tiergarten;DE;2026-03-02",
)  # fmt: skip
UNICODE_NAMES = ("Übersicht März.pdf", "Αποδείξεις.txt", "Łódź \u2013 notatki.txt", "報告.csv")


def options(*extra: Algorithm, workers: int | None = None, seizure: bool = True) -> BuildOptions:
    """Build options with a complete seizure (or none)."""
    facts = SeizureFacts(
        seized_by=Holder.parse(SEIZED_BY),
        at=utc_instant("2026-03-05T09:10:00+01:00"),
        place=Place.parse("Berlin;DE"),
        legal_bases=(LegalBasis.parse("national-law;Strafprozessordnung (StPO);§§ 94, 98"),),
        decision=Reference.parse("352 Gs 187/26;Amtsgericht Tiergarten;DE;2026-03-02"),
    )
    return BuildOptions(
        case="276 Js 1234/26",
        compiled_by=Authority.parse("Staatsanwaltschaft Berlin;prosecutor;DE"),
        language="de",
        algorithms=extra,
        seizure=facts if seizure else None,
        workers=workers,
    )


def make_tree(root: Path) -> dict[str, bytes]:
    """A folder with empty files, unicode names, a deep folder and some binary content.

    Returns the relative path and content of every regular file.
    """
    files: dict[str, bytes] = {
        "empty.bin": b"",
        "Buchhaltung/leer.txt": b"",
        "Buchhaltung/Kontoauszug.pdf": b"%PDF-1.4\n% a statement\n",
        "Fotos/bild.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "noext": bytes(range(256)) * 1000,
    }
    for index, name in enumerate(UNICODE_NAMES):
        files[f"Unicode/{name}"] = name.encode("utf-8") * (index + 1)
    deep = "/".join(f"ebene{level}" for level in range(40))
    files[f"{deep}/tief.txt"] = b"deep down\n"
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
