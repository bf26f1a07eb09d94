"""Fixtures of the translation tests: a tiny offline Argos package and a model store with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.translate.tiny_argos import build_copy_model


@pytest.fixture(scope="session")
def copy_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``.argosmodel`` de->en whose translation is a copy of the input (built once)."""
    return build_copy_model(tmp_path_factory.mktemp("argos"))


@pytest.fixture
def model_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty model store, set as ``$INTEROP_MODELS`` for the test."""
    store = tmp_path / "models"
    monkeypatch.setenv("INTEROP_MODELS", str(store))
    return store
