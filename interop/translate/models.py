"""The model store: Argos packages installed from ``.argosmodel`` files, listed and removed.

An ``.argosmodel`` file is a zip archive with one top folder holding ``metadata.json``
(``from_code``, ``to_code``, ``package_version``, ...), ``model/`` (a CTranslate2 model) and
``sentencepiece.model``. Installing checks the archive before anything is written (no absolute
or ``..`` names, no links, one top folder, size caps, the metadata and the files the engine
needs), unpacks it into a temporary folder of the store and renames that into place, so that a
failed install leaves the store as it was. One model per language pair: installing another
version of a pair replaces it.

The store is ``$INTEROP_MODELS``, else ``$XDG_DATA_HOME/interop/models``, else
``~/.local/share/interop/models``; each model is a folder named ``translate-<from>_<to>``, the
name recorded as ``@model`` on the texts it translates. Nothing here touches the network:
installing from a file is the only way a model gets here.

The CLI (``interop models install/list/remove``) calls :func:`install`, :func:`installed` and
:func:`remove`; they raise :class:`~interop.errors.InteropError` subclasses with one-line messages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from interop.errors import UnreadableInput, UsageError

STORE_VARIABLE: Final = "INTEROP_MODELS"
# A real Argos model unpacks to 100-500 MB; the cap bounds what a zip bomb can write.
MAX_BYTES: Final = 4 * 1024**3
MAX_ENTRIES: Final = 10_000
MAX_METADATA_BYTES: Final = 1024**2
REQUIRED_FILES: Final = ("metadata.json", "model/model.bin", "sentencepiece.model")

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+~-]{0,31}")
_CHUNK = 1024**2


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """A model in the store.

    Attributes:
        name: ``translate-<from>_<to>``, recorded as ``@model``.
        source: ISO 639-1 code it translates from.
        target: ISO 639-1 code it translates into.
        version: the package version, recorded as ``@modelVersion``.
        path: its folder (holding ``metadata.json``, ``model/``, ``sentencepiece.model``).
        target_prefix: token the decoder starts with (multilingual models), else ``""``.
    """

    name: str
    source: str
    target: str
    version: str
    path: Path
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        """``de->en``."""
        return f"{self.source}->{self.target}"


def store_dir() -> Path:
    """The folder models are installed into (not created here)."""
    configured = os.environ.get(STORE_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "interop" / "models"


def model_name(source: str, target: str) -> str:
    """The store name of a pair's model, Argos's own convention: ``translate-de_en``."""
    return f"translate-{source}_{target}"


def installed(store: Path | None = None) -> list[InstalledModel]:
    """Every model in the store, by name; folders that are not valid models are left out."""
    folder = store or store_dir()
    if not folder.is_dir():
        return []
    models = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue  # temporary folders of an install in progress
        try:
            metadata = _load_metadata(child / "metadata.json")
            models.append(_model(child, _checked_metadata(metadata)))
        except (OSError, ValueError):
            continue
    return models


def find(source: str, target: str, store: Path | None = None) -> InstalledModel | None:
    """The installed model for a pair, if any."""
    return next((m for m in installed(store) if (m.source, m.target) == (source, target)), None)


def install(path: Path, *, store: Path | None = None, max_bytes: int = MAX_BYTES) -> InstalledModel:
    """Install an ``.argosmodel`` file, replacing the model of the same pair if there is one.

    Args:
        path: the ``.argosmodel`` file.
        store: the model store (default :func:`store_dir`).
        max_bytes: cap on the unpacked size.

    Returns:
        The installed model (the CLI prints its name, pair and version).

    Raises:
        UnreadableInput: not a readable zip, unsafe names, too large, bad or missing metadata,
            or files the engine needs are missing. Nothing is written then.
    """
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            top, members = _checked_members(archive, where, max_bytes)
            metadata = _read_metadata(archive, top, where)
            folder = store or store_dir()
            folder.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".install-", dir=folder))
            try:
                _extract(archive, members, work, where=where, max_bytes=max_bytes)
                final = folder / model_name(metadata["from_code"], metadata["to_code"])
                _replace(work, final)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except FileNotFoundError:
        raise UnreadableInput(where, "no such file") from None
    except zipfile.BadZipFile as exc:
        raise UnreadableInput(where, f"not a valid .argosmodel (zip) file: {exc}") from None
    except OSError as exc:
        raise UnreadableInput(where, f"cannot install: {exc.strerror or exc}") from None
    return _model(final, metadata)


def remove(name_or_pair: str, *, store: Path | None = None) -> InstalledModel:
    """Remove a model given by name (``translate-de_en``) or pair (``de->en``, ``de-en``).

    Returns:
        The removed model (the CLI prints what it removed).

    Raises:
        UsageError: no installed model matches; the message lists the installed ones.
    """
    models = installed(store)
    wanted = name_or_pair.strip()
    for model in models:
        spellings = {model.name, model.pair, f"{model.source}-{model.target}"}
        spellings.add(f"{model.source}_{model.target}")
        if wanted in spellings:
            shutil.rmtree(model.path)
            return model
    known = ", ".join(f"{m.name} ({m.pair})" for m in models) or "none"
    raise UsageError(f"no installed model {wanted!r}; installed models: {known}")


def _checked_members(
    archive: zipfile.ZipFile, where: str, max_bytes: int
) -> tuple[str, list[zipfile.ZipInfo]]:
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise UnreadableInput(where, f"more than {MAX_ENTRIES} entries; not an Argos model")
    tops, seen, total = set(), set(), 0
    for member in members:
        parts = _safe_parts(member, where)
        if member.filename in seen:
            raise UnreadableInput(where, f"entry {member.filename!r} appears twice")
        seen.add(member.filename)
        tops.add(parts[0])
        total += member.file_size
    if len(tops) != 1:
        raise UnreadableInput(where, "an .argosmodel holds exactly one top folder")
    if total > max_bytes:
        raise UnreadableInput(where, f"unpacks to {total} bytes, more than the {max_bytes} cap")
    top = tops.pop()
    names = {member.filename.rstrip("/") for member in members}
    missing = [f for f in REQUIRED_FILES if f"{top}/{f}" not in names]
    if missing:
        raise UnreadableInput(where, f"not an Argos model: missing {', '.join(missing)}")
    return top, members


def _safe_parts(member: zipfile.ZipInfo, where: str) -> tuple[str, ...]:
    name = member.filename
    unsafe = (
        name.startswith("/")
        or "\\" in name
        or ":" in name
        or any(ord(c) < 32 for c in name)
        or any(part in ("", ".", "..") for part in name.rstrip("/").split("/"))
    )
    if unsafe:
        raise UnreadableInput(where, f"unsafe entry name {name!r} (absolute, .. or drive)")
    kind = stat.S_IFMT(member.external_attr >> 16)  # 0 when the archiver did not say
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnreadableInput(where, f"entry {name!r} is a link or special file")
    if member.flag_bits & 0x1:
        raise UnreadableInput(where, f"entry {name!r} is encrypted")
    parts = PurePosixPath(name).parts
    if len(parts) == 1 and not member.is_dir():
        raise UnreadableInput(where, f"file {name!r} is outside the top folder")
    return parts


def _read_metadata(archive: zipfile.ZipFile, top: str, where: str) -> dict[str, str]:
    member = archive.getinfo(f"{top}/metadata.json")
    if member.file_size > MAX_METADATA_BYTES:
        raise UnreadableInput(where, "metadata.json is too large")
    try:
        metadata = json.loads(archive.read(member).decode("utf-8"))
        return _checked_metadata(metadata)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInput(where, f"metadata.json is not valid JSON: {exc}") from None
    except ValueError as exc:
        raise UnreadableInput(where, f"metadata.json: {exc}") from None


def _checked_metadata(metadata: Any) -> dict[str, str]:
    if not isinstance(metadata, dict):
        raise ValueError("not a JSON object")
    if metadata.get("type", "translate") != "translate":
        raise ValueError(f"type {metadata.get('type')!r}: only translate packages are used")
    checked = {}
    for key, pattern in (
        ("from_code", _LANGUAGE),
        ("to_code", _LANGUAGE),
        ("package_version", _VERSION),
    ):
        value = metadata.get(key)
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ValueError(f"{key} missing or not valid ({value!r})")
        checked[key] = value
    if checked["from_code"] == checked["to_code"]:
        raise ValueError("from_code and to_code are the same language")
    prefix = metadata.get("target_prefix", "")
    checked["target_prefix"] = prefix if isinstance(prefix, str) else ""
    return checked


def _load_metadata(path: Path) -> Any:
    if path.stat().st_size > MAX_METADATA_BYTES:
        raise ValueError("metadata.json is too large")
    return json.loads(path.read_text(encoding="utf-8"))


def _extract(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    work: Path,
    *,
    where: str,
    max_bytes: int,
) -> None:
    # The header sizes were checked; the bytes actually inflated are counted again, since a
    # crafted archive can declare less than it holds.
    written = 0
    for member in members:
        relative = PurePosixPath(member.filename).parts[1:]
        if not relative:
            continue
        target = work.joinpath(*relative)
        if member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, target.open("xb") as sink:
            size = 0
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                written += len(chunk)
                if size > member.file_size or written > max_bytes:
                    raise UnreadableInput(where, f"entry {member.filename!r} inflates too much")
                sink.write(chunk)


def _replace(work: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        final.rename(old)
        work.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(final)


def _model(path: Path, metadata: dict[str, str]) -> InstalledModel:
    return InstalledModel(
        name=model_name(metadata["from_code"], metadata["to_code"]),
        source=metadata["from_code"],
        target=metadata["to_code"],
        version=metadata["package_version"],
        path=path,
        target_prefix=metadata.get("target_prefix", ""),
    )
