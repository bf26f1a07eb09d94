"""POST /v1/render: a notice (HTML, PDF or text) in one language or two side by side."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from interop.render.html import RenderOptions
from interop.render.job import Format, RenderJob
from interop.serve import tasks
from interop.serve.limits import XML_TYPES, read_upload
from interop.serve.problems import Problem
from interop.serve.routes.content import stem
from interop.serve.routes.params import Params
from interop.serve.service import record, service
from interop.xmlio import Limits

MEDIA_TYPES: Final = {
    Format.HTML: "text/html; charset=utf-8",
    Format.PDF: "application/pdf",
    Format.TEXT: "text/plain; charset=utf-8",
}
PDF_VARIANTS: Final = ("pdf/a-3b", "pdf/ua-1")
PARAMETERS: Final = ("notice", "lang", "also", "format", "pdf_variant", "validate")


async def render(request: Request) -> Response:
    """Render the uploaded document as a notice; the answer is the file itself."""
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, XML_TYPES)
    job = _job(Params(request, PARAMETERS, upload.fields), found.settings.max_upload)
    data = await found.engine.call(tasks.render, upload.data, upload.name, job)
    name = _file_name(upload.name, job)
    options = {
        "notice": job.options.notice,
        "languages": list(job.options.languages),
        "format": job.format.value,
        "pdf_variant": job.pdf_variant,
        "validate": job.validate,
    }
    files = {upload.name: upload.data, name: data}
    await record(request, "render", source=upload.data, output=data, options=options, files=files)
    return Response(
        data,
        media_type=MEDIA_TYPES[job.format],
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _job(params: Params, max_bytes: int) -> RenderJob:
    language, also = params.text("lang"), params.text("also")
    if also and not language:
        raise Problem(400, "also needs lang (the first language)")
    fmt = Format(params.choice("format", [f.value for f in Format]) or Format.HTML.value)
    variant = params.choice("pdf_variant", PDF_VARIANTS)
    if variant and fmt is not Format.PDF:
        raise Problem(400, "pdf_variant needs format=pdf")
    languages = tuple(x for x in (language, also) if x)
    return RenderJob(
        options=RenderOptions(params.text("notice"), languages, None),
        format=fmt,
        pdf_variant=variant,
        validate=params.flag("validate", default=True),
        limits=Limits(max_bytes=max_bytes),
    )


def _file_name(source: str, job: RenderJob) -> str:
    languages = "-".join(job.options.languages) or "auto"
    return f"{stem(source)}.{job.options.notice or 'notice'}.{languages}.{job.format.value}"


ROUTES = [Route("/v1/render", render, methods=["POST"])]
