"""POST /v1/convert: a document from one format to another, with its loss report."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop.serve import tasks
from interop.serve.limits import DATA_TYPES, read_upload
from interop.serve.problems import Problem
from interop.serve.routes.content import content
from interop.serve.routes.params import Params
from interop.serve.service import record, service

# The document-level options of the CSV readers, named as the CLI's flags without dashes.
DOCUMENT_OPTIONS: Final = ("document_language", "case_reference", "authority", "time_zone")
PARAMETERS: Final = ("from", "to", *DOCUMENT_OPTIONS, "option")


async def convert(request: Request) -> Response:
    """Convert the uploaded document; the answer holds the result and the loss report."""
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, DATA_TYPES)
    params = Params(request, PARAMETERS, upload.fields)
    job = _request(params, _names())
    done = await found.engine.call(tasks.convert, upload.data, upload.name, job)
    options = {
        "from": job.source,
        "to": job.target,
        **job.document_options,
        **{f"option.{k}": v for k, v in job.national_options.items()},
    }
    files = {upload.name: upload.data, "output": done.data, **dict(done.attachments)}
    await record(
        request, "convert", source=upload.data, output=done.data, options=options, files=files
    )
    return JSONResponse(
        {
            "report": done.report,
            "document": content(done.data, done.media_type),
            "attachments": [{"name": n, **content(d, "")} for n, d in done.attachments],
        }
    )


def _request(params: Params, names: list[str]) -> tasks.ConvertRequest:
    source, target = params.text("from"), params.text("to")
    if not source or not target:
        raise Problem(400, "give from=NAME and to=NAME (see GET /v1/converters)")
    for name in (source, target):
        if name not in names:  # never a spec file path: only registered converters
            raise Problem(400, f"unknown format {name!r}; known formats: {', '.join(names)}")
    document = {k: v for k in DOCUMENT_OPTIONS if (v := params.text(k)) is not None}
    national: dict[str, str] = {}
    for pair in params.texts("option"):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise Problem(400, f"option={pair!r}: write KEY=VALUE")
        national[key.strip().replace("-", "_")] = value
    return tasks.ConvertRequest(source, target, document, national)


def _names() -> list[str]:
    from interop.convert import registry  # noqa: PLC0415

    return registry.names()


ROUTES = [Route("/v1/convert", convert, methods=["POST"])]
