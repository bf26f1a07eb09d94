"""Golden notices: every notice kind in five languages, committed, so any change shows in review.

Plain text is compared (it holds every word of the notice, in reading order, and a diff of it
reads like the notice); the HTML structure is covered by test_render_html. Regenerate after a
deliberate change with:  INTEROP_UPDATE_GOLDENS=1 python -m pytest tests/render/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interop.render.html import RenderOptions
from interop.render.job import Format, RenderJob, render_file
from tests.render.support import BY_KIND

GOLDEN = Path(__file__).parent / "golden"
LANGUAGES = ("de", "fr", "el", "bg", "ar")
UPDATE = os.environ.get("INTEROP_UPDATE_GOLDENS") == "1"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(BY_KIND))
def test_notice_matches_its_golden_file(kind: str, language: str) -> None:
    job = RenderJob(RenderOptions(kind, (language,)), Format.TEXT, validate=False)
    text = render_file(str(BY_KIND[kind]), job).decode("utf-8")
    golden = GOLDEN / f"{kind}.{language}.txt"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file; run with INTEROP_UPDATE_GOLDENS=1 to make {golden}"
    assert text == golden.read_text(encoding="utf-8")
