"""What the service is and offers: health, version, document formats, converters, notices."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from interop import __version__
from interop.serve.engine import Lane
from interop.serve.problems import Problem
from interop.serve.service import service

HEALTH_TIMEOUT = 10.0


async def health(request: Request) -> Response:
    """200 when a worker answers; 503 when none does in time."""
    engine = service(request).engine
    try:
        await asyncio.wait_for(engine.ping(), HEALTH_TIMEOUT)
    except TimeoutError:
        raise Problem(503, f"no worker answered within {HEALTH_TIMEOUT:g} s") from None
    return JSONResponse({"status": "ok", "workers": engine.jobs * len(Lane)})


async def version(request: Request) -> Response:
    return JSONResponse({"name": "interop", "version": __version__, "api": "v1"})


async def formats(request: Request) -> Response:
    """The bundled document types, as ``interop formats --format json`` lists them."""
    return JSONResponse(await run_in_threadpool(_formats))


async def converters(request: Request) -> Response:
    """The formats ``/v1/convert`` takes, as ``interop convert --list`` lists them."""
    return JSONResponse(await run_in_threadpool(_converters))


async def notices(request: Request) -> Response:
    """Notice kinds and languages, as ``interop render --list`` lists them."""
    return JSONResponse(await run_in_threadpool(_notices))


@lru_cache(maxsize=1)
def _formats() -> list[dict[str, Any]]:
    from interop.formats import registry  # noqa: PLC0415

    return [
        {
            "name": f.name,
            "family": f.family,
            "namespace": f.namespace,
            "version": f.version,
            "root": f.root,
            "rules": [p.name for p in f.rules],
        }
        for f in registry().formats
    ]


@lru_cache(maxsize=1)
def _converters() -> list[dict[str, Any]]:
    from interop.convert import registry  # noqa: PLC0415
    from interop.errors import UsageError  # noqa: PLC0415

    rows: list[dict[str, Any]] = []
    for name in registry.names():
        try:
            converter = registry.get(name)
        except UsageError as exc:  # one broken plug-in must not hide the others
            rows.append({"name": name, "error": str(exc)})
            continue
        rows.append(
            {
                "name": name,
                "version": converter.version,
                "directions": sorted(d.value for d in converter.directions),
                "document_types": list(converter.document_types),
                "description": converter.description,
            }
        )
    return rows


@lru_cache(maxsize=1)
def _notices() -> dict[str, Any]:
    from babel import Locale  # noqa: PLC0415

    from interop.render.catalogs import available, catalog  # noqa: PLC0415
    from interop.render.notices import NOTICES  # noqa: PLC0415

    kinds = [{"name": k.name, "title": k.title, "documents": list(k.roots)} for k in NOTICES]
    languages = [
        {
            "code": code,
            "name": Locale.parse(code).get_display_name("en") or code,
            "reviewed_by": catalog(code).reviewed_by,
        }
        for code in available()
    ]
    return {"notices": kinds, "languages": languages}


ROUTES = [
    Route("/v1/health", health, methods=["GET"]),
    Route("/v1/version", version, methods=["GET"]),
    Route("/v1/formats", formats, methods=["GET"]),
    Route("/v1/converters", converters, methods=["GET"]),
    Route("/v1/notices", notices, methods=["GET"]),
]
