"""The model store: installing .argosmodel files (hostile ones refused), listing, removing."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from interop.errors import UnreadableInput, UsageError
from interop.translate import models
from tests.translate.tiny_argos import package_files, write_package

TOP = "translate-de_en-1_0"


def test_install_list_remove(copy_model_file: Path, model_store: Path) -> None:
    model = models.install(copy_model_file)
    assert (model.name, model.pair, model.version) == ("translate-de_en", "de->en", "1.0")
    assert model.path == model_store / "translate-de_en"
    assert (model.path / "model" / "model.bin").is_file()
    assert (model.path / "sentencepiece.model").is_file()
    assert models.installed() == [model]
    assert models.find("de", "en") == model and models.find("en", "de") is None
    assert models.remove("de->en") == model
    assert models.installed() == [] and not model.path.exists()


@pytest.mark.parametrize("spelling", ["translate-de_en", "de->en", "de-en", "de_en"])
def test_remove_by_name_or_pair(copy_model_file: Path, model_store: Path, spelling: str) -> None:
    models.install(copy_model_file)
    assert models.remove(spelling).name == "translate-de_en"


def test_remove_unknown_lists_installed(copy_model_file: Path, model_store: Path) -> None:
    models.install(copy_model_file)
    with pytest.raises(
        UsageError, match=r"no installed model 'fr->en'.*translate-de_en \(de->en\)"
    ):
        models.remove("fr->en")


def test_a_new_version_replaces_the_pair(
    copy_model_file: Path, model_store: Path, tmp_path: Path
) -> None:
    models.install(copy_model_file)
    files = package_files(copy_model_file)
    metadata = json.loads(files["metadata.json"])
    files["metadata.json"] = json.dumps({**metadata, "package_version": "1.9"}).encode()
    newer = write_package(tmp_path / "newer.argosmodel", "translate-de_en-1_9", files)
    assert models.install(newer).version == "1.9"
    assert [(m.name, m.version) for m in models.installed()] == [("translate-de_en", "1.9")]
    assert [p.name for p in model_store.iterdir()] == ["translate-de_en"]  # no leftovers


def test_store_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("INTEROP_MODELS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert models.store_dir() == tmp_path / "interop" / "models"
    monkeypatch.setenv("INTEROP_MODELS", "/srv/models")
    assert models.store_dir() == Path("/srv/models")
    assert models.installed(tmp_path / "absent") == []


def _variant(change: Callable[[dict[str, bytes]], None]) -> Callable[[Path, Path], Path]:
    def build(good: Path, folder: Path) -> Path:
        files = package_files(good)
        change(files)
        return write_package(folder / "variant.argosmodel", TOP, files)

    return build


def _metadata(**fields: object) -> Callable[[dict[str, bytes]], None]:
    def change(files: dict[str, bytes]) -> None:
        metadata = {**json.loads(files["metadata.json"]), **fields}
        kept = {key: value for key, value in metadata.items() if value is not None}
        files["metadata.json"] = json.dumps(kept).encode()

    return change


def _raw_zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Callable[[Path, Path], Path]:
    def build(good: Path, folder: Path) -> Path:
        path = folder / "raw.argosmodel"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in entries:
                archive.writestr(name, data)
        return path

    return build


def _with_extra(name: str | zipfile.ZipInfo) -> Callable[[Path, Path], Path]:
    def build(good: Path, folder: Path) -> Path:
        path = folder / "extra.argosmodel"
        files = package_files(good)
        with zipfile.ZipFile(path, "w") as archive:
            for relative, data in files.items():
                archive.writestr(f"{TOP}/{relative}", data)
            archive.writestr(name, b"x")
        return path

    return build


def _link() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{TOP}/model/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE = {
    "not a zip": (lambda good, folder: _text(folder / "x.argosmodel"), "not a valid"),
    "missing file": (lambda good, folder: folder / "absent.argosmodel", "no such file"),
    "parent traversal": (_with_extra(f"{TOP}/../../evil"), "unsafe entry name"),
    "absolute name": (_with_extra("/etc/evil"), "unsafe entry name"),
    "windows drive": (_with_extra("C:/evil"), "unsafe entry name"),
    "backslash": (_with_extra(f"{TOP}\\..\\evil"), "unsafe entry name"),
    "symlink": (_with_extra(_link()), "link or special file"),
    "two top folders": (_with_extra("other/file"), "exactly one top folder"),
    "file at top": (_with_extra("loose.txt"), "outside the top folder"),
    "no metadata": (_variant(lambda f: f.pop("metadata.json")), "missing metadata.json"),
    "no model": (_variant(lambda f: f.pop("model/model.bin")), "missing model/model.bin"),
    "no sentencepiece": (
        _variant(lambda f: f.pop("sentencepiece.model")),
        "missing sentencepiece.model",
    ),
    "bad json": (_variant(lambda f: f.update({"metadata.json": b"{"})), "not valid JSON"),
    "json list": (_variant(lambda f: f.update({"metadata.json": b"[]"})), "not a JSON object"),
    "no from_code": (_variant(_metadata(from_code=None)), "from_code missing"),
    "odd to_code": (_variant(_metadata(to_code="../x")), "to_code missing or not valid"),
    "odd version": (_variant(_metadata(package_version="1 0; rm")), "package_version"),
    "same languages": (_variant(_metadata(to_code="de")), "the same language"),
    "sbd package": (_variant(_metadata(type="sbd")), "only translate packages"),
    "duplicate entry": (
        _raw_zip([(f"{TOP}/metadata.json", b"{}"), (f"{TOP}/metadata.json", b"{}")]),
        "appears twice",
    ),
}


def _text(path: Path) -> Path:
    path.write_text("not a zip")
    return path


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_broken_packages_are_refused(
    case: str, copy_model_file: Path, model_store: Path, tmp_path: Path
) -> None:
    build, message = HOSTILE[case]
    path = build(copy_model_file, tmp_path)
    with pytest.raises(UnreadableInput, match=message) as caught:
        models.install(path)
    assert str(caught.value).startswith(str(path))
    assert not model_store.exists() or not any(model_store.iterdir())  # nothing written
    assert not (tmp_path / "evil").exists()


def test_size_cap(copy_model_file: Path, model_store: Path) -> None:
    with pytest.raises(UnreadableInput, match="more than the 1000 cap"):
        models.install(copy_model_file, max_bytes=1000)
    assert not model_store.exists() or not any(model_store.iterdir())


def test_store_ignores_what_is_not_a_model(copy_model_file: Path, model_store: Path) -> None:
    models.install(copy_model_file)
    (model_store / "stray").mkdir()
    (model_store / "broken").mkdir()
    (model_store / "broken" / "metadata.json").write_text("{")
    (model_store / ".install-x").mkdir()
    assert [m.name for m in models.installed()] == ["translate-de_en"]
