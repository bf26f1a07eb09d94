"""Translation and review: POST /v1/translate, /v1/xliff/export, /v1/xliff/import."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop.serve import tasks_translate
from interop.serve.audit import sha256
from interop.serve.limits import XML_TYPES, Upload, read_upload
from interop.serve.problems import Problem
from interop.serve.routes.content import content, stem
from interop.serve.routes.params import Params
from interop.serve.service import record, service

XLIFF_TYPE: Final = "application/x-xliff+xml"
GLOSSARY_TYPES: Final = (*XML_TYPES, "text/csv", "text/plain", "application/x-tbx+xml")
TRANSLATE_PARAMETERS: Final = ("to", "engine", "force")
EXPORT_PARAMETERS: Final = ("to",)
IMPORT_PARAMETERS: Final = ("reviewer",)


async def translate(request: Request) -> Response:
    """Machine-translate a document's free text; the answer holds it and the report."""
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, XML_TYPES, max_files=2)
    params = Params(request, TRANSLATE_PARAMETERS, upload.fields)
    job = _request(params, upload, found.settings.memory)
    done = await found.engine.call(tasks_translate.translate, upload.data, upload.name, job)
    options = {"to": job.target, "engine": job.engine, "force": job.force}
    if job.glossary is not None:
        options["glossary"] = job.glossary[0]
    files = {upload.name: upload.data, "output.xml": done.data}
    await record(
        request, "translate", source=upload.data, output=done.data, options=options, files=files
    )
    return JSONResponse({"report": done.report, "document": content(done.data, XML_TYPES[0])})


async def xliff_export(request: Request) -> Response:
    """The XLIFF 1.2 file for reviewing a document's translation in a CAT tool."""
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, XML_TYPES, max_files=2)
    params = Params(request, EXPORT_PARAMETERS, upload.fields)
    job = _request(params, upload, found.settings.memory)
    data = await found.engine.call(tasks_translate.export, upload.data, upload.name, job)
    name = f"{stem(upload.name)}.{job.target}.xlf"
    return Response(
        data, media_type=XLIFF_TYPE, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


async def xliff_import(request: Request) -> Response:
    """A reviewed XLIFF file back into its document: the reviewer and the review recorded."""
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, XML_TYPES, max_files=2)
    params = Params(request, IMPORT_PARAMETERS, upload.fields)
    reviewer = params.text("reviewer")
    if reviewer is None:
        raise Problem(400, "give reviewer=NAME: who reviewed the translation")
    xliff = upload.other("xliff", (*XML_TYPES, XLIFF_TYPE, "application/xliff+xml"))
    if xliff is None:
        raise Problem(400, "the form needs the reviewed file in a file field named 'xliff'")
    pair = (xliff.filename or "review.xlf", xliff.data)
    done = await found.engine.call(
        tasks_translate.review, upload.data, upload.name, pair, reviewer, found.settings.memory
    )
    options = {"reviewer": reviewer, "xliff": pair[0], "xliff_sha256": sha256(xliff.data)}
    files = {upload.name: upload.data, "review.xlf": xliff.data, "output.xml": done.data}
    await record(
        request, "review", source=upload.data, output=done.data, options=options, files=files
    )
    return JSONResponse({"report": done.report, "document": content(done.data, XML_TYPES[0])})


def _request(
    params: Params, upload: Upload, memory: str | None
) -> tasks_translate.TranslateRequest:
    target = params.text("to")
    if target is None:
        raise Problem(400, "give to=LL: the language to translate into")
    glossary = upload.other("glossary", GLOSSARY_TYPES)
    return tasks_translate.TranslateRequest(
        target=target,
        engine=params.text("engine"),
        force=params.flag("force", default=False),
        memory=memory,
        glossary=(glossary.filename or "glossary.tbx", glossary.data) if glossary else None,
    )


ROUTES = [
    Route("/v1/translate", translate, methods=["POST"]),
    Route("/v1/xliff/export", xliff_export, methods=["POST"]),
    Route("/v1/xliff/import", xliff_import, methods=["POST"]),
]
