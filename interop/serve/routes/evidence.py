"""POST /v1/evidence/verify: an uploaded manifest against uploaded files."""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop.serve import tasks_evidence
from interop.serve.limits import FORM, XML_TYPES, check_type, media_type, plain_name, read_form
from interop.serve.problems import Problem
from interop.serve.routes.params import Params
from interop.serve.service import keep, service

MAX_FILES: Final = 10_000


async def verify(request: Request) -> Response:
    """Check the files against the manifest: sizes, hashes, missing and extra files.

    A ``multipart/form-data`` form: the manifest in the file field ``manifest``, each evidence
    file in a file field ``files`` whose file name is its path in the evidence folder.
    """
    found = service(request)
    declared = media_type(request.headers.get("content-type"))
    if declared != FORM:
        raise Problem(415, f"content type {declared or 'none'} is not accepted here; send {FORM}")
    fields, parts = await read_form(request, found.settings.max_upload, MAX_FILES)
    Params(request, (), fields)
    manifests = [part for part in parts if part.field == "manifest"]
    if len(manifests) != 1:
        raise Problem(400, "the form needs one file field named 'manifest'")
    check_type(manifests[0].media_type, XML_TYPES)
    others = sorted({part.field for part in parts} - {"manifest", "files"})
    if others:
        raise Problem(400, f"unknown file field {others[0]!r}; give 'manifest' and 'files'")
    files = tuple((part.filename, part.data) for part in parts if part.field == "files")
    name = plain_name(manifests[0].filename)
    report = await found.engine.call(tasks_evidence.verify_upload, manifests[0].data, name, files)
    await keep(request, "verify", {name: manifests[0].data})
    return JSONResponse(report)


ROUTES = [Route("/v1/evidence/verify", verify, methods=["POST"])]
