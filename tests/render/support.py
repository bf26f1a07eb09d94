"""What the rendering tests share: one example per notice kind and a quick way to render."""

from __future__ import annotations

from pathlib import Path

from interop.render.html import RenderOptions, render_html
from interop.xmlio import parse_file
from tests.conftest import COMMON_EXAMPLES, EXAMPLES

# One realistic document per notice kind (the richest of each kind).
BY_KIND = {
    "summons": EXAMPLES / "notification" / "summons-witness-videoconference.xml",
    "service-of-documents": EXAMPLES / "notification" / "service-of-documents-right-to-refuse.xml",
    "acknowledgment": EXAMPLES / "notification" / "acknowledgment-forwarded-not-competent.xml",
    "decision": EXAMPLES / "notification" / "decision-refused.xml",
    "letter-of-rights": EXAMPLES / "notification" / "letter-of-rights-eaw-ar.xml",
    "status-update": EXAMPLES / "notification" / "status-update-delayed.xml",
    "evidence-request": EXAMPLES / "request" / "eio-de-fr-fraud-banking.xml",
    "surrender-request": EXAMPLES / "request" / "eaw-fr-bg-life-sentence.xml",
    "evidence-manifest": EXAMPLES / "evidence" / "evidence-laptop-image-de-pl.xml",
}
# Documents of the common formats that a notice renders (a recipient list is not a notice).
NOTICE_EXAMPLES = [p for p in COMMON_EXAMPLES if not p.name.startswith("recipient-list")]


def html(path: Path, *languages: str, template_dir: Path | None = None) -> str:
    return render_html(parse_file(path), RenderOptions(None, languages, template_dir))
