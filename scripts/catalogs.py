"""Keep the gettext catalogs of locales/ in step with the templates, the code and the code lists.

    python scripts/catalogs.py extract   # locales/interop.pot from templates, code and XSDs
    python scripts/catalogs.py update    # every locales/<lang>/LC_MESSAGES/interop.po from the .pot
    python scripts/catalogs.py compile   # .mo next to every .po (what the wheel ships)
    python scripts/catalogs.py check     # fail when a catalog is out of step or incomplete
    python scripts/catalogs.py export LANG FILE.json   # the untranslated messages, to translate
    python scripts/catalogs.py fill LANG FILE.json     # put translations from that file back

Babel's own API (what ``pybabel extract/update/compile`` run), driven from one place so that the
header a catalog carries about its legal review (``X-Legal-Review``) survives an update: Babel
drops header fields it does not know.
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interop.render.catalogs import DOMAIN, LANGUAGES, REVIEW_HEADER, SOURCE_LANGUAGE  # noqa: E402
from interop.render.placeholders import placeholder_problems  # noqa: E402

LOCALES = ROOT / "locales"
POT = LOCALES / f"{DOMAIN}.pot"
_REVIEW = re.compile(rf'^"{REVIEW_HEADER}: (?P<value>[^"\\]*)\\n"$', re.MULTILINE)


def extracted() -> Catalog:
    """Every message of the templates, the package and the code lists, as a template catalog."""
    method_map, options_map = parse_mapping_cfg(
        (LOCALES / "babel.cfg").open(encoding="utf-8"), str(LOCALES / "babel.cfg")
    )
    keywords = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2),
                "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}  # fmt: skip
    template = Catalog(project="interop", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords, strip_comment_tags=True
    ):
        if filename.startswith(("tests", "benchmarks", "scripts", ".venv", "build")):
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def pot_bytes(template: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, template, width=100, omit_header=False, sort_output=True, include_lineno=False)
    # The creation date changes on every run; leave it out so the file only changes with content.
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", out.getvalue())


def po_file(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def review_of(path: Path) -> str:
    match = _REVIEW.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    return match.group("value") if match else "none"


def updated(language: str, template: Catalog) -> bytes:
    path = po_file(language)
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="interop")
    # Babel puts the template's own message objects into a catalog that lacks them: give each
    # catalog a copy, or the English filled in below would leak into every later language.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    if language == SOURCE_LANGUAGE:
        # The source language translates to itself; its catalog exists so that English has
        # a review state and plural forms like every other language.
        for message in catalog:
            if message.id:
                message.string = message.id
    return po_bytes(catalog, review_of(path))


def po_bytes(catalog: Catalog, review: str) -> bytes:
    """A catalog as we store it: sorted, no dates (they change on every run), review header."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    data = re.sub(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"\n', b"", out.getvalue())
    header = f'"{REVIEW_HEADER}: {review}\\n"\n'.encode()
    return data.replace(b'"Generated-By:', header + b'"Generated-By:', 1)


def check(template: Catalog) -> list[str]:
    """Everything wrong with the catalogs, one line each (empty: all good)."""
    problems = []
    if not POT.is_file() or POT.read_bytes() != pot_bytes(template):
        problems.append(f"{POT}: out of date; run: python scripts/catalogs.py extract update")
    for language in LANGUAGES:
        path = po_file(language)
        if not path.is_file():
            problems.append(f"{path}: missing; run: python scripts/catalogs.py update")
            continue
        if path.read_bytes() != updated(language, template):
            problems.append(f"{path}: not in step with the templates; run the update")
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
        for message in catalog:
            if not message.id:
                continue
            where = f"{path}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
            if message.fuzzy:
                problems.append(f"{where}: fuzzy")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                problems.append(f"{where}: untranslated")
                continue
            if language != SOURCE_LANGUAGE:  # English is the source: its plural forms are ours
                problems += [f"{where}: {p}" for p in placeholder_problems(message.id, strings)]
    return problems


def export(language: str, target: Path) -> None:
    """The untranslated, fuzzy or English-copied messages of ``language`` as JSON."""
    with po_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    entries = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # A copy of the English is exported too (a translator confirms terms like "IBAN").
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        copied = language != SOURCE_LANGUAGE and strings[: len(ids)] == ids
        if not message.id or (all(strings) and not message.fuzzy and not copied):
            continue
        plural = isinstance(message.id, tuple)
        entries.append({
            "context": message.context,
            "id": message.id[0] if plural else message.id,
            "plural": message.id[1] if plural else None,
            "forms": catalog.num_plurals if plural else 1,
            "comments": message.auto_comments,
            "translation": [""] * catalog.num_plurals if plural else "",
        })  # fmt: skip
    target.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")


def fill(language: str, source: Path) -> None:
    """Put the translations of a JSON file made by :func:`export` into the catalog."""
    path = po_file(language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    for entry in json.loads(source.read_text(encoding="utf-8")):
        key = (entry["id"], entry["plural"]) if entry.get("plural") else entry["id"]
        message = catalog.get(key, context=entry.get("context"))
        if message is None:
            raise SystemExit(f"{source}: {entry['id']!r} is not in the {language} catalog")
        translation = entry["translation"]
        message.string = tuple(translation) if isinstance(translation, list) else translation
        message.flags.discard("fuzzy")
    path.write_bytes(po_bytes(catalog, review_of(path)))


def main(commands: list[str]) -> int:
    if commands[:1] in (["export"], ["fill"]) and len(commands) == 3:
        (export if commands[0] == "export" else fill)(commands[1], Path(commands[2]))
        return 0
    template = extracted()
    for command in commands:
        if command == "extract":
            POT.write_bytes(pot_bytes(template))
        elif command == "update":
            for language in LANGUAGES:
                path = po_file(language)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(updated(language, template))
        elif command == "compile":
            for language in LANGUAGES:
                path = po_file(language)
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=language, domain=DOMAIN)
                with path.with_suffix(".mo").open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
        elif command == "check":
            problems = check(template)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                return 1
        else:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["check"]))
