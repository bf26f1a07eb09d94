"""What ``interop render --list`` shows: notice kinds, and languages with their review state."""

from __future__ import annotations

from babel import Locale

from interop.render.catalogs import available, catalog
from interop.render.notices import NOTICES


def table() -> str:
    """Notice kinds (with the documents they render), then languages (with review state)."""
    lines = ["notice kinds:"]
    width = max(len(kind.name) for kind in NOTICES)
    for kind in NOTICES:
        lines.append(f"  {kind.name:<{width}}  {kind.title} ({', '.join(kind.roots)})")
    lines.append("languages:")
    for language in available():
        name = Locale.parse(language).get_display_name("en") or language
        review = catalog(language).reviewed_by
        state = f"reviewed by {review}" if review else "not reviewed by a legal translator"
        lines.append(f"  {language}  {name:<12}  {state}")
    return "\n".join(lines)
