"""POST /v1/validate: the JSON report of ``interop validate --format json`` for one document."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop.serve import tasks
from interop.serve.engine import Lane
from interop.serve.limits import XML_TYPES, read_upload
from interop.serve.routes.params import Params
from interop.serve.service import keep, service


async def validate(request: Request) -> Response:
    """Validate the uploaded document: schema, then business rules.

    200 with the report, valid or not; 400 (with the report) when it cannot be read.
    """
    found = service(request)
    upload = await read_upload(request, found.settings.max_upload, XML_TYPES)
    params = Params(request, ("format",), upload.fields)
    report = await found.engine.call(
        tasks.validate, upload.data, upload.name, params.text("format"), lane=Lane.QUICK
    )
    if found.workspace is not None:
        text = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
        await keep(request, "validate", {upload.name: upload.data, "report.json": text})
    return JSONResponse(report)


ROUTES = [Route("/v1/validate", validate, methods=["POST"])]
