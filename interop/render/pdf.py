"""A notice as PDF through WeasyPrint (the ``[pdf]`` extra), with nothing fetched.

The page is self-contained (inline style sheet, system fonts through fontconfig), and the URL
fetcher refuses everything but files inside the template folders and ``data:`` URLs, so a user
template cannot make the renderer read ``/etc/passwd`` or call the network. On request the PDF
is PDF/A-3b with the source XML attached (the archive copy carries its own data) or PDF/UA-1
(tagged, for screen readers).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Final

from interop.errors import UsageError
from interop.resources import templates_dir

VARIANTS: Final = {"pdf/a-3b": "pdf/a-3b", "pdf/ua-1": "pdf/ua-1"}


def render_pdf(
    html: str,
    *,
    variant: str | None = None,
    source_xml: bytes | None = None,
    source_name: str = "document.xml",
    template_dir: Path | None = None,
) -> bytes:
    """The PDF of an HTML notice page.

    Raises:
        UsageError: WeasyPrint is not installed, or an unknown variant was asked for.
    """
    try:
        from weasyprint import HTML, Attachment  # noqa: PLC0415 - heavy, optional extra
    except ImportError:
        raise UsageError("PDF output needs the [pdf] extra: pip install 'interop[pdf]'") from None
    if variant is not None and variant not in VARIANTS:
        raise UsageError(f"unknown PDF variant {variant!r}; known: {', '.join(VARIANTS)}")
    folders = [templates_dir()] + ([template_dir] if template_dir is not None else [])
    document = HTML(string=html, base_url=str(folders[-1]) + "/", url_fetcher=_fetcher(folders))
    options: dict[str, Any] = {"pdf_variant": variant, "pdf_tags": variant == "pdf/ua-1"}
    if variant == "pdf/a-3b" and source_xml is not None:
        options["attachments"] = [
            Attachment(
                file_obj=io.BytesIO(source_xml),
                name=source_name,
                description="Source document (interop XML)",
                relationship="Source",
            )
        ]
    pdf = document.write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf


def _fetcher(folders: list[Path]) -> Any:
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    allowed = [folder.resolve() for folder in folders]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Files inside the template folders and ``data:`` URLs; nothing else, ever."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?", maxsplit=1)[0]).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"interop fetches nothing outside the template folder: {url}")

    return LocalOnly(allowed_protocols=("file", "data"))
